#!/usr/bin/env python3
"""Run every row of the decimal and floating-point tables
(tests/s390/test_decimal.py, tests/s390/test_hfp.py) as a one-instruction
program on Hercules 3.13 and report rows whose expectation Hercules does not
share. Needs the hercules binary; not a test.

    python tests/s390/diff/confirm_tables.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..", "..")))
sys.path.insert(0, "/work/shared/tools")

from s390.optable import BY_MNEMONIC  # noqa: E402
from tests.s390 import test_decimal as td  # noqa: E402
from tests.s390 import test_hfp as th  # noqa: E402
from tests.s390.diff import gen  # noqa: E402

OP1 = 0x800
OP2 = 0x900
FLOAT_OPERAND = 0xA00


def image_for(code, mask=0, fprs=None, data=()):
    image = bytearray(gen.IMAGE_SIZE)
    psw = gen.prologue(image, gen.Rand(0), mask)
    image[0x384:0x388] = bytes(4)  # GR1 = 0 (EDMK mark)
    if fprs:
        image[0x3C0:0x3E0] = b"".join(bytes.fromhex(h.ljust(16, "0")) for h in fprs)
    for addr, blob in data:
        image[addr : addr + len(blob)] = blob
    program = gen.start_code() + code + gen.end_code()
    image[gen.CODE : gen.CODE + len(program)] = program
    return image, psw


def run(h, image, psw):
    h.sysclear()
    h.load(bytes(image), 0)
    h.run(psw, timeout=5)
    low = h.read(0x300, 0x10)
    dump = h.read(gen.DUMP, 0x70)
    count = int(low[0:2].hex()[:3])
    code = int.from_bytes(low[0xA:0xC], "big") if count == 1 else 0
    cc = (dump[0x60] >> 4) & 3
    return {"count": count, "code": code, "cc": cc, "dump": dump, "op1": h.read(OP1, 0x100)}


def outcome(res):
    return -res["code"] if res["count"] else res["cc"]


def check_ss2(h, problems):
    for mn, op1, op2, after, rc in td.SS2_ROWS:
        b1, b2 = bytes.fromhex(op1), bytes.fromhex(op2)
        code = gen.ss2(mn, len(b1), len(b2), 0, OP1, 0, OP2)
        res = run(h, *image_for(code, data=((OP1, b1), (OP2, b2))))
        got = (res["op1"][: len(b1)].hex().upper(), outcome(res))
        if got != (after.upper(), rc):
            problems.append("%s %s,%s: table %s, hercules %s" % (mn, op1, op2, (after, rc), got))


def check_srp(h, problems):
    for op1, shift, rnd, after, rc in td.SRP_ROWS:
        b1 = bytes.fromhex(op1)
        code = gen.ss2("SRP", len(b1), rnd + 1, 0, OP1, 0, shift & 0x3F)
        res = run(h, *image_for(code, data=((OP1, b1),)))
        got = (res["op1"][: len(b1)].hex().upper(), outcome(res))
        if got != (after, rc):
            problems.append(
                "SRP %s,%d,%d: table %s, hercules %s" % (op1, shift, rnd, (after, rc), got)
            )


def check_edit(h, problems):
    for pattern, source, result, cc, mark in td.ED_ROWS:
        for mn in ("ED", "EDMK"):
            b1, b2 = bytes.fromhex(pattern), bytes.fromhex(source)
            code = gen.ss1(mn, len(b1), 0, OP1, 0, OP2)
            res = run(h, *image_for(code, data=((OP1, b1), (OP2, b2))))
            gr1 = int.from_bytes(res["dump"][4:8], "big") & 0xFFFFFF
            want_gr1 = OP1 + mark if (mn == "EDMK" and mark is not None and cc >= 0) else None
            got = (res["op1"][: len(b1)].hex().upper(), outcome(res))
            if (
                got != (result, cc)
                or (want_gr1 is not None and gr1 != want_gr1)
                or (want_gr1 is None and cc >= 0 and gr1 != 0)
            ):
                problems.append(
                    "%s %s,%s: table %s mark %s, hercules %s GR1 %06X"
                    % (mn, pattern, source, (result, cc), mark, got, gr1)
                )


def check_cvb_cvd(h, problems):
    for field, value in td.CVB_ROWS:
        code = gen.rx("CVB", 2, 0, 0, OP1)
        res = run(h, *image_for(code, data=((OP1, bytes.fromhex(field)),)))
        r2 = int.from_bytes(res["dump"][8:12], "big")
        if value is None:
            ok = res["code"] == 7
        elif -(2**31) <= value < 2**31:
            ok = res["count"] == 0 and r2 == value & 0xFFFFFFFF
        else:
            ok = res["code"] == 9
        if not ok:
            problems.append(
                "CVB %s: table %s, hercules R2 %08X code %X" % (field, value, r2, res["code"])
            )
    for value, field in [
        (25, "000000000000025C"),
        (-2147483648, "000002147483648D"),
        (0, "000000000000000C"),
    ]:
        code = gen.rx("L", 2, 0, 0, OP2) + gen.rx("CVD", 2, 0, 0, OP1)
        res = run(h, *image_for(code, data=((OP2, (value & 0xFFFFFFFF).to_bytes(4, "big")),)))
        if res["op1"][:8].hex().upper() != field:
            problems.append("CVD %d: table %s, hercules %s" % (value, field, res["op1"][:8].hex()))


def check_hfp(h, problems):
    for mn, r1, r2, before, mask, after, cc, pgm, suppressed in th.ROWS:
        op = BY_MNEMONIC[mn]
        data = ()
        if op.fmt == "RR":
            code = gen.rr(mn, r1, r2)
        else:
            code = gen.rx(mn, r1, 0, 0, FLOAT_OPERAND)
            data = ((FLOAT_OPERAND, bytes.fromhex(r2)),)
        res = run(h, *image_for(code, mask=mask, fprs=before, data=data))
        fprs = [res["dump"][0x40 + 8 * i : 0x48 + 8 * i].hex().upper() for i in range(4)]
        want_cc = 0 if cc == th.UNCHANGED else cc
        got = (fprs, res["cc"], res["code"])
        want = ([x.ljust(16, "0") for x in after], want_cc, pgm)
        if got != want:
            problems.append(
                "%s %s,%s mask %d: table %s, hercules %s" % (mn, r1, r2, mask, want, got)
            )


def main():
    from hercules_run370 import Hercules

    problems = []
    with Hercules() as h:
        for check in (check_ss2, check_srp, check_edit, check_cvb_cvd, check_hfp):
            check(h, problems)
    for p in problems:
        print(p)
    rows = (
        len(td.SS2_ROWS)
        + len(td.SRP_ROWS)
        + 2 * len(td.ED_ROWS)
        + len(td.CVB_ROWS)
        + 3
        + len(th.ROWS)
    )
    print("%d rows run on Hercules, %d disagree" % (rows, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
