"""x + y and x - y with a compound variable operand (TOTAL + A.J) in
compiled code parse the compound's value through numbers.compound_parts: a
plain whole number of at most 18 digits without leading zeros at once (the
compiled build's loop on C integers), anything else through _parts.  The
sums give what the tree walker gives for leading zeros, blanks, signs,
exponents, fractions, more digits than DIGITS (and than 18), digits that
are not ASCII, the empty string and words (Error 41), in both builds."""

from __future__ import annotations

import pytest

from cms.rexx import numbers

from .rexxkit import compiled_then_tree, use_tree_walker
from .rexxkit import run_counted as run

VALUES = [
    "7",
    "1350000",
    "0",
    "007",
    "0.0",
    " 7 ",
    "-5",
    "+5",
    "1E3",
    "999999999",
    "1000000000",
    "123456789012",
    "999999999999999999",
    "123456789012345678",
    "1234567890123456789",
    "99999999999999999999999",
    "2.5",
    "\u0663",
]


def program(values: list[str], digits: int) -> str:
    fills = "\n".join(f"        a.{n} = '{value}'" for n, value in enumerate(values, 1))
    return f"""
{fills}
        numeric digits {digits}
        do r = 1 to 3
          total = 4.50002715E+10
          small = 0
          do j = 1 to {len(values)}
            total = total + a.j
            small = a.j - small
            twice = a.j + a.j
            say j total small twice
          end
        end
"""


@pytest.mark.parametrize("digits", [5, 9, 15, 20])
def test_compound_sums_give_what_the_tree_gives(monkeypatch, digits):
    source = program(VALUES, digits)
    compiled, tree = compiled_then_tree(monkeypatch, run, source)
    assert tree == compiled


@pytest.mark.parametrize("bad", ["", "abc", "12a", "1 2"])
def test_a_compound_that_is_no_number_is_error_41(monkeypatch, bad):
    source = program([*VALUES[:12], bad], 9)
    compiled = run(source)
    use_tree_walker(monkeypatch)
    assert run(source) == compiled


@pytest.mark.parametrize(
    "text",
    ["7", "1350000", "0", "007", " 7", "-5", "1E3", "2.5", "", "abc", "\u0663", "9" * 18, "9" * 19],
)
def test_compound_parts_are_the_parts_of_the_number(text):
    expected = numbers._parts(text) or None
    numbers._PARTS.clear()
    assert numbers.compound_parts(text) == expected
