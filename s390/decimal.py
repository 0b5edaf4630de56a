"""Decimal (packed and zoned) instructions of the commercial instruction set.

Source: IBM System/370 Principles of Operation, GA22-7000, chapter 8
("Decimal Instructions"). The CPU decodes the instruction, checks access to
both operands and then calls one function here. Each function returns:

* 0..3   the condition code (operations without a CC return 0);
* < 0    a program interruption code, negated: -6 specification, -7 data,
         -0xB decimal divide. Nothing has been stored in that case (the
         architecture suppresses these operations).

Decimal overflow is *not* an interruption here: the truncated result is
stored and CC 3 is returned; the CPU raises interruption code X'0A' when the
decimal-overflow bit of the PSW program mask is one (GA22-7000, "Decimal
Overflow Exception": the operation is completed).

Packed format (GA22-7000 "Decimal Number Representation"): two digits per
byte, the rightmost four bits are the sign. Digit codes 0-9; sign codes
A C E F are plus, B D minus; C and D are the preferred codes the machine
generates. A field of L bytes holds 2L-1 digits (up to 31 in 16 bytes).

Values are held as unsigned 128-bit magnitudes (``u128`` in decimal.pxd,
GCC's ``unsigned __int128``; a plain Python int when uncompiled): 10**31 is
below 2**104, so sums, the products MP allows and the dividends of DP all fit
without loss. Every byte address wraps at 2**24 (24-bit addressing).
"""

PLUS_SIGN = 0xC  # preferred plus sign code
MINUS_SIGN = 0xD  # preferred minus sign code
ADDR_MASK = 0xFFFFFF  # 24-bit address wrap
PGM_SPECIFICATION = -6
PGM_DATA = -7
PGM_DECIMAL_DIVIDE = -0xB


def int64_minimum():
    """-(2**63), formed without a literal that C would read as unsigned."""
    quarter = 1 << 62
    return -quarter - quarter


CVB_INVALID = int64_minimum()  # -(2**63): CVB saw invalid data


# ----------------------------------------------------------------- fields


def pow10(n):
    """10**n as an unsigned 128-bit value (n <= 38)."""
    v = 1
    for i in range(n):
        v = v * 10
    return v


def field_byte(mem, addr, i):
    """Byte ``i`` of the field starting at ``addr``, with 24-bit wrap."""
    return mem[(addr + i) & ADDR_MASK]


def digit_count(length):
    """Digits a packed field of ``length`` bytes holds."""
    return 2 * length - 1


def is_valid_packed(mem, addr, length):
    """1 when every digit code is 0-9 and the sign code is A-F."""
    for i in range(length):
        b = field_byte(mem, addr, i)
        if (b >> 4) > 9:
            return 0
        if i == length - 1:
            if (b & 0xF) < 10:
                return 0
        elif (b & 0xF) > 9:
            return 0
    return 1


def is_minus_code(code):
    """Sign codes B and D are minus; A, C, E, F are plus."""
    return code == 0xB or code == 0xD


def is_negative(mem, addr, length):
    return is_minus_code(field_byte(mem, addr, length - 1) & 0xF)


def magnitude(mem, addr, length):
    """The unsigned value of a (valid) packed field."""
    v = 0
    for i in range(length):
        b = field_byte(mem, addr, i)
        v = v * 10 + (b >> 4)
        if i != length - 1:
            v = v * 10 + (b & 0xF)
    return v


def store_packed(mem, addr, length, value, negative):
    """Store the low 2L-1 digits of ``value`` with a preferred sign code."""
    b = (value % 10) << 4
    value = value // 10
    if negative:
        b = b | MINUS_SIGN
    else:
        b = b | PLUS_SIGN
    mem[(addr + length - 1) & ADDR_MASK] = b
    i = length - 2
    while i >= 0:
        lo = value % 10
        value = value // 10
        hi = value % 10
        value = value // 10
        mem[(addr + i) & ADDR_MASK] = (hi << 4) | lo
        i -= 1


def store_result(mem, addr, length, value, negative):
    """Store a signed arithmetic result and return its condition code:
    0 zero, 1 less than zero, 2 greater than zero, 3 overflow. A zero
    result is made positive unless overflow lost its nonzero high digits
    (GA22-7000, ADD DECIMAL: "a zero sum is always positive")."""
    limit = pow10(digit_count(length))
    if value >= limit:
        store_packed(mem, addr, length, value % limit, negative)
        return 3
    if value == 0:
        store_packed(mem, addr, length, value, 0)
        return 0
    store_packed(mem, addr, length, value, negative)
    if negative:
        return 1
    return 2


# ----------------------------------------------------------------- arithmetic


def add_signed(mem, a1, l1, a2, l2, subtract):
    """AP and SP: first operand = first operand +/- second operand."""
    if not is_valid_packed(mem, a1, l1) or not is_valid_packed(mem, a2, l2):
        return PGM_DATA
    m1 = magnitude(mem, a1, l1)
    n1 = is_negative(mem, a1, l1)
    m2 = magnitude(mem, a2, l2)
    n2 = is_negative(mem, a2, l2)
    if subtract:
        n2 = 1 - n2
    if n1 == n2:
        return store_result(mem, a1, l1, m1 + m2, n1)
    if m1 >= m2:
        return store_result(mem, a1, l1, m1 - m2, n1)
    return store_result(mem, a1, l1, m2 - m1, n2)


def ap(mem, a1, l1, a2, l2):
    """ADD DECIMAL (X'FA')."""
    return add_signed(mem, a1, l1, a2, l2, 0)


def sp(mem, a1, l1, a2, l2):
    """SUBTRACT DECIMAL (X'FB')."""
    return add_signed(mem, a1, l1, a2, l2, 1)


def zap(mem, a1, l1, a2, l2):
    """ZERO AND ADD (X'F8'): only the second operand is checked for valid
    codes; the first operand's old contents are ignored."""
    if not is_valid_packed(mem, a2, l2):
        return PGM_DATA
    return store_result(mem, a1, l1, magnitude(mem, a2, l2), is_negative(mem, a2, l2))


def cp(mem, a1, l1, a2, l2):
    """COMPARE DECIMAL (X'F9'): CC 0 equal, 1 first low, 2 first high.
    Plus zero and minus zero compare equal. Nothing is stored."""
    if not is_valid_packed(mem, a1, l1) or not is_valid_packed(mem, a2, l2):
        return PGM_DATA
    m1 = magnitude(mem, a1, l1)
    m2 = magnitude(mem, a2, l2)
    n1 = 0
    n2 = 0
    if m1 != 0:
        n1 = is_negative(mem, a1, l1)
    if m2 != 0:
        n2 = is_negative(mem, a2, l2)
    if m1 == m2 and n1 == n2:
        return 0
    if n1 != n2:
        return 1 if n1 else 2
    if (m1 < m2) != (n1 != 0):
        return 1
    return 2


def mp(mem, a1, l1, a2, l2):
    """MULTIPLY DECIMAL (X'FC'). Specification exception when the multiplier
    is longer than 8 bytes or not shorter than the multiplicand; data
    exception when the multiplicand lacks as many leftmost zero bytes as the
    multiplier has bytes. The product sign follows algebra even for zero."""
    if l2 > 8 or l2 >= l1:
        return PGM_SPECIFICATION
    if not is_valid_packed(mem, a1, l1) or not is_valid_packed(mem, a2, l2):
        return PGM_DATA
    for i in range(l2):
        if field_byte(mem, a1, i) != 0:
            return PGM_DATA
    product = magnitude(mem, a1, l1) * magnitude(mem, a2, l2)
    store_packed(mem, a1, l1, product, is_negative(mem, a1, l1) != is_negative(mem, a2, l2))
    return 0


def dp(mem, a1, l1, a2, l2):
    """DIVIDE DECIMAL (X'FD'): quotient in the leftmost L1-L2 bytes, remainder
    in the rightmost L2 bytes of the first operand. Decimal-divide exception
    for a zero divisor or a quotient too long for its field. The quotient
    sign follows algebra, the remainder has the dividend's sign, even when
    zero."""
    if l2 > 8 or l2 >= l1:
        return PGM_SPECIFICATION
    if not is_valid_packed(mem, a1, l1) or not is_valid_packed(mem, a2, l2):
        return PGM_DATA
    dividend = magnitude(mem, a1, l1)
    divisor = magnitude(mem, a2, l2)
    if divisor == 0:
        return PGM_DECIMAL_DIVIDE
    quotient = dividend // divisor
    if quotient >= pow10(digit_count(l1 - l2)):
        return PGM_DECIMAL_DIVIDE
    remainder = dividend % divisor
    n1 = is_negative(mem, a1, l1)
    n2 = is_negative(mem, a2, l2)
    store_packed(mem, a1, l1 - l2, quotient, n1 != n2)
    store_packed(mem, a1 + l1 - l2, l2, remainder, n1)
    return 0


def srp(mem, a1, l1, shift, rnd):
    """SHIFT AND ROUND DECIMAL (X'F0'). ``shift`` is the signed 6-bit amount
    (bits 26-31 of the second-operand address): positive shifts left, with
    decimal overflow when nonzero digits are lost; negative shifts right,
    adding the rounding digit ``rnd`` (I3) to the leftmost digit shifted
    out. A rounding digit above 9 is a data exception, as an invalid digit
    of the first operand is (Hercules 3.13 agrees). CC as for ADD DECIMAL."""
    if not is_valid_packed(mem, a1, l1) or rnd > 9:
        return PGM_DATA
    value = magnitude(mem, a1, l1)
    negative = is_negative(mem, a1, l1)
    digits = digit_count(l1)
    if shift >= 0:
        if value == 0:
            return store_result(mem, a1, l1, value, negative)
        lost = 1
        if shift < digits:
            lost = value >= pow10(digits - shift)
            value = (value % pow10(digits - shift)) * pow10(shift)
        else:
            value = 0
        if lost:
            store_packed(mem, a1, l1, value, negative)
            return 3
        return store_result(mem, a1, l1, value, negative)
    right = -shift
    value = (value + rnd * pow10(right - 1)) // pow10(right)
    return store_result(mem, a1, l1, value, negative)


# ----------------------------------------------------------------- format conversion


def pack(mem, a1, l1, a2, l2):
    """PACK (X'F2'): zoned to packed, right to left one byte at a time (so
    overlapping fields behave as the architecture describes). The rightmost
    byte has its halves exchanged; then the numeric halves of pairs of
    second-operand bytes; zeros when the second operand is exhausted. Codes
    are not checked."""
    i1 = l1 - 1
    i2 = l2 - 1
    b = field_byte(mem, a2, i2)
    mem[(a1 + i1) & ADDR_MASK] = ((b << 4) | (b >> 4)) & 0xFF
    i1 -= 1
    i2 -= 1
    while i1 >= 0:
        lo = 0
        hi = 0
        if i2 >= 0:
            lo = field_byte(mem, a2, i2) & 0xF
            i2 -= 1
        if i2 >= 0:
            hi = field_byte(mem, a2, i2) & 0xF
            i2 -= 1
        mem[(a1 + i1) & ADDR_MASK] = (hi << 4) | lo
        i1 -= 1
    return 0


def unpk(mem, a1, l1, a2, l2):
    """UNPACK (X'F3'): packed to zoned, right to left. The rightmost byte
    has its halves exchanged; every other digit gets the zone X'F'; X'F0'
    fills when the second operand is exhausted. Codes are not checked."""
    i1 = l1 - 1
    i2 = l2 - 1
    b = field_byte(mem, a2, i2)
    mem[(a1 + i1) & ADDR_MASK] = ((b << 4) | (b >> 4)) & 0xFF
    i1 -= 1
    i2 -= 1
    while i1 >= 0:
        b = 0
        if i2 >= 0:
            b = field_byte(mem, a2, i2)
            i2 -= 1
        mem[(a1 + i1) & ADDR_MASK] = 0xF0 | (b & 0xF)
        i1 -= 1
        if i1 >= 0:
            mem[(a1 + i1) & ADDR_MASK] = 0xF0 | (b >> 4)
            i1 -= 1
    return 0


def mvo(mem, a1, l1, a2, l2):
    """MOVE WITH OFFSET (X'F1'): the second operand is placed to the left of
    the rightmost four bits of the first operand, right to left, padded with
    zeros or truncated on the left."""
    i1 = l1 - 1
    i2 = l2 - 1
    b = field_byte(mem, a2, i2)
    carry = b >> 4
    mem[(a1 + i1) & ADDR_MASK] = ((b & 0xF) << 4) | (field_byte(mem, a1, i1) & 0xF)
    i1 -= 1
    i2 -= 1
    while i1 >= 0:
        b = 0
        if i2 >= 0:
            b = field_byte(mem, a2, i2)
            i2 -= 1
        mem[(a1 + i1) & ADDR_MASK] = ((b & 0xF) << 4) | carry
        carry = b >> 4
        i1 -= 1
    return 0


def cvb(mem, addr):
    """CONVERT TO BINARY (X'4F'): the signed value of the 8-byte packed field
    at ``addr``, or CVB_INVALID on invalid codes (data exception). The CPU
    recognizes fixed-point divide when the value does not fit 32 bits."""
    if not is_valid_packed(mem, addr, 8):
        return CVB_INVALID
    value = magnitude(mem, addr, 8)
    signed_value = value
    if is_negative(mem, addr, 8):
        return -signed_value
    return signed_value


def cvd(mem, addr, value):
    """CONVERT TO DECIMAL (X'4E'): the signed 32-bit ``value`` as 15 packed
    digits with a preferred sign in the 8 bytes at ``addr``."""
    amount = value
    if amount < 0:
        store_packed(mem, addr, 8, -amount, 1)
    else:
        store_packed(mem, addr, 8, amount, 0)


# ----------------------------------------------------------------- edit

ED_DIGIT_SELECTOR = 0x20
ED_SIGNIFICANCE_STARTER = 0x21
ED_FIELD_SEPARATOR = 0x22


def edit(mem, a1, length, a2, mark):
    """EDIT (X'DE', ``mark`` 0) and EDIT AND MARK (X'DF', ``mark`` 1), left
    to right (GA22-7000 "Edit"): each pattern byte is replaced as it is
    examined. Returns cc | (markaddr_plus1 << 2): markaddr_plus1 is one more
    than the address of the result byte where a nonzero digit last turned on
    the significance indicator (EDMK puts that address in GR1), or 0.

    A digit code A-F in a digit position is a data exception that ends the
    operation there: -7 is returned and the result bytes before it stay
    stored (the operation is terminated, not suppressed; Hercules 3.13 does
    the same). This is the one exception to "nothing is stored"."""
    rc = edit_with_mark(mem, a1, length, a2, mark)
    if rc < 0:
        return PGM_DATA
    return rc


def edmk(mem, a1, length, a2):
    """EDIT AND MARK reporting the mark also when a data exception ends the
    operation: as ``edit(..., 1)``, except that a data exception returns
    -(7 | (markaddr_plus1 << 8)), so the CPU can put into GR1 the address
    Hercules 3.13 has already put there (code = (-rc) & 0xFF, mark =
    (-rc) >> 8). An additive entry point: ``edit`` keeps its contract."""
    return edit_with_mark(mem, a1, length, a2, 1)


def edit_with_mark(mem, a1, length, a2, mark):
    """The edit itself; on a data exception -(7 | (markaddr_plus1 << 8))."""
    fill = field_byte(mem, a1, 0)
    significance = 0
    nonzero = 0  # a nonzero digit since the last field separator
    src = 0  # offset of the next source byte
    pending = -1  # right-hand digit not yet used, or -1
    mark_plus1 = 0
    for i in range(length):
        p = field_byte(mem, a1, i)
        result = p
        if p == ED_DIGIT_SELECTOR or p == ED_SIGNIFICANCE_STARTER:
            sign_seen_plus = 0
            if pending >= 0:
                d = pending
                pending = -1
            else:
                b = field_byte(mem, a2, src)
                src += 1
                d = b >> 4
                if d > 9:
                    mark_so_far = mark_plus1
                    return -(-PGM_DATA | (mark_so_far << 8))
                right = b & 0xF
                if right > 9:
                    sign_seen_plus = not is_minus_code(right)
                else:
                    pending = right
            if d != 0:
                nonzero = 1
            if d != 0 or significance:
                if not significance and mark:
                    mark_plus1 = ((a1 + i) & ADDR_MASK) + 1
                result = 0xF0 | d
                significance = 1
            else:
                result = fill
                if p == ED_SIGNIFICANCE_STARTER:
                    significance = 1
            if sign_seen_plus:
                significance = 0
        elif p == ED_FIELD_SEPARATOR:
            result = fill
            significance = 0
            nonzero = 0
        elif not significance:
            result = fill
        mem[(a1 + i) & ADDR_MASK] = result
    cc = 0
    if nonzero:
        cc = 1 if significance else 2
    return cc | (mark_plus1 << 2)
