"""What the spool's integrity costs: checksummed closes, the start-time check
of every file, and spoolids handed out under the lock by several processes.

    python -m bench.spool_integrity [--files 1000] [--procs 4] [--punches 50]

Prints files closed per second in one process, the start time of a spool of
--files files (every .data read and checked), and the wall time of --procs
processes each closing --punches files at once (with the ids checked unique).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cp.spool import Spool  # noqa: E402  (run as a script too)
from s390.ebcdic import card  # noqa: E402

DECK = [(0x01, card(f"CARD {i:02d} OF A TWENTY CARD DECK")) for i in range(20)]

WORKER = """
import sys
from cp.spool import Spool
from s390.ebcdic import card
spool = Spool(sys.argv[1], recover=False)
for n in range(int(sys.argv[2])):
    sf = spool.add_closed("SYSTEM", "PUN", [(1, card("X"))] * 20, owner="BOB")
    print(sf.spoolid)
"""


def closes_per_second(path: Path, count: int) -> float:
    spool = Spool(path)
    start = time.perf_counter()
    for _ in range(count):
        spool.add_closed("ALICE", "PUN", DECK, owner="BOB")
    return count / (time.perf_counter() - start)


def start_seconds(path: Path) -> float:
    start = time.perf_counter()
    Spool(path)
    return time.perf_counter() - start


def concurrent_punches(path: Path, procs: int, punches: int) -> tuple[float, int, int]:
    start = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(punches)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(procs)
    ]
    ids = [int(x) for w in workers for x in w.communicate()[0].split()]
    return time.perf_counter() - start, len(ids), len(set(ids))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--punches", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one"
        rate = closes_per_second(one, args.files)
        print(f"close (data+meta, fsync, SHA-256): {rate:8.1f} files/s in one process")
        print(f"start with {args.files} files (each checked): {start_seconds(one):8.3f} s")
        seconds, issued, unique = concurrent_punches(Path(tmp) / "many", args.procs, args.punches)
        print(
            f"{args.procs} processes x {args.punches} closes at once: {seconds:8.3f} s wall, "
            f"{issued} spoolids issued, {unique} unique"
        )


if __name__ == "__main__":
    main()
