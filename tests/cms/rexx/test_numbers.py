"""The integer arithmetic of cms.rexx.numbers gives the Decimal reference's
results exactly: the same strings, the same errors, on many random operands
of every shape (signs, blanks, leading and trailing zeros, exponents, zero
in its forms) at many NUMERIC DIGITS, FUZZ and FORM settings."""

from __future__ import annotations

import random

import pytest

from cms.rexx import numbers
from cms.rexx.errors import RexxError
from cms.rexx.numbers import NumericSettings

#: The functions compiled expressions call for each operator.
ENTRY_POINTS = {
    "+": numbers.plus,
    "-": numbers.minus,
    "*": numbers.times,
    "%": numbers.integer_quotient,
    "//": numbers.integer_remainder,
    "/": numbers.quotient,
}


def random_number(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.05:
        return rng.choice(["0", "-0", "0.000", "0E5", "00", " 0 ", "+0.0"])
    length = rng.choice([1, 1, 2, 3, 5, 8, 9, 10, 11, 15, 20, 30, 55])
    digits = "".join(rng.choice("0123456789") for _ in range(length))
    if rng.random() < 0.3:
        digits = digits.rstrip("0") + "0" * rng.randint(0, 4)
    if rng.random() < 0.3 and len(digits) > 1:
        point = rng.randint(0, len(digits))
        digits = digits[:point] + "." + digits[point:]
        if digits == ".":
            digits = "0.5"
    if rng.random() < 0.2:
        digits = "0" * rng.randint(1, 3) + digits
    if rng.random() < 0.2:
        digits += f"E{rng.choice(['', '+', '-'])}{rng.randint(0, 40)}"
    if rng.random() < 0.05:
        digits += "e-" + str(rng.randint(0, 3))
    sign = rng.choice(["", "", "", "-", "+", "- "])
    pad = rng.choice(["", "", "", " "])
    return pad + sign + digits + pad


def outcome(function, *args):
    try:
        return function(*args)
    except RexxError as error:
        return f"Error {error.number}"


def reference_compare(a: str, b: str, settings: NumericSettings) -> int | None:
    if numbers.parse_number(a) is None or numbers.parse_number(b) is None:
        return None
    precision = settings.digits - settings.fuzz
    difference = numbers.subtract(
        numbers.operand(a, precision), numbers.operand(b, precision), precision
    )
    return 0 if difference.is_zero() else (-1 if difference < 0 else 1)


@pytest.mark.parametrize("seed", range(6))
def test_integer_rules_match_decimal(seed):
    rng = random.Random(seed)
    wrong = []
    for _ in range(3000):
        settings = NumericSettings(
            digits=rng.choice([1, 2, 3, 5, 9, 9, 9, 12, 20, 50]),
            form=rng.choice(["SCIENTIFIC", "SCIENTIFIC", "ENGINEERING"]),
        )
        settings.fuzz = rng.choice([0, 0, 0, min(2, settings.digits - 1)])
        a, b = random_number(rng), random_number(rng)
        for op in ("+", "-", "*", "/", "%", "//"):
            numbers._PARTS.clear() if rng.random() < 0.5 else None
            fast = outcome(numbers.arithmetic, op, a, b, settings)
            slow = outcome(numbers.decimal_arithmetic, op, a, b, settings)
            if fast != slow:
                wrong.append(f"{a!r} {op} {b!r} digits {settings.digits}: {fast} != {slow}")
            direct = outcome(ENTRY_POINTS[op], a, b, settings)
            if direct != slow:
                wrong.append(f"{a!r} {op} {b!r} digits {settings.digits}: {direct} != {slow}")
            again = outcome(numbers.arithmetic, op, fast, b, settings)  # a result reused
            if again != outcome(numbers.decimal_arithmetic, op, fast, b, settings):
                wrong.append(f"{fast!r} {op} {b!r} digits {settings.digits}: {again}")
        if numbers.compare(a, b, settings) != reference_compare(a, b, settings):
            wrong.append(f"compare {a!r} {b!r} digits {settings.digits} fuzz {settings.fuzz}")
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize(
    ("op", "a", "b", "digits", "expected"),
    [
        ("+", "999999999", "1", 9, "1.00000000E+9"),
        ("+", "1", "1E-20", 9, "1.00000000"),
        ("-", "1.25", "1.235", 3, "0.02"),
        ("+", "4.50002715E+10", "300000", 9, "4.50005715E+10"),
        ("*", "999.5", "1", 3, "1.00E+3"),
        ("+", "1.000000004", "-1", 9, "0"),
    ],
)
def test_known_results(op, a, b, digits, expected):
    assert numbers.arithmetic(op, a, b, NumericSettings(digits=digits)) == expected


def test_remembered_results_beyond_the_exponent_limit_are_error_42():
    """A result's parts are remembered, so the next operation on it takes the
    integer rules even when its exponent is past what a parsed string gets
    them for: a result beyond 999999999 must still be Error 42 there (as
    the Decimal reference's exponent check), not a number."""
    settings = NumericSettings()
    value = "9E+99999999"
    steps = []
    for _ in range(8):
        fast = outcome(numbers.times, value, value, settings)
        numbers._PARTS.pop(value, None)
        slow = outcome(numbers.decimal_arithmetic, "*", value, value, settings)
        steps.append((fast, slow))
        if fast.startswith("Error"):
            break
        value = fast
    assert all(fast == slow for fast, slow in steps), steps
    assert steps[-1][0] == "Error 42"
    tiny = outcome(numbers.times, "1E-99999999", "1E-99999999", settings)
    assert outcome(numbers.plus, tiny, "1E-999999990", settings) == "1.00000000E-199999998"
    huge = outcome(numbers.times, "9E+99999999", "9E+99999999", settings)
    assert outcome(numbers.times, huge, "1E+99999999", settings) == "8.1E+299999998"


def test_decimal_overflow_is_error_42():
    """Numbers whose exponents exceed even the Decimal working range give
    Error 42, not an internal failure."""
    settings = NumericSettings()
    assert outcome(numbers.arithmetic, "*", "1E+1500000000", "1E+1500000000", settings) == (
        "Error 42"
    )
