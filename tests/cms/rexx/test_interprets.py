"""INTERPRET strings: a program made from a string's shape (its numbers
replaced) is the program compiling the string gives, clause for clause and
node for node; the programs are kept per INTERPRET line."""

from __future__ import annotations

import pytest

from cms.rexx import Interpreter
from cms.rexx.errors import RexxError
from cms.rexx.interprets import InterpretPrograms

from .rexxkit import clause_data as dump
from .rexxkit import compiled_string as compiled
from .rexxkit import run_counted, run_with_halt


def from_cache(cache: InterpretPrograms, string: str, line: int):
    try:
        program = cache.program(string, line)
    except RexxError as error:
        return ("error", error.number, error.line, error.detail)
    clauses = [clause.traced() if hasattr(clause, "traced") else clause for clause in program.code]
    return [dump(clause) for clause in clauses], program.labels


#: (a string that makes the shape, strings of the same shape)
SHAPES = [
    ("s = s + 1", ["s = s + 12345", "s = s + 007", "s=s+2", "  s = s + 3  "]),
    ("x = 5 + 5", ["x = 1 + 2", "x = 22 + 3"]),
    ("say 'a' 1 b 2", ["say 'a' 10 b 20", "say 'a' 3 b 4"]),
    ("x = left('abc', 2) || 7", ["x = left('abc', 9) || 8"]),
    ("x = -1 * (2 + y.3)", ["x = -4 * (5 + y.3)"]),
    ("x.1 = 2", ["x.1 = 3"]),
    ("x = 1e+5 + 2", ["x = 1e+7 + 2", "x = 1e+5 + 3"]),
    ("say 'n 5' 5", ["say 'n 6' 6", "say 'n 5' 6"]),
    ("say 5 /* 6 */", ["say 7 /* 8 */"]),
    ("x = 5(1)", ["x = 6(2)"]),
    ("5 = 1", ["6 = 2"]),
    ("x = 1 +", ["x = 2 +"]),
    ("call f 1", ["call f 2"]),
    ("x = '31'x 1", ["x = '32'x 2"]),
    ("x = 900080007 5", ["x = 900080007 6", "x = 1 900080007"]),
    ("x = '393030303830303037'x 5", ["x = '393030303830303037'x 6"]),
    ("x = '5' 5", ["x = '6' 7"]),
    ("if 1 then say 2", ["if 3 then say 4"]),
    ("l5: say 5", ["l6: say 6"]),
    ("x = 1.5 + 2", ["x = 1.6 + 3", "x = 1. + .5", "x = 00.10 + 7"]),
    ("x = 1.5.2", ["x = 1.6.3"]),
    ("x = a.1.5 + .5", ["x = a.1.6 + .7"]),
    ("x = 1.5e3 + 2", ["x = 1.5e4 + 2.5"]),
    ("say 1; say 2", ["say 3; say 4"]),
    ("x = 1 \u00ac= 2", ["x = 3 \u00ac= 4"]),
    ("x = 1\x00", ["x = 2\x00"]),
]


@pytest.mark.parametrize(("first", "others"), SHAPES)
def test_a_shared_shape_gives_what_compiling_gives(first, others):
    cache = InterpretPrograms()
    assert from_cache(cache, first, 7) == compiled(first, 7)
    for line, string in enumerate(others, 8):
        assert from_cache(cache, string, line) == compiled(string, line)


def test_shapes_are_shared_where_numbers_stand_alone():
    cache = InterpretPrograms()
    cache.program("s = s + 1", 1)
    cache.program("say 'n 5' 5", 1)
    assert [shape is not None for shape in cache.shapes.values()] == [True, False]


def test_a_string_interpreted_on_two_lines_reports_each_line():
    out: list[str] = []
    program = [
        "signal on syntax",
        "x = 'say 1 +'",
        "interpret 'nop'",
        "do i = 1 to 2",
        "  if i = 1 then interpret x",
        "end",
        "exit",
        "syntax: say 'error' rc 'line' sigl",
        "if sigl = 5 then do; signal on syntax; interpret x; end",
    ]
    Interpreter(program, output=out.append, trace_output=out.append).run()
    assert out == ["error 35 line 5", "error 35 line 9"]


def test_interpreted_numbers_in_a_loop_add_up_with_trace():
    out: list[str] = []
    program = [
        "s = 0",
        "do i = 1 to 30",
        "  interpret 's = s +' i",
        "  if i = 29 then trace r",
        "end",
        "say s",
    ]
    Interpreter(program, output=out.append, trace_output=out.append).run()
    assert out[-1] == "465"
    assert '       >>>   "465"' in out
    assert any(line.endswith("*-* s = s + 30") for line in out)


RUN_PROGRAMS = {
    "sum": ["s = 0", "do i = 1 to 12", "  interpret 's = s +' i", "end", "say s"],
    "say and functions": [
        "do i = 1 to 6",
        "  interpret 'say' i 'left(''ab'',' i % 2 + 1 ', ''*'')' 'i*' i",
        "end",
    ],
    "fractions": ["x = 0", "do i = 1 to 9", "  interpret 'x = x +' i / 4", "end", "say x"],
    "stems": ["do i = 1 to 6", "  interpret 'a.' || i '=' i '* 3'", "end", "say a.1 a.6"],
    "exposed": [
        "s = 0",
        "call add",
        "say s",
        "exit",
        "add: procedure expose s",
        "do i = 1 to 6",
        "  interpret 's = s +' i",
        "end",
        "return",
    ],
    "novalue": [
        "signal on novalue",
        "do i = 1 to 6",
        "  if i = 5 then drop t",
        "  interpret 't = t' i",
        "end",
        "exit",
        "novalue: say 'novalue' condition('D') 'line' sigl",
    ],
    "error": [
        "do i = 3 to -3 by -1",
        "  interpret 'x = 12 /' i",
        "  say x",
        "end",
    ],
    "digits": [
        "do i = 1 to 6",
        "  if i = 4 then numeric digits 3",
        "  interpret 'x = 12345 +' i",
        "  say x",
        "end",
    ],
    "trace": [
        "do i = 1 to 6",
        "  if i = 4 then trace i",
        "  interpret 'x = 10 *' i '+ 1'",
        "end",
    ],
}


@pytest.mark.parametrize("name", sorted(RUN_PROGRAMS))
def test_shared_shapes_run_as_compiled_strings(monkeypatch, name):
    """The same output (values, errors, traces) with shapes as without."""
    lines = RUN_PROGRAMS[name]
    out: list[str] = []
    interpreter = Interpreter(lines, output=out.append, trace_output=out.append)
    interpreter.run()
    shapes = interpreter.interpret_programs.shapes.values()
    assert any(shape is not None and shape.function is not None for shape in shapes)
    monkeypatch.setattr(InterpretPrograms, "_shaped", lambda self, string, line: None)
    plain: list[str] = []
    Interpreter(lines, output=plain.append, trace_output=plain.append).run()
    assert out == plain
    assert out


def test_strings_of_shared_shapes_leave_room_for_others():
    cache = InterpretPrograms()
    for number in range(1000):
        cache.program(f"s = s + {number}", 3)
    assert cache.program("v = w", 3) is cache.program("v = w", 3)


def test_shared_shapes_stop_for_hi_as_compiled_strings(monkeypatch):
    lines = ["call on halt name stopped"] + RUN_PROGRAMS["sum"]
    lines += ["exit", "stopped: say 'halted at' sigl 's =' s; return"]
    shared = [run_with_halt(lines, at) for at in range(1, 40)]
    monkeypatch.setattr(InterpretPrograms, "_shaped", lambda self, string, line: None)
    assert [run_with_halt(lines, at) for at in range(1, 40)] == shared
    assert any("halted at 4 s = 10" in out for out in shared)


# --- a one-clause string run without the clause loop (Interpreter.run_one) ------

ONE_CLAUSE_PROGRAMS = {
    "assignments_and_say": """
        x = 0
        do k = 1 to 6
          interpret 'x = x +' k
          interpret 'say x k'
          interpret ''
          interpret 'nop'
        end
    """,
    "signal_and_labels": """
        do k = 1 to 3
          interpret 'if k = 3 then signal done'
          say 'k' k
        end
        done: interpret 'say sigl'
    """,
    "iterate": """
        do k = 1 to 9
          interpret 'if k = 2 then iterate'
          say k
        end
    """,
    "return": """
        do k = 1 to 3
          say f(k) f(4)
        end
        exit
        f: interpret 'return arg(1) * 2'
    """,
    "procedure_and_trace": """
        say g(1)
        call h
        exit
        g: interpret 'procedure'
           return 'proc'
        h: nop; interpret 'procedure'
           return
    """,
    "errors": """
        signal on syntax
        interpret 'x = 1 / 0'
        exit
        syntax: say 'syntax' rc sigl
          interpret 'trace i'
          interpret 'y = 2 * 3'
          say y
    """,
}


@pytest.mark.parametrize("name", sorted(ONE_CLAUSE_PROGRAMS))
@pytest.mark.parametrize("stop", [None, "halt", "trace"])
def test_one_clause_strings_run_as_the_clause_loop_runs_them(monkeypatch, name, stop):
    source = ONE_CLAUSE_PROGRAMS[name]
    ways = []
    for plain in (False, True):
        if plain:
            monkeypatch.setattr(Interpreter, "run_one", lambda ex, code: ex.run_code(code, 0))
        results = []
        for at in range(1, 40) if stop else [None]:
            options = {"halt": at} if stop == "halt" else {"trace_request_at": at}
            results.append(run_counted(source, **options))
        ways.append(results)
    assert ways[0] == ways[1]
