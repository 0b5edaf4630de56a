"""``python -m bench.rexx_clauses [N]``: how fast REXX clauses run.

Runs a loop of N iterations (default 100000) of three clauses each (an
arithmetic assignment, a built-in call, the END that steps the loop) and
prints clauses per second of process time, plus the same for a loop with a
PROCEDURE call per iteration.
"""

from __future__ import annotations

import sys
import time

from cms.rexx.interpreter import Interpreter

LOOP = ["do i = 1 to {n}", "  x = i * 2 + 1", "  y = substr('abcdef', 2, 3)", "end"]
CALLS = [
    "do i = 1 to {n}",
    "  call twice i",
    "end",
    "exit",
    "twice: procedure",
    "  return arg(1) * 2",
]


def measure(template: list[str], n: int, clauses_per_iteration: int) -> float:
    lines = [line.format(n=n) for line in template]
    interp = Interpreter(lines, output=lambda text: None)
    start = time.process_time()
    result = interp.run()
    elapsed = time.process_time() - start
    if result.error is not None:
        raise SystemExit(f"bench program failed: {result.error.message('BENCH')}")
    return n * clauses_per_iteration / elapsed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 100000
    loop = measure(LOOP, n, 3)
    calls = measure(CALLS, n // 4, 5)  # CALL, label, PROCEDURE, RETURN, END
    print(f"REXX loop clauses: {loop:,.0f} per second")
    print(f"REXX call clauses: {calls:,.0f} per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
