"""s390.decimal against tables written from GA22-7000 chapter 8 (each row
was also run on Hercules 3.13 by tests/s390/diff/confirm_tables.py and agrees).
Every test runs on the compiled module (when built) and on the pure .py."""

import importlib

import pytest

from s390 import purepy

A1 = 0x100  # first operand
A2 = 0x200  # second operand


def _builds():
    builds = [pytest.param(purepy.load_pure("s390.decimal"), id="pure")]
    compiled = importlib.import_module("s390.decimal")
    if purepy.is_compiled(compiled):
        builds.insert(0, pytest.param(compiled, id="compiled"))
    return builds


@pytest.fixture(params=_builds())
def dec(request):
    return request.param


def storage(op1, op2=""):
    mem = bytearray(0x1000)
    b1 = bytes.fromhex(op1)
    b2 = bytes.fromhex(op2)
    mem[A1 : A1 + len(b1)] = b1
    mem[A2 : A2 + len(b2)] = b2
    return mem, len(b1), len(b2)


# (mnemonic, first operand, second operand, first operand after, return)
# return: CC 0-3, or -6 specification, -7 data, -0xB decimal divide (then
# the first operand must be unchanged).
SS2_ROWS = [
    # ADD DECIMAL: algebraic sum, preferred signs, positive zero, CC 3 on overflow
    ("AP", "12345C", "999D", "11346C", 2),
    ("AP", "012F", "3A", "015C", 2),
    ("AP", "0C", "0D", "0C", 0),
    ("AP", "1D", "1C", "0C", 0),
    ("AP", "005D", "7D", "012D", 1),
    ("AP", "999C", "1C", "000C", 3),  # overflow: the zero keeps the sum's sign
    ("AP", "999D", "1D", "000D", 3),
    ("AP", "99999C", "99999C", "99998C", 3),
    ("AP", "0123", "1C", "0123", -7),  # sign code 3 is not a sign
    ("AP", "1A2C", "1C", "1A2C", -7),  # digit code A is not a digit
    ("AP", "1C", "1B", "0C", 0),  # B is minus
    (
        "AP",
        "9999999999999999999999999999999C",
        "1C",
        "0000000000000000000000000000000C",
        3,
    ),  # 31 digits
    # SUBTRACT DECIMAL
    ("SP", "5C", "7C", "2D", 1),
    ("SP", "12345C", "12345C", "00000C", 0),
    ("SP", "12345D", "12345C", "24690D", 1),
    ("SP", "001F", "1D", "002C", 2),
    ("SP", "999D", "1C", "000D", 3),
    ("SP", "1C", "1E", "0C", 0),  # E is plus
    # ZERO AND ADD: the first operand is not checked
    ("ZAP", "ABCDEF", "012D", "00012D", 1),
    ("ZAP", "000000", "0D", "00000C", 0),
    ("ZAP", "345C", "12345C", "345C", 3),
    ("ZAP", "0000", "00000F", "000C", 0),
    ("ZAP", "0000", "1F", "001C", 2),
    ("ZAP", "0000", "1A2C", "0000", -7),
    # COMPARE DECIMAL: nothing stored, +0 equals -0
    ("CP", "0C", "0D", "0C", 0),
    ("CP", "1C", "2C", "1C", 1),
    ("CP", "2D", "1D", "2D", 1),
    ("CP", "1C", "1D", "1C", 2),
    ("CP", "00012C", "012F", "00012C", 0),
    ("CP", "1D", "0C", "1D", 1),
    ("CP", "12", "1C", "12", -7),
    # MULTIPLY DECIMAL
    ("MP", "0001234C", "5D", "0006170D", 0),
    ("MP", "0000000C", "5D", "0000000D", 0),  # the sign of a zero product is algebraic
    ("MP", "00000000999C", "999D", "00000998001D", 0),
    ("MP", "01234C", "5C", "01234C", -7),  # needs one leading zero byte per multiplier byte
    ("MP", "0001234C", "001C", "0001234C", -7),
    ("MP", "0001234C", "0000001C", "0001234C", -6),  # L2 >= L1
    ("MP", "0000000000000000001C", "00000000000000001C", "0000000000000000001C", -6),  # L2 > 8
    ("MP", "0001234C", "A1", "0001234C", -7),
    # DIVIDE DECIMAL: quotient in L1-L2 bytes then remainder in L2 bytes
    ("DP", "000012345C", "2C", "0006172C1C", 0),
    ("DP", "012345678C", "321D", "38460D018C", 0),
    ("DP", "012345678D", "321D", "38460C018D", 0),  # remainder keeps the dividend's sign
    ("DP", "000000000D", "7C", "0000000D0D", 0),
    ("DP", "000012345C", "0C", "000012345C", -0xB),  # zero divisor
    ("DP", "99999C", "1C", "99999C", -0xB),  # quotient too long
    ("DP", "0099999C", "1C", "99999C0C", 0),
    ("DP", "12345C", "000C1C", "12345C", -6),  # L2 >= L1
    ("DP", "000012345C", "2A2C", "000012345C", -7),
    # PACK / UNPACK / MOVE WITH OFFSET: codes are not checked
    ("PACK", "000000", "F1F2F3C4", "01234C", 0),
    ("PACK", "0000", "F1F2F3F4F5C6", "456C", 0),
    ("PACK", "00000000", "C5", "0000005C", 0),
    ("PACK", "0000", "ABCDEF", "BDFE", 0),
    ("UNPK", "0000000000", "01234C", "F0F1F2F3C4", 0),
    ("UNPK", "000000", "12345D", "F3F4D5", 0),
    ("UNPK", "00", "7F", "F7", 0),
    ("MVO", "7788990C", "123456", "0123456C", 0),
    ("MVO", "0000000F", "12", "0000012F", 0),
    ("MVO", "999F", "12345678", "678F", 0),
]


@pytest.mark.parametrize(
    "mn,op1,op2,after,rc", SS2_ROWS, ids=["%s-%s-%s" % (r[0], r[1], r[2]) for r in SS2_ROWS]
)
def test_ss2_table(dec, mn, op1, op2, after, rc):
    mem, l1, l2 = storage(op1, op2)
    got = getattr(dec, mn.lower())(mem, A1, l1, A2, l2)
    assert got == rc
    assert mem[A1 : A1 + l1].hex().upper() == after.upper()
    assert mem[A2 : A2 + l2].hex().upper() == op2.upper()


# SHIFT AND ROUND DECIMAL: (first operand, shift amount, rounding digit,
# result, return); a negative amount shifts right with rounding.
SRP_ROWS = [
    ("0012345C", 2, 0, "1234500C", 2),
    ("1234567C", 2, 0, "3456700C", 3),  # nonzero digits lost: overflow
    ("1234567D", 2, 0, "3456700D", 3),
    ("1234567C", -2, 5, "0012346C", 2),
    ("1234567C", -2, 0, "0012345C", 2),
    ("0000005D", -1, 5, "0000001D", 1),
    ("0000004D", -1, 5, "0000000C", 0),  # a zero result is positive
    ("0000000D", 3, 0, "0000000C", 0),
    ("9999999C", -1, 5, "1000000C", 2),
    ("9999999C", -32, 9, "0000000C", 0),
    ("1234567C", 31, 0, "0000000C", 3),
    ("0000001F", 6, 0, "1000000C", 2),
    ("0000001F", 7, 0, "0000000C", 3),
    ("0000001F", 0, 9, "0000001C", 2),
    ("1234567C", -2, 10, "1234567C", -7),  # the rounding digit must be a digit
    ("12345670", 1, 0, "12345670", -7),
]


@pytest.mark.parametrize("op1,shift,rnd,after,rc", SRP_ROWS)
def test_srp_table(dec, op1, shift, rnd, after, rc):
    mem, l1, _ = storage(op1)
    assert dec.srp(mem, A1, l1, shift, rnd) == rc
    assert mem[A1 : A1 + l1].hex().upper() == after


# EDIT / EDIT AND MARK: (pattern, source, result, CC, offset of the mark or None)
ED_ROWS = [
    # GA22-7000's example: 2,574.26 with and without a minus sign
    ("4020206B2021204B202040C3D9", "0257426C", "4040F26BF5F7F44BF2F6404040", 2, 2),
    ("4020206B2021204B202040C3D9", "0257426D", "4040F26BF5F7F44BF2F640C3D9", 1, 2),
    ("4020206B2021204B202040C3D9", "0000000C", "404040404040F04BF0F0404040", 0, None),
    ("4020206B2021204B202040C3D9", "0000012D", "404040404040F04BF1F240C3D9", 1, None),
    ("5C2020212020", "00000C", "5C5C5C5CF0F0", 0, None),  # fill '*', the starter forces 0.00
    ("5C2020202021", "00000C", "5C5C5C5C5C5C", 0, None),  # starter on the last digit: too late
    ("40202120", "001C", "404040F1", 2, None),  # significance came from the starter
    ("40202120", "001D", "404040F1", 1, None),
    ("40202020", "010C", "4040F1F0", 2, 2),
    ("402022212021", "1C002D", "40F14040F0F2", 1, 1),  # separator: CC from the last field
    ("4020222021", "1C000D", "40F1404040", 0, 1),
    ("21202020", "1234", "F1F2F3F4", 1, 0),  # the fill byte is a starter too
    ("21202020", "0012", "21F0F1F2", 1, None),
    ("4020202020", "12A4", "40F1F22020", -7, None),  # digit A: data exception ends it
]


@pytest.mark.parametrize("pattern,source,result,cc,mark", ED_ROWS)
@pytest.mark.parametrize("edmk", [0, 1])
def test_edit_table(dec, pattern, source, result, cc, mark, edmk):
    mem, l1, _ = storage(pattern, source)
    rc = dec.edit(mem, A1, l1, A2, edmk)
    assert mem[A1 : A1 + l1].hex().upper() == result
    if cc < 0:
        assert rc == cc
        return
    assert rc & 3 == cc
    expected_mark = 0 if (mark is None or not edmk) else A1 + mark + 1
    assert rc >> 2 == expected_mark


def test_edit_data_exception_keeps_the_bytes_already_edited(dec):
    """Invalid digit after significant ones: the operation ends there and
    the result bytes before it stay stored (Hercules does the same)."""
    mem, l1, _ = storage("40202020202020", "12C4")
    assert dec.edit(mem, A1, l1, A2, 1) == -7
    assert mem[A1 : A1 + l1].hex().upper() == "40F1F220202020"


CVB_ROWS = [
    ("000000000000025F", 25),
    ("000000000000025D", -25),
    ("000002147483647C", 2147483647),
    ("000002147483648D", -2147483648),
    ("000002147483648C", 2147483648),  # too big: the CPU raises fixed-point divide
    ("999999999999999D", -999999999999999),
    ("000000000000000D", 0),
    ("00000000000000A5", None),
    ("0000000000000002", None),
]


@pytest.mark.parametrize("field,value", CVB_ROWS)
def test_cvb_table(dec, field, value):
    mem, _, _ = storage(field)
    expected = -(1 << 63) if value is None else value
    assert dec.cvb(mem, A1) == expected


@pytest.mark.parametrize(
    "value,field",
    [
        (25, "000000000000025C"),
        (-25, "000000000000025D"),
        (0, "000000000000000C"),
        (2147483647, "000002147483647C"),
        (-2147483648, "000002147483648D"),
        (-1, "000000000000001D"),
    ],
)
def test_cvd_table(dec, value, field):
    mem, _, _ = storage("FF" * 8)
    dec.cvd(mem, A1, value)
    assert mem[A1 : A1 + 8].hex().upper() == field


def test_add_with_overlapping_fields_uses_the_original_operands(dec):
    """AP X(3),X(3): both operands fetched before the result is stored."""
    mem, _, _ = storage("12345C")
    assert dec.ap(mem, A1, 3, A1, 3) == 2
    assert mem[A1 : A1 + 3].hex().upper() == "24690C"


def test_addresses_wrap_at_16_megabytes(dec):
    mem = bytearray(1 << 24)
    mem[0xFFFFFF] = 0x12
    mem[0] = 0x3C
    mem[0x100] = 0x1C
    assert dec.ap(mem, 0xFFFFFF, 2, 0x100, 1) == 2
    assert (mem[0xFFFFFF], mem[0]) == (0x12, 0x4C)


def test_pack_overlapping_same_field_byte_by_byte(dec):
    """PACK X(3),X(3): right to left, each result byte stored as formed."""
    mem, _, _ = storage("F1F2C3")
    assert dec.pack(mem, A1, 3, A1, 3) == 0
    assert mem[A1 : A1 + 3].hex().upper() == "00123C"


# ----------------------------------------------------------------- properties
# Valid packed operands against a reference written with signed Python ints.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: the ``dec`` fixture is a module, the same for every example
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

PLUS_CODES = (0xA, 0xC, 0xE, 0xF)
MINUS_CODES = (0xB, 0xD)


@st.composite
def packed(draw, min_len=1, max_len=16):
    length = draw(st.integers(min_len, max_len))
    magnitude = draw(st.integers(0, 10 ** (2 * length - 1) - 1))
    negative = draw(st.booleans())
    sign = draw(st.sampled_from(MINUS_CODES if negative else PLUS_CODES))
    text = "%0*d%X" % (2 * length - 1, magnitude, sign)
    return text, (-magnitude if negative else magnitude), length


def encode(value, length, negative=None):
    """Packed image of ``value`` truncated to the field, preferred sign."""
    if negative is None:
        negative = value < 0
    digits = abs(value) % 10 ** (2 * length - 1)
    return "%0*d%s" % (2 * length - 1, digits, "D" if negative else "C")


def reference_sum(total, length):
    """(first operand after, CC) of AP/SP/ZAP for the exact ``total``."""
    overflow = abs(total) >= 10 ** (2 * length - 1)
    truncated = abs(total) % 10 ** (2 * length - 1)
    negative = total < 0 and (truncated != 0 or overflow)
    cc = 3 if overflow else (0 if truncated == 0 else (1 if negative else 2))
    return encode(total, length, negative), cc


@PROPERTY
@given(a=packed(), b=packed(), op=st.sampled_from(("ap", "sp", "zap", "cp")))
def test_add_subtract_compare_match_integer_arithmetic(dec, a, b, op):
    (t1, v1, l1), (t2, v2, l2) = a, b
    mem, _, _ = storage(t1, t2)
    rc = getattr(dec, op)(mem, A1, l1, A2, l2)
    if op == "cp":
        assert rc == (0 if v1 == v2 else (1 if v1 < v2 else 2))
        return
    total = {"ap": v1 + v2, "sp": v1 - v2, "zap": v2}[op]
    after, cc = reference_sum(total, l1)
    assert (mem[A1 : A1 + l1].hex().upper(), rc) == (after, cc)


@PROPERTY
@given(a=packed(2, 16), b=packed(1, 8))
def test_multiply_and_divide_match_integer_arithmetic(dec, a, b):
    (t1, v1, l1), (t2, v2, l2) = a, b
    if l2 >= l1:
        return
    negative = (t1[-1] in "BD") != (t2[-1] in "BD")
    mem, _, _ = storage(t1, t2)
    rc = dec.mp(mem, A1, l1, A2, l2)
    if t1[: 2 * l2] != "0" * (2 * l2):
        assert rc == -7
    else:
        assert rc == 0
        assert mem[A1 : A1 + l1].hex().upper() == encode(abs(v1 * v2), l1, negative)
    mem, _, _ = storage(t1, t2)
    rc = dec.dp(mem, A1, l1, A2, l2)
    if v2 == 0 or abs(v1) // abs(v2) >= 10 ** (2 * (l1 - l2) - 1):
        assert rc == -0xB and mem[A1 : A1 + l1].hex().upper() == t1
    else:
        q, r = divmod(abs(v1), abs(v2))
        assert rc == 0
        assert mem[A1 : A1 + l1].hex().upper() == (
            encode(q, l1 - l2, negative) + encode(r, l2, t1[-1] in "BD")
        )


@PROPERTY
@given(a=packed(), shift=st.integers(-32, 31), rnd=st.integers(0, 9))
def test_shift_and_round_matches_integer_arithmetic(dec, a, shift, rnd):
    text, value, length = a
    mem, _, _ = storage(text)
    rc = dec.srp(mem, A1, length, shift, rnd)
    magnitude = abs(value)
    if shift >= 0:
        shifted = magnitude * 10**shift
    else:
        shifted = (magnitude + rnd * 10 ** (-shift - 1)) // 10 ** (-shift)
    after, cc = reference_sum(-shifted if value < 0 else shifted, length)
    assert (mem[A1 : A1 + length].hex().upper(), rc) == (after, cc)


@PROPERTY
@given(value=st.integers(-(2**31), 2**31 - 1))
def test_cvd_then_cvb_gives_the_value_back(dec, value):
    mem = bytearray(0x1000)
    dec.cvd(mem, A1, value)
    assert mem[A1 : A1 + 8].hex().upper() == encode(value, 8)
    assert dec.cvb(mem, A1) == value


@pytest.mark.parametrize("pattern,source,result,cc,mark", ED_ROWS)
def test_edmk_entry_agrees_with_edit(dec, pattern, source, result, cc, mark):
    mem, l1, _ = storage(pattern, source)
    other, _, _ = storage(pattern, source)
    rc = dec.edmk(mem, A1, l1, A2)
    if cc >= 0:
        assert rc == dec.edit(other, A1, l1, A2, 1)
    assert mem[A1 : A1 + l1].hex().upper() == result


def test_edmk_reports_the_mark_when_a_data_exception_ends_it(dec):
    """The first significant digit went to A1+1 before the bad digit C:
    Hercules has GR1 = A1+1 at the interruption; edmk says so."""
    mem, l1, _ = storage("40202020202020", "12C4")
    rc = dec.edmk(mem, A1, l1, A2)
    assert ((-rc) & 0xFF, (-rc) >> 8) == (7, A1 + 1 + 1)
    mem, l1, _ = storage("40202020202020", "00C4")  # nothing significant yet
    assert dec.edmk(mem, A1, l1, A2) == -7
