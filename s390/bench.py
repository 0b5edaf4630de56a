"""``vm370 bench``: the CPU's speed in MIPS on a standard mixed loop.

The loop is the 25-instruction mix Hercules was measured with
(/work/shared/reference/cython-core.md section 8): loads and stores,
register and storage arithmetic, compares, taken and untaken branches,
MVC/CLC, IC/STC, AND/OR/XOR, shifts and BCT.  R12 is the code base
(X'1000'), R13 the data base (X'2000'), R15 the iteration count; the loop
ends in a disabled wait.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

CODE = 0x1000
DATA = 0x2000
WAIT_PSW_AT = 0x100

#: (hex, assembler) - one row per instruction of the loop body.
LOOP = (
    ("5810D000", "L     1,0(13)"),
    ("5A10D004", "A     1,4(13)"),
    ("5010D008", "ST    1,8(13)"),
    ("1821", "LR    2,1"),
    ("1A21", "AR    2,1"),
    ("1B21", "SR    2,1"),
    ("4130D010", "LA    3,16(13)"),
    ("5910D008", "C     1,8(13)"),
    ("4770C01E", "BC    7,X'1E'(12)      not taken (CC 0)"),
    ("D207D020D000", "MVC   32(8,13),0(13)"),
    ("D507D020D000", "CLC   32(8,13),0(13)"),
    ("4780C02E", "BC    8,X'2E'(12)      taken (CC 0)"),
    ("4340D000", "IC    4,0(13)"),
    ("4240D028", "STC   4,40(13)"),
    ("5440D000", "N     4,0(13)"),
    ("5640D004", "O     4,4(13)"),
    ("5740D000", "X     4,0(13)"),
    ("89400003", "SLL   4,3"),
    ("88400002", "SRL   4,2"),
    ("1E54", "ALR   5,4"),
    ("1954", "CR    5,4"),
    ("4700C000", "BC    0,0(12)          never taken"),
    ("4860D000", "LH    6,0(13)"),
    ("4060D02C", "STH   6,44(13)"),
    ("46F0C000", "BCT   15,0(12)"),
)
END = "82000100"              # LPSW X'100' -> disabled wait
WAIT_PSW = bytes.fromhex("0002000000000000")


def load_cpu(cpu_module, iterations):
    """A CPU with the loop loaded and its registers set."""
    cpu = cpu_module.CPU(storage_size=1 << 16)
    code = bytes.fromhex("".join(h for h, _ in LOOP) + END)
    cpu.mem[CODE:CODE + len(code)] = code
    cpu.mem[DATA:DATA + 8] = bytes.fromhex("0000000100000002")
    cpu.mem[WAIT_PSW_AT:WAIT_PSW_AT + 8] = WAIT_PSW
    cpu.gpr[12] = CODE
    cpu.gpr[13] = DATA
    cpu.gpr[15] = iterations
    cpu.interval_timer_on = False
    cpu.load_psw(bytes.fromhex("00000000%08X" % CODE))
    return cpu


def measure(cpu_module, iterations):
    """Run the loop once; returns (instructions, seconds)."""
    cpu = load_cpu(cpu_module, iterations)
    t0 = time.perf_counter()
    reason = cpu.run(len(LOOP) * iterations + 10)
    seconds = time.perf_counter() - t0
    if reason != cpu_module.EXIT_DISABLED_WAIT:
        raise RuntimeError(f"bench loop ended with exit reason {reason}")
    return cpu.instructions, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="vm370 bench", description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=None,
                        help="loop iterations (25 instructions each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument("--pure", action="store_true",
                        help="measure the uncompiled .py even when the compiled module exists")
    args = parser.parse_args(argv)
    from s390 import purepy
    module = purepy.load_pure("s390.cpu") if args.pure else purepy.import_cpu()
    compiled = purepy.is_compiled(module)
    iterations = args.iterations or (4_000_000 if compiled else 40_000)
    runs = [measure(module, iterations) for _ in range(args.repeat)]
    mips = [n / s / 1e6 for n, s in runs]
    build = "compiled" if compiled else "pure"
    print(f"vm370 bench: {build} build, {len(LOOP)}-instruction mixed loop, "
          f"{runs[0][0]:,} instructions x {args.repeat} runs")
    print(f"MIPS: {statistics.median(mips):.1f} (median; runs: "
          + ", ".join(f"{m:.1f}" for m in mips) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
