"""Where the host gives no halt() callback (the ``vm370 rexx`` command), a
compiled loop of pure clauses keeps the simple variables it assigns (and
its control variable) in locals and stores them in the pool whenever its
function ends.  Compared with the tree walker: whatever sees the pool
afterwards (the loop's end, LEAVE, the END stepping aside for a changed
control variable, a SIGNAL ON NOVALUE or SYNTAX handler, an error without
a handler, a routine the clause loop calls between two entries of the
loop, a SAY in the loop's body, which reads the pool) sees every value as
the tree leaves it, also a variable unset when the loop starts, and
V = V || X still appends in place."""

from __future__ import annotations

import pytest

from .rexxkit import run_lines, use_tree_walker, watch_compiled_loops

PROGRAMS = {
    "end": """
        s = 4.50002715E+10
        do i = 1 to 3000
          s = s + i
          if i // 7 = 0 then s = s - 1
          k = 'K'i // 97
        end
        say s k i
    """,
    "unset": """
        do i = 1 to 40
          say i u
          u = i * 2
          w = w || i
        end
        say u i w
    """,
    "leave": """
        t = 0
        do j = 1 to 100
          t = t + j
          if t > 500 then leave
          last = j
        end
        say t j last
    """,
    "control": """
        c = 0
        do i = 1 to 60
          c = c + 1
          if i = 30 then i = 50
        end
        say c i
    """,
    "novalue": """
        signal on novalue
        a = 0
        do i = 1 to 50
          a = a + i
          if i = 40 then b = a + nothere
        end
        exit
        novalue: say 'novalue' condition('D') sigl a i
    """,
    "syntax": """
        signal on syntax
        s = 1
        x = 'abc'
        do i = 1 to 50
          s = s * 2
          if i = 45 then s = s + x
        end
        exit
        syntax: say 'syntax' rc sigl s i
    """,
    "error": """
        n = 1
        do i = 1 to 50
          n = n * 3
          if i = 44 then n = n / 0
        end
    """,
    "between": """
        do r = 1 to 3
          call show
          do i = 1 to 20
            v = r * 100 + i
          end
        end
        call show
        exit
        show: say 'show' r v i
          return
    """,
    "say": """
        s = 0
        do i = 1 to 300
          s = s + i
          say s
        end
    """,
    "append": """
        s = ''
        do i = 1 to 2000
          s = s || 'ab'
          n = length(s)
        end
        say n i
    """,
}


def lines_of(source: str) -> list[str]:
    return [line[8:] for line in source.splitlines()]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_deferred_stores_give_what_the_tree_gives(monkeypatch, name):
    lines = lines_of(PROGRAMS[name])
    loops = watch_compiled_loops(monkeypatch)
    compiled = run_lines(lines)
    assert loops or name in ("error", "novalue", "syntax"), (
        "no loop ran compiled"
    )  # raised in _body
    monkeypatch.undo()
    use_tree_walker(monkeypatch)
    assert run_lines(lines) == compiled


def test_the_programs_end_as_expected():
    assert run_lines(lines_of(PROGRAMS["error"]))[-1] == "error 42"
    assert run_lines(lines_of(PROGRAMS["leave"])) == ["528 32 31"]
    assert run_lines(lines_of(PROGRAMS["novalue"])) == ["novalue NOTHERE 6 820 40"]
