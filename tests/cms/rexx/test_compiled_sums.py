"""x + y and x - y of two variables in compiled code whose parts are
remembered but are not two whole numbers within DIGITS (an exponential sum
such as numloop's 4.50002715E+10 + i, fractions, a result beyond DIGITS)
are added from the parts (numbers.sum_of_parts) and give what the tree
walker gives: at several DIGITS (the C path up to 15, the integer path
beyond, Decimal beyond FAST_DIGITS), FORM ENGINEERING, signs, rounding
carries, results rounded away, Error 42, and a halt or TRACE request in the
middle of a loop."""

from __future__ import annotations

import pytest

from cms.rexx import numbers

from .rexxkit import count_calls, halted_and_traced, use_tree_walker
from .rexxkit import run_counted as run

VALUES = (
    "4.50002715E+10 -4.50002715E+10 9.99999999E+10 1E+9 123456789 999999999 -999999999 "
    "2.5 -0.5 0.000001 1.5E-7 7 -7 0 1000000000 12345678901 -1.5E+20 5E+2 9.5"
)

SUMS = f"""
        values = '{VALUES}'
        signal on syntax
        do d = 1 to 7
          numeric digits word('3 5 9 12 15 16 20', d)
          if d = 4 then numeric form engineering
          if d = 5 then numeric form scientific
          out = ''
          do a = 1 to words(values)
            x = word(values, a)
            do b = 1 to words(values)
              y = word(values, b)
              out = out (x + y) (x - y) (y - x)
            end
          end
          say d out
        end
        numeric digits 9
        big = 9E+999999999
        say big + big
        exit
        syntax: say 'syntax' rc sigl
"""

NUMLOOP = """
        s = 4.50002715E+10
        t = -1.23456789E+9
        do i = 1 to 3000
          s = s + i
          t = t - i
          if i // 7 = 0 then s = s - 1
          if i = 1000 then numeric digits 12
          if i = 2000 then numeric digits 7
          if i = 2500 then numeric form engineering
        end
        say s t i
"""

HUGE = """
        numeric digits 1001
        s = 1E+1100
        do i = 1 to 30
          s = s + i
          u = s - i
        end
        say s u
"""


STEMS = f"""
        values = '{VALUES}'
        do j = 1 to words(values)
          a.j = word(values, j)
        end
        a.0 = ' 7 '
        n = words(values)
        do d = 1 to 4
          numeric digits word('5 9 15 20', d)
          total = 4.50002715E+10
          back = 0
          do j = 0 to n
            total = total + a.j
            back = a.j - back
            twice = a.j + a.j
          end
          say d total back twice
        end
        signal on syntax
        a.5 = 'abc'
        do j = 1 to 5
          total = total + a.j
        end
        exit
        syntax: say 'syntax' rc sigl j
"""

NOVALUE = """
        signal on novalue
        total = 1E+10
        do j = 1 to 5
          if j < 4 then b.j = j * 1E+9
          total = total - b.j
        end
        exit
        novalue: say 'novalue' condition('D') sigl j total
"""


@pytest.fixture
def counted_parts(monkeypatch):
    """The calls of numbers.sum_of_parts from compiled code."""
    return count_calls(monkeypatch, numbers, "sum_of_parts")


@pytest.mark.parametrize(
    "program",
    [SUMS, NUMLOOP, HUGE, STEMS, NOVALUE],
    ids=["sums", "numloop", "huge", "stems", "novalue"],
)
def test_sums_from_parts_give_what_the_tree_gives(monkeypatch, counted_parts, program):
    compiled = run(program)
    assert counted_parts, "the sums did not reach the parts path"
    use_tree_walker(monkeypatch)
    assert run(program) == compiled


def test_the_sums_cover_their_edges(counted_parts):
    out = run(SUMS)[0]
    assert out[-1] == "syntax 42 20"  # 9E+999999999 + itself (line 1 is blank)
    digits_9 = out[2].split()
    assert "4.50002715E+10" in digits_9 and "1.00000000E+11" in digits_9  # a carry
    assert any("E+" in word and "." not in word for word in out[3].split())  # ENGINEERING
    assert run(STEMS)[0][-1] == "syntax 41 22 5"  # a.5 = 'abc'
    assert run(NOVALUE)[0] == ["novalue B.4 6 4 4E+9"]
    huge = "1." + "0" * 1000 + "E+1100"  # i rounded away at DIGITS 1001 (Decimal's path)
    assert run(HUGE)[0] == [huge + " " + huge]


@pytest.mark.parametrize("at", [30, 31, 32, 33, 34, 700])
def test_halt_and_trace_in_a_loop_of_sums(monkeypatch, at):
    program = "        call on halt\n" + NUMLOOP + "        halt: say 'halt' sigl i s t\n"
    compiled, tree = halted_and_traced(monkeypatch, program, NUMLOOP, at)
    assert tree == compiled


def test_minus_negates_the_right_operand_only():
    settings = numbers.NumericSettings(9)
    x, y = "4.50002715E+10", "-1.5E+3"
    a, b = numbers._parts(x), numbers._parts(y)
    assert numbers.sum_of_parts(*a, -b[0], b[1], b[2], settings) == numbers.minus(x, y, settings)
    assert numbers.sum_of_parts(*a, *b, settings) == numbers.plus(x, y, settings)
    assert numbers.sum_of_parts(*a, *b, numbers.NumericSettings(1001)) is None


FILLED_STEM = """
        do i = 1 to 3000
          a.i = i * 3
        end
        total = 1E+10
        do j = 1 to 3000
          total = total + a.j
        end
        say total
"""


def test_a_stems_values_are_parsed_once_for_the_sum(monkeypatch, counted_parts):
    """A.I computed inline in a loop is not remembered in _PARTS: the
    compiled sum parses it itself and adds from the parts (numbers.plus
    does not look it up and parse it again)."""
    numbers._PARTS.clear()
    compiled = run(FILLED_STEM)
    assert len(counted_parts) >= 2900
    use_tree_walker(monkeypatch)
    assert (
        run(FILLED_STEM) == compiled == (["1.00135060E+10"], compiled[1], compiled[2])
    )  # as Regina 3.6
