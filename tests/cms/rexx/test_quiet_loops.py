"""Compiled loops whose clauses call only built-ins of builtins.QUIET (no
label taking the name), PARSE VAR/VALUE into simple variables, and SAY
of such expressions: those clauses are counted in the loop's locals and a
body of them reads the variables it does not assign once, before the loop.
They must give what the clause loop and the tree walker give: output,
clause count and halt calls, with HI or a TRACE request at every clause
of an iteration, NOVALUE and errors (their SIGL and line) in the middle,
an internal routine or VALUE() changing a variable the loop reads, a
PARSE assigning the control variable, and the control variable's width
followed as its value grows past NUMERIC DIGITS."""

from __future__ import annotations

import pytest

from cms.rexx import instructions

from .rexxkit import (
    both_ways,
    counted_then_tree,
    run_counted,
    use_tree_walker,
    watch_compiled_loops,
)

BUILTINS = """
        c = 0
        do i = 1 to 60
          s = copies('ab', 2) || reverse(i)
          c = c + length(s) + pos('ba', s) + words('a b c' i)
          t = translate(left(s, 8), 'XY', 'ab')
          u = strip('  ' t '  ')
          h = c2x(substr(u, 1, 3)) d2x(i) x2c(41) datatype(i, 'W')
          d = x2d('FF') + max(i, 5) + abs(-i) + sign(i) + min(i, 30) + trunc(i / 7)
          v = space(overlay('zz', u, 2)) format(i, 4) upper(u) digits()
        end
        say c t u h d v
"""

PARSING = """
        n = 0
        do i = 1 to 40
          line = 'field'i 'value'i || ',' i * 2
          parse var line a b ',' c
          if c \\= i * 2 then say 'bad' i
          parse value a b with 1 first 3 . +2 rest '' =(n) again
          w = word(line, 2) first rest again
          if i // 9 = 0 then say w n
        end
        say a b c w
"""

# DIGITS 3: i * 2 and i + 1 go past DIGITS while the loop runs
GROWING = """
        numeric digits 3
        do i = 1 to 600
          z = i * 2
          w = i + 1
          parse value i with a
          v = a * 9 + length(i)
        end
        say z w v i
"""


@pytest.mark.parametrize("program", [BUILTINS, PARSING, GROWING], ids=["bifs", "parse", "digits"])
def test_quiet_loops_give_what_the_tree_gives(monkeypatch, program):
    compiled, tree = counted_then_tree(monkeypatch, program)
    assert "error" not in " ".join(compiled[0])
    assert tree == compiled


def test_the_control_variables_width_follows_it_past_digits():
    """z = i * 2 at DIGITS 3 is 1.20E+3 for i = 600 (as Regina 3.6 says):
    the width the inline product tests is the control value's own."""
    assert run_counted(GROWING)[0] == ["1.20E+3 601 5.40E+3 601"]
    plain = "\n".join(GROWING.splitlines()[:5] + ["        end", "        say z w i"])
    assert run_counted(plain)[0] == ["1.20E+3 601 601"]


def _pure_clauses(monkeypatch, program: str) -> set[int]:
    """The lines of the clauses the compiled loop counted in its locals."""
    compiled = watch_compiled_loops(monkeypatch)
    run_counted(program)
    assert compiled, "the loop did not run compiled"
    do = compiled[0]
    code = do.loop.__globals__["_code"]
    return {code[at].line for at in do.loop.__globals__["_PURE"]}


def test_clauses_of_quiet_builtins_and_parse_are_counted_in_locals(monkeypatch):
    pure = _pure_clauses(monkeypatch, BUILTINS)
    assert set(range(4, 11)) <= pure  # every assignment, each calling built-ins
    pure = _pure_clauses(monkeypatch, PARSING)
    assert {5, 6, 8, 9} <= pure  # both PARSEs, the WORD assignment


@pytest.mark.parametrize("program", [BUILTINS, PARSING])
def test_halt_at_each_clause_of_a_quiet_loop(monkeypatch, program):
    source = "        call on halt\n" + program + "        exit\n        halt: say 'halt' sigl i\n"
    for at in range(30, 52):
        compiled, plain = both_ways(monkeypatch, source, halt=at)
        assert compiled == plain, at


@pytest.mark.parametrize("program", [BUILTINS, PARSING])
def test_trace_request_at_each_clause_of_a_quiet_loop(monkeypatch, program):
    for at in (30, 33, 36, 39, 42, 45, 48):
        compiled, plain = both_ways(monkeypatch, program, trace_request_at=at)
        assert compiled == plain, at


ROUTINE_CHANGES = """
        n = 0
        k = 0
        do i = 1 to 30
          k = n + length(i)
        end
        say k n
        m = 0
        do i = 1 to 30
          j = m + value('M', i)
        end
        say j m
        exit
        length: n = n + 1
        return 1
"""


def test_a_label_or_value_changing_a_variable_is_no_quiet_call(monkeypatch):
    """LENGTH taken by a label (it changes N) and VALUE (it sets M) are
    calls: the loop reads N and M again after them."""
    compiled = run_counted(ROUTINE_CHANGES)
    assert compiled[0] == ["30 30", "58 30"]
    use_tree_walker(monkeypatch)
    assert run_counted(ROUTINE_CHANGES) == compiled


CONTROL_PARSED = """
        do i = 1 to 30
          s = reverse(i)
          parse value i + 4 with i .
        end
        say i s
"""

NOVALUE = """
        signal on novalue
        do i = 1 to 30
          s = left(i, 3)
          if i = 25 then drop t
          t = reverse(s)
          u = copies(t, 2) || x
          parse var u 1 first +1 (pattern) last
        end
        exit
        novalue: say 'novalue' condition('D') sigl i
"""

ERRORS = """
        signal on syntax
        do i = 1 to 30
          s = left(i, 3)
          p = 27 - i
          t = substr(s, p) x2d('FF')
        end
        exit
        syntax: say 'syntax' rc sigl i
"""

POSITION = """
        signal on syntax
        p = 3
        do i = 1 to 30
          s = 'abcdef' || i
          if i = 20 then p = 'x'
          parse var s 1 a =(p) b
        end
        exit
        syntax: say 'syntax' rc sigl i a b
"""


@pytest.mark.parametrize(
    "program, expected",
    [
        (CONTROL_PARSED, ["31 62"]),
        (NOVALUE, ["novalue X 7 1"]),
        (ERRORS, ["syntax 40 6 27"]),
        (POSITION, ["syntax 26 7 20 ab cdef19"]),
    ],
    ids=["control", "novalue", "error", "position"],
)
def test_conditions_and_the_control_variable_in_quiet_loops(monkeypatch, program, expected):
    compiled = run_counted(program)
    assert compiled[0] == expected
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "CALLS_BEFORE_COMPILING", 10**9)
    assert run_counted(program) == compiled
    use_tree_walker(monkeypatch)
    assert run_counted(program) == compiled
