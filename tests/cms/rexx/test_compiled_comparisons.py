"""Compiled normal comparisons (expressions._CodeWriter.numbers_test) give
what the tree gives: remembered whole numbers compared as ints, numbers with
blanks, signs, exponents, fractions and strings that are no numbers, under
NUMERIC DIGITS and FUZZ, with an operation on the right kept an int."""

from __future__ import annotations

import pytest

from cms.rexx import expressions, instructions

from .rexxkit import expression_over_values as program
from .rexxkit import run_lines as run

VALUES = [
    " 500000", "500000 ", "500000", "500001", "-5", " - 5 ", "+5", "5.0", "5E0", "0.5E1",
    "123456789", "1234567890", "999999999", "-999999999", "abc", "", " ", "5x", "x5",
    "0005", "1e99999", "12345678901234567890", " 7 ", "\t7",
]  # fmt: skip

CASES = [
    ("x = 5", ""),
    ("x \\= y", ""),
    ("x < y", ""),
    ("x >= y", ""),
    ("x = k * 2", ""),
    ("x \\= k + 4", ""),
    ("x > k - 3", ""),
    ("x <= k // 3", ""),
    ("x = x || ' '", ""),
    ("' ' || x \\= x", ""),
    ("x < x || 'a'", ""),
    ("x = y", "numeric digits 5"),
    ("x < k * 2", "numeric digits 5"),
    ("x = y", "numeric fuzz 2"),
    ("x = k * 2", "numeric fuzz 3"),
    ("x \\= k * 100000", "numeric digits 6"),
]


@pytest.mark.parametrize(("expression", "numeric"), CASES)
def test_compiled_comparison_gives_what_the_tree_gives(monkeypatch, expression, numeric):
    lines = [f"y.{index} = '{value}'" for index, value in enumerate(reversed(VALUES), 1)]
    lines += [f"w.{index} = '{value}'" for index, value in enumerate(VALUES, 1)]
    lines += [
        f"do k = 1 to {len(VALUES)}",
        "  y = y.k; x = w.k; z = (y = 0) (x = 0)",  # parts remembered, as arithmetic leaves them
        "  say k (y = 0) (" + expression + ")",
        "  x = k * 3; y = k; say k (" + expression + ")",
        "end",
    ]
    lines = program("1", [], numeric)[:1] + lines
    compiled = run(lines)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    plain = run(lines)
    assert plain == compiled
    assert len(plain) >= len(VALUES)
