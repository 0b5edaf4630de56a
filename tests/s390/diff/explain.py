#!/usr/bin/env python3
"""Step one corpus case on our CPU and print each instruction executed
(a debugging aid for disagreements).

    python tests/s390/diff/explain.py CORPUS SEED [--steps N]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from s390.cpu import CPU, EXIT_DISABLED_WAIT  # noqa: E402
from s390.disasm import disassemble  # noqa: E402
from tests.s390.diff import gen  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("seed", type=int)
    ap.add_argument("--steps", type=int, default=200)
    a = ap.parse_args(argv)
    doc = json.load(open(a.corpus))
    case = gen.build_case(a.seed, length=doc["length"], focus=tuple(doc["focus"]) or None)
    print("program:", " ".join(case.mnemonics))
    cpu = CPU(storage_size=2 * 1024 * 1024)
    cpu.mem[0 : gen.IMAGE_SIZE] = case.image
    cpu.load_psw(case.psw)
    for _ in range(a.steps):
        ia = cpu.ia
        text = disassemble(bytes(cpu.mem[ia : ia + 6]), ia) if ia < len(cpu.mem) - 6 else "?"
        rc = cpu.run(1)
        print("%06X %-40s -> cc %d  psw %s" % (ia, text, cpu.cc, cpu.get_psw().hex().upper()))
        if rc == EXIT_DISABLED_WAIT:
            break


if __name__ == "__main__":
    main()
