"""``python -m bench.rexx [--only NAME ...] [--repeat N]``: REXX beside Regina.

Runs each program of ``bench/rexx_programs/`` with our interpreter
(``vm370 rexx``, in a fresh Python process, as a user runs it) and with
Regina (``regina``), in one run on the same machine, and prints each
program's CPU time (user + system) for both, the ratio (ours / Regina) and the geometric
mean of the ratios, which is the suite's headline figure.  Each time is the
best of ``--repeat`` runs (default 3).  The programs' output must be the
same for both; a difference is reported beside the ratio.

Each program runs long enough that Regina needs about 0.2 s of CPU for it,
so the ratio measures the interpreters, not the processes' start-up (ours
is Python's, about 0.03 s, Regina's is under 0.01 s); the numeric loop is
the loop of 300,000 iterations first measured, run three times as long.
The start-up is a figure of its own: it also times ``vm370 rexx`` of a
one-line program.
Without Regina installed only our times are printed.
"""

from __future__ import annotations

import argparse
import compileall
import math
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROGRAMS = Path(__file__).with_name("rexx_programs")
ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(argv: list[str], cwd: Path) -> tuple[float, str]:
    """The CPU time (user + system) the program's process used: on a
    machine shared with other work that is steadier than wall time."""
    start = _children_cpu()
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, encoding="latin-1", check=False
    )
    elapsed = _children_cpu() - start
    return elapsed, done.stdout + done.stderr


def wall_time(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start


def best_of(argv: list[str], cwd: Path, repeat: int) -> tuple[float, str]:
    runs = [timed_run(argv, cwd) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[0][1]


def ours(program: Path) -> list[str]:
    return [sys.executable, "-m", "vm370.cli", "rexx", str(program)]


def regina(program: Path) -> list[str]:
    return ["regina", f"./{program.name}"]


def byte_compile() -> None:
    """Write the byte code of every module ``vm370 rexx`` imports, as pip
    does when it installs the package: with PYTHONDONTWRITEBYTECODE set, or
    after a change, each run would otherwise compile the sources again and
    the time would be the compiler's."""
    for package in ("cms", "cp", "s390", "tcpip", "vm370"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.rexx", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--only", nargs="*", help="program names (without .rexx)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    byte_compile()
    have_regina = shutil.which("regina") is not None
    programs = sorted(PROGRAMS.glob("*.rexx"))
    if args.only:
        programs = [p for p in programs if p.stem in args.only]
    print(f"{'program':12} {'vm370 s':>9} {'Regina s':>9} {'ratio':>7}")
    ratios = []
    for program in programs:
        mine, out = best_of(ours(program), ROOT, args.repeat)
        if not have_regina:
            print(f"{program.stem:12} {mine:9.3f}")
            continue
        theirs, expected = best_of(regina(program), PROGRAMS, args.repeat)
        ratio = mine / theirs
        ratios.append(ratio)
        same = "" if out == expected else "  OUTPUT DIFFERS"
        print(f"{program.stem:12} {mine:9.3f} {theirs:9.3f} {ratio:7.2f}{same}")
    if ratios:
        geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"{'geomean':12} {'':9} {'':9} {geomean:7.2f}")
    one_line = PROGRAMS.parent / "rexx_one_line.rexx"
    start, _ = best_of(ours(one_line), ROOT, max(args.repeat, 5))
    wall = min(wall_time(ours(one_line), ROOT) for _ in range(max(args.repeat, 5)))
    print(f"vm370 rexx start-up (one-line program): {start:.3f} s CPU, {wall:.3f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
