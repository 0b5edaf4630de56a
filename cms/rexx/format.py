"""FORMAT(number [,before] [,after] [,expp] [,expt]) (TRL2 4.4 "FORMAT").

The number is first rounded to NUMERIC DIGITS.  ``expt`` (default DIGITS)
is the trigger for exponential notation: used when the integer part needs
more than expt places or the decimal part more than twice expt; ``expp``
is the number of exponent digits, and 0 forbids exponential form.
``after`` rounds or extends the decimal part; ``before`` pads the integer
part with blanks on the left (too small is Error 40).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import numbers
from .errors import MAX_STRING, RexxError


def _bad() -> RexxError:
    return RexxError(40, "FORMAT")


def _arg(ex, args, index):
    if index >= len(args) or args[index] is None:
        return None
    try:
        value = numbers.whole_number(args[index], max(9, ex.frame.numeric.digits), 40)
    except RexxError:
        raise _bad() from None
    if value < 0:
        raise _bad()
    if value > MAX_STRING:
        raise RexxError(5, "FORMAT")
    return value


def format_function(ex, args) -> str:
    numeric = ex.frame.numeric
    digits = numeric.digits
    parsed = numbers.parse_number(args[0])
    if parsed is None:
        raise _bad()
    value = numbers._context(digits).plus(numbers._context(digits + 1, "ROUND_DOWN").plus(parsed))
    before, after, expp, expt = (_arg(ex, args, i) for i in range(1, 5))
    if before is None and after is None and expp is None and expt is None:
        return numbers.format_number(value, digits, numeric.form)
    if before is not None and before < 1:
        raise _bad()
    if expt is None:
        expt = digits
    negative = value < 0 and not value.is_zero()
    magnitude = value.copy_abs()  # exact (abs() rounds to 28 digits)
    sign, digit_tuple, exponent = magnitude.as_tuple()
    adjusted = magnitude.adjusted() if not magnitude.is_zero() else 0
    exponential = False
    if expp != 0 and not magnitude.is_zero():
        integer_places = adjusted + 1 if adjusted >= 0 else 1
        decimal_places = max(0, -exponent)
        if integer_places > expt or decimal_places > 2 * expt or (expt == 0 and adjusted != 0):
            exponential = True
    power = 0
    if exponential:
        shift = adjusted % 3 if numeric.form == "ENGINEERING" else 0
        power = adjusted - shift
        mantissa = magnitude.scaleb(-power, numbers._context(digits))
    else:
        mantissa = magnitude
    if after is not None:
        mantissa = _round(mantissa, after)
        if exponential and numeric.form != "ENGINEERING" and mantissa >= 10:
            power += 1
            mantissa = _round(magnitude.scaleb(-power, numbers._context(digits)), after)
        elif exponential and mantissa >= 1000:
            power += 3
            mantissa = _round(magnitude.scaleb(-power, numbers._context(digits)), after)
    text = f"{mantissa:f}"
    if "." in text:
        integer, fraction = text.split(".")
    else:
        integer, fraction = text, ""
    if after is None:
        fraction = fraction.rstrip("0") if exponential else fraction
    if mantissa.is_zero() and not fraction.strip("0"):
        negative = False
    integer = integer.lstrip("0") or "0"
    if negative:
        integer = "-" + integer
    if before is not None:
        if len(integer) > before:
            raise _bad()
        integer = integer.rjust(before)
    result = integer + ("." + fraction if fraction else "")
    if exponential and power != 0:
        power_digits = str(abs(power))
        if expp is not None:
            if len(power_digits) > expp:
                raise _bad()
            power_digits = power_digits.rjust(expp, "0")
        result += "E" + ("+" if power > 0 else "-") + power_digits
    elif exponential and expp is not None:
        # exponential form with a zero exponent: blanks keep columns aligned
        result += " " * (expp + 2)
    return result


def _round(value: Decimal, places: int) -> Decimal:
    quantum = Decimal((0, (1,), -places))
    return value.quantize(
        quantum,
        rounding=ROUND_HALF_UP,
        context=numbers._context(max(1, value.adjusted() + places + 3)),
    )
