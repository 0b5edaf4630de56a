"""Compiled DO loops (cms.rexx.loops) behave exactly as the clause loop:
the same output, errors, tracebacks, clause counts, HALT (HI) and TS at
every clause boundary.  Each program runs twice, with loops compiled after
a few steps and with compiling turned off, and everything it shows and
counts must be the same."""

from __future__ import annotations

import pytest

from cms.rexx import expressions, instructions

from .rexxkit import both_ways, watch_compiled_loops
from .rexxkit import run_counted as run

LOOP_PROGRAMS = {
    "arithmetic": """
        s = 0; t = 1.5
        do i = 1 to 300
          s = s + i
          if i // 7 = 0 then s = s - 1
          else t = t * 1.01
          if s > 1000 then nop
        end
        say s t i
    """,
    "compound": """
        do i = 1 to 100 by 3
          a.i = i * i
          k = 'K'i
          b.k = length(k) + a.i
        end
        say a.97 b.K97 i
        total = 0
        do j = 100 to 1 by -3 for 20
          total = total + a.j
        end
        say total j
    """,
    "nested and changed": """
        n = 0
        do i = 1 to 20
          do j = 1 to 30
            n = n + j
            if j = 25 then j = 40
          end
          if i = 10 then i = 15
        end
        say n i j
    """,
    "digits change": """
        do i = 99999990 to 100000020 by 3
          x = i
        end
        say x i
        numeric digits 5
        do i = 99980 to 100020 for 30
          y = i
        end
        say y i
    """,
    "error in body": """
        signal on syntax
        do i = 1 to 50
          x = 10 / (20 - i)
        end
        exit
        syntax:
          say 'syntax' rc 'line' sigl 'at' i
    """,
    "untrapped error": """
        do i = 1 to 50
          x = 5 + word('1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x', i)
        end
    """,
    "novalue": """
        signal on novalue
        do i = 1 to 40
          if i < 33 then v.i = i
          z = v.i
        end
        exit
        novalue:
          say 'novalue' condition('D') 'line' sigl 'at' i
    """,
    "internal function": """
        do i = 1 to 20
          x = where(i) + 1
        end
        say x
        exit
        where: return arg(1) * 100 + sigl
    """,
    "statements": """
        queue 'first'
        do i = 1 to 40
          line = 'field'i 'value'i || ',' i * 2
          parse var line a b ',' c
          if c <> i * 2 then say 'bad' i
          if i // 10 = 0 then say a b c
          call bump i
          interpret 'w' || i // 3 '= i'
          if i = 25 then interpret 'numeric digits 4'
          x = i / 7
          drop a
          push i
        end
        say w0 w1 w2 x n queued()
        exit
        bump: n = arg(1) * 2; return
    """,
    "return from a loop": """
        say find(17) find(500)
        exit
        find: procedure
          do i = 1 to 100
            interpret 'if i * i >' arg(1) 'then return i'
            k = i
          end
          return 'none' k
    """,
    "not a truth value": """
        do i = 1 to 30
          if (i > 20) + (i = 25) then nop
        end
    """,
    "novalue in a pure clause": """
        signal on novalue
        s = 0
        do i = 1 to 80
          s = s + i * 2
          if i = 60 then drop s
          t = s + 1
        end
        exit
        novalue:
          say 'novalue at line' sigl condition('D') 'with i =' i
    """,
    "unset invariant": """
        do i = 1 to 40
          k = 'K'i unset
          m.k = i
        end
        say k m.K40 i
    """,
    "nested pure": """
        do i = 1 to 30
          do j = 1 to 20
            m.i.j = i + j
            if j = 15 then i = i + 0.5
          end
          do j = 1 to 10; a. = j; a.j = i; end
        end
        say m.4.19 m.30.20 a.3 a.10 a.11 i j
    """,
    "clause count with calls": """
        s = 0
        do i = 1 to 60
          s = s + i
          if i // 10 = 0 then s = s + length(s)
          t = s * 2
        end
        say s t
    """,
    "nested kinds": """
        s = 0
        do i = 1 to 40
          do j = 1 to 12
            s = s + j
            if i = 37 & j = 5 then leave i
            if j = 11 & i // 2 then iterate i
          end
          do 3; s = s + 1; end
          do k = 1 to 2 by 0.5; s = s + k; end
          do j = i to 1 by -1 while j > i - 4
            if j = 17 then numeric digits 12
            s = s * 1.5 // 1000
          end
        end
        say s i j k digits()
    """,
    "nested error": """
        do i = 1 to 30
          do j = 1 to 20
            x = i * j
            if i = 25 & j = 13 then x = x / (j - 13)
          end
        end
    """,
    "nested signal": """
        do i = 1 to 30
          do j = 1 to 20
            if i * j = 300 then signal out
          end
        end
        out: say 'out at' i j sigl
    """,
    "sums of variables": """
        values = '0 -0 7 -7 007 999999999 -999999999 500000000 1E3 2.5 -0.5 12345678901 1 '
        out = ''
        do d = 3 to 11 by 4
          numeric digits d
          do a = 1 to words(values)
            x = word(values, a)
            do b = 1 to words(values)
              y = word(values, b)
              out = out (x + y) (x - y) (y - x)
            end
          end
          say d out
          out = ''
        end
        numeric digits
        t = 0
        do j = 1 to 200; t = t + j; u = j - t; end
        say t u
    """,
    "exposed": """
        call work
        say v
        exit
        work: procedure expose v
          v = 0
          do i = 1 to 50
            v = v + i
          end
          return
    """,
}


@pytest.mark.parametrize("name", sorted(LOOP_PROGRAMS))
def test_compiled_loops_run_as_clauses_do(monkeypatch, name):
    compiled, plain = both_ways(monkeypatch, LOOP_PROGRAMS[name])
    assert compiled == plain


def test_loops_are_compiled(monkeypatch):
    compiled_loops = watch_compiled_loops(monkeypatch)
    run(LOOP_PROGRAMS["arithmetic"])
    assert compiled_loops  # the comparisons above test the compiled code


HALT_PROGRAM = """
        call on halt name stopped
        s = 0
        do i = 1 to 100
          s = s + i
          if i // 3 = 0 then s = s * 2
          else s = s - 1
        end
        say 'done' s
        exit
        stopped:
          say 'halt at line' sigl 'with i =' i 's =' s
          return
"""


@pytest.mark.parametrize("at", [5, 30, 31, 32, 33, 34, 35, 36, 100, 250, 301])
def test_halt_at_any_clause_of_a_compiled_loop(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, HALT_PROGRAM, halt=at)
    assert compiled == plain
    assert any(line.startswith("halt at line") for line in compiled[0])


@pytest.mark.parametrize("at", [40, 41, 42, 43, 200])
def test_trace_start_at_any_clause_of_a_compiled_loop(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, HALT_PROGRAM, trace_request_at=at)
    assert compiled == plain
    assert any("*-*" in line for line in compiled[0])


NESTED_HALT_PROGRAM = """
        call on halt name stopped
        s = 0
        do i = 1 to 30
          do j = 1 to 10
            s = s + j
            if j // 3 = 0 then s = s * 2
          end
          s = s // 1000
        end
        say 'done' s
        exit
        stopped:
          say 'halt at line' sigl 'with i =' i 'j =' j 's =' s
          return
"""


@pytest.mark.parametrize("at", [30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 150, 301, 700])
def test_halt_at_any_clause_of_a_nested_compiled_loop(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, NESTED_HALT_PROGRAM, halt=at)
    assert compiled == plain
    assert any(line.startswith("halt at line") for line in compiled[0])


@pytest.mark.parametrize("at", [40, 41, 42, 43, 44, 200])
def test_trace_start_at_any_clause_of_a_nested_compiled_loop(monkeypatch, at):
    compiled, plain = both_ways(monkeypatch, NESTED_HALT_PROGRAM, trace_request_at=at)
    assert compiled == plain
    assert any("*-*" in line for line in compiled[0])


def test_inner_loops_run_inside_the_compiled_outer_loop(monkeypatch):
    """Once the outer loop is compiled, the inner loop's first step is no
    longer the clause loop's (End.run): its compiled function is entered
    from the outer one."""
    inner_ends = []
    original = instructions.End.run

    def spy(self, ex):
        if self.line == 8:  # the inner END
            inner_ends.append(self.line)
        return original(self, ex)

    monkeypatch.setattr(instructions.End, "run", spy)
    out, _, _ = run(NESTED_HALT_PROGRAM)
    assert out == ["done 574"]
    # 8 steps of the first inner loop and one of each of the first 8: 37 when
    # each inner loop starts from the clause loop
    assert 0 < len(inner_ends) <= 16


LITERAL_ARITHMETIC = """
        values = '0 -0 7 -7 12 -13 99 -99 100 999 -999 1000 12345 -99999 1E3 2.5 -0.5 007'
        do d = 5 to 13 by 4
          numeric digits d
          out = ''
          do w = 1 to words(values)
            v = word(values, w)
            out = out (v + 1) (v - 7) (v * 12) (v % 7) (v // 7) (v * 3 + 5) (v // 10 % 3)
          end
          say d out
        end
"""


def test_arithmetic_with_a_whole_literal_as_the_tree_does(monkeypatch):
    compiled = run(LITERAL_ARITHMETIC)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    assert run(LITERAL_ARITHMETIC) == compiled


LITERAL_COMPARISONS = """
        values = '0 -0 7 -7 99999 100000 123456 1000001 1E3 1000.0 2.5 -0.5 007 abc 7.0 6.99999'
        do f = 0 to 3
          numeric digits 6
          numeric fuzz f
          out = ''
          do w = 1 to words(values)
            v = word(values, w)
            out = out (v = 0) (v = 7) (v > 100000) (v < 1000000) (v \\= 1000) (v >= 999999)
            if v = 7 then out = out 'seven'
            if v < 0 then out = out 'negative'
          end
          say f out
        end
"""


def test_comparison_with_a_whole_literal_as_the_tree_does(monkeypatch):
    compiled = run(LITERAL_COMPARISONS)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    assert run(LITERAL_COMPARISONS) == compiled


def test_sums_of_two_variables_as_the_tree_does(monkeypatch):
    """x + y, x - y of two variables are done inline for whole numbers
    that fit DIGITS (expressions.whole_sum): the same as numbers.plus and
    minus at every DIGITS, sign, leading zero, exponent and overflow."""
    source = LOOP_PROGRAMS["sums of variables"]
    compiled = run(source)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    assert compiled == run(source)
    assert compiled[0][-1] == "20100 -19900"
