"""Seeded generator of random S/370 test programs for the differential harness.

``build_case(seed)`` returns a ``Case``: a storage image (low core, program-
check handler, data area, code), the BC-mode start PSW and the storage ranges
to compare. The same seed always gives the same bytes (``random.Random``
with ``getrandbits`` only), and the corpus records a digest of the image so a
drifting generator is caught.

Storage layout (all below 4 KB is addressed with base register 0):

    000-1FF  low core: program new PSW -> handler, trap PSWs in the other slots
    200-27F  program-check handler: counts interruptions (packed, at 300),
             XORs every program old PSW into 308, resumes with LPSW 28
    300-30F  interruption count and old-PSW checksum
    400-47F  final dump: STM 0,15 at 400, FPRs at 440, BALR word at 460
    480-487  the disabled-wait PSW that ends the program
    500-5FF  out-of-line targets of EXECUTE
    800-FFF  data: packed fields, floating-point numbers, edit patterns,
             zoned digits, translate tables, plain bytes
    1000-    code (R13 holds X'1000' for branches)

Instructions come from s390/optable.py: the general, decimal, float and
xfloat groups, except what is not deterministic or leaves the machine
(STCK, SVC, MC, the privileged groups). Program checks are wanted: bad
decimal data, overflows with the program mask on, specification exceptions,
EXECUTE of EXECUTE, division by zero.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from s390.optable import BY_MNEMONIC, DECIMAL, FLOAT, GENERAL, OPCODES, XFLOAT

GENERATOR_VERSION = 6
IMAGE_SIZE = 0x2000
HANDLER = 0x200
COUNT = 0x300  # packed interruption counter (2 bytes) + 1 (1 byte)
CHECKSUM = 0x308  # XOR of program old PSWs
EC_CODES = 0x310  # XOR of the words at X'8C' (EC mode: ILC and interruption code)
DUMP = 0x400
WAIT_PSW = 0x480
WAIT_ADDRESS = 0xFEE0  # even: an odd wait address is a separate CPU test
EX_AREA = 0x500
DATA = 0x800
PACKED = 0x800  # 32 slots of 16 bytes
FLOATS = 0xA00  # 32 doublewords (and 256 bytes more at B00)
PATTERNS = 0xB00  # edit patterns, 16 slots of 16 bytes
ZONED = 0xC00  # zoned decimal, 8 slots of 32 bytes
TRTABLE = 0xD00  # translate table
TRTTABLE = 0xE00  # translate-and-test function table
BYTES = 0xF00  # plain bytes
CODE = 0x1000
CODE_BASE_REG = 13
TRAP_BASE = 0xEE0000
COMPARE_RANGES = ((COUNT, 0x14), (DUMP, 0x70), (DATA, 0x800))

EXCLUDED = {"STCK", "SVC", "MC"}
GROUPS = (GENERAL, DECIMAL, FLOAT, XFLOAT)
MNEMONICS = tuple(
    op.mnemonic
    for op in OPCODES
    if op.group in GROUPS and not op.privileged and op.mnemonic not in EXCLUDED
)
BRANCHES = {"BALR", "BASR", "BCTR", "BCR", "BAL", "BAS", "BC", "BCT", "BXH", "BXLE"}
FPR_OK = (0, 2, 4, 6)


@dataclass
class Case:
    seed: int
    image: bytearray
    psw: bytes
    mnemonics: list = field(default_factory=list)

    @property
    def digest(self) -> str:
        return hashlib.sha256(bytes(self.image) + self.psw).hexdigest()[:16]


# ----------------------------------------------------------------- encoders


def rr(mn, r1, r2):
    return bytes([BY_MNEMONIC[mn].code, (r1 << 4) | r2])


def rx(mn, r1, x2, b2, d2):
    return bytes([BY_MNEMONIC[mn].code, (r1 << 4) | x2, (b2 << 4) | (d2 >> 8), d2 & 0xFF])


def si(mn, i2, b1, d1):
    return bytes([BY_MNEMONIC[mn].code, i2, (b1 << 4) | (d1 >> 8), d1 & 0xFF])


def ss1(mn, length, b1, d1, b2, d2):
    return bytes(
        [
            BY_MNEMONIC[mn].code,
            length - 1,
            (b1 << 4) | (d1 >> 8),
            d1 & 0xFF,
            (b2 << 4) | (d2 >> 8),
            d2 & 0xFF,
        ]
    )


def ss2(mn, l1, l2, b1, d1, b2, d2):
    """SS with two lengths (byte counts 1-16); SRP passes I3 as l2 + 1."""
    return bytes(
        [
            BY_MNEMONIC[mn].code,
            ((l1 - 1) << 4) | (l2 - 1),
            (b1 << 4) | (d1 >> 8),
            d1 & 0xFF,
            (b2 << 4) | (d2 >> 8),
            d2 & 0xFF,
        ]
    )


# ----------------------------------------------------------------- data


class Rand:
    """Integer-only view of random.Random (getrandbits is stable across
    Python versions)."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def below(self, n):
        if n <= 1:
            return 0
        bits = n.bit_length()
        while True:
            v = self.r.getrandbits(bits)
            if v < n:
                return v

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def bytes(self, n):
        return bytes(self.below(256) for _ in range(n))


def packed_field(rnd, length, invalid_percent=4):
    """A packed number of ``length`` bytes: random significant digits,
    mostly preferred signs, sometimes invalid codes."""
    ndig = 2 * length - 1
    sig = rnd.below(ndig + 1)
    digits = [0] * (ndig - sig) + [rnd.below(10) for _ in range(sig)]
    sign = rnd.pick((0xC, 0xD, 0xC, 0xD, 0xF, 0xA, 0xB, 0xE))
    if rnd.chance(invalid_percent):
        if rnd.chance(50):
            sign = rnd.below(10)
        else:
            digits[rnd.below(ndig)] = rnd.between(10, 15)
    nibbles = digits + [sign]
    return bytes((nibbles[i] << 4) | nibbles[i + 1] for i in range(0, len(nibbles), 2))


def float_image(rnd):
    """A long floating-point image: mostly normalized, near 1.0, with
    zeros, unnormalized fractions and extreme characteristics."""
    sign = rnd.below(2)
    kind = rnd.below(20)
    if kind == 0:
        return 0
    if kind == 1:
        char = rnd.pick((0, 1, 2, 0x7D, 0x7E, 0x7F))
    elif kind == 2:
        char = rnd.below(128)
    else:
        char = rnd.between(0x3C, 0x44)
    frac = rnd.r.getrandbits(56)
    if kind == 3:
        frac >>= 4 * rnd.between(1, 13)  # unnormalized
    elif kind == 4:
        frac = 0  # zero fraction, nonzero char
    elif frac >> 52 == 0:
        frac |= rnd.between(1, 15) << 52
    if rnd.chance(10):
        frac &= ~((1 << (4 * rnd.between(1, 12))) - 1)  # short trailing digits
    return (sign << 63) | (char << 56) | frac


def edit_pattern(rnd, length):
    fill = rnd.pick((0x40, 0x5C, 0x40, 0x20, 0x21, 0xF0))
    body = [
        rnd.pick((0x20, 0x20, 0x20, 0x21, 0x22, 0x4B, 0x6B, 0xC3, 0x60)) for _ in range(length - 1)
    ]
    return bytes([fill] + body)


def fill_data(rnd, image):
    for slot in range(32):
        length = rnd.between(1, 16)
        f = packed_field(rnd, length)
        image[PACKED + 16 * slot + 16 - length : PACKED + 16 * slot + 16] = f
    for i in range(64):
        image[FLOATS + 8 * i : FLOATS + 8 * i + 8] = float_image(rnd).to_bytes(8, "big")
    for slot in range(16):
        image[PATTERNS + 16 * slot : PATTERNS + 16 * slot + 16] = edit_pattern(rnd, 16)
    for slot in range(8):
        z = bytes(0xF0 | rnd.below(10) for _ in range(32))
        z = z[:-1] + bytes([rnd.pick((0xC0, 0xD0, 0xF0, 0xB0)) | rnd.below(10)])
        image[ZONED + 32 * slot : ZONED + 32 * slot + 32] = z
    image[TRTABLE : TRTABLE + 256] = rnd.bytes(256)
    image[TRTTABLE : TRTTABLE + 256] = bytes(
        rnd.below(256) if rnd.chance(8) else 0 for _ in range(256)
    )
    image[BYTES : BYTES + 256] = rnd.bytes(256)


# ----------------------------------------------------------------- program


class Program:
    """Items of code; each item is a builder called with the list of item
    addresses once they are known, so branches can point forward."""

    def __init__(self, rnd):
        self.rnd = rnd
        self.items = []  # (size, builder)
        self.ex_targets = []  # bytes placed at EX_AREA
        self.mnemonics = []
        self.inner = set()  # items inside a group: never branch targets

    def group_from(self, start):
        """Items emitted since ``start`` form one instruction's sequence
        (setup LA's, then the instruction): branches land only on its first
        item, never between a base-register LA and its user."""
        self.inner.update(range(start + 1, len(self.items)))

    def emit(self, data):
        self.items.append((len(data), lambda addrs, i, d=bytes(data): d))

    def emit_branch(self, size, build):
        self.items.append((size, build))

    def forward(self, i, addrs):
        """A random forward target: one of the next three sequence starts,
        never past the closing sequence."""
        starts = [j for j in range(i + 1, len(addrs) - 1) if j not in self.inner]
        return addrs[starts[min(self.rnd.below(3), len(starts) - 1)]]

    def assemble(self):
        addrs = []
        a = CODE
        for size, _ in self.items:
            addrs.append(a)
            a += size
        addrs.append(a)
        code = b"".join(build(addrs, i) for i, (_, build) in enumerate(self.items))
        return code


def reg(rnd):
    return rnd.below(12)


def even_reg(rnd):
    return 2 * rnd.below(6)


def fpr(rnd, spec_percent=2):
    if rnd.chance(spec_percent):
        return rnd.pick((1, 3, 5, 7, 8, 14))
    return rnd.pick(FPR_OK)


def xfpr(rnd, spec_percent=4):
    if rnd.chance(spec_percent):
        return rnd.pick((2, 6, 1))
    return rnd.pick((0, 4))


def data_addr(rnd, area, size, align=1):
    a = area + rnd.below(size)
    return a - (a % align)


def packed_operand(rnd, length):
    """Address of a ``length``-byte field inside one 16-byte packed slot,
    usually right-aligned so it ends on the slot's sign byte."""
    slot = PACKED + 16 * rnd.below(32)
    if rnd.chance(75):
        return slot + 16 - length
    return slot + rnd.below(16 - length + 1)


def general_operand(rnd, length=4, align=1):
    area = rnd.pick((BYTES, FLOATS, PACKED, TRTABLE))
    return data_addr(rnd, area, 256 - length, align if not rnd.chance(5) else 1)


def gen_rr(p, mn):
    rnd = p.rnd
    if mn in ("MR", "DR"):
        r1 = even_reg(rnd) if not rnd.chance(5) else reg(rnd) | 1
        p.emit(rr(mn, r1, reg(rnd)))
    elif mn == "SPM":
        p.emit(rr(mn, reg(rnd), 0))
    elif mn in ("MVCL", "CLCL"):
        r1 = even_reg(rnd)
        r2 = even_reg(rnd)
        while r2 == r1:
            r2 = even_reg(rnd)
        a1 = data_addr(rnd, BYTES, 200)
        a2 = data_addr(rnd, rnd.pick((BYTES, TRTABLE)), 200)
        p.emit(rx("LA", r1, 0, 0, a1))
        p.emit(rx("LA", r1 + 1, 0, 0, rnd.below(40)))
        p.emit(rx("LA", r2, 0, 0, a2))
        p.emit(rx("LA", r2 + 1, 0, 0, rnd.below(40)))
        p.emit(rx("ICM", r2 + 1, 8, 0, data_addr(rnd, BYTES, 256)))
        p.emit(rr(mn, r1, r2))
    elif mn in ("BALR", "BASR", "BCR", "BCTR"):
        r1 = reg(rnd)
        if mn == "BCR":
            r1 = rnd.below(16)
        if rnd.chance(25):
            p.emit(rr(mn, r1, 0))  # no branch
            return
        r2 = rnd.between(1, 11)
        if mn in ("BALR", "BASR", "BCTR") and r1 == r2:
            r1 = (r2 + 1) % 12
        me = len(p.items)
        p.emit_branch(
            4,
            lambda addrs, i, r2=r2, me=me: rx(
                "LA", r2, 0, CODE_BASE_REG, p.forward(me + 1, addrs) - CODE
            ),
        )
        p.emit(rr(mn, r1, r2))
    elif BY_MNEMONIC[mn].group in (FLOAT, XFLOAT):
        gen_float_rr(p, mn)
    else:
        p.emit(rr(mn, reg(rnd), reg(rnd)))


def gen_float_rr(p, mn):
    rnd = p.rnd
    if mn in ("MXR", "AXR", "SXR"):
        p.emit(rr(mn, xfpr(rnd), xfpr(rnd)))
    elif mn == "MXDR":
        p.emit(rr(mn, xfpr(rnd), fpr(rnd)))
    elif mn == "LRDR":
        p.emit(rr(mn, fpr(rnd), xfpr(rnd)))
    else:
        p.emit(rr(mn, fpr(rnd), fpr(rnd)))


RX_FLOAT = {
    "STD",
    "LD",
    "CD",
    "AD",
    "SD",
    "MD",
    "DD",
    "AW",
    "SW",
    "STE",
    "LE",
    "CE",
    "AE",
    "SE",
    "ME",
    "DE",
    "AU",
    "SU",
    "MXD",
}


def address_fields(p, addr):
    """(X2, B2, D2) for ``addr``: usually base 0, sometimes via a base
    register loaded with LA, sometimes with an index register too."""
    rnd = p.rnd
    if rnd.chance(70):
        return 0, 0, addr
    b = rnd.between(1, 11)
    base = addr - rnd.below(min(addr, 256))
    p.emit(rx("LA", b, 0, 0, base))
    if rnd.chance(50):
        return 0, b, addr - base
    x = rnd.between(1, 11)
    while x == b:
        x = rnd.between(1, 11)
    part = rnd.below(addr - base + 1)
    p.emit(rx("LA", x, 0, 0, part))
    return x, b, addr - base - part


def gen_rx(p, mn):
    rnd = p.rnd
    if mn in ("BAL", "BAS", "BC", "BCT"):
        r1 = rnd.below(16) if mn == "BC" else reg(rnd)
        me = len(p.items)
        p.emit_branch(
            4,
            lambda addrs, i, r1=r1, me=me: rx(
                mn, r1, 0, CODE_BASE_REG, p.forward(me, addrs) - CODE
            ),
        )
        return
    if mn == "EX":
        gen_ex(p)
        return
    if mn in RX_FLOAT:
        if mn == "MXD":
            r1 = xfpr(rnd)
        else:
            r1 = fpr(rnd)
        length = 4 if mn in ("STE", "LE", "CE", "AE", "SE", "ME", "DE", "AU", "SU") else 8
        align = length if not rnd.chance(4) else 1
        addr = data_addr(rnd, FLOATS, 0x200 - 8, align)
    elif mn in ("CVB", "CVD"):
        r1 = reg(rnd)
        addr = PACKED + 16 * rnd.below(32) + rnd.pick((8, 8, 8, 0, 4))
    elif mn in ("M", "D"):
        r1 = even_reg(rnd) if not rnd.chance(5) else reg(rnd) | 1
        addr = general_operand(rnd, 4, 4)
    elif mn == "LA":
        r1 = reg(rnd)
        addr = rnd.below(4096)
    else:
        r1 = reg(rnd)
        size = {"LH": 2, "STH": 2, "AH": 2, "SH": 2, "MH": 2, "CH": 2, "IC": 1, "STC": 1}.get(mn, 4)
        addr = general_operand(rnd, size, size)
    x2, b2, d2 = address_fields(p, addr)
    p.emit(rx(mn, r1, x2, b2, d2))


def gen_ex(p):
    """EXECUTE of an out-of-line SS/SI/RR instruction, its length or mask
    ORed from R1; sometimes EXECUTE of EXECUTE (execute exception)."""
    rnd = p.rnd
    bases = set()  # registers the target's setup loaded: R1 must not clobber them
    target = EX_AREA + 8 * len(p.ex_targets)
    if target >= EX_AREA + 0x100:
        return
    if rnd.chance(5):
        inner = rx("EX", 0, 0, 0, target)
    else:
        sub = Program(rnd)
        sub_mn = rnd.pick(
            (
                "MVC",
                "CLC",
                "TR",
                "XC",
                "OC",
                "NC",
                "MVI",
                "CLI",
                "ICM",
                "STCM",
                "AP",
                "ZAP",
                "UNPK",
                "LR",
                "AR",
                "SLL",
            )
        )
        GENERATORS[BY_MNEMONIC[sub_mn].fmt](sub, sub_mn)
        inner = sub.items[-1][1]([], 0)
        for size, build in sub.items[:-1]:  # setup (LA of bases) goes inline
            setup = build([], 0)
            bases.add(setup[1] >> 4)
            p.emit(setup)
        if sub_mn in ("MVC", "CLC", "TR", "XC", "OC", "NC"):
            inner = bytes([inner[0], 0]) + inner[2:]
    p.ex_targets.append(inner + bytes(8 - len(inner)))
    r1 = reg(rnd) if rnd.chance(70) else 0
    while r1 in bases:
        r1 = (r1 + 1) % 12
    if r1:
        p.emit(rx("LA", r1, 0, 0, rnd.below(24)))
    p.emit(rx("EX", r1, 0, 0, target))


def gen_rs(p, mn):
    rnd = p.rnd
    if mn in ("BXH", "BXLE"):
        r1 = reg(rnd)
        r3 = reg(rnd)
        me = len(p.items)
        p.emit_branch(
            4,
            lambda addrs, i, me=me: (
                bytes([BY_MNEMONIC[mn].code, (r1 << 4) | r3])
                + ((CODE_BASE_REG << 12) | (p.forward(me, addrs) - CODE)).to_bytes(2, "big")
            ),
        )
    elif mn in ("LM", "STM"):
        r1 = rnd.below(12)
        r3 = rnd.between(r1, 11)
        addr = data_addr(
            rnd,
            BYTES if mn == "STM" else rnd.pick((BYTES, FLOATS)),
            256 - 48,
            4 if rnd.chance(90) else 1,
        )
        x, b, d = address_fields(p, addr)
        if x:
            p.emit(rx("LA", b, x, b, 0))
        p.emit(rx(mn, r1, r3, b, d))
    elif mn == "CS":
        addr = data_addr(rnd, BYTES, 248, 4 if rnd.chance(92) else 2)
        p.emit(rx(mn, reg(rnd), reg(rnd), 0, addr))
    elif mn == "CDS":
        addr = data_addr(rnd, BYTES, 248, 8 if rnd.chance(92) else 4)
        r1 = even_reg(rnd) if rnd.chance(92) else reg(rnd) | 1
        p.emit(rx(mn, r1, even_reg(rnd), 0, addr))
    elif mn in ("CLM", "STCM", "ICM"):
        addr = general_operand(rnd, 4)
        p.emit(rx(mn, reg(rnd), rnd.below(16), 0, addr))
    elif mn in ("SLDA", "SRDA", "SLDL", "SRDL"):
        r1 = even_reg(rnd) if rnd.chance(95) else reg(rnd) | 1
        p.emit(rx(mn, r1, 0, 0, rnd.below(70) if rnd.chance(80) else rnd.below(4096)))
    else:  # single shifts
        p.emit(rx(mn, reg(rnd), 0, 0, rnd.below(40) if rnd.chance(80) else rnd.below(4096)))


def gen_si(p, mn):
    rnd = p.rnd
    if mn == "TS":
        p.emit(bytes([BY_MNEMONIC[mn].code, 0]) + data_addr(rnd, BYTES, 256).to_bytes(2, "big"))
        return
    addr = general_operand(rnd, 1)
    x, b, d = address_fields(p, addr)
    if x:
        p.emit(rx("LA", b, x, b, 0))
    p.emit(si(mn, rnd.below(256), b, d))


def gen_ss1(p, mn):
    rnd = p.rnd
    if mn in ("ED", "EDMK"):
        length = rnd.between(2, 16)
        a1 = PATTERNS + 16 * rnd.below(16)
        a2 = packed_operand(rnd, rnd.between(1, 8))
        p.emit(ss1(mn, length, 0, a1, 0, a2))
        return
    length = rnd.between(1, 48) if rnd.chance(90) else rnd.between(1, 256)
    if mn == "TR":
        a1 = data_addr(rnd, BYTES, 256 - min(length, 255))
        p.emit(ss1(mn, length, 0, a1, 0, TRTABLE))
        return
    if mn == "TRT":
        a1 = data_addr(rnd, rnd.pick((BYTES, TRTABLE)), 256 - min(length, 255))
        p.emit(ss1(mn, length, 0, a1, 0, TRTTABLE))
        return
    a1 = data_addr(rnd, rnd.pick((BYTES, PATTERNS, ZONED)), 256 - min(length, 255))
    a2 = data_addr(rnd, rnd.pick((BYTES, TRTABLE, FLOATS, PACKED)), 256)
    if rnd.chance(10):
        a2 = a1 + rnd.below(3) - 1  # overlapping (MVC propagation)
    x, b, d = address_fields(p, a1)
    if x:
        p.emit(rx("LA", b, x, b, 0))
    p.emit(ss1(mn, length, b, d, 0, a2))


def gen_decimal_ss(p, mn):
    rnd = p.rnd
    if mn == "SRP":
        l1 = rnd.between(1, 16)
        a1 = packed_operand(rnd, l1)
        shift = rnd.between(-33, 33) & 0x3F
        rounding = rnd.below(10) if rnd.chance(95) else rnd.between(10, 15)
        b2, d2 = 0, shift | (rnd.below(64) << 6)
        p.emit(ss2(mn, l1, rounding + 1, 0, a1, b2, d2))
        return
    if mn in ("PACK", "UNPK", "MVO"):
        l1 = rnd.between(1, 16)
        l2 = rnd.between(1, 16)
        if mn == "PACK":
            a1 = PATTERNS + rnd.below(256 - 16)
            a2 = ZONED + rnd.below(256 - 16)
        elif mn == "UNPK":
            a1 = ZONED + rnd.below(256 - 16)
            a2 = packed_operand(rnd, l2)
        else:
            a1 = packed_operand(rnd, l1)
            a2 = PACKED + rnd.below(512 - 16)
        if rnd.chance(15):  # overlapping operands, processed byte by byte
            a2 = a1 + rnd.between(-l2, l1)
        p.emit(ss2(mn, l1, l2, 0, a1, 0, a2))
        return
    if mn in ("MP", "DP"):
        l2 = rnd.between(1, 8)
        l1 = rnd.between(l2 + 1, 16)
        if rnd.chance(6):
            l2 = rnd.between(1, 16)  # specification exception
            l1 = rnd.between(1, l2)
    else:
        l1 = rnd.between(1, 16)
        l2 = rnd.between(1, 16)
    a1 = packed_operand(rnd, l1)
    a2 = packed_operand(rnd, l2)
    if rnd.chance(5) and l1 >= l2 and mn in ("AP", "SP", "ZAP", "CP"):
        a2 = a1 + l1 - l2  # rightmost bytes coincide
    elif rnd.chance(5):
        a2 = a1 + rnd.between(-l2, l1)  # other overlaps
    p.emit(ss2(mn, l1, l2, 0, a1, 0, a2))


GENERATORS = {
    "RR": gen_rr,
    "RRM": gen_rr,
    "RR1": gen_rr,
    "RX": gen_rx,
    "RXM": gen_rx,
    "RS": gen_rs,
    "RS2": gen_rs,
    "RSM": gen_rs,
    "SI": gen_si,
    "S1": gen_si,
    "SS1": gen_ss1,
    "SS2": gen_decimal_ss,
    "SS3": gen_decimal_ss,
}


def prologue(image, rnd, program_mask, ec_mode=False):
    """Low core, handler, final dump sequence and initial register values."""
    image[0x68:0x70] = bytes.fromhex("00000000") + HANDLER.to_bytes(4, "big")
    for slot in (0x58, 0x60, 0x70, 0x78):  # traps, as hercules_run370 sets them
        image[slot : slot + 8] = bytes.fromhex("00020000") + (TRAP_BASE | slot).to_bytes(4, "big")
    handler = (
        ss2("AP", 2, 1, 0, COUNT, 0, COUNT + 2)
        + ss1("XC", 8, 0, CHECKSUM, 0, 0x28)
        + ss1("XC", 4, 0, EC_CODES, 0, 0x8C)
        + bytes([0x82, 0x00, 0x00, 0x28])
    )  # LPSW X'28'
    image[HANDLER : HANDLER + len(handler)] = handler
    image[COUNT : COUNT + 3] = bytes.fromhex("000C1C")
    image[WAIT_PSW : WAIT_PSW + 8] = bytes.fromhex("00020000") + WAIT_ADDRESS.to_bytes(4, "big")
    regs = []
    for i in range(16):
        kind = rnd.below(6)
        if kind == 0:
            v = rnd.below(64)
        elif kind == 1:
            v = (1 << 32) - 1 - rnd.below(64)
        elif kind == 2:
            v = rnd.pick((0, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1))
        else:
            v = rnd.r.getrandbits(32)
        regs.append(v)
    regs[CODE_BASE_REG] = CODE
    init = b"".join(v.to_bytes(4, "big") for v in regs)
    image[0x380:0x3C0] = init  # initial GPRs
    image[0x3C0:0x3E0] = b"".join(float_image(rnd).to_bytes(8, "big") for _ in range(4))
    if ec_mode:  # EC mode (PSW bit 12): CC and program mask in bits 18-23
        return bytes([0x00, 0x08, program_mask, 0x00]) + CODE.to_bytes(4, "big")
    return bytes.fromhex("00000000") + bytes([program_mask]) + CODE.to_bytes(3, "big")


def start_code():
    code = rx("LM", 0, 15, 0, 0x380)
    for i, r in enumerate(FPR_OK):
        code += rx("LD", r, 0, 0, 0x3C0 + 8 * i)
    return code


def end_code():
    code = rx("STM", 0, 15, 0, DUMP)
    for i, r in enumerate(FPR_OK):
        code += rx("STD", r, 0, 0, DUMP + 0x40 + 8 * i)
    code += rr("BALR", 1, 0) + rx("ST", 1, 0, 0, DUMP + 0x60)
    code += bytes([0x82, 0x00]) + WAIT_PSW.to_bytes(2, "big")
    return code


def build_case(seed, length=None, focus=None):
    """The program for ``seed``. ``focus``, a tuple of mnemonics, biases the
    choice (half of the instructions come from it)."""
    rnd = Rand(seed)
    image = bytearray(IMAGE_SIZE)
    program_mask = (
        rnd.pick((0x0F, 0x0F, 0x0C, 0x03, 0x00, 0x06, 0x09)) if rnd.chance(90) else rnd.below(16)
    )
    psw = prologue(image, rnd, program_mask, ec_mode=rnd.chance(25))
    fill_data(rnd, image)
    p = Program(rnd)
    p.emit(start_code())
    n = rnd.between(8, 24)
    if length is not None:  # a prefix of the same program
        n = length
    for _ in range(n):
        if focus and rnd.chance(60):
            mn = rnd.pick(focus)
        else:
            mn = rnd.pick(MNEMONICS)
        p.mnemonics.append(mn)
        start = len(p.items)
        GENERATORS[BY_MNEMONIC[mn].fmt](p, mn)
        p.group_from(start)
    p.emit(end_code())
    code = p.assemble()
    image[CODE : CODE + len(code)] = code
    ex = b"".join(p.ex_targets)
    image[EX_AREA : EX_AREA + len(ex)] = ex
    return Case(seed, image, psw, p.mnemonics)
