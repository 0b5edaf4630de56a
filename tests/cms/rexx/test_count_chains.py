"""x + LENGTH(s) + POS(n, s) - WORDS(t) in compiled code: the counts are
added on the first operand's int and the sum made a string once at the
end (expressions count_chain).  It must give what the tree walker gives
for first operands at and around DIGITS (9, 3, 12), negative ones,
exponential forms, fractions, blanks and non-numbers (Error 41 before the
next count's NOVALUE, as the tree evaluates left to right), counts of
literals (folded at compile time) and chains longer than the int path
takes."""

from __future__ import annotations

import pytest

from .rexxkit import counted_then_tree, run_counted

VALUES = (
    "0 7 -7 99999999 -99999999 999999990 -999999990 999999999 123456789012 "
    "4.5E+7 1E+3 2.5 -0.5 12.0 9.99999999E+8"
)

CHAINS = f"""
        s = 'abcabc'
        t = 'a b  c'
        do d = 1 to 3
          numeric digits word('9 3 12', d)
          out = ''
          do v = 0 to words("{VALUES}")
            if v = 0 then c = ' 12 '
            else c = word("{VALUES}", v)
            do 3
              out = out (c + length(s) + pos('c', s) + words(t))
              out = out (c - length(s) + pos('ca', s, 2) - words(t))
              out = out (c + length('abc') + words('x y'))
              out = out (c + length(s) - length(s) + length(s) - length(s))
            end
          end
          say d out
        end
"""

LONG = """
        s = copies('x', 1000000)
        c = 9999999
        do 3
          k = c"""


ERRORS = """
        signal on syntax
        signal on novalue
        s = 'abc'
        u = s
        do i = 1 to 12
          c = word('1 2 3 4 5 6 7 8 9 x', i)
          if i = 10 then drop u
          z = c + length(s) + pos('b', u)
        end
        exit
        syntax: say 'syntax' rc sigl i z
        exit
        novalue: say 'novalue' condition('D') sigl i z
"""


def _long_chain(count: int) -> str:
    return LONG + " + length(s)" * count + "\n        end\n        say k\n"


@pytest.mark.parametrize(
    "program",
    [CHAINS, ERRORS, _long_chain(50), _long_chain(51)],
    ids=["chains", "errors", "fifty", "fifty-one"],
)
def test_count_chains_give_what_the_tree_gives(monkeypatch, program):
    compiled, tree = counted_then_tree(monkeypatch, program)
    assert tree == compiled


def test_count_chains_at_their_edges():
    out = run_counted(CHAINS)[0]
    digits_9 = out[0].split()
    assert "1.00000000E+9" in digits_9  # 999999990 + 12: past DIGITS, rounded
    assert "-99999987" in digits_9  # -99999999 + 12, within DIGITS
    assert "1.00E+8" in out[1].split()  # 99999999 + 12 at DIGITS 3
    assert "1000000002" in out[2].split()  # 999999990 + 12 at DIGITS 12
    assert run_counted(_long_chain(50))[0] == ["59999999"]
    assert run_counted(_long_chain(51))[0] == ["60999999"]
    # Error 41 for C = 'x' comes before the NOVALUE of U (dropped then)
    assert run_counted(ERRORS)[0] == ["syntax 41 9 10 14"]
