"""``python -m bench.rexx_recursion [M N]``: deep REXX recursion.

Runs Ackermann(M, N) (default 3 7: 693,964 calls, 1,021 levels deep, the
program that used to end in Error 11) and a straight recursion 9,880 levels
deep (about as deep as Regina 3.6 goes before its C stack overflows), and
prints process time and how many fresh thread stacks the calls used.
Compare: ``regina ./ack.rexx`` with the same program.
"""

from __future__ import annotations

import sys
import time

from cms.rexx import Interpreter
from cms.rexx import interpreter as interpreter_module

ACKERMANN = [
    "parse arg m n",
    "say ack(m, n)",
    "exit",
    "ack: procedure",
    "  parse arg m, n",
    "  if m = 0 then return n + 1",
    "  if n = 0 then return ack(m - 1, 1)",
    "  return ack(m - 1, ack(m, n - 1))",
]
STRAIGHT = [
    "say depth(0)",
    "exit",
    "depth: procedure",
    "  arg n",
    "  if n >= 9880 then return n",
    "  return depth(n + 1)",
]


def timed(name: str, lines: list[str], args: str = "") -> None:
    hops = [0]
    fresh = interpreter_module.run_on_fresh_stack

    def counting(work, *rest):
        hops[0] += 1
        return fresh(work, *rest)

    interpreter_module.run_on_fresh_stack = counting
    out: list[str] = []
    start = time.process_time()
    try:
        result = Interpreter(lines, output=out.append).run(args)
    finally:
        interpreter_module.run_on_fresh_stack = fresh
    elapsed = time.process_time() - start
    status = f"Error {result.error.number}" if result.error else " ".join(out)
    print(f"{name}: {status}  {elapsed:.2f} s process time, {hops[0]} fresh stacks")


def main(argv: list[str]) -> int:
    m, n = (argv + ["3", "7"])[:2] if len(argv) != 1 else (argv[0], "7")
    timed(f"ackermann({m},{n})", ACKERMANN, f"{m} {n}")
    timed("recursion 9880 deep", STRAIGHT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
