#!/usr/bin/env python3
"""Random single-instruction sweep of s390.decimal and s390.hfp against
Hercules 3.13, without our CPU: each case is one instruction with random
operands (extreme characteristics, unnormalized and zero fractions, invalid
packed codes, all program masks), run on Hercules and given to our function
directly. Needs the hercules binary; not a test.

    python tests/s390/diff/sweep.py float 8000 [--seed 11]
    python tests/s390/diff/sweep.py decimal 6000 [--seed 13]
"""

import argparse
import os
import random
import sys
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from s390 import decimal, hfp  # noqa: E402
from s390.optable import OPCODES  # noqa: E402
from tests.s390.diff import gen  # noqa: E402
from tests.s390.diff.confirm_tables import FLOAT_OPERAND, OP1, OP2, image_for, run  # noqa: E402

FLOAT_OPS = [
    op for op in OPCODES if op.group in ("float", "xfloat") and op.mnemonic not in ("STD", "STE")
]
DECIMAL_OPS = ("AP", "SP", "ZAP", "CP", "MP", "DP", "SRP", "ED", "EDMK", "CVB")
CVB_INVALID = -(1 << 63)


def float_image(rnd):
    kind = rnd.randrange(10)
    sign = rnd.randrange(2)
    char = (
        rnd.choice([0, 1, 2, 0x7D, 0x7E, 0x7F, 0x40, 0x41, 0x3F])
        if kind < 4
        else rnd.randrange(128)
    )
    frac = rnd.getrandbits(56)
    if kind == 4:
        frac >>= 4 * rnd.randint(1, 14)  # unnormalized
    elif kind == 5:
        frac = 0
    elif kind == 6:
        frac = (rnd.getrandbits(4) | 1) << 52  # one digit
    return (sign << 63) | (char << 56) | frac


def float_case(h, rnd):
    op = rnd.choice(FLOAT_OPS)
    r1 = rnd.choice([0, 2, 4, 6, 0, 4])
    r2 = rnd.choice([0, 2, 4, 6, 0, 4])
    fprs = [float_image(rnd) for _ in range(4)]
    mask = rnd.randrange(16)
    operand = float_image(rnd)
    short_rx = op.fmt == "RX" and op.code >= 0x70
    if op.fmt == "RR":
        code, data = gen.rr(op.mnemonic, r1, r2), ()
    else:
        code = gen.rx(op.mnemonic, r1, 0, 0, FLOAT_OPERAND)
        stored = (operand >> 32).to_bytes(4, "big") if short_rx else operand.to_bytes(8, "big")
        data = ((FLOAT_OPERAND, stored),)
    res = run(h, *image_for(code, mask=mask, fprs=["%016X" % f for f in fprs], data=data))
    hercules = (
        [res["dump"][0x40 + 8 * i : 0x48 + 8 * i].hex().upper() for i in range(4)],
        res["cc"],
        res["code"],
    )
    regs = array("Q", fprs)
    if op.fmt == "RR":
        rc = hfp.float_rr(regs, op.code, r1, r2, mask)
    else:
        rc = hfp.float_rx(regs, op.code, r1, (operand >> 32) if short_rx else operand, mask)
    ours = (["%016X" % f for f in regs], 0 if rc & 0xF == 4 else rc & 0xF, (rc >> 8) & 0xFF)
    return hercules == ours, "%s %d,%d mask %X fprs %s operand %016X: hercules %s, ours %s" % (
        op.mnemonic,
        r1,
        r2,
        mask,
        ["%016X" % f for f in fprs],
        operand,
        hercules,
        ours,
    )


def packed(rnd, length):
    ndig = 2 * length - 1
    sig = rnd.randint(0, ndig)
    digits = [0] * (ndig - sig) + [rnd.randrange(10) for _ in range(sig)]
    if rnd.random() < 0.05:
        digits[rnd.randrange(ndig)] = rnd.randint(10, 15)
    sign = rnd.choice([0xC, 0xD, 0xF, 0xA, 0xB, 0xE])
    if rnd.random() < 0.05:
        sign = rnd.randrange(10)
    nibbles = digits + [sign]
    return bytes((nibbles[i] << 4) | nibbles[i + 1] for i in range(0, len(nibbles), 2))


def decimal_case(h, rnd):
    mn = rnd.choice(DECIMAL_OPS)
    l1, l2 = rnd.randint(1, 16), rnd.randint(1, 16)
    if mn in ("MP", "DP") and rnd.random() < 0.9:
        l2 = rnd.randint(1, 8)
        l1 = rnd.randint(min(l2 + 1, 16), 16)
    b1, b2 = packed(rnd, l1), packed(rnd, l2)
    mask = rnd.choice([0, 0xF])
    mem_args = ()
    if mn == "SRP":
        shift, i3 = (
            rnd.randint(-32, 31),
            rnd.randint(0, 9) if rnd.random() < 0.9 else rnd.randint(10, 15),
        )
        code = gen.ss2("SRP", l1, i3 + 1, 0, OP1, 0, shift & 0x3F)
        mem_args = (OP1, l1, shift, i3)
    elif mn in ("ED", "EDMK"):
        l1 = rnd.randint(1, 20)
        b1 = bytes(
            [rnd.choice([0x40, 0x5C, 0x20, 0x21])]
            + [rnd.choice([0x20, 0x20, 0x21, 0x22, 0x4B, 0x6B, 0xC3]) for _ in range(l1 - 1)]
        )
        b2 = packed(rnd, 8) + packed(rnd, 4)
        code = gen.ss1(mn, l1, 0, OP1, 0, OP2)
        mem_args = (OP1, l1, OP2, int(mn == "EDMK"))
    elif mn == "CVB":
        b1 = packed(rnd, 8)
        code = gen.rx("CVB", 2, 0, 0, OP1)
        mem_args = (OP1,)
    else:
        code = gen.ss2(mn, l1, l2, 0, OP1, 0, OP2)
        mem_args = (OP1, l1, OP2, l2)
    image, psw = image_for(code, mask=mask, data=((OP1, b1), (OP2, b2)))
    res = run(h, image, psw)
    mem = bytearray(image)
    gr1 = None
    if mn == "EDMK":  # GR1 starts at 0 (image_for)
        rc = decimal.edmk(mem, OP1, l1, OP2)
        mark = (-rc) >> 8 if rc < 0 else rc >> 2
        gr1 = mark - 1 if mark else 0
        rc = -((-rc) & 0xFF) if rc < 0 else rc & 3
    elif mn == "ED":
        rc = decimal.edit(mem, *mem_args)
        rc = rc if rc < 0 else rc & 3
    else:
        rc = getattr(decimal, mn.lower())(mem, *mem_args)
    if mn == "CVB":
        rc = -7 if rc == CVB_INVALID else (-9 if not -(2**31) <= rc < 2**31 else 0)
    if rc == 3 and mask and mn in ("AP", "SP", "ZAP", "SRP"):
        rc = -0xA  # decimal overflow, mask on: interruption
    hercules_rc = -res["code"] if res["count"] else res["cc"]
    hercules_gr1 = int.from_bytes(res["dump"][4:8], "big") & 0xFFFFFF
    same = bytes(res["op1"][:0x40]) == bytes(mem[OP1 : OP1 + 0x40]) and hercules_rc == rc
    if gr1 is not None:
        same = same and hercules_gr1 == gr1
    return same, "%s L%d/%d mask %X op1 %s op2 %s: hercules %s %s, ours %s %s" % (
        mn,
        l1,
        l2,
        mask,
        b1.hex(),
        b2.hex(),
        hercules_rc,
        bytes(res["op1"][:20]).hex(),
        rc,
        bytes(mem[OP1 : OP1 + 20]).hex(),
    )


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=("float", "decimal"))
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args(argv)
    from hercules_run370 import Hercules

    rnd = random.Random(a.seed)
    one_case = float_case if a.kind == "float" else decimal_case
    differ = 0
    with Hercules() as h:
        for _ in range(a.count):
            same, text = one_case(h, rnd)
            if not same:
                differ += 1
                print(text)
    print("%s: %d cases, %d differ" % (a.kind, a.count, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
