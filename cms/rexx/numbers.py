# cython: infer_types=False
# (Cython, when setup.py compiles this module: no C integer types it is not told of, since
# Python ints of any size flow through here; numbers.pxd declares the C ones.)
"""REXX decimal arithmetic at NUMERIC DIGITS precision.

Rules from the REXX language definition (TRL2 chapter "Numbers and
Arithmetic"; SC24-5239 "Arithmetic Operators"):

* Every operand is stripped of leading zeros and truncated to DIGITS+1
  significant digits (the guard digit) before use.
* For addition and subtraction the smaller operand is then aligned to a
  window of DIGITS+1 digits starting at the larger one's first digit.
* Results are rounded to DIGITS significant digits, traditional rounding
  (5-9 up, 0-4 down).
* Add, subtract, multiply keep significant trailing zeros; division and
  power remove them; a zero result is always the single digit 0.
* Exponential form is used when the digits needed before the point exceed
  DIGITS, or the digits after the point exceed twice DIGITS.  SCIENTIFIC
  puts one digit before the point, ENGINEERING makes the exponent a
  multiple of three.
* Comparisons subtract at DIGITS-FUZZ precision and look at the sign.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    DivisionImpossible,
    InvalidOperation,
    Overflow,
)
from functools import lru_cache

from .errors import RexxError

#: A REXX number: blanks, optional sign (blanks may follow it), mantissa
#: with optional point, optional exponent, blanks (TRL2 "Numbers").
NUMBER_RE = re.compile(r"[ \t]*([-+]?)[ \t]*(\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?[ \t]*\Z")

#: Largest exponent magnitude (TRL2: at least 999999999).
MAX_EXPONENT = 999999999

DEFAULT_DIGITS = 9


class NumericSettings:
    """NUMERIC DIGITS / FUZZ / FORM of one routine activation."""

    __slots__ = ("digits", "fuzz", "form")

    def __init__(self, digits: int = DEFAULT_DIGITS, fuzz: int = 0, form: str = "SCIENTIFIC"):
        self.digits = digits
        self.fuzz = fuzz
        self.form = form

    def __eq__(self, other) -> bool:
        if not isinstance(other, NumericSettings):
            return NotImplemented
        return (self.digits, self.fuzz, self.form) == (other.digits, other.fuzz, other.form)

    def __repr__(self) -> str:
        return f"NumericSettings({self.digits}, {self.fuzz}, {self.form!r})"

    def copy(self) -> "NumericSettings":
        return NumericSettings(self.digits, self.fuzz, self.form)


def parse_number(text: str) -> Decimal | None:
    """The exact value of a REXX number string, or None if it is not one."""
    match = NUMBER_RE.match(text)
    if match is None:
        return None
    sign, mantissa, exponent = match.groups()
    literal = sign + mantissa + ("E" + exponent if exponent else "")
    return Decimal(literal)


def is_number(text: str) -> bool:
    return NUMBER_RE.match(text) is not None


@lru_cache(maxsize=256)
def _context(digits: int, rounding=ROUND_HALF_UP) -> Context:
    """A decimal context of ``digits`` precision (cached; flags unused)."""
    return Context(
        prec=digits,
        rounding=rounding,
        Emax=MAX_EXPONENT * 2,
        Emin=-MAX_EXPONENT * 2,
        traps=[InvalidOperation, DivisionByZero, Overflow],
    )


def operand(text: str, digits: int) -> Decimal:
    """An arithmetic operand: valid number, truncated to DIGITS+1 digits."""
    value = parse_number(text)
    if value is None:
        raise RexxError(41, text)
    return _context(digits + 1, ROUND_DOWN).plus(value)


def _check_exponent(value: Decimal) -> Decimal:
    if not value.is_zero() and abs(value.adjusted()) > MAX_EXPONENT:
        raise RexxError(42)
    return value


def add(a: Decimal, b: Decimal, digits: int) -> Decimal:
    """Addition as SC24-5239 "Addition and subtraction" defines it.

    If either operand is 0 the other, rounded, is the result.  Otherwise
    both are aligned to a window of DIGITS+1 digits from the larger one's
    first digit (the smaller loses digits on the right), added exactly, and
    rounded to DIGITS counting from that first digit (one more to the left
    after a carry), so 1.25 - 1.235 at DIGITS 3 is 0.02.
    """
    context = _context(digits)
    if b.is_zero():
        return _check_exponent(context.plus(a)) if not a.is_zero() else Decimal(0)
    if a.is_zero():
        return _check_exponent(context.plus(b))
    top = max(a.adjusted(), b.adjusted())
    lowest = top - digits
    quantum = Decimal((0, (1,), lowest))
    wide = _context(digits + 3 + max(0, abs(a.adjusted() - b.adjusted())))
    if a.as_tuple().exponent < lowest:
        a = a.quantize(quantum, rounding=ROUND_DOWN, context=wide)
    if b.as_tuple().exponent < lowest:
        b = b.quantize(quantum, rounding=ROUND_DOWN, context=wide)
    total = wide.add(a, b)
    if total.is_zero():
        return Decimal(0)
    rounding_place = lowest + (2 if total.adjusted() > top else 1)
    if total.as_tuple().exponent < rounding_place:
        total = total.quantize(
            Decimal((0, (1,), rounding_place)), rounding=ROUND_HALF_UP, context=wide
        )
    return _check_exponent(total)


def subtract(a: Decimal, b: Decimal, digits: int) -> Decimal:
    # copy_negate, not unary minus: that rounds to the thread's default
    # decimal context (28 digits), whatever NUMERIC DIGITS says
    return add(a, b.copy_negate(), digits)


def multiply(a: Decimal, b: Decimal, digits: int) -> Decimal:
    return _check_exponent(_context(digits).multiply(a, b))


def strip_fraction_zeros(value: Decimal) -> Decimal:
    """Drop insignificant trailing zeros after the decimal point (division
    and power results); zeros of the integer part stay, so 1000000000/1
    is 1.00000000E+9 at DIGITS 9 while 4.0/2 is 2."""
    sign, digit_tuple, exponent = value.as_tuple()
    end = len(digit_tuple)
    while exponent < 0 and end > 1 and digit_tuple[end - 1] == 0:
        end -= 1
        exponent += 1
    if end == len(digit_tuple):
        return value
    return Decimal((sign, digit_tuple[:end], exponent))


def divide(a: Decimal, b: Decimal, digits: int) -> Decimal:
    if b.is_zero():
        raise RexxError(42, "divide by zero")
    return _check_exponent(strip_fraction_zeros(_context(digits).divide(a, b)))


def integer_divide(a: Decimal, b: Decimal, digits: int) -> Decimal:
    if b.is_zero():
        raise RexxError(42, "divide by zero")
    try:
        return _context(digits).divide_int(a, b)
    except (DivisionImpossible, InvalidOperation):
        raise RexxError(26, "integer division result too large") from None


def remainder(a: Decimal, b: Decimal, digits: int) -> Decimal:
    """a // b is a - (a % b) * b (TRL2): the sign of a, trailing zeros kept
    (3.6 // 1.3 is 1.0); when a % b is 0 the result is a itself."""
    if b.is_zero():
        raise RexxError(42, "divide by zero")
    context = _context(digits)
    try:
        if context.divide_int(a, b).is_zero():
            return context.plus(a) if not a.is_zero() else Decimal(0)
        return context.remainder(a, b)
    except (DivisionImpossible, InvalidOperation):
        raise RexxError(26, "integer division result too large") from None


def power(a: Decimal, exponent_text: str, digits: int) -> Decimal:
    """x ** n: n a whole number; TRL2's binary method at DIGITS+L+1."""
    # the exponent need only be a whole number in -999999999..999999999
    n = whole_number(exponent_text, max(digits, DEFAULT_DIGITS))
    if n == 0:
        return Decimal(1)
    work = _context(digits + len(str(abs(n))) + 1)
    result = Decimal(1)
    base = a
    count = abs(n)
    try:
        while True:
            if count & 1:
                result = work.multiply(result, base)
            count >>= 1
            if not count:
                break
            base = work.multiply(base, base)
        if n < 0:
            if result.is_zero():
                raise RexxError(42, "divide by zero")
            result = work.divide(Decimal(1), result)
        return _check_exponent(strip_fraction_zeros(_context(digits).plus(result)))
    except Overflow:
        raise RexxError(42) from None


def whole_number(text: str, digits: int = DEFAULT_DIGITS, error: int = 26) -> int:
    """A whole number (after rounding to DIGITS, as if 0 were added)."""
    parts = _PARTS.get(text) or _parts(text)  # remembered for the next time
    if parts and parts[1] == 0 and parts[2] <= digits:
        return parts[0]
    value = parse_number(text)
    if value is None:
        raise RexxError(error, text)
    rounded = _context(digits).plus(value)
    if rounded != rounded.to_integral_value():
        raise RexxError(error, text)
    if not rounded.is_zero() and rounded.adjusted() >= digits:
        raise RexxError(error, text)
    return int(rounded)


def format_number(value: Decimal, digits: int, form: str = "SCIENTIFIC") -> str:
    """The REXX string form of an arithmetic result (already rounded)."""
    if value.is_zero():
        return "0"
    sign, digit_tuple, exponent = value.as_tuple()
    coefficient = "".join(map(str, digit_tuple)).lstrip("0") or "0"
    if len(coefficient) > digits:  # round to DIGITS (arithmetic results already are)
        return format_number(_context(digits).plus(value), digits, form)
    return _layout("-" if sign else "", coefficient, exponent, digits, form)


def _layout(prefix: str, coefficient: str, exponent: int, digits: int, form: str) -> str:
    """Plain or exponential notation of sign, digits and exponent (TRL2
    "Exponential notation"); ``coefficient`` has at most DIGITS digits."""
    length = len(coefficient)
    adjusted = exponent + length - 1
    if exponent >= 0:
        if length + exponent <= digits:
            return prefix + coefficient + "0" * exponent
    elif -exponent <= 2 * digits:
        point = length + exponent
        if point > 0:
            return prefix + coefficient[:point] + "." + coefficient[point:]
        return prefix + "0." + "0" * -point + coefficient
    if form == "ENGINEERING":
        shift = adjusted % 3
    else:
        shift = 0
    whole = coefficient[: shift + 1].ljust(shift + 1, "0")
    fraction = coefficient[shift + 1 :]
    mantissa = whole + ("." + fraction if fraction else "")
    power_of_ten = adjusted - shift
    if power_of_ten == 0:
        return prefix + mantissa
    return f"{prefix}{mantissa}E{'+' if power_of_ten > 0 else '-'}{abs(power_of_ten)}"


def compare(a_text: str, b_text: str, settings: NumericSettings) -> int | None:
    """Numeric comparison (-1, 0, 1), or None when either is not a number."""
    precision = settings.digits - settings.fuzz
    a = _PARTS.get(a_text) or _parts(a_text)
    if a is None:
        return None
    b = _PARTS.get(b_text) or _parts(b_text)
    if b is None:
        return None
    if a and b and precision <= FAST_DIGITS:
        ca, ea, na = a
        cb, eb, nb = b
        if ea == 0 and eb == 0 and na <= precision and nb <= precision:
            return (ca > cb) - (ca < cb)
        difference = _sum(ca, ea, na, -cb, eb, nb, precision)[0]
        return (difference > 0) - (difference < 0)
    difference = subtract(operand(a_text, precision), operand(b_text, precision), precision)
    if difference.is_zero():
        return 0
    return -1 if difference < 0 else 1


#: operator -> function(a, b, digits) for the binary arithmetic operators.
ARITHMETIC = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "%": integer_divide,
    "//": remainder,
}


# --- the same rules on Python ints -------------------------------------------
#
# Most arithmetic has short operands; Decimal's generality costs more there
# than the arithmetic itself.  A number is taken apart once into a signed
# integer coefficient, an exponent and its count of significant digits, and
# the rules above are applied to those integers, giving exactly the result
# the Decimal functions give (tests/cms/rexx/test_numbers.py compares them).
# Very long precision, huge exponents and non-ASCII digits go to Decimal.

#: Up to this NUMERIC DIGITS the integer rules are used.
FAST_DIGITS = 1000
#: Exponents beyond this go to Decimal (its overflow checks, Error 42).
FAST_EXPONENT = 100_000_000
#: Parsed number strings (text -> parts): arithmetic results are parsed
#: again when they are used, which this saves.  Cleared when full.
_PARTS: dict = {}
_PARTS_LIMIT = 4096


def _parts(text: str):
    """(coefficient, exponent, significant digits) of a number; False for a
    number the integer rules leave to Decimal; None if not a number."""
    parts = _PARTS.get(text)
    if parts is not None:
        return parts
    if text.isdigit() and text.isascii():  # the common plain whole number
        length = len(text)
        if text[0] == "0":  # leading zeros are not significant
            length = len(text.lstrip("0")) or 1
        parts = (int(text), 0, length)
        if len(_PARTS) >= _PARTS_LIMIT:
            _PARTS.clear()
        _PARTS[text] = parts
        return parts
    match = NUMBER_RE.match(text)
    if match is None:
        return None
    sign, mantissa, exponent = match.groups()
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    if not digits.isascii():
        return False
    power = (int(exponent) if exponent else 0) - len(fraction)
    if power > FAST_EXPONENT or power < -FAST_EXPONENT:
        return False
    coefficient = int(digits)
    if sign == "-":
        coefficient = -coefficient
    parts = (coefficient, power, len(digits.lstrip("0")) or 1)
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[text] = parts
    return parts


def compound_parts(text: str):
    """_parts of a compound variable's value for a sum in compiled code, or
    None where the integer rules do not take it.  A stem filled in a loop
    holds values nobody remembered (the cache would only push out the rest):
    a plain whole number without leading zeros is parsed at once (no hash,
    no cache); anything else goes through _parts."""
    if _COMPILED:
        parts = _plain_parts(text)
        if parts is not None:
            return parts
    elif text.isdigit() and text.isascii() and text[0] != "0":
        return (int(text), 0, len(text))
    return _parts(text) or None


def _plain_parts(text):
    """(value, 0, digits) of a string of 1 to 18 decimal digits not starting
    with 0, else None (the compiled build's loop on the characters)."""
    length = len(text)
    if length == 0 or length > 18:
        return None
    value = 0
    for character in text:
        code = ord(character)
        if code < 48 or code > 57:
            return None
        value = value * 10 + (code - 48)
    if value < _pow10(length - 1):  # a leading zero
        return None
    return (value, 0, length)


def whole_parts(text: str) -> tuple[int, int] | None:
    """(value, digits) of a whole number written without exponent or
    fraction (as arithmetic gives them), else None."""
    parts = _PARTS.get(text) or _parts(text)
    if not parts or parts[1] != 0:
        return None
    return parts[0], parts[2]


def absolute(text: str, settings: NumericSettings) -> str | None:
    """ABS: the magnitude rounded to DIGITS, or None where Decimal must."""
    parts = _PARTS.get(text) or _parts(text)
    if not parts or settings.digits > FAST_DIGITS:
        return None
    coefficient = parts[0]
    return _text(
        -coefficient if coefficient < 0 else coefficient, parts[1], settings.digits, settings.form
    )


def is_number_fast(text: str) -> bool:
    """is_number, remembering the parts of the number."""
    return _parts(text) is not None


def remember_whole(text: str, value: int, digits: int) -> None:
    """Note the parts of a whole number just made into ``text``."""
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[text] = (value, 0, digits)


def whole_text(value: int) -> str:
    """The text of a whole-number result that fits DIGITS, its parts
    remembered (compiled expressions compute such results inline)."""
    text = str(value)
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[text] = (value, 0, len(text) - (value < 0))
    return text


#: 10**n for the n of ordinary precision (10**n of a big n costs more than
#: the arithmetic it scales).
_POW10 = tuple(10**n for n in range(128))


def _truncate(coefficient: int, places: int) -> int:
    """Drop ``places`` digits on the right, toward zero (ROUND_DOWN)."""
    scale = _POW10[places] if places < 128 else 10**places
    if coefficient >= 0:
        return coefficient // scale
    return -(-coefficient // scale)


def _round(coefficient: int, exponent: int, digits: int) -> tuple[int, int]:
    """Round to ``digits`` significant digits, 5 and up away from zero
    (ROUND_HALF_UP), as a decimal context of that precision does."""
    magnitude = -coefficient if coefficient < 0 else coefficient
    places = len(str(magnitude)) - digits
    if places <= 0:
        return coefficient, exponent
    scale = _POW10[places] if places < 128 else 10**places
    quotient, rest = divmod(magnitude, scale)
    if rest + rest >= scale:
        quotient += 1
        if quotient == (_POW10[digits] if digits < 128 else 10**digits):  # 999.5 -> 1.00E+3
            quotient //= 10
            places += 1
    return (-quotient if coefficient < 0 else quotient), exponent + places


def _aligned_sum(ca: int, ea: int, na: int, cb: int, eb: int, nb: int, digits: int) -> tuple:
    """The exact sum of two non-zero operands of at most DIGITS+1 digits in
    a window of DIGITS+1 digits from the larger one's first digit (an
    operand below the window truncated, or 0): (total, its exponent, the
    window's top and lowest digit place)."""
    top = ea + na - 1
    if eb + nb - 1 > top:
        top = eb + nb - 1
    lowest = top - digits
    if ea < lowest:  # an operand far below the window is 0 (no 10**places)
        ca = _truncate(ca, lowest - ea) if lowest - ea < na else 0
        ea = lowest
    if eb < lowest:
        cb = _truncate(cb, lowest - eb) if lowest - eb < nb else 0
        eb = lowest
    if ea <= eb:
        total = ca + cb * (_POW10[eb - ea] if eb - ea < 128 else 10 ** (eb - ea))
        exponent = ea
    else:
        total = ca * (_POW10[ea - eb] if ea - eb < 128 else 10 ** (ea - eb)) + cb
        exponent = eb
    return total, exponent, top, lowest


def _sum(ca: int, ea: int, na: int, cb: int, eb: int, nb: int, digits: int) -> tuple[int, int]:
    """``add`` on parts: the operands cut to DIGITS+1 digits, aligned to a
    window of DIGITS+1 digits from the larger one's first digit, added, and
    rounded at the DIGITS-th digit of the window (DIGITS+1-th after a carry)."""
    guard = digits + 1
    if na > guard:
        ca = _truncate(ca, na - guard)
        ea += na - guard
        na = guard
    if nb > guard:
        cb = _truncate(cb, nb - guard)
        eb += nb - guard
        nb = guard
    if cb == 0:
        return (0, 0) if ca == 0 else _round(ca, ea, digits)
    if ca == 0:
        return _round(cb, eb, digits)
    total, exponent, top, lowest = _aligned_sum(ca, ea, na, cb, eb, nb, digits)
    if total == 0:
        return 0, 0
    length = len(str(-total if total < 0 else total))
    rounding_place = lowest + (2 if exponent + length - 1 > top else 1)
    if exponent < rounding_place:
        places = rounding_place - exponent
        scale = _POW10[places] if places < 128 else 10**places
        magnitude = -total if total < 0 else total
        quotient, rest = divmod(magnitude, scale)
        if rest + rest >= scale:
            quotient += 1
        total = -quotient if total < 0 else quotient
        exponent = rounding_place
    return total, exponent


def _sum_text(ca: int, ea: int, na: int, cb: int, eb: int, nb: int, digits: int, form: str) -> str:
    """``_text(*_sum(...))`` in one step for the common case: two non-zero
    operands of at most DIGITS+1 digits, a result laid out in scientific
    notation or as a plain number."""
    if not ca or not cb or na > digits + 1 or nb > digits + 1 or form != "SCIENTIFIC":
        return _text(*_sum(ca, ea, na, cb, eb, nb, digits), digits, form)
    if _COMPILED and digits <= SMALL_DIGITS:
        text = _add_small(ca, ea, na, cb, eb, nb, digits)
        if text is not None:
            return text
    total, exponent, top, lowest = _aligned_sum(ca, ea, na, cb, eb, nb, digits)
    if total == 0:
        return "0"
    negative = total < 0
    if negative:
        total = -total
    text = str(total)
    length = len(text)
    rounding_place = lowest + (2 if exponent + length - 1 > top else 1)
    if exponent < rounding_place:
        places = rounding_place - exponent
        scale = _POW10[places] if places < 128 else 10**places
        total, rest = divmod(total, scale)
        if rest + rest >= scale:
            total += 1
        exponent = rounding_place
        text = str(total)
        length = len(text)
        if total == 0 or length > digits:  # rounded away, or a carry: the general way
            return _text(-total if negative else total, exponent, digits, form)
    prefix = "-" if negative else ""
    if (
        exponent == 0
        or (exponent < 0 and -exponent <= 2 * digits)
        or (exponent > 0 and length + exponent <= digits)
    ):
        return _format(-total if negative else total, text, length, exponent, digits, form)
    # scientific notation: its parts are the text's own
    adjusted = exponent + length - 1
    if adjusted > MAX_EXPONENT or adjusted < -MAX_EXPONENT:
        raise RexxError(42)
    mantissa = text[0] + "." + text[1:] if length > 1 else text
    if adjusted:
        result = f"{prefix}{mantissa}E{'+' if adjusted > 0 else '-'}{abs(adjusted)}"
    else:
        result = prefix + mantissa
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[result] = (-total if negative else total, exponent, length)
    return result


# --- the compiled build: addition on C integers -------------------------------
#
# numbers.pxd gives the functions below C integer types; setup.py compiles
# this module with Cython when it can (the same source runs uncompiled, and
# VM370_PURE=1 selects that; cms/rexx/__init__.py).  Up to SMALL_DIGITS every
# coefficient of an addition fits 64 bits: an operand has at most DIGITS+1
# digits, the aligned sum at most DIGITS+2.  Uncompiled they would only be
# slower than the general code above, which then does it all.

#: True when this module runs compiled (a C extension has no .py file).
_COMPILED = not __file__.endswith(".py")
#: Up to this NUMERIC DIGITS the compiled build adds on C integers.
SMALL_DIGITS = 15


def _pow10(n):
    """10**n for 0 <= n <= 18."""
    result = 1
    while n > 0:
        result *= 10
        n -= 1
    return result


def _digit_count(magnitude):
    """The count of decimal digits of 0 <= magnitude < 10**18."""
    length = 1
    scale = 10
    while scale <= magnitude:
        scale *= 10
        length += 1
    return length


def _add_small(ca, ea, na, cb, eb, nb, digits):
    """``_sum_text`` on C integers: two non-zero operands of at most DIGITS+1
    digits, DIGITS at most SMALL_DIGITS, SCIENTIFIC; the result's text (its
    parts remembered), or None where the general code must (a rounding
    carry to one digit more, a result rounded away).  Signs are handled
    apart so that C's and Python's division agree (magnitudes only).  Compiled
    build only: its scientific notation is written by C code of numbers.pxd."""
    top = ea + na - 1
    if eb + nb - 1 > top:
        top = eb + nb - 1
    lowest = top - digits
    if ea < lowest:  # cut to the window, toward zero
        if lowest - ea >= na:
            ca = 0
        elif ca < 0:
            ca = -(-ca // _pow10(lowest - ea))
        else:
            ca = ca // _pow10(lowest - ea)
        ea = lowest
    if eb < lowest:
        if lowest - eb >= nb:
            cb = 0
        elif cb < 0:
            cb = -(-cb // _pow10(lowest - eb))
        else:
            cb = cb // _pow10(lowest - eb)
        eb = lowest
    if ea <= eb:
        total = ca + cb * _pow10(eb - ea)
        exponent = ea
    else:
        total = ca * _pow10(ea - eb) + cb
        exponent = eb
    if total == 0:
        return "0"
    negative = total < 0
    if negative:
        total = -total
    length = _digit_count(total)
    rounding_place = lowest + (2 if exponent + length - 1 > top else 1)
    if exponent < rounding_place:  # round half up at the rounding place
        scale = _pow10(rounding_place - exponent)
        rest = total % scale
        total = total // scale
        if rest + rest >= scale:
            total += 1
        exponent = rounding_place
        if total == 0:
            return None
        length = _digit_count(total)
        if length > digits:
            return None
    prefix = "-" if negative else ""
    coefficient = -total if negative else total
    if exponent == 0:  # a plain whole number
        result = prefix + str(total)
    elif exponent < 0 and -exponent <= 2 * digits:  # a plain fraction
        text = str(total)
        point = length + exponent
        if point > 0:
            result = prefix + text[:point] + "." + text[point:]
        else:
            result = prefix + "0." + "0" * -point + text
    elif exponent > 0 and length + exponent <= digits:  # zeros written out
        result = prefix + str(total) + "0" * exponent
        coefficient = coefficient * _pow10(exponent)
        length += exponent
        exponent = 0
    else:  # scientific notation, written by C code (numbers.pxd)
        adjusted = exponent + length - 1
        if adjusted > MAX_EXPONENT or adjusted < -MAX_EXPONENT:
            raise RexxError(42)
        result = _c_scientific(total, negative, adjusted)  # noqa: F821 - numbers.pxd
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[result] = (coefficient, exponent, length)
    return result


def _text(coefficient: int, exponent: int, digits: int, form: str) -> str:
    """format_number on parts; the text's own parts are remembered."""
    if coefficient == 0:
        return "0"
    magnitude = -coefficient if coefficient < 0 else coefficient
    text = str(magnitude)
    length = len(text)
    if length > digits:  # _round, with the length known
        places = length - digits
        scale = _POW10[places] if places < 128 else 10**places
        magnitude, rest = divmod(magnitude, scale)
        exponent += places
        if rest + rest >= scale:
            magnitude += 1
            if magnitude == (_POW10[digits] if digits < 128 else 10**digits):  # 999.5: 1.00E+3
                magnitude //= 10
                exponent += 1
        coefficient = -magnitude if coefficient < 0 else magnitude
        text = str(magnitude)
        length = len(text)
    return _format(coefficient, text, length, exponent, digits, form)


def _format(coefficient: int, text: str, length: int, exponent: int, digits: int, form: str) -> str:
    """The layout of a non-zero result of at most DIGITS digits whose
    magnitude's decimal digits (``text``, ``length`` of them) are known;
    its parts are remembered."""
    if exponent > 0 and exponent + length - 1 > MAX_EXPONENT:
        raise RexxError(42)  # as _check_exponent, for a result beyond the limit
    if exponent < 0 and exponent + length - 1 < -MAX_EXPONENT:
        raise RexxError(42)
    prefix = "-" if coefficient < 0 else ""
    result = _layout(prefix, text, exponent, digits, form)
    if exponent > 0 and length + exponent <= digits:  # zeros written out
        scale = _POW10[exponent] if exponent < 128 else 10**exponent
        parts = (coefficient * scale, 0, length + exponent)
    elif form == "ENGINEERING":  # the mantissa may have gained zeros
        return result
    else:
        parts = (coefficient, exponent, length)
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[result] = parts
    return result


def _guarded(c: int, e: int, n: int, digits: int) -> tuple[int, int]:
    """An operand cut to DIGITS+1 significant digits (``operand``)."""
    if n > digits + 1:
        return _truncate(c, n - digits - 1), e + n - digits - 1
    return c, e


def _fast(op: str, a: tuple, b: tuple, digits: int, form: str) -> str | None:
    """``arithmetic`` on parts, or None where Decimal must do it."""
    ca, ea, na = a
    cb, eb, nb = b
    if ea == 0 and eb == 0 and na <= digits and nb <= digits:
        # whole numbers that fit DIGITS: exact unless the result does not fit
        if op == "+":
            result = ca + cb
        elif op == "-":
            result = ca - cb
        elif op == "*":
            result = ca * cb
        elif (op == "%" or op == "//") and cb:
            quotient = abs(ca) // abs(cb)  # REXX truncates toward zero
            if (ca < 0) != (cb < 0):
                quotient = -quotient
            result = quotient if op == "%" else ca - cb * quotient
        else:
            result = None
        if result is not None:
            text = str(result)
            length = len(text) - (result < 0)
            if length <= digits:
                if len(_PARTS) >= _PARTS_LIMIT:
                    _PARTS.clear()
                _PARTS[text] = (result, 0, length)
                return text
    if op == "+":
        return _text(*_sum(ca, ea, na, cb, eb, nb, digits), digits, form)
    if op == "-":
        return _text(*_sum(ca, ea, na, -cb, eb, nb, digits), digits, form)
    if op == "*":
        ca, ea = _guarded(ca, ea, na, digits)
        cb, eb = _guarded(cb, eb, nb, digits)
        return _text(ca * cb, ea + eb, digits, form)  # rounded there
    if op == "/" and cb:
        return _quotient_text(ca, ea, na, cb, eb, nb, digits, form)
    return None


def _quotient_text(
    ca: int, ea: int, na: int, cb: int, eb: int, nb: int, digits: int, form: str
) -> str:
    """``divide`` on parts: the quotient correctly rounded to DIGITS (5 up),
    an exact one at the exponent nearest a's minus b's, as a decimal
    context divides (General Decimal Arithmetic, "divide"); then the
    fraction's trailing zeros are dropped."""
    guard = digits + 1
    if na > guard:  # _guarded: the digit counts are the parts' own
        ca = _truncate(ca, na - guard)
        ea += na - guard
        na = guard
    if nb > guard:
        cb = _truncate(cb, nb - guard)
        eb += nb - guard
        nb = guard
    if ca == 0:
        return "0"
    x = -ca if ca < 0 else ca
    y = -cb if cb < 0 else cb
    shift = nb - na + guard  # the quotient has DIGITS+1 digits or more
    exponent = ea - eb - shift
    if shift >= 0:
        quotient, rest = divmod(x * (_POW10[shift] if shift < 128 else 10**shift), y)
    else:
        quotient, rest = divmod(x, y * (_POW10[-shift] if -shift < 128 else 10**-shift))
    if rest:
        if quotient % 5 == 0:  # a sticky digit: the rounding sees "more"
            quotient += 1
    else:
        ideal = ea - eb
        while exponent < ideal and quotient % 10 == 0:
            quotient //= 10
            exponent += 1
    if (ca < 0) != (cb < 0):
        quotient = -quotient
    quotient, exponent = _round(quotient, exponent, digits)
    while exponent < 0 and quotient % 10 == 0:  # strip_fraction_zeros
        quotient //= 10
        exponent += 1
    return _text(quotient, exponent, digits, form)


def _whole_result(result: int, digits: int) -> str | None:
    """The text of a whole-number result if it fits DIGITS (remembered)."""
    text = str(result)
    length = len(text) - (result < 0)
    if length > digits:
        return None
    if len(_PARTS) >= _PARTS_LIMIT:
        _PARTS.clear()
    _PARTS[text] = (result, 0, length)
    return text


# + - * as the expressions call them: whole numbers that fit DIGITS with a
# result that fits are done at once, the rest by the integer rules.


def plus(a_text: str, b_text: str, settings: NumericSettings) -> str:
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and digits <= FAST_DIGITS:
        if a[1] == 0 and b[1] == 0 and a[2] <= digits and b[2] <= digits:
            text = _whole_result(a[0] + b[0], digits)
            if text is not None:
                return text
        return _sum_text(a[0], a[1], a[2], b[0], b[1], b[2], digits, settings.form)
    return decimal_arithmetic("+", a_text, b_text, settings)


def sum_of_parts(ca: int, ea: int, na: int, cb: int, eb: int, nb: int, settings: NumericSettings):
    """``plus`` of two numbers whose parts are known (``minus``: ``cb``
    negated), as the compiled expressions call it with remembered parts
    (the texts are not looked up again); None where DIGITS is beyond
    FAST_DIGITS (the entry point's Decimal path then)."""
    digits = settings.digits
    if digits > FAST_DIGITS:
        return None
    if ea == 0 and eb == 0 and na <= digits and nb <= digits:
        text = _whole_result(ca + cb, digits)
        if text is not None:
            return text
    return _sum_text(ca, ea, na, cb, eb, nb, digits, settings.form)


def minus(a_text: str, b_text: str, settings: NumericSettings) -> str:
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and digits <= FAST_DIGITS:
        if a[1] == 0 and b[1] == 0 and a[2] <= digits and b[2] <= digits:
            text = _whole_result(a[0] - b[0], digits)
            if text is not None:
                return text
        return _sum_text(a[0], a[1], a[2], -b[0], b[1], b[2], digits, settings.form)
    return decimal_arithmetic("-", a_text, b_text, settings)


def times(a_text: str, b_text: str, settings: NumericSettings) -> str:
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and digits <= FAST_DIGITS:
        if a[1] == 0 and b[1] == 0 and a[2] <= digits and b[2] <= digits:
            text = _whole_result(a[0] * b[0], digits)
            if text is not None:
                return text
        return _fast("*", a, b, digits, settings.form)
    return decimal_arithmetic("*", a_text, b_text, settings)


def quotient(a_text: str, b_text: str, settings: NumericSettings) -> str:
    """a / b (the expressions' entry point)."""
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and b[0] and digits <= FAST_DIGITS:
        return _quotient_text(a[0], a[1], a[2], b[0], b[1], b[2], digits, settings.form)
    return decimal_arithmetic("/", a_text, b_text, settings)


def integer_quotient(a_text: str, b_text: str, settings: NumericSettings) -> str:
    """a % b (the expressions' entry point)."""
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and b[0] and a[1] == 0 and b[1] == 0 and a[2] <= digits and b[2] <= digits:
        ca, cb = a[0], b[0]
        quotient = abs(ca) // abs(cb)  # REXX truncates toward zero
        return _whole_result(-quotient if (ca < 0) != (cb < 0) else quotient, digits)
    return arithmetic("%", a_text, b_text, settings)


def integer_remainder(a_text: str, b_text: str, settings: NumericSettings) -> str:
    """a // b (the expressions' entry point): the sign of a."""
    a = _PARTS.get(a_text) or _parts(a_text)
    b = _PARTS.get(b_text) or _parts(b_text)
    digits = settings.digits
    if a and b and b[0] and a[1] == 0 and b[1] == 0 and a[2] <= digits and b[2] <= digits:
        ca, cb = a[0], b[0]
        rest = abs(ca) % abs(cb)
        return _whole_result(-rest if ca < 0 else rest, digits)
    return arithmetic("//", a_text, b_text, settings)


def arithmetic(op: str, a_text: str, b_text: str, settings: NumericSettings) -> str:
    """Apply a binary arithmetic operator to two REXX strings."""
    digits = settings.digits
    if digits <= FAST_DIGITS:
        a = _parts(a_text)
        if a:
            b = _parts(b_text)
            if b:
                quick = _fast(op, a, b, digits, settings.form)
                if quick is not None:
                    return quick
    return decimal_arithmetic(op, a_text, b_text, settings)


def decimal_arithmetic(op: str, a_text: str, b_text: str, settings: NumericSettings) -> str:
    """``arithmetic`` done entirely with Decimal (the reference)."""
    digits = settings.digits
    try:
        a = operand(a_text, digits)
        if op == "**":
            if parse_number(b_text) is None:
                raise RexxError(41, b_text)
            result = power(a, b_text, digits)
        else:
            result = ARITHMETIC[op](a, operand(b_text, digits), digits)
    except Overflow:  # beyond even the working exponent range: Error 42 too
        raise RexxError(42) from None
    return format_number(result, digits, settings.form)


def prefix(op: str, text: str, settings: NumericSettings) -> str:
    """Prefix + and -: 0+x and 0-x."""
    return (minus if op == "-" else plus)("0", text, settings)


def normalize(text: str, settings: NumericSettings) -> str:
    """A number as if 0 had been added to it (the form built-ins return)."""
    return plus("0", text, settings)
