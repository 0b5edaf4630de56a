"""X2D('FF') + MAX(i, 5) - ABS(j) + k in compiled code: a chain of + and -
with built-ins of builtins.WHOLE among its operands adds their ints (and
the other operands' remembered whole numbers) while the sum stays within
DIGITS, and makes the string once (expressions whole_chain).  It must give
what the tree walker gives: sums past DIGITS in the middle of a chain,
DIGITS 2 (X2D('FF') is then the function's own), 3, 9, 12 and 45 (beyond
the int sums), FUZZ (MAX compares within DIGITS-FUZZ), fractions,
exponents, blanks, negative values, non-numbers (Error 41 in the order the
tree raises it, before a later operand's NOVALUE) and a halt or TRACE
request in the middle."""

from __future__ import annotations

import pytest

from .rexxkit import counted_then_tree, halted_and_traced, run_counted

VALUES = (
    "0 7 -7 5 99999999 -99999999 999999990 -999999990 999999999 123456789012 "
    "4.5E+7 1E+3 2.5 -0.5 12.0 9.99999999E+8 -1E+12"
)

CHAINS = f"""
        signal on syntax
        do d = 1 to 6
          if d = 6 then numeric fuzz 0
          numeric digits word('9 3 12 45 9 2', d)
          if d = 5 then numeric fuzz 2
          out = ''
          do v = 0 to words("{VALUES}")
            if v = 0 then i = ' 12 '
            else i = word("{VALUES}", v)
            do 3
              out = out (x2d('FF') + max(i, 5) + abs(-i))
              out = out (i - min(i, 5, 0) + 17 - abs(i) + x2d('7F'))
              out = out (max(i, 999999998) + max(i, 999999998) - i)
              out = out (-i + abs(i) + i + abs(i))
            end
          end
          say d out
        end
        exit
        syntax: say 'syntax' rc sigl d
"""

ERRORS = """
        signal on syntax
        signal on novalue
        u = 3
        do k = 1 to 12
          i = word('1 2 3 4 5 6 7 8 9 x', k)
          if k = 10 then drop u
          z = i + 2 + abs(u) - max(i, 1)
          y = x2d('FF') + i + abs(u)
        end
        exit
        syntax: say 'syntax' rc sigl k z y
        exit
        novalue: say 'novalue' condition('D') sigl k z y
"""

PREFIXED = """
        signal on syntax
        do k = 1 to 12
          i = word('1 -2 3.5 -4E+3 5 1E+12 0 -0 -999999999 B x', k)
          if i = 'B' then i = '  7 '
          z = abs(-i) + abs(+i) + max(k, 2) - abs(-k)
          say z
        end
        exit
        syntax: say 'syntax' rc sigl k
"""

LOOP = """
        d = 0
        do i = 1 to 300
          d = x2d('FF') + max(i, 5) + abs(-i) + d
          if i = 150 then numeric digits 5
        end
        say d
"""


@pytest.mark.parametrize("program", [CHAINS, ERRORS, LOOP], ids=["chains", "errors", "loop"])
def test_whole_chains_give_what_the_tree_gives(monkeypatch, program):
    compiled, tree = counted_then_tree(monkeypatch, program)
    assert tree == compiled


def test_whole_chains_at_their_edges():
    out = run_counted(CHAINS)[0]
    assert "1.99999999E+9" in out[0].split()  # 999999998 + 999999998 rounded, - 12
    assert "2.00E+9" in out[1].split()  # at DIGITS 3
    assert "2000000253" in out[2].split()  # 255 + 999999999 + 999999999 at DIGITS 12
    assert "1000000000260" in out[3].split()  # DIGITS 45: no int sums, same result
    assert out[-1] == "syntax 40 12 6"  # X2D('FF') at DIGITS 2: Error 40
    # Error 41 for I = 'x' (line 8) before the NOVALUE of U, dropped then
    assert run_counted(ERRORS)[0] == ["syntax 41 8 10 5 267"]
    assert run_counted(LOOP)[0] == run_counted(LOOP.replace("x2d('FF')", "255"))[0]
    assert run_counted(PREFIXED)[0][-3:] == ["2.00000000E+9", "14", "syntax 41 6 11"]


@pytest.mark.parametrize("at", [40, 41, 42, 43, 600])
def test_halt_and_trace_in_a_loop_of_whole_chains(monkeypatch, at):
    program = "        call on halt\n" + LOOP + "        exit\n        halt: say 'halt' sigl i d\n"
    compiled, tree = halted_and_traced(monkeypatch, program, LOOP, at)
    assert tree == compiled
