"""A compiled loop keeps its control variable's value and digit count
(``width``) in locals: inline arithmetic on the control variable tests the
width against DIGITS, so the width must follow the value as it gains a
digit (I * 99999999 fits DIGITS 9 while I has one digit, not at I = 11)
even where the step no longer remembers the variable's string in
numbers' _PARTS (a cache: a body whose only call with the variable is an
entry point's fallback does not need it).  Compared with the tree walker."""

from __future__ import annotations

import pytest

from .rexxkit import run_counted as run
from .rexxkit import use_tree_walker, watch_compiled_loops

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
