"""Helpers shared by the REXX interpreter's tests: run a program in process
and collect what it says, compiled and plain (nothing compiled), with a
``halt`` host callback that stops it at a chosen clause, and the
differential programs' references (programs/*.regina, *.expected)."""

from __future__ import annotations

import pathlib
import tempfile

from cms.rexx import Interpreter, expressions, instructions
from cms.rexx.errors import RexxError
from cms.rexx.parser import Compiler
from cms.rexx.streams import HostFileStreams

from .regen_expected import PROGRAMS, error_lines, program_inputs

#: The differential programs (programs/*.rexx).
SOURCES = sorted(PROGRAMS.glob("*.rexx"))


def run_lines(lines: list[str]) -> list[str]:
    """What the program says (SAY and trace lines), then ``error N`` if it
    ended in an error."""
    out: list[str] = []
    result = Interpreter(lines, output=out.append, trace_output=out.append).run()
    if result.error is not None:
        out.append(f"error {result.error.number}")
    return out


def run_with_halt(lines: list[str], halt_at: int | None) -> list[str]:
    """What the program says when ``halt`` (called once per clause) is
    True at its call number ``halt_at`` (HI at that clause boundary)."""
    out: list[str] = []
    calls = [0]

    def on_clause() -> bool:
        calls[0] += 1
        return calls[0] == halt_at

    Interpreter(lines, output=out.append, trace_output=out.append, halt=on_clause).run()
    return out


def run_counted(source: str, halt=None, trace_request_at=None) -> tuple[list[str], int, int]:
    """The output of ``source`` (a triple-quoted block indented by eight),
    its clause count and the count of calls of ``halt``, which is True at
    call ``halt``; TRACE R from call ``trace_request_at`` on."""
    out: list[str] = []
    calls = [0]
    interp = None

    def on_clause() -> bool:
        calls[0] += 1
        if trace_request_at is not None and calls[0] == trace_request_at:
            interp.request_trace("R")
        return halt is not None and calls[0] == halt

    interp = Interpreter(
        [line[8:] for line in source.splitlines()],
        output=out.append,
        trace_output=out.append,
        halt=on_clause,
    )
    interp.run()
    return out, interp.clauses, calls[0]


def both_ways(monkeypatch, source: str, **options):
    """run_counted compiled as usual, then with no loop or routine body
    compiled (the clause loop runs every clause)."""
    compiled = run_counted(source, **options)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "CALLS_BEFORE_COMPILING", 10**9)
    plain = run_counted(source, **options)
    monkeypatch.undo()
    return compiled, plain


def use_tree_walker(monkeypatch) -> None:
    """From now on nothing is compiled: no loop, no clause, no expression
    (the tree walker runs everything)."""
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)


def watch_compiled_loops(monkeypatch) -> list:
    """The DO clauses whose compiled loop ran (after each step the clause
    loop makes, Do._body), appended as they run, from now on."""
    compiled = []
    original = instructions.Do._body

    def spy(self, ex, state):
        result = original(self, ex, state)
        if self.loop:
            compiled.append(self)
        return result

    monkeypatch.setattr(instructions.Do, "_body", spy)
    return compiled


def quoted(value: str) -> str:
    return value.replace("'", "''")


def expression_over_values(expression: str, values: list[str], numeric: str) -> list[str]:
    """A program that sets x to each of ``values`` in a loop (after the
    NUMERIC instruction ``numeric``) and says ``expression``'s value."""
    lines = [numeric]
    lines += [f"v.{index} = '{quoted(value)}'" for index, value in enumerate(values, 1)]
    lines += [
        f"do k = 1 to {len(values)}",
        "  x = v.k",
        "  z = (x = 0)",  # a number's parts are remembered, as arithmetic leaves them
        f"  r = {expression}",
        "  say k '[' || r || ']'",
        "end",
    ]
    return lines


def expected_output(source: pathlib.Path) -> str:
    """What a differential program must print: the standard result where
    Regina deviates (NAME.expected, DEVIATIONS.md), else Regina's."""
    standard = source.with_suffix(".expected")
    if standard.exists():
        return standard.read_text()
    return source.with_suffix(".regina").read_text()


def run_program(source: pathlib.Path) -> str:
    """A differential program's output and error lines, run as Regina ran
    it (its inputs, stream I/O in a scratch directory)."""
    stdin, arguments = program_inputs(source)
    pending = stdin.splitlines()
    out: list[str] = []
    err: list[str] = []

    def read():
        return pending.pop(0) if pending else None

    with tempfile.TemporaryDirectory() as work:
        interp = Interpreter(
            source.read_text().splitlines(),
            name=source.stem.upper(),
            filetype="REXX",
            output=out.append,
            input=read,
            trace_output=err.append,
            external=None,
            streams=HostFileStreams(directory=work),
        )
        interp.run(arguments)
    return "".join(l + "\n" for l in out) + "".join(l + "\n" for l in error_lines("\n".join(err)))


def clause_data(value):
    """Everything a clause or node holds, as plain data (run, evaluate and
    uses are the compile-on-use state, the same for fresh clauses)."""
    if isinstance(value, (str, int, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return [clause_data(item) for item in value]
    if isinstance(value, dict):
        return {key: clause_data(item) for key, item in value.items()}
    if callable(value) and not hasattr(value, "__slots__"):
        return "callable"
    fields = {"type": type(value).__name__}
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if name in ("run", "evaluate", "uses"):
                continue
            fields[name] = clause_data(getattr(value, name, "<unset>"))
    return fields


def compiled_string(string: str, line: int):
    """What compiling ``string`` as INTERPRET does on ``line`` gives: its
    clauses (as clause_data) and labels, or ("error", number, line, detail)."""
    try:
        program = Compiler(string.split("\n")).compile()
    except RexxError as error:
        return ("error", error.number, line, error.detail)
    for clause in program.code:
        clause.line = line
    return [clause_data(clause) for clause in program.code], program.labels


def count_calls(monkeypatch, owner, name: str) -> list:
    """The argument tuples of every call of ``owner.name`` from now on (it
    still runs)."""
    calls = []
    original = getattr(owner, name)

    def counting(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(owner, name, counting)
    return calls


def counted_then_tree(monkeypatch, source: str):
    """run_counted of ``source`` compiled as usual, then with nothing
    compiled (the tree walker): both results."""
    compiled = run_counted(source)
    use_tree_walker(monkeypatch)
    return compiled, run_counted(source)


def compiled_then_tree(monkeypatch, run, source):
    """``run(source)`` with loops compiled as usual (at least one must
    run compiled), then with nothing compiled: both results."""
    loops = watch_compiled_loops(monkeypatch)
    compiled = run(source)
    assert loops, "no loop ran compiled"
    monkeypatch.undo()
    use_tree_walker(monkeypatch)
    return compiled, run(source)


def halted_and_traced(monkeypatch, halting: str, plain: str, at: int):
    """run_counted of ``halting`` (with CALL ON HALT) halted at clause ``at``
    and of ``plain`` with TRACE requested there: compiled as usual, then
    with nothing compiled (the tree walker).  Both pairs of results."""
    compiled = (run_counted(halting, halt=at), run_counted(plain, trace_request_at=at))
    use_tree_walker(monkeypatch)
    return compiled, (run_counted(halting, halt=at), run_counted(plain, trace_request_at=at))
