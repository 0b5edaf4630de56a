"""Hexadecimal floating-point instructions (floating-point feature and the
extended-precision feature of System/370).

Source: IBM System/370 Principles of Operation, GA22-7000, chapter 9
("Floating-Point Instructions"). Register images are 64-bit: bit 0 sign,
bits 1-7 characteristic (exponent + 64, a power of 16), bits 8-63 the
fraction (14 hex digits). Short operands use the left 32 bits (6 digits)
and leave the right half of the register unchanged. An extended operand is
a register pair (0-2 or 4-6): 28 digits, the low-order half carrying the same
sign and a characteristic 14 smaller (modulo 128).

Fractions are handled as unsigned integers of ``digits`` hex digits (value
fraction * 16**digits) in ``u128`` (GCC's unsigned __int128 when compiled, a
Python int otherwise); no host floating point is used anywhere, so every
result is the architecture's to the last bit.

The CPU calls ``float_rr`` / ``float_rx``; the result word is
    bits 0-3   new condition code, or 4 for "condition code unchanged",
    bits 8-15  program interruption code to recognise after the operation
               (0 none): 6 specification, X'C' exponent overflow, X'D'
               exponent underflow, X'E' significance, X'F' floating-point
               divide,
    bit 16     the operation was suppressed (registers unchanged).
``pgm_mask`` is the PSW program mask (2 exponent underflow, 1 significance).
"""

try:  # compile-time directives; a no-op shadow when
    import cython  # Cython is installed but the module runs uncompiled
except ImportError:  # pragma: no cover - no Cython at all
    from s390.purepy import cython_shadow as cython

if not cython.compiled:  # compiled, these are C (hfp.pxd): literals, a count of bits

    def bit_length(v):
        return v.bit_length()

    SHORT = 6  # fraction digits of each format
    LONG = 14
    EXTENDED = 28
    CC_UNCHANGED = 4
    SUPPRESSED = 0x10000
    PGM_OPERATION = 1
    PGM_SPECIFICATION = 6
    PGM_EXPONENT_OVERFLOW = 0xC
    PGM_EXPONENT_UNDERFLOW = 0xD
    PGM_SIGNIFICANCE = 0xE
    PGM_FP_DIVIDE = 0xF
    MASK_UNDERFLOW = 2  # PSW program mask bits
    MASK_SIGNIFICANCE = 1
    FRACTION56 = 0xFFFFFFFFFFFFFF
    LOW32 = 0xFFFFFFFF

    def whole(x):
        """``x``; compiled, stored as a whole doubleword (hfp.pxd)."""
        return x

    BIAS = 64  # excess-64 characteristic
    ONE = 1  # 1 as a u128, for shifts beyond 64 bits

    # Low four bits of the operation code (same in RR X'2x'/X'3x' and RX
    # X'6x'/X'7x'; GA22-7000 Appendix B).
    FN_LOAD_POSITIVE = 0x0
    FN_LOAD_NEGATIVE = 0x1
    FN_LOAD_AND_TEST = 0x2
    FN_LOAD_COMPLEMENT = 0x3
    FN_HALVE = 0x4
    FN_LOAD = 0x8
    FN_COMPARE = 0x9
    FN_ADD = 0xA
    FN_SUBTRACT = 0xB
    FN_MULTIPLY = 0xC
    FN_DIVIDE = 0xD
    FN_ADD_UNNORMALIZED = 0xE
    FN_SUBTRACT_UNNORMALIZED = 0xF

    OP_LRDR = 0x25
    OP_MXR = 0x26
    OP_MXDR = 0x27
    OP_LRER = 0x35
    OP_AXR = 0x36
    OP_SXR = 0x37
    OP_MXD = 0x67


# ----------------------------------------------------------------- register images


def sign_of(w):
    return w >> 63


def characteristic_of(w):
    return (w >> 56) & 0x7F


def fraction_of(w, digits):
    """The fraction of a short (left half) or long register image."""
    if digits == SHORT:
        return (w >> 32) & 0xFFFFFF
    return w & FRACTION56


def extended_fraction(fpr, r):
    """The 28-digit fraction of the register pair starting at ``r``."""
    hi = fpr[r >> 1] & FRACTION56
    lo = fpr[(r >> 1) + 1] & FRACTION56
    return (hi << 56) | lo


def long_image(sign, characteristic, fraction):
    w = sign
    c = characteristic & 0x7F
    return (w << 63) | (c << 56) | fraction


def store_fraction(fpr, r, digits, sign, characteristic, fraction):
    """Write a result of ``digits`` fraction digits into register ``r``.
    Short results replace only the left half of the register; extended
    results fill the pair (see store_extended)."""
    if digits == SHORT:
        w = long_image(sign, characteristic, fraction << 32)
        fpr[r >> 1] = whole((w & ~LOW32) | (fpr[r >> 1] & LOW32))
    elif digits == LONG:
        fpr[r >> 1] = long_image(sign, characteristic, fraction)
    else:
        store_extended(
            fpr,
            r,
            sign,
            characteristic,
            fraction,
            sign == 0 and characteristic == 0 and fraction == 0,
        )


def store_extended(fpr, r, sign, characteristic, fraction, true_zero):
    """Write an extended result to the pair at ``r``: a true zero clears
    both halves; any other result (a zero fraction kept with its
    characteristic by the significance mask included) gets a low-order
    characteristic 14 less, modulo 128."""
    if true_zero:
        fpr[r >> 1] = 0
        fpr[(r >> 1) + 1] = 0
    else:
        fpr[r >> 1] = long_image(sign, characteristic, fraction >> 56)
        fpr[(r >> 1) + 1] = long_image(sign, characteristic - 14, fraction & FRACTION56)


def top_digit_limit(digits):
    """16**(digits-1): a fraction of ``digits`` digits is normalized when it
    is at least this."""
    return ONE << (4 * digits - 4)


def leading_zero_digits(fraction, digits):
    """How many hex digits a nonzero fraction must move left to normalize:
    its leftmost nonzero digit is digit (bit length - 1) // 4 from the right."""
    n = digits - 1 - (bit_length(fraction) - 1) // 4
    return n if n > 0 else 0


def condition_code(sign, fraction):
    """CC of a floating-point result: 0 zero fraction, 1 minus, 2 plus."""
    if fraction == 0:
        return 0
    if sign:
        return 1
    return 2


def finish(fpr, r, digits, sign, characteristic, fraction, pgm_mask, set_cc):
    """Store a normalized-or-final result, applying exponent overflow (the
    characteristic wraps, interruption X'C') and exponent underflow
    (wraps with interruption X'D' when the mask bit is one, else a true
    zero) as GA22-7000 "Exponent-Overflow/Underflow Exception" define."""
    code = 0
    if characteristic > 127:
        code = PGM_EXPONENT_OVERFLOW
    elif characteristic < 0:
        if pgm_mask & MASK_UNDERFLOW:
            code = PGM_EXPONENT_UNDERFLOW
        else:
            sign = 0
            characteristic = 0
            fraction = 0
    store_fraction(fpr, r, digits, sign, characteristic & 0x7F, fraction)
    cc = CC_UNCHANGED
    if set_cc:
        cc = condition_code(sign, fraction)
    return cc | (code << 8)


def significance_result(fpr, r, digits, characteristic, pgm_mask):
    """A zero intermediate sum: with the significance mask one the
    characteristic is kept and interruption X'E' follows; otherwise the
    result is a true zero. The sign of a zero sum is plus."""
    if pgm_mask & MASK_SIGNIFICANCE:
        if digits == EXTENDED:
            store_extended(fpr, r, 0, characteristic & 0x7F, 0, 0)
        else:
            store_fraction(fpr, r, digits, 0, characteristic & 0x7F, 0)
        return PGM_SIGNIFICANCE << 8
    store_fraction(fpr, r, digits, 0, 0, 0)
    return 0


# ----------------------------------------------------------------- arithmetic


def aligned_sum_sign(digits, s1, c1, f1, s2, c2, f2):
    """Sign of (operand 1 + operand 2) after alignment with one guard digit."""
    if aligned_sum(digits, s1, c1, f1, s2, c2, f2) == 0:
        return 0
    a = aligned_fraction(digits, c1, f1, c2)
    b = aligned_fraction(digits, c2, f2, c1)
    if s1 == s2 or a >= b:
        return s1
    return s2


def aligned_fraction(digits, c, f, c_other):
    """Fraction with a guard digit, shifted right to the larger
    characteristic; digits shifted past the guard digit are lost."""
    f = f << 4
    if c_other > c:
        if c_other - c > digits + 1:
            return 0
        return f >> (4 * (c_other - c))
    return f


def aligned_sum(digits, s1, c1, f1, s2, c2, f2):
    """Magnitude of the intermediate sum (digits + 1 guard digit, maybe a
    carry digit more)."""
    a = aligned_fraction(digits, c1, f1, c2)
    b = aligned_fraction(digits, c2, f2, c1)
    if s1 == s2:
        return a + b
    if a >= b:
        return a - b
    return b - a


def add(fpr, r1, digits, s1, c1, f1, s2, c2, f2, normalized, pgm_mask):
    """ADD NORMALIZED / ADD UNNORMALIZED (subtraction arrives with s2
    inverted). GA22-7000: the operand with the smaller characteristic is
    shifted right, one guard digit is kept, a carry shifts the sum right
    and raises the characteristic; normalized results shift left over
    leading zeros (guard digit included) and are then truncated."""
    c = c1
    if c2 > c1:
        c = c2
    f = aligned_sum(digits, s1, c1, f1, s2, c2, f2)
    s = aligned_sum_sign(digits, s1, c1, f1, s2, c2, f2)
    if f >= (ONE << (4 * digits + 4)):
        f = f >> 4
        c += 1
    if normalized:
        if f == 0:
            return significance_result(fpr, r1, digits, c, pgm_mask)
        shift = leading_zero_digits(f, digits + 1)
        f = (f << (4 * shift)) >> 4
        c -= shift
    else:
        f = f >> 4
        if f == 0:
            return significance_result(fpr, r1, digits, c, pgm_mask)
    return finish(fpr, r1, digits, s, c, f, pgm_mask, 1)


def compare(digits, s1, c1, f1, s2, c2, f2):
    """COMPARE: the operands are subtracted as in ADD NORMALIZED (with the
    guard digit) and the CC tells the sign of the difference; fractions
    that are zero compare equal whatever their sign and characteristic."""
    f = aligned_sum(digits, s1, c1, f1, 1 - s2, c2, f2)
    if f == 0:
        return 0
    if aligned_sum_sign(digits, s1, c1, f1, 1 - s2, c2, f2):
        return 1
    return 2


def halve(fpr, r1, digits, s, c, f, pgm_mask):
    """HALVE: the fraction is shifted right one bit (the bit moving into a
    guard digit) and the result normalized; a zero fraction gives a true
    zero."""
    f = (f << 4) >> 1
    if f == 0:
        store_fraction(fpr, r1, digits, 0, 0, 0)
        return CC_UNCHANGED
    shift = leading_zero_digits(f, digits + 1)
    f = (f << (4 * shift)) >> 4
    return finish(fpr, r1, digits, s, c - shift, f, pgm_mask, 0)


def multiply(fpr, r1, in_digits, out_digits, s1, c1, f1, s2, c2, f2, pgm_mask):
    """MULTIPLY (ME MER MD MDR MXD MXDR): both operands are prenormalized,
    the exponents added, the 2n-digit product normalized (at most one
    leading zero digit) and truncated or zero-extended to ``out_digits``.
    A zero operand fraction gives a true zero. The CC is unchanged."""
    if f1 == 0 or f2 == 0:
        store_fraction(fpr, r1, out_digits, 0, 0, 0)
        return CC_UNCHANGED
    n1 = leading_zero_digits(f1, in_digits)
    n2 = leading_zero_digits(f2, in_digits)
    f1 = f1 << (4 * n1)
    f2 = f2 << (4 * n2)
    c = c1 - n1 + c2 - n2 - BIAS
    p = f1 * f2
    if p < top_digit_limit(2 * in_digits):
        p = p << 4
        c -= 1
    if out_digits >= 2 * in_digits:
        p = p << (4 * (out_digits - 2 * in_digits))
    else:
        p = p >> (4 * (2 * in_digits - out_digits))
    return finish(fpr, r1, out_digits, s1 ^ s2, c, p, pgm_mask, 0)


def multiply_extended(fpr, r1, s1, c1, f1, s2, c2, f2, pgm_mask):
    """MXR: 28 x 28 digits, the 56-digit product truncated to 28 digits
    after normalization. The product is formed from 56-bit halves so that
    no intermediate exceeds 128 bits: only its leftmost 29 digits matter."""
    if f1 == 0 or f2 == 0:
        store_fraction(fpr, r1, EXTENDED, 0, 0, 0)
        return CC_UNCHANGED
    n1 = leading_zero_digits(f1, EXTENDED)
    n2 = leading_zero_digits(f2, EXTENDED)
    f1 = f1 << (4 * n1)
    f2 = f2 << (4 * n2)
    c = c1 - n1 + c2 - n2 - BIAS
    h1 = f1 >> 56
    l1 = f1 & FRACTION56
    h2 = f2 >> 56
    l2 = f2 & FRACTION56
    middle = h1 * l2 + l1 * h2 + ((l1 * l2) >> 56)
    top = ((h1 * h2) << 4) + (middle >> 52)  # leftmost 29 digits
    if top < (ONE << 112):
        c -= 1
    else:
        top = top >> 4
    return finish(fpr, r1, EXTENDED, s1 ^ s2, c, top, pgm_mask, 0)


def divide(fpr, r1, digits, s1, c1, f1, s2, c2, f2, pgm_mask):
    """DIVIDE (DE DER DD DDR): floating-point divide exception (operation
    suppressed) for a zero divisor fraction; a zero dividend fraction gives
    a true zero; otherwise the prenormalized fractions are divided and the
    quotient truncated to ``digits`` digits. The CC is unchanged."""
    if f2 == 0:
        return SUPPRESSED | (PGM_FP_DIVIDE << 8) | CC_UNCHANGED
    if f1 == 0:
        store_fraction(fpr, r1, digits, 0, 0, 0)
        return CC_UNCHANGED
    n1 = leading_zero_digits(f1, digits)
    n2 = leading_zero_digits(f2, digits)
    f1 = f1 << (4 * n1)
    f2 = f2 << (4 * n2)
    c = c1 - n1 - (c2 - n2) + BIAS
    if f1 >= f2:
        q = (f1 << (4 * digits - 4)) // f2
        c += 1
    else:
        q = (f1 << (4 * digits)) // f2
    return finish(fpr, r1, digits, s1 ^ s2, c, q, pgm_mask, 0)


def load_rounded(fpr, r1, in_digits, s, c, f, round_bit, pgm_mask):
    """LRER / LRDR: add ``round_bit`` (the leftmost bit of the dropped
    part) to the truncated fraction; a carry shifts right one digit and
    raises the characteristic, possibly into exponent overflow. No
    normalization, no underflow or significance. CC unchanged."""
    out_digits = SHORT
    if in_digits == EXTENDED:
        out_digits = LONG
    f = (f >> (4 * (in_digits - out_digits))) + round_bit
    if f >= (ONE << (4 * out_digits)):
        f = f >> 4
        c += 1
    return finish(fpr, r1, out_digits, s, c, f, pgm_mask, 0)


def load_signed(fpr, r1, digits, fn, s, c, f):
    """LPxR LNxR LTxR LCxR LxR LE LD: move with a sign change, set CC
    (except plain LOAD). The fraction is not normalized."""
    if fn == FN_LOAD_POSITIVE:
        s = 0
    elif fn == FN_LOAD_NEGATIVE:
        s = 1
    elif fn == FN_LOAD_COMPLEMENT:
        s = 1 - s
    store_fraction(fpr, r1, digits, s, c, f)
    if fn == FN_LOAD:
        return CC_UNCHANGED
    return condition_code(s, f)


def short_or_long(fpr, r1, fn, digits, w2, pgm_mask):
    """The short and long operations shared by the RR and RX forms; ``w2``
    is the second operand as a register image (short: left half)."""
    w1 = fpr[r1 >> 1]
    s1 = sign_of(w1)
    c1 = characteristic_of(w1)
    f1 = fraction_of(w1, digits)
    s2 = sign_of(w2)
    c2 = characteristic_of(w2)
    f2 = fraction_of(w2, digits)
    if fn <= FN_LOAD_COMPLEMENT or fn == FN_LOAD:
        return load_signed(fpr, r1, digits, fn, s2, c2, f2)
    if fn == FN_HALVE:
        return halve(fpr, r1, digits, s2, c2, f2, pgm_mask)
    if fn == FN_COMPARE:
        return compare(digits, s1, c1, f1, s2, c2, f2)
    if fn == FN_ADD:
        return add(fpr, r1, digits, s1, c1, f1, s2, c2, f2, 1, pgm_mask)
    if fn == FN_SUBTRACT:
        return add(fpr, r1, digits, s1, c1, f1, 1 - s2, c2, f2, 1, pgm_mask)
    if fn == FN_ADD_UNNORMALIZED:
        return add(fpr, r1, digits, s1, c1, f1, s2, c2, f2, 0, pgm_mask)
    if fn == FN_SUBTRACT_UNNORMALIZED:
        return add(fpr, r1, digits, s1, c1, f1, 1 - s2, c2, f2, 0, pgm_mask)
    if fn == FN_MULTIPLY:
        if digits == SHORT:  # ME/MER: short operands, long product
            return multiply(fpr, r1, SHORT, LONG, s1, c1, f1, s2, c2, f2, pgm_mask)
        return multiply(fpr, r1, LONG, LONG, s1, c1, f1, s2, c2, f2, pgm_mask)
    if fn == FN_DIVIDE:
        return divide(fpr, r1, digits, s1, c1, f1, s2, c2, f2, pgm_mask)
    return SUPPRESSED | (PGM_OPERATION << 8) | CC_UNCHANGED


# ----------------------------------------------------------------- extended


def is_fpr(r):
    """Floating-point registers are 0, 2, 4 and 6."""
    return r == 0 or r == 2 or r == 4 or r == 6


def is_extended_pair(r):
    """Extended operands are the pairs 0-2 and 4-6."""
    return r == 0 or r == 4


def extended_rr(fpr, opcode, r1, r2, pgm_mask):
    """LRDR MXR MXDR AXR SXR (GA22-7000 "Extended Precision")."""
    w1 = fpr[r1 >> 1]
    w2 = fpr[r2 >> 1]
    if opcode == OP_LRDR:
        round_bit = (fpr[(r2 >> 1) + 1] >> 55) & 1
        return load_rounded(
            fpr,
            r1,
            EXTENDED,
            sign_of(w2),
            characteristic_of(w2),
            extended_fraction(fpr, r2),
            round_bit,
            pgm_mask,
        )
    if opcode == OP_MXDR:
        return multiply(
            fpr,
            r1,
            LONG,
            EXTENDED,
            sign_of(w1),
            characteristic_of(w1),
            fraction_of(w1, LONG),
            sign_of(w2),
            characteristic_of(w2),
            fraction_of(w2, LONG),
            pgm_mask,
        )
    s2 = sign_of(w2)
    if opcode == OP_SXR:
        s2 = 1 - s2
    if opcode == OP_MXR:
        return multiply_extended(
            fpr,
            r1,
            sign_of(w1),
            characteristic_of(w1),
            extended_fraction(fpr, r1),
            s2,
            characteristic_of(w2),
            extended_fraction(fpr, r2),
            pgm_mask,
        )
    return add(
        fpr,
        r1,
        EXTENDED,
        sign_of(w1),
        characteristic_of(w1),
        extended_fraction(fpr, r1),
        s2,
        characteristic_of(w2),
        extended_fraction(fpr, r2),
        1,
        pgm_mask,
    )


def registers_valid(opcode, r1, r2):
    """Specification rules for the register fields of an RR operation."""
    if opcode == OP_LRDR:
        return is_fpr(r1) and is_extended_pair(r2)
    if opcode == OP_MXDR:
        return is_extended_pair(r1) and is_fpr(r2)
    if opcode == OP_MXR or opcode == OP_AXR or opcode == OP_SXR:
        return is_extended_pair(r1) and is_extended_pair(r2)
    return is_fpr(r1) and is_fpr(r2)


# ----------------------------------------------------------------- entry points


def float_rr(fpr, opcode, r1, r2, pgm_mask):
    """Execute the RR floating-point instruction ``opcode`` (X'20'-X'3F')."""
    if not registers_valid(opcode, r1, r2):
        return SUPPRESSED | (PGM_SPECIFICATION << 8) | CC_UNCHANGED
    if (
        opcode == OP_LRDR
        or opcode == OP_MXR
        or opcode == OP_MXDR
        or opcode == OP_AXR
        or opcode == OP_SXR
    ):
        return extended_rr(fpr, opcode, r1, r2, pgm_mask)
    if opcode == OP_LRER:
        w2 = fpr[r2 >> 1]
        round_bit = (w2 >> 31) & 1
        return load_rounded(
            fpr,
            r1,
            LONG,
            sign_of(w2),
            characteristic_of(w2),
            fraction_of(w2, LONG),
            round_bit,
            pgm_mask,
        )
    if opcode < 0x20 or opcode > 0x3F:
        return SUPPRESSED | (PGM_OPERATION << 8) | CC_UNCHANGED
    digits = LONG
    if opcode >= 0x30:
        digits = SHORT
    return short_or_long(fpr, r1, opcode & 0xF, digits, fpr[r2 >> 1], pgm_mask)


def float_rx(fpr, opcode, r1, operand, pgm_mask):
    """Execute the RX floating-point instruction ``opcode`` with its storage
    operand already fetched: 8 bytes for long operations, 4 bytes in the
    low 32 bits of ``operand`` for short ones."""
    if opcode == OP_MXD:
        if not is_extended_pair(r1):
            return SUPPRESSED | (PGM_SPECIFICATION << 8) | CC_UNCHANGED
        w1 = fpr[r1 >> 1]
        return multiply(
            fpr,
            r1,
            LONG,
            EXTENDED,
            sign_of(w1),
            characteristic_of(w1),
            fraction_of(w1, LONG),
            sign_of(operand),
            characteristic_of(operand),
            fraction_of(operand, LONG),
            pgm_mask,
        )
    if opcode < 0x68 or opcode > 0x7F or (0x70 <= opcode < 0x78):
        return SUPPRESSED | (PGM_OPERATION << 8) | CC_UNCHANGED
    if not is_fpr(r1):
        return SUPPRESSED | (PGM_SPECIFICATION << 8) | CC_UNCHANGED
    if opcode >= 0x70:
        return short_or_long(fpr, r1, opcode & 0xF, SHORT, (operand & LOW32) << 32, pgm_mask)
    return short_or_long(fpr, r1, opcode & 0xF, LONG, operand, pgm_mask)
