"""INTERPRET inside compiled DO loops: the loop works out its whole-number
bound again only when an INTERPRET string moved DIGITS - FUZZ, and a string
run by its shape (no Program around its clause) behaves as the compiled
string does.  Each program runs with loops compiled and with compiling
turned off, and with shapes on and off: output, errors and clause counts
must be the same."""

from __future__ import annotations

import pytest

from cms.rexx import Interpreter, instructions
from cms.rexx.interprets import InterpretPrograms

PROGRAMS = {
    "digits drop under the control value": """
        do i = 99900 to 100010 by 10
          if i = 99950 then interpret 'numeric digits 5'
          x = i
        end
        say x i
    """,
    "fuzz drops the bound": """
        numeric digits 7
        do i = 99990 to 100010 by 2
          if i = 99996 then interpret 'numeric fuzz 2'
          x = i + 0
        end
        say x i digits() fuzz()
    """,
    "same precision, other settings": """
        numeric digits 7; numeric fuzz 2
        do i = 99990 to 100004
          if i = 99992 then interpret 'numeric digits 6; numeric fuzz 1'
          x = i
        end
        say x i digits() fuzz()
    """,
    "digits rise again": """
        numeric digits 5
        do i = 99990 to 100004
          if i = 99992 then interpret 'numeric digits 12'
          x = i
        end
        say x i
    """,
    "control changed by the string": """
        s = 0
        do i = 1 to 40
          interpret 's = s +' i
          if i = 20 then interpret 'i = 35'
        end
        say s i
    """,
    "shaped strings with an error": """
        signal on syntax
        y = 7
        do i = 1 to 40
          interpret 'x = y +' i
          if i = 30 then y = 'abc'
        end
        exit
        syntax:
          say 'syntax' rc 'line' sigl 'i' i 'x' x
          say sourceline(sigl)
    """,
    "shaped strings traced": """
        s = 0
        do i = 1 to 30
          if i = 25 then trace r
          interpret 's = s +' i
          interpret 'say s' i
        end
        say s
    """,
    "shaped strings return": """
        say f(7)
        exit
        f: procedure
          s = 0
          do i = 1 to 40
            interpret 's = s +' i * arg(1)
            if i = 33 then interpret 'return s'
          end
          return 'no'
    """,
}


def run(source: str) -> tuple[list[str], int]:
    out: list[str] = []
    interp = Interpreter(
        [line[8:] for line in source.splitlines()],
        output=out.append,
        trace_output=out.append,
    )
    interp.run()
    return out, interp.clauses


def uncompiled(monkeypatch, source: str):
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(InterpretPrograms, "_shaped", lambda self, string, line: None)
    try:
        return run(source)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_interpret_in_a_compiled_loop_as_the_clause_loop(monkeypatch, name):
    assert run(PROGRAMS[name]) == uncompiled(monkeypatch, PROGRAMS[name])


def test_digits_dropped_by_interpret_reach_the_loop():
    out, _ = run(PROGRAMS["digits drop under the control value"])
    assert out == ["1.0001E+5 1.0002E+5"]


def test_shaped_string_error_names_the_interpret_line():
    out, _ = run(PROGRAMS["shaped strings with an error"])
    assert out == ["syntax 41 line 5 i 31 x 37", "  interpret 'x = y +' i"]
