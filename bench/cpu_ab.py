"""Two builds of the CPU side by side: ``python -m bench.cpu_ab OLD NEW``.

OLD and NEW are checkout roots whose s390/ holds a built CPU (``python
setup.py build_ext --inplace``; e.g. ``git archive COMMIT s390 setup.py
README.md | tar -x -C /tmp/old`` and a build there).  Each round runs every
mix once in a fresh interpreter per build, the builds interleaved so that
the load of a shared machine falls on both alike; each run is timed by the
CPU time of its thread.  Prints the median MIPS of each build per mix and
NEW / OLD.  On a busy machine trust the ratio more than the MIPS, and
confirm a gain of a few percent twice (a code layout change alone can move
a mix by several percent).

    python -m bench.cpu_ab /tmp/old . --rounds 8 --mix standard
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

#: Run in a fresh interpreter with the build's root first on sys.path:
#: one run of each named mix, MIPS by thread CPU time, as JSON.
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from s390 import bench, purepy
module = purepy.import_cpu()
if not purepy.is_compiled(module) or not module.__file__.startswith(sys.argv[1]):
    sys.exit(f"no compiled CPU under {sys.argv[1]}: {module.__file__}")
scale, names = float(sys.argv[2]), sys.argv[3].split(",")
out = {}
for mix in bench.MIXES:
    if mix.name in names:
        n, s, _ = bench.measure_cpu(module, max(1, int(mix.iterations * scale)), mix, time.thread_time)
        out[mix.name] = n / s / 1e6
print(json.dumps(out))
"""


def run_once(root: str, scale: float, names: list) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, root, str(scale), ",".join(names)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=600,
    )
    if done.returncode:
        raise SystemExit(done.stderr.strip() or f"{root}: exit {done.returncode}")
    return json.loads(done.stdout)


def main(argv=None) -> int:
    from s390.bench import MIXES

    parser = argparse.ArgumentParser(prog="bench.cpu_ab", description=__doc__.splitlines()[0])
    parser.add_argument("old", help="checkout root of the build to compare against")
    parser.add_argument("new", help="checkout root of the build measured")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved runs per build")
    parser.add_argument(
        "--scale", type=float, default=0.3, help="multiply every mix's iteration count"
    )
    parser.add_argument(
        "--mix",
        action="append",
        choices=[m.name for m in MIXES],
        help="a mix to run (repeatable; default every mix)",
    )
    args = parser.parse_args(argv)
    names = args.mix or [m.name for m in MIXES]
    roots = [os.path.abspath(args.old), os.path.abspath(args.new)]
    runs = {root: [] for root in roots}
    for _ in range(args.rounds):
        for root in roots:
            runs[root].append(run_once(root, args.scale, names))
    print(f"median of {args.rounds} interleaved runs, thread CPU time, MIPS")
    print(f"{'mix':<11} {'old':>9} {'new':>9}  new/old")
    for name in names:
        old, new = (statistics.median(r[name] for r in runs[root]) for root in roots)
        print(f"{name:<11} {old:>9.1f} {new:>9.1f}  {new / old:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
