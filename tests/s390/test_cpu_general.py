"""General instructions (GA22-7000 chapter 7): results, condition codes and
exceptions from the instruction descriptions.  Code is loaded at X'1000';
R12 = X'1000' is the code base where a test branches.  Expected values are
worked out from the PoO rules in the comments, not taken from the CPU."""

import pytest

NEG = lambda v: (-v) & 0xFFFFFFFF  # noqa: E731  two's complement image


# ------------------------------------------------------------------ RR arithmetic
# (opcode, R2 content before, R3 content before, R2 after, CC)
RR_CASES = [
    # AR: signed add; CC 0 zero, 1 <0, 2 >0, 3 overflow
    ("1A", 1, 2, 3, 2),
    ("1A", 0xFFFFFFFF, 1, 0, 0),
    ("1A", 0xFFFFFFFE, 1, 0xFFFFFFFF, 1),
    ("1A", 0x7FFFFFFF, 1, 0x80000000, 3),
    ("1A", 0x80000000, 0xFFFFFFFF, 0x7FFFFFFF, 3),
    # SR
    ("1B", 5, 3, 2, 2),
    ("1B", 3, 5, NEG(2), 1),
    ("1B", 0x80000000, 1, 0x7FFFFFFF, 3),
    ("1B", 0, 0x80000000, 0x80000000, 3),
    # ALR: CC 0 zero/no carry, 1 nonzero/no carry, 2 zero/carry, 3 nonzero/carry
    ("1E", 0, 0, 0, 0),
    ("1E", 1, 1, 2, 1),
    ("1E", 0xFFFFFFFF, 1, 0, 2),
    ("1E", 0xFFFFFFFF, 2, 1, 3),
    # SLR: first + ~second + 1; CC 0 cannot occur
    ("1F", 5, 3, 2, 3),
    ("1F", 3, 3, 0, 2),
    ("1F", 3, 5, NEG(2), 1),
    ("1F", 0, 0, 0, 2),
    # NR OR XR: CC 0 result zero, 1 nonzero
    ("14", 0xF0F0, 0x0F0F, 0, 0),
    ("16", 0xF0F0, 0x0F0F, 0xFFFF, 1),
    ("17", 0x1234, 0x1234, 0, 0),
    ("17", 0xFFFF0000, 0xFFFFFFFF, 0x0000FFFF, 1),
    # LPR LNR LCR LTR (R2 <- f(R3))
    ("10", 0, NEG(5), 5, 2),
    ("10", 0, 0, 0, 0),
    ("10", 0, 0x80000000, 0x80000000, 3),
    ("11", 0, 5, NEG(5), 1),
    ("11", 0, NEG(5), NEG(5), 1),
    ("11", 0, 0, 0, 0),
    ("11", 0, 0x80000000, 0x80000000, 1),
    ("13", 0, 5, NEG(5), 1),
    ("13", 0, NEG(5), 5, 2),
    ("13", 0, 0, 0, 0),
    ("13", 0, 0x80000000, 0x80000000, 3),
    ("12", 9, 0, 0, 0),
    ("12", 9, NEG(1), NEG(1), 1),
    ("12", 9, 7, 7, 2),
]


@pytest.mark.parametrize("op,a,b,result,cc", RR_CASES)
def test_rr_arithmetic_and_logical(run, cpu_module, op, a, b, result, cc):
    res = run(op + "23", regs={2: a, 3: b, 4: 0x55})
    assert res.reason == cpu_module.EXIT_DIAG
    assert res.r(2) == result
    assert res.cc == cc
    assert res.r(3) == b


# (opcode, first, second, CC) for CR and CLR: 0 equal, 1 low, 2 high
COMPARES = [
    ("19", 1, 2, 1),
    ("19", NEG(1), 1, 1),
    ("19", 2, 1, 2),
    ("19", 7, 7, 0),
    ("15", NEG(1), 1, 2),
    ("15", 1, 2, 1),
    ("15", 5, 5, 0),
]


@pytest.mark.parametrize("op,a,b,cc", COMPARES)
def test_compare_register(run, op, a, b, cc):
    res = run(op + "23", regs={2: a, 3: b})
    assert (res.cc, res.r(2), res.r(3)) == (cc, a, b)


def test_overflow_interrupts_when_program_mask_allows(run, cpu_module):
    # AR 2,3 with the fixed-point-overflow mask bit on: result stored, CC 3,
    # then interruption code 8 (PoO: the operation is completed).
    res = run("1A23", regs={2: 0x7FFFFFFF, 3: 1}, psw="0000000008001000")
    assert res.reason == cpu_module.EXIT_PROGRAM
    assert (res.code, res.ilc, res.r(2), res.cc) == (8, 1, 0x80000000, 3)


def test_multiply_register_pair(run):
    # MR 2,4: R2,R3 <- R3 * R4 = 3 * -2 = -6 (64-bit)
    res = run("1C24", regs={3: 3, 4: NEG(2)})
    assert (res.r(2), res.r(3)) == (0xFFFFFFFF, NEG(6))


def test_multiply_odd_register_is_specification(run, cpu_module):
    res = run("1C34", regs={3: 3, 4: 2})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6
    assert res.r(3) == 3


# (R2, R3, divisor, remainder, quotient) for DR 2,4 -- or None for divide exception
DIVIDES = [
    (0, 100, 7, 2, 14),
    (0xFFFFFFFF, NEG(100), 7, NEG(2), NEG(14)),  # remainder takes the dividend's sign
    (0, 100, NEG(7), 2, NEG(14)),
    (0xFFFFFFFF, 0x80000000, 1, 0, 0x80000000),  # -2**31 / 1 fits
    (0xFFFFFFFF, 0x80000000, NEG(1), None, None),  # +2**31 does not
    (1, 0, 1, None, None),  # quotient needs 33 bits
    (0, 5, 0, None, None),  # divisor zero
]


@pytest.mark.parametrize("hi,lo,divisor,rem,quot", DIVIDES)
def test_divide_register(run, cpu_module, hi, lo, divisor, rem, quot):
    res = run("1D24", regs={2: hi, 3: lo, 4: divisor})
    if rem is None:
        assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 9
        assert (res.r(2), res.r(3)) == (hi, lo)  # nothing changed
    else:
        assert res.reason == cpu_module.EXIT_DIAG
        assert (res.r(2), res.r(3)) == (rem, quot)


# ------------------------------------------------------------------ RX
def test_rx_load_store_add(run):
    # L 2,X'100'(0,13); A 2,X'104'(0,13); ST 2,X'108'(0,13); LA 3,X'FFF'(4,5)
    res = run(
        "5820D100 5A20D104 5020D108 41345FFF",
        regs={13: 0x2000, 4: 0x10, 5: 0xFF000001},
        data={0x2100: "0000000500000007"},
    )
    assert res.r(2) == 12 and res.mem(0x2108, 4) == bytes.fromhex("0000000C")
    assert res.r(3) == 0x001010  # 24-bit address arithmetic
    assert res.cc == 2


def test_halfword_instructions(run):
    # LH 2,0(13) sign-extends X'8001'; AH 3,2(13) adds X'FFFF' (-1); MH 4,4(13) by -2;
    # STH 4,6(13); CH 5,0(13): 0 vs -32767 is high
    res = run(
        "4820D000 4A30D002 4C40D004 4040D006 4950D000",
        regs={13: 0x2000, 3: 1, 4: 3, 5: 0},
        data={0x2000: "8001FFFFFFFE0000"},
    )
    assert res.r(2) == 0xFFFF8001
    assert res.r(3) == 0
    assert res.r(4) == NEG(6)
    assert res.mem(0x2006, 2) == bytes.fromhex("FFFA")
    assert res.cc == 2


def test_insert_and_store_character(run):
    # IC 2,0(13) keeps bits 0-23; STC 3,1(13) stores bits 24-31
    res = run(
        "4320D000 4230D001", regs={13: 0x2000, 2: 0x11223344, 3: 0xAABBCCDD}, data={0x2000: "99"}
    )
    assert res.r(2) == 0x11223399 and res.mem(0x2001, 1) == b"\xdd"


def test_logical_rx_and_si(run):
    # N 2,0(13); O 3,0(13); X 4,0(13); NI 4(13),X'0F'; OI 5(13),X'F0'; XI 6(13),X'FF'
    res = run(
        "5420D000 5630D000 5740D000 940FD004 96F0D005 97FFD006",
        regs={13: 0x2000, 2: 0xFF00FF00, 3: 0, 4: 0x0F0F0F0F},
        data={0x2000: "0F0F0F0F A5A5FF"},
    )
    assert res.r(2) == 0x0F000F00 and res.r(3) == 0x0F0F0F0F and res.r(4) == 0
    assert res.mem(0x2004, 3) == bytes.fromhex("05F500")
    assert res.cc == 0  # XI produced zero


@pytest.mark.parametrize(
    "byte,mask,cc",
    [
        (0x00, 0xFF, 0),  # selected bits all zero
        (0xF0, 0x0F, 0),
        (0xF0, 0xFF, 1),  # mixed
        (0xFF, 0x81, 3),  # all ones
        (0x81, 0x81, 3),
        (0x55, 0x00, 0),  # mask zero: CC 0
    ],
)
def test_test_under_mask(run, byte, mask, cc):
    res = run("91%02XD000" % mask, regs={13: 0x2000}, data={0x2000: "%02X" % byte})
    assert res.cc == cc


@pytest.mark.parametrize("byte,imm,cc", [(0x10, 0x10, 0), (0x0F, 0x10, 1), (0xF0, 0x10, 2)])
def test_compare_logical_immediate(run, byte, imm, cc):
    res = run("95%02XD000" % imm, regs={13: 0x2000}, data={0x2000: "%02X" % byte})
    assert res.cc == cc


# ------------------------------------------------------------------ shifts
SHIFTS = [
    # (instruction, R2 before, R2 after, CC or None when unchanged)
    ("89200004", 0x80000001, 0x00000010, None),  # SLL 2,4
    ("88200020", 0xFFFFFFFF, 0, None),  # SRL 2,32: all bits out
    ("8820001F", 0x80000000, 1, None),  # SRL 2,31
    ("8A20001F", 0x80000000, 0xFFFFFFFF, 1),  # SRA 2,31: sign propagates
    ("8A200004", 0x00000010, 1, 2),
    ("8A200001", 0, 0, 0),
    ("8B200001", 0x40000000, 0, 3),  # SLA 2,1: a 1 shifted past the sign
    ("8B200004", 0xFFFFFFFF, 0xFFFFFFF0, 1),  # SLA of -1 by 4 = -16
    ("8B200003", 1, 8, 2),
    ("8B200001", 0xC0000000, 0x80000000, 1),  # bit shifted out equals the sign
]


@pytest.mark.parametrize("inst,before,after,cc", SHIFTS)
def test_single_shifts(run, inst, before, after, cc):
    res = run("1B55" + inst, regs={2: before})  # SR 5,5 sets CC 0 first
    assert res.r(2) == after
    assert res.cc == (0 if cc is None else cc)


def test_double_shifts(run, cpu_module):
    # SRDL 2,4: 00000001 00000000 -> 00000000 10000000
    res = run("8C200004", regs={2: 1, 3: 0})
    assert (res.r(2), res.r(3)) == (0, 0x10000000)
    # SLDL 2,32
    res = run("8D200020", regs={2: 9, 3: 5})
    assert (res.r(2), res.r(3)) == (5, 0)
    # SRDA 2,63 of a negative pair: all ones, CC 1
    res = run("8E20003F", regs={2: 0x80000000, 3: 0})
    assert (res.r(2), res.r(3), res.cc) == (0xFFFFFFFF, 0xFFFFFFFF, 1)
    # SLDA 2,1 overflow: CC 3
    res = run("8F200001", regs={2: 0x40000000, 3: 0})
    assert (res.r(2), res.r(3), res.cc) == (0, 0, 3)
    # SLDA 2,8 without overflow: CC 2
    res = run("8F200008", regs={2: 0, 3: 0x01000000})
    assert (res.r(2), res.r(3), res.cc) == (1, 0, 2)
    # odd R1 for a double shift: specification
    res = run("8C300001", regs={3: 7})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6 and res.r(3) == 7


# ------------------------------------------------------------------ branching
@pytest.mark.parametrize("cc", range(4))
@pytest.mark.parametrize("mask", [8, 4, 2, 1, 15, 0, 6, 9])
def test_branch_on_condition(run, cc, mask):
    # SPM 1 (CC from R1 bits 2-3); BC mask,X'0E'(12); LA 5,1; DIAG; X'0E': LA 5,2
    code = "0410 47%X0C00E 41500001 83000000 41500002" % mask
    res = run(code, regs={1: cc << 28, 12: 0x1000})
    taken = bool(mask & (8 >> cc))
    assert res.r(5) == (2 if taken else 1)


def test_branch_on_condition_register_zero_does_not_branch(run):
    res = run("07F0 41500001", regs={5: 0})
    assert res.r(5) == 1


def test_branch_on_count(run):
    # LA 3,3; loop: BCT 3,X'04'(12) counts 3 -> 0, falls through with R3 = 0
    res = run("41300003 4630C004 41400007", regs={12: 0x1000})
    assert (res.r(3), res.r(4)) == (0, 7)
    # BCTR 3,0 decrements without branching
    res = run("0630", regs={3: 0})
    assert res.r(3) == 0xFFFFFFFF


def test_branch_on_index(run):
    # R1=0, R2 incr 1, R3 limit 5; BXLE 1,2,X'00'(12) loops while R1 <= 5
    res = run("8712C000", regs={1: 0, 2: 1, 3: 5, 12: 0x1000})
    assert res.r(1) == 6
    # BXH with an odd R3: increment and comparand are both R3 (= -1)
    # loop: BXH 1,3,X'00'(12) branches while R1 > -1: 3,2,1,0,-1 -> stops at -1
    res = run("8613C000", regs={1: 4, 3: NEG(1), 12: 0x1000})
    assert res.r(1) == NEG(1)


def test_branch_and_link_formats(run):
    # BAL 14,X'08'(12): R14 = ILC 2, CC, program mask, return address (BC mode)
    res = run("1B55 45E0C008 0000 0000", regs={12: 0x1000}, psw="0000000003001000")
    assert res.r(14) == 0x80000000 | 0x03000000 | 0x1006
    # BALR 14,15: ILC 1
    res = run("05EF 0000", regs={15: 0x1004})
    assert res.r(14) == 0x40000000 | 0x1002
    # BALR 14,0 links without branching
    res = run("05E0", regs={})
    assert res.r(14) == 0x40001002
    # BAS 14,X'08'(12) and BASR 13,15: the address only
    res = run("4DE0C008 00000000 0DDF", regs={12: 0x1000, 15: 0x100C})
    assert res.r(14) == 0x1004 and res.r(13) == 0x100A


def test_execute(run, cpu_module):
    # EX 1,X'0A'(12) of MVC 0(1,2),0(3) with R1 = 7: moves 8 bytes
    res = run(
        "4410C00A 83000000 0000 D20020003000",
        regs={1: 7, 2: 0x2000, 3: 0x3000, 12: 0x1000},
        data={0x3000: "0102030405060708 09"},
    )
    assert res.reason == cpu_module.EXIT_DIAG
    assert res.mem(0x2000, 9) == bytes.fromhex("010203040506070800")
    # EX of BALR 14,0: the link records EX's ILC (2) and the address after EX
    res = run("4400C008 83000000 05E0", regs={12: 0x1000})
    assert res.r(14) == 0x80001004
    # EX of EX: execute exception, ILC 2
    res = run("4400C008 83000000 4400C008", regs={12: 0x1000})
    assert (res.reason, res.code, res.ilc) == (cpu_module.EXIT_PROGRAM, 3, 2)
    # odd target: specification
    res = run("4400C009", regs={12: 0x1000})
    assert (res.code, res.ilc) == (6, 2)


# ------------------------------------------------------------------ storage to storage
def test_mvc_overlap_propagates_one_byte(run):
    # MVC 1(7,2),0(2): each byte moves after the one before: the first byte spreads
    res = run("D2062001 2000", regs={2: 0x2000}, data={0x2000: "4100000000000000"})
    assert res.mem(0x2000, 8) == b"\x41" * 8


def test_move_numerics_and_zones(run):
    # MVN 0(3,2),0(3); MVZ 4(3,2),0(3)
    res = run(
        "D1022000 3000 D3022004 3000",
        regs={2: 0x2000, 3: 0x3000},
        data={0x2000: "F1F2F3 00 C1C2C3", 0x3000: "0A0B0C"},
    )
    assert res.mem(0x2000, 7) == bytes.fromhex("FAFBFC 00 01 02 03")


@pytest.mark.parametrize(
    "op,a,b,result,cc",
    [
        ("D4", "FF0F", "F0F0", "F000", 1),  # NC
        ("D4", "0F0F", "F0F0", "0000", 0),
        ("D6", "0F00", "F000", "FF00", 1),  # OC
        ("D7", "1234", "1234", "0000", 0),  # XC
        ("D7", "FFFF", "0F0F", "F0F0", 1),
    ],
)
def test_logical_characters(run, op, a, b, result, cc):
    res = run(op + "0120003000", regs={2: 0x2000, 3: 0x3000}, data={0x2000: a, 0x3000: b})
    assert res.mem(0x2000, 2) == bytes.fromhex(result) and res.cc == cc


@pytest.mark.parametrize(
    "a,b,cc", [("C1C2", "C1C2", 0), ("C1C2", "C1C3", 1), ("C2", "C1", 2), ("00FF", "0100", 1)]
)
def test_compare_logical_characters(run, a, b, cc):
    n = len(a) // 2
    res = run("D5%02X20003000" % (n - 1), regs={2: 0x2000, 3: 0x3000}, data={0x2000: a, 0x3000: b})
    assert res.cc == cc


def test_translate(run):
    table = bytes((i + 1) & 0xFF for i in range(256))
    res = run("DC0320003000", regs={2: 0x2000, 3: 0x3000}, data={0x2000: "000102FF", 0x3000: table})
    assert res.mem(0x2000, 4) == bytes.fromhex("01020300")


def test_translate_and_test(run):
    table = bytearray(256)
    table[0x40] = 0x99
    # TRT 0(4,2),0(3): stops at the blank (3rd byte): R1 = its address, R2 low byte = X'99'
    res = run(
        "DD0320003000",
        regs={1: 0xAA000000, 2: 0x2000, 3: 0x3000},
        data={0x2000: "C1C240C3", 0x3000: bytes(table)},
    )
    assert res.r(1) == 0xAA002002 and res.r(2) & 0xFF == 0x99 and res.cc == 1
    res = run(
        "DD0320003000", regs={2: 0x2000, 3: 0x3000}, data={0x2000: "C1C2C340", 0x3000: bytes(table)}
    )
    assert res.cc == 2  # found in the last byte
    res = run(
        "DD0320003000",
        regs={1: 5, 2: 0x2000, 3: 0x3000},
        data={0x2000: "C1C2C3C4", 0x3000: bytes(table)},
    )
    assert res.cc == 0 and res.r(1) == 5  # nothing found: registers unchanged


def test_move_long_with_padding(run):
    # MVCL 2,4: 8-byte destination from a 4-byte source, pad X'40'; bits 0-7 of
    # R2 and R4 become zero, those of R3 and R5 stay
    res = run(
        "0E24",
        regs={2: 0xAA003000, 3: 0xBB000008, 4: 0xCC002000, 5: 0x40000004},
        data={0x2000: "C1C2C3C4", 0x3000: "FFFFFFFFFFFFFFFFFF"},
    )
    assert res.mem(0x3000, 9) == bytes.fromhex("C1C2C3C440404040FF")
    assert res.cc == 2  # first operand longer
    assert (res.r(2), res.r(3), res.r(4), res.r(5)) == (0x3008, 0xBB000000, 0x2004, 0x40000000)


def test_move_long_destructive_overlap(run):
    # destination one byte into the source: CC 3, nothing moved
    res = run("0E24", regs={2: 0xAA002001, 3: 4, 4: 0xCC002000, 5: 4}, data={0x2000: "0102030405"})
    assert res.cc == 3 and res.mem(0x2000, 5) == bytes.fromhex("0102030405")
    assert (res.r(2), res.r(3), res.r(4)) == (0x2001, 4, 0x2000)


def test_move_long_equal_lengths_and_odd_register(run, cpu_module):
    res = run("0E24", regs={2: 0x3000, 3: 2, 4: 0x2000, 5: 2}, data={0x2000: "ABCD"})
    assert res.cc == 0 and res.mem(0x3000, 2) == bytes.fromhex("ABCD")
    res = run("0E34")
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6


@pytest.mark.parametrize(
    "first,second,pad,cc,equal_bytes",
    [
        ("C1C2C3", "C1C2", "C3", 0, 3),  # shorter operand padded: equal
        ("C1C2C3", "C1C2", "40", 2, 2),  # X'C3' > pad X'40'
        ("C1C2", "C1C3", "40", 1, 1),
        ("", "", "40", 0, 0),
    ],
)
def test_compare_logical_long(run, first, second, pad, cc, equal_bytes):
    l1, l2 = len(first) // 2, len(second) // 2
    res = run(
        "0F24",
        regs={2: 0x2000, 3: l1, 4: 0x3000, 5: int(pad, 16) << 24 | l2},
        data={0x2000: first or "00", 0x3000: second or "00"},
    )
    assert res.cc == cc
    assert res.r(2) == 0x2000 + min(equal_bytes, l1)
    assert res.r(3) == l1 - min(equal_bytes, l1)
    assert res.r(4) == 0x3000 + min(equal_bytes, l2)


# ------------------------------------------------------------------ characters under mask
def test_insert_characters_under_mask(run):
    # ICM 2,B'1010',0(13): bytes 0 and 2 from X'8001'; CC 1 (leftmost inserted bit 1)
    res = run("BF2AD000", regs={2: 0x11223344, 13: 0x2000}, data={0x2000: "8001"})
    assert res.r(2) == 0x80220144 and res.cc == 1
    res = run("BF2FD000", regs={13: 0x2000}, data={0x2000: "00000000"})
    assert res.cc == 0
    res = run("BF23D000", regs={13: 0x2000}, data={0x2000: "0180"})
    assert res.r(2) == 0x0180 and res.cc == 2
    res = run("BF20D000", regs={2: 7, 13: 0x2000})  # mask 0: CC 0, nothing inserted
    assert res.r(2) == 7 and res.cc == 0


def test_store_and_compare_characters_under_mask(run):
    res = run("BE25D000", regs={2: 0x11223344, 13: 0x2000}, data={0x2000: "FFFFFF"})
    assert res.mem(0x2000, 3) == bytes.fromhex("2244FF")
    res = run("BD2CD000", regs={2: 0x11220000, 13: 0x2000}, data={0x2000: "1122"})
    assert res.cc == 0
    res = run("BD2CD000", regs={2: 0x11220000, 13: 0x2000}, data={0x2000: "1123"})
    assert res.cc == 1
    res = run("BD28D000", regs={2: 0x90000000, 13: 0x2000}, data={0x2000: "80"})
    assert res.cc == 2
    # the leftmost unequal byte decides: X'11FF' is low against X'1200'
    res = run("BD2CD000", regs={2: 0x11FF0000, 13: 0x2000}, data={0x2000: "1200"})
    assert res.cc == 1
    # STCM 2,B'1001': bytes 0 and 3, stored next to each other; CLM of them equal
    res = run("BE29D000 BD29D000", regs={2: 0xA1B2C3D4, 13: 0x2000}, data={0x2000: "000000"})
    assert res.mem(0x2000, 3) == bytes.fromhex("A1D400") and res.cc == 0


# ------------------------------------------------------------------ CS CDS TS LM STM
def test_compare_and_swap(run, cpu_module):
    res = run("BA24D000", regs={2: 5, 4: 9, 13: 0x2000}, data={0x2000: "00000005"})
    assert res.cc == 0 and res.mem(0x2000, 4) == bytes.fromhex("00000009")
    res = run("BA24D000", regs={2: 6, 4: 9, 13: 0x2000}, data={0x2000: "00000005"})
    assert res.cc == 1 and res.r(2) == 5 and res.mem(0x2000, 4) == bytes.fromhex("00000005")
    res = run("BA24D002", regs={13: 0x2000})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6


def test_compare_double_and_swap(run, cpu_module):
    res = run(
        "BB24D000", regs={2: 1, 3: 2, 4: 7, 5: 8, 13: 0x2000}, data={0x2000: "0000000100000002"}
    )
    assert res.cc == 0 and res.mem(0x2000, 8) == bytes.fromhex("0000000700000008")
    res = run("BB24D000", regs={2: 1, 3: 3, 13: 0x2000}, data={0x2000: "0000000100000002"})
    assert res.cc == 1 and (res.r(2), res.r(3)) == (1, 2)
    res = run("BB34D000", regs={13: 0x2000})
    assert res.code == 6 and res.reason == cpu_module.EXIT_PROGRAM


def test_test_and_set(run):
    res = run("9300D000 9300D000", regs={13: 0x2000}, data={0x2000: "00"})
    assert res.cc == 1 and res.mem(0x2000, 1) == b"\xff"
    res = run("9300D000", regs={13: 0x2000}, data={0x2000: "7F"})
    assert res.cc == 0


def test_load_and_store_multiple_wrap_around(run):
    # STM 14,1,0(13) stores R14 R15 R0 R1; LM 2,3,0(13) loads the first two
    res = run("90E1D000 9823D000", regs={14: 14, 15: 15, 0: 100, 1: 101, 13: 0x2000})
    assert res.mem(0x2000, 16) == bytes.fromhex("0000000E0000000F0000006400000065")
    assert (res.r(2), res.r(3)) == (14, 15)


def test_set_program_mask(run):
    # SPM 2 with R2 = X'2A......': CC 2, program mask A
    res = run("0420", regs={2: 0x2A000000})
    assert res.cc == 2
    assert res.cpu.get_psw()[4] & 0x3F == 0x2A


# ------------------------------------------------------------------ access exceptions
def test_addressing_exception_nothing_stored(run, cpu_module):
    # ST 2,0(13) beyond a 64K storage
    res = run("5020D000", regs={13: 0x10000, 2: 1})
    assert (res.reason, res.code, res.ilc) == (cpu_module.EXIT_PROGRAM, 5, 2)
    # MVC whose second operand crosses the end: the first operand is unchanged
    res = run("D20720003000", regs={2: 0x2000, 3: 0xFFFC}, data={0x2000: "AAAAAAAAAAAAAAAA"})
    assert res.code == 5 and res.mem(0x2000, 8) == b"\xaa" * 8


def test_operation_exception(run, cpu_module):
    res = run("0000")
    assert (res.reason, res.code, res.ilc) == (cpu_module.EXIT_PROGRAM, 1, 1)
    assert res.cpu.ia == 0x1002
    res = run("E0000000 0000")  # unassigned 6-byte opcode
    assert (res.code, res.ilc, res.cpu.ia) == (1, 3, 0x1006)


def test_compare_logical_long_accesses_only_what_it_compares(run, cpu_module):
    # the second operand runs past the end of storage, but the operands differ
    # in the first byte: no addressing exception
    res = run("0F24", regs={2: 0x2000, 3: 4, 4: 0xFFF0, 5: 0x1000}, data={0xFFF0: "FF"})
    assert res.reason == cpu_module.EXIT_DIAG and res.cc == 1
    # equal up to the end of storage: the next block is inaccessible
    res = run("0F24", regs={2: 0xFFF0, 3: 0x20, 4: 0xFFF0, 5: 0x20})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 5
