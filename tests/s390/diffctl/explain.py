#!/usr/bin/env python3
"""One case (or a prefix of its items) on both machines: the difference,
and with --trace our CPU's instruction trace (needs hercules).

    python tests/s390/diffctl/explain.py SEED [--length K] [--trace] [--wait-code]
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from s390.cpu import CPU  # noqa: E402
from s390.disasm import decode  # noqa: E402
from tests.s390.diffctl import gen  # noqa: E402
from tests.s390.diffctl.describe import describe_difference, log_records, storage  # noqa: E402
from tests.s390.diffctl.machine import run_on_cpu  # noqa: E402
from tests.s390.diffctl.record import record_case, start_hercules  # noqa: E402


def trace(case):
    cpu = CPU(storage_size=gen.STORAGE)
    cpu.mem[0 : gen.IMAGE_SIZE] = case.image
    cpu.load_psw(case.psw)
    cpu.trace = 1
    cpu.run(100_000)
    for kind, ia, to, ilc, data, code in cpu.trace_records():
        print("%06X %-28s -> %06X" % (ia, decode(data, 0)[1], to))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("--length", type=int)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--wait-code", action="store_true")
    a = ap.parse_args(argv)
    case = gen.build_case(a.seed, length=a.length, wait_code=a.wait_code)
    with start_hercules() as h:
        expected = record_case(h, case, 5.0)
    ours = run_on_cpu(case)
    print("items:", " ".join(case.mnemonics))
    print(describe_difference(case, expected, ours) or "no difference")
    print("-- hercules log")
    for addr, text in log_records(storage(case.image, expected["mem"])):
        print("%06X %s" % (addr, text))
    if a.trace:
        trace(case)


if __name__ == "__main__":
    main()
