"""A compiled loop keeps its control variable's value and digit count
(``width``) in locals: inline arithmetic on the control variable tests the
width against DIGITS, so the width must follow the value as it gains a
digit (I * 99999999 fits DIGITS 9 while I has one digit, not at I = 11)
even where the step no longer remembers the variable's string in
numbers' _PARTS (a cache: a body whose only call with the variable is an
entry point's fallback does not need it).  Compared with the tree walker."""

from __future__ import annotations

import pytest

from .rexxkit import compiled_then_tree, use_tree_walker, watch_compiled_loops
from .rexxkit import run_counted as run

GROWING = """
        do i = 1 to 12
          x = i * 99999999
        end
        say x
        do i = 1 to 12
          a.i = i * 99999999
        end
        say a.11 a.12
        do i = 95 to 120
          y = i * 9999999
          z = i // 7
        end
        say y z
        do i = -12 to -1 by 1
          w = i * 99999999
        end
        say w
        do i = 1 to 1200 by 100
          v = i * 999999
        end
        say v
"""

FALLBACK = """
        s = 4.50002715E+10
        do i = 1 to 3000
          s = s + i
          if i // 7 = 0 then s = s - 1
          if i = 999 then s = ' 7 '
        end
        say s
        numeric digits 5
        t = 0
        do i = 9990 to 10020
          t = t + i
          if i // 3 = 0 then t = t - 1
        end
        say t i
"""


@pytest.mark.parametrize("program", [GROWING, FALLBACK], ids=["growing", "fallback"])
def test_compiled_loops_follow_the_control_width(monkeypatch, program):
    compiled_loops = watch_compiled_loops(monkeypatch)
    try:
        compiled = run(program)
    except Exception:  # the plain run below tells what it should have said
        compiled = None
    assert compiled_loops, "no loop ran compiled"
    monkeypatch.undo()
    use_tree_walker(monkeypatch)
    assert run(program) == compiled


def test_a_product_beyond_digits_is_exponential():
    out = run(GROWING)[0]
    assert out[0] == "1.19999999E+9"  # 12 * 99999999 at DIGITS 9
    assert out[1] == "1.09999999E+9 1.19999999E+9"
    assert out[3] == "-99999999"
    assert out[4] == "1.10099890E+9"


# A body of pure clauses reads NUMERIC DIGITS and FUZZ once, when its
# compiled loop starts: the same loop entered again under other settings
# (an outer loop, a routine called at several DIGITS) must see them.
SETTINGS = """
        out = ''
        do d = 1 to 6
          numeric digits word('9 4 12 5 20 9', d)
          numeric fuzz word('0 1 2 0 3 1', d)
          s = 4.50002715E+10
          c = 0
          do i = 990 to 1030
            s = s + i
            if i // 7 = 0 then s = s - 1
            if i * 3 = 2997 then c = c + 1
            if s > 4.5000E+10 then c = c + 2
          end
          out = out s c
        end
        say out
        say total(3) total(15) total(9)
        exit
        total: procedure
          numeric digits arg(1)
          t = 0
          do j = 1 to 30
            t = t + j * 99999999
          end
          return t
"""


def test_compiled_loops_read_the_settings_at_each_entry(monkeypatch):
    compiled, tree = compiled_then_tree(monkeypatch, run, SETTINGS)
    assert tree == compiled


@pytest.mark.parametrize("halt", [40, 41, 42, 43, 300, 301])
def test_a_halt_in_a_pure_loop_gives_what_the_tree_gives(monkeypatch, halt):
    compiled = run(FALLBACK, halt=halt)
    use_tree_walker(monkeypatch)
    assert run(FALLBACK, halt=halt) == compiled
