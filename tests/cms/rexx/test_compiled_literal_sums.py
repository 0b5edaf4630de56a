"""x + n and x - n of a whole literal n in compiled code: where x is a
remembered number that is no whole one within DIGITS (numloop's
exponential S - 1, a fraction, a whole number of DIGITS digits) the sum
is made from x's remembered parts (numbers.sum_of_parts) and gives what
the tree walker gives: at DIGITS 5, 9, 16 and 1001 (beyond FAST_DIGITS:
the entry point), FORM ENGINEERING, signs, carries, a literal with
leading zeros, and the control variable at the DIGITS boundary."""

from __future__ import annotations

import pytest

from cms.rexx import numbers

from .rexxkit import count_calls, use_tree_walker
from .rexxkit import run_counted as run

VALUES = (
    "4.50002715E+10 -4.50002715E+10 9.99999999E+10 99999 999999999 -999999999 "
    "2.5 -0.5 0.000001 1.5E-7 7 0 1000000000 12345678901 -1.5E+20 5E+2 9.5 1E+1001"
)

SUMS = f"""
        values = '{VALUES}'
        do d = 1 to 5
          numeric digits word('5 9 16 9 1001', d)
          if d = 4 then numeric form engineering
          out = ''
          do a = 1 to words(values)
            x = word(values, a)
            y = x + 0
            out = out (y + 1) (y - 1) (y + 007) (y - 12345) (y + 999999999)
          end
          say d out
          numeric form scientific
        end
        numeric digits 5
        s = 9.9999E+4
        do i = 99980 to 99998
          s = s - 3
          t = i + 2
          u = i - 99999
        end
        say s t u
"""


@pytest.fixture
def counted_parts(monkeypatch):
    """The calls of numbers.sum_of_parts from compiled code."""
    return count_calls(monkeypatch, numbers, "sum_of_parts")


def test_literal_sums_from_parts_give_what_the_tree_gives(monkeypatch, counted_parts):
    compiled = run(SUMS)
    assert any(parts[4] == 0 and parts[3] in (1, -1) for parts in counted_parts)
    use_tree_walker(monkeypatch)
    assert run(SUMS) == compiled
