"""Compiled routine bodies and loop bodies of every shape (cms.rexx.loops)
behave exactly as the clause loop: the same output, errors, tracebacks,
clause counts, HALT (HI) and TS at every clause boundary.  Each program
runs with routines and loops compiled after their first uses and with
compiling turned off; everything it shows and counts must be the same."""

from __future__ import annotations

import pytest

from cms.rexx import instructions

from .rexxkit import both_ways, watch_compiled_loops
from .rexxkit import run_counted as run

ROUTINE_PROGRAMS = {
    "recursion": """
        say fib(12) fact(15)
        exit
        fib: procedure
          arg n
          if n < 2 then return n
          return fib(n - 1) + fib(n - 2)
        fact: procedure
          parse arg n
          if n <= 1 then return 1
          else return n * fact(n - 1)
    """,
    "else if chains and select": """
        do i = 1 to 12
          say kind(i) grade(i * 9)
        end
        exit
        kind: procedure
          parse arg n
          if n // 6 = 0 then r = 'six'
          else if n // 3 = 0 then r = 'three'
          else if n // 2 = 0 then do
            r = 'two'
            r = r'!'
          end
          else r = 'odd'
          return r
        grade: procedure
          select
            when arg(1) > 90 then return 'A'
            when arg(1) > 60 then do; x = 'B'; return x; end
            when arg(1) > 30 then nop
            otherwise return 'D'
          end
          return 'C'
    """,
    "expose and result": """
        n = 0; s. = 0
        do i = 1 to 10
          call bump i
          n = n + result
          n = n + twice(i)
        end
        say n s.3 s.10 v
        exit
        bump: procedure expose s.
          k = arg(1)
          s.k = k * 3
          return arg(1) + 1
        twice: procedure expose n v
          parse arg w
          v = w
          return w * 2
    """,
    "arguments and calls": """
        result = 'unset'
        do i = 1 to 5
          call up 'aBc' || i
          say result
          call low 'DeF'i
          say result
          call none
          say result
          call up , 'second'
          say result
          call 'LENGTH' 'quoted'
          say result
          call length 'xyz'
          say result
          call noval
          say result
        end
        exit
        up: procedure
          arg v
          return '<'v'>' arg()
        low: procedure
          parse lower arg w
          return w
        none:
          return
        noval: procedure
          parse arg z
          return '['z']'
    """,
    "exposure chains": """
        a = 1; b.1 = 'b1'; list = 'a c'; result = 'set'
        do i = 1 to 5
          call outer i
          say a b.1 b.2 c d result
        end
        exit
        outer: procedure expose a b. list
          call inner arg(1)
          d = 'local'
          return
        inner: procedure expose (list) b.1 b.2
          a = a + arg(1)
          c = arg(1)
          b.2 = b.1 || arg(1)
          return c
    """,
    "no procedure": """
        do i = 1 to 6
          call setx i
        end
        say x y sigl
        exit
        setx:
          x = arg(1) * 2; y = sigl
          return
    """,
    "procedure too late": """
        do i = 1 to 5
          call late i
        end
        exit
        late:
          say 'in late' arg(1)
          if arg(1) = 5 then procedure
          return
    """,
    "error in a routine": """
        do i = 1 to 6
          say inv(5 - i)
        end
        exit
        inv: procedure
          return 1 / arg(1)
    """,
    "syntax trapped in a routine": """
        signal on syntax
        do i = 1 to 6
          say inv(5 - i)
        end
        exit
        syntax: say 'syntax' rc 'at' sigl; exit
        inv: procedure
          x = arg(1)
          return 1 / x
    """,
    "novalue in a routine": """
        do i = 1 to 5
          say look(i)
        end
        exit
        look: procedure
          signal on novalue
          if arg(1) = 4 then return undefined
          return arg(1)
          novalue: return 'novalue' condition('D') sigl
    """,
    "no result": """
        do i = 1 to 6
          say maybe(i)
        end
        exit
        maybe:
          if arg(1) < 5 then return arg(1)
          return
    """,
    "function without return": """
        do i = 1 to 6
          x = noreturn(i)
          say x
        end
        exit
        noreturn:
          if arg(1) > 4 then exit 'exit from' arg(1)
          return i
    """,
    "loops in routines": """
        say sum(10) sum(20) sum(30) sum(40) firstbig(50)
        exit
        sum: procedure
          t = 0
          do j = 1 to arg(1)
            if j // 5 = 0 then iterate
            t = t + j
            if t > 300 then leave
          end
          return t j
        firstbig: procedure
          do k = 1 to 100
            do m = 1 to 3
              if k * m > arg(1) then return k m
            end
          end
    """,
    "loop bodies of every shape": """
        out = ''
        do i = 1 to 40
          select
            when i // 15 = 0 then out = out 'FB'
            when i // 5 = 0 then do; out = out 'B'; iterate; end
            when i // 3 = 0 then out = out 'F'
            otherwise nop
          end
          if i = 37 then leave
          do j = 1 to 2
            out = out || j
          end
          if i > 30 then do
            interpret 'out = out' i
            signal on novalue
          end
        end
        say out i
        do forever
          n = n + 1
          if n > 3 then leave
        end
        exit
        novalue: say 'novalue' condition('D') 'at' sigl
    """,
    "loop steps": """
        do i = 99980 to 100010 by 3 for 12
          if i > 99995 then numeric digits 5
          x = x i
        end
        say x
        say i
        numeric digits 9
        y = ''
        do i = 40 to -10 by -4 for 11
          y = y i
        end
        say y i
        do i = 1 by 0 for 12
          z = i
        end
        say z i
        w = ''
        do i = 1 to 30
          if i = 10 then i = 20
          w = w i
        end
        say w i
        do i = 999999990 to 999999999 + 5 for 20
          v = i
        end
        say v i
        fuzzy = ''
        do i = 99990 to 100005 by 2
          if i = 99998 then numeric fuzz 4
          fuzzy = fuzzy i
        end
        say fuzzy i
    """,
    "compound tails": """
        m. = 'none'
        do i = 1 to 12
          do j = 1 to 3
            m.i.j = i * j
          end
          m.i.x = 'x'i
          k.i..j = i
          n.i.7 = m.i.2 || m.i.x.j
        end
        drop m.3.2
        say m.2.3 m.12.x m.3.2 m.13.1 k.5..4 n.4.7 m.i.j
        x = 2
        say m.4.x
        do i = 1 to 6
          call fill i
        end
        say m.5.2.1 m.6.x.1
        signal on novalue
        do i = 1 to 5
          say q.i.j
        end
        exit
        fill: procedure expose m.
          parse arg i
          do j = 1 to 2
            m.i.j.1 = i j
            t = m.i.j
          end
          x = 'x'
          m.i.x.1 = t
          return
        novalue: say 'novalue' condition('D') sigl
    """,
    "loops without a control variable": """
        n = 0
        do forever
          n = n + 1
          if n // 7 = 0 then iterate
          if n > 40 then leave
        end
        say n
        do 25
          n = n - 1
        end
        say n
        do while n < 60
          n = n + 2
        end
        say n
        do until n // 13 = 0
          n = n + 1
        end
        say n
        do 30 until n = 50
          n = n - 1
        end
        say n
        do 30 while n > 40
          n = n - 1
        end
        say n
        m = 0
        do 0
          m = 1
        end
        k = 0
        do forever
          k = k + 1
          if k = 12 then do; say 'found' k m; leave; end
        end
        do k = 1 to 3
          j = 0
          do until j >= k * 5
            j = j + 1
          end
          say k j
        end
        w = 1
        signal on syntax
        do while w
          w = w + 1
          if w > 20 then w = 'x'
          if w = 'x' then w = 1
        end
        exit
        syntax: say 'syntax' rc 'at' sigl w
    """,
    "controlled loops with while and until": """
        s = 0
        do i = 1 to 100 while s < 500
          s = s + i
        end
        say s i
        do i = 1 by 3 until s > 2000
          s = s + i
        end
        say s i
        do i = 10 to 1 by -1 for 30 until i < 3
          t = t i
        end
        say t i
        do i = 1 to 40 until bump(i) > 20
          u = i
        end
        say u i
        do i = 1 to 30 while i \\= 17
          if i = 12 then i = 14
          v = v i
        end
        say v i
        w = 0
        signal on syntax
        do i = 1 to 30 until w
          w = i > 25
          if i = 20 then w = 'no'
        end
        exit
        bump: i = i + 1; return arg(1) * 2
        syntax: say 'syntax' rc 'at' sigl i
    """,
    "labels fallen into": """
        x = 0
        do 5
          call a
        end
        say x
        exit
        a: x = x + 1
        b: x = x + 10
        c: if x > 40 then return
           x = x + 100
           return
    """,
    "trace inside": """
        do i = 1 to 4
          call t i
        end
        exit
        t: procedure
          if arg(1) = 3 then trace r
          x = arg(1) * 2
          return x
    """,
    "numeric in a routine": """
        do i = 1 to 4
          say third(i)
        end
        say 1 / 3
        exit
        third: procedure
          numeric digits arg(1) + 2
          x = 1 / 3
          return x
    """,
}


@pytest.mark.parametrize("name", sorted(ROUTINE_PROGRAMS))
def test_compiled_routines_run_as_clauses_do(monkeypatch, name):
    compiled, plain = both_ways(monkeypatch, ROUTINE_PROGRAMS[name])
    assert compiled == plain


def test_loops_without_control_variable_are_compiled(monkeypatch):
    compiled = watch_compiled_loops(monkeypatch)
    run(ROUTINE_PROGRAMS["loops without a control variable"])
    assert (
        len({do.line for do in compiled if do.control is None}) >= 5
    )  # FOREVER, DO n, WHILE, UNTIL, DO n UNTIL...


def test_routines_are_compiled(monkeypatch):
    compiled = []
    original = instructions.Label.run

    def spy(self, ex):
        result = original(self, ex)
        if self.segment and self.segment[1]:
            compiled.append(self.name)
        return result

    monkeypatch.setattr(instructions.Label, "run", spy)
    run(ROUTINE_PROGRAMS["recursion"])
    assert "FIB" in compiled and "FACT" in compiled


HALT_PROGRAM = """
        call on halt name stopped
        s = 0
        do i = 1 to 12
          s = s + step(i)
        end
        say 'done' s
        exit
        step: procedure expose s
          parse arg n
          if n // 3 = 0 then return n * 2
          else if n // 3 = 1 then do
            s = s + 1
            return n
          end
          return -1
        stopped:
          say 'halt at line' sigl 'with i =' i 's =' s
          return
"""


@pytest.mark.parametrize("at", [5, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 60, 61, 62, 63])
def test_halt_at_any_clause_of_a_compiled_routine(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, HALT_PROGRAM, halt=at)
    assert compiled == plain
    assert any(line.startswith("halt at line") for line in compiled[0])


@pytest.mark.parametrize("at", [20, 21, 22, 23, 24, 25, 26, 27, 28, 60])
def test_trace_start_at_any_clause_of_a_compiled_routine(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, HALT_PROGRAM, trace_request_at=at)
    assert compiled == plain
    assert any("*-*" in line for line in compiled[0])


FOREVER_PROGRAM = """
        call on halt name stopped
        s = 0; n = 0
        do forever
          n = n + 1
          if n > 100 then leave
          if n // 5 = 0 then iterate
          if n // 3 = 0 then s = s + n
          else s = s - 1
        end
        do while s > 0
          s = s - 50
        end
        do i = 1 to 3
          do j = 1 to 50 until s > 350
            if j // 4 = 0 then iterate j
            if j // 7 = 0 then iterate i
            s = s + j
            if s > 400 then leave i
          end
        end
        say 'done' s n i j
        exit
        stopped:
          say 'halt at line' sigl 'with n =' n 's =' s
          return
"""


@pytest.mark.parametrize(
    "at", [5, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 200, 300, 301, 302, 303, 400, 401, 402]
)
def test_halt_at_any_clause_of_a_loop_without_control_variable(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, FOREVER_PROGRAM, halt=at)
    assert compiled == plain
    assert any(line.startswith("halt at line") for line in compiled[0])


@pytest.mark.parametrize("at", [30, 31, 32, 33, 34, 302])
def test_trace_start_in_a_loop_without_control_variable(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, FOREVER_PROGRAM, trace_request_at=at)
    assert compiled == plain
    assert any("*-*" in line for line in compiled[0])


STEP_ERRORS = {
    "while": ("w = 1\ndo while w\n  w = w + 1\nend", "do while w", 34),
    "until": ("w = 1\ndo until w\n  w = w + 1\nend", "do until w", 34),
    "step": ("n = 0\ndo i = 1 to 30\n  if i = 20 then i = 'x'\nend", "do i = 1 to 30", 41),
    "forever while": (
        "w = 1\ndo 40 while w + 0 < 2\n  w = w + 0.01\n  if w > 1.3 then w = 'y'\nend",
        "do 40 while w + 0 < 2",
        41,
    ),
}


@pytest.mark.parametrize("name", sorted(STEP_ERRORS))
def test_an_error_in_the_step_or_tests_at_end_is_the_do_clause_s(monkeypatch, name):
    """TO, BY, FOR, WHILE and UNTIL are parts of the DO clause: an error
    in them at END names the DO's line and shows the DO clause (as Regina
    does), compiled or not."""
    source, do_clause, number = STEP_ERRORS[name]
    source = "\n".join(" " * 8 + line for line in source.split("\n"))
    compiled, plain = both_ways(monkeypatch, source)
    assert compiled == plain
    assert f"     2 +++ {do_clause}" in compiled[0]
    assert compiled[0][-1].startswith(f"Error {number} running PROGRAM EXEC, line 2:")
