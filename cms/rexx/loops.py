"""Controlled DO loops compiled to one Python function.

A loop that runs long (``do i = 1 to n`` with a whole-number BY and TO,
no WHILE or UNTIL) whose body is only assignments, NOP, SAY, CALL, PARSE,
INTERPRET, DROP, PUSH/QUEUE and IF ... THEN [ELSE] of those is compiled, once it has stepped STEPS_BEFORE_COMPILING
(cms.rexx.instructions) times, into one function that runs the body clauses and the END's step
without going back to the clause loop (Interpreter.run_code).

Every clause keeps the clause loop's protocol: the attention test (HI,
TS/TE, TRACE), the line and clause count, the host's ``halt`` check at
each clause boundary.  When anything needs more than that (attention, a
halt, a control variable the body changed, a value beyond NUMERIC
DIGITS) the function returns the index of the clause it stopped before,
and the clause loop goes on from there as if it had run every clause
itself.  An error is blamed on the clause that raised it.
"""

from __future__ import annotations

from .errors import RexxError
from .expressions import SimpleVar, code_writer
from .instructions import Assignment, Call, Drop, If, Interpret, Jump, Nop, Parse, Push, Say
from .numbers import _PARTS, _PARTS_LIMIT
from .variables import Stem

#: Instructions that go on with the next clause (INTERPRET may RETURN).
_SIMPLE = (Assignment, Nop, Say, Call, Parse, Interpret, Drop, Push)
#: Of those, the ones run through their own ``run``: they may change the
#: NUMERIC settings (INTERPRET) or call routines, so the code reads
#: ``frame.numeric`` again after them.
_STATEMENTS = (Say, Call, Parse, Interpret, Drop, Push)


def blame(error: RexxError, clause) -> None:
    """What run_code does for an error raised by ``clause``; ``blamed``
    tells the clause loop running the compiled loop not to add its own."""
    if error.line is None:
        error.line = clause.line
    if not hasattr(error, "traceback"):
        error.traceback = []
    error.traceback.append(clause)
    error.blamed = True


def body_shape(code: list, start: int, end: int) -> list | None:
    """The body code[start:end] as (if, then, jump, else) index groups
    (None where absent), or None when it is not one the compiler takes."""
    shape = []
    pc = start
    while pc < end:
        kind = type(code[pc])
        if kind in _SIMPLE:
            shape.append((None, pc, None, None))
            pc += 1
            continue
        if kind is not If or pc + 1 >= end or type(code[pc + 1]) not in _SIMPLE:
            return None
        clause = code[pc]
        if clause.else_index == pc + 2:
            shape.append((pc, pc + 1, None, None))
            pc += 2
            continue
        jump, other = pc + 2, pc + 3
        if (
            other >= end
            or type(code[jump]) is not Jump
            or clause.else_index != other
            or type(code[other]) not in _SIMPLE
            or code[jump].target != other + 1
        ):
            return None
        shape.append((pc, pc + 1, jump, other))
        pc = other + 1
    return shape


class _LoopWriter:
    """The Python source of one compiled loop."""

    def __init__(self, code: list, ex):
        self.code = code
        self.halt = ex.halt is not None  # an interpreter keeps its halt
        self.writer = code_writer(ex)
        self.writer.names.update({"_RexxError": RexxError, "_Stem": Stem, "_code": code})
        self.writer.names.update({"_blame": blame, "_PARTS": _PARTS, "_PARTS_LIMIT": _PARTS_LIMIT})

    def emit(self, line: str) -> None:
        self.writer.emit(line)

    def indented(self, more: int) -> None:
        indent = self.writer.indent
        self.writer.indent = indent + " " * more if more > 0 else indent[:more]

    def boundary(self, pc: int) -> None:
        """The clause loop's work before clause ``pc``."""
        self.emit(f"if ex.attention: return {pc}")
        self.emit(f"ex.current_line = {self.code[pc].line}")
        self.emit("ex.clauses += 1")
        if self.halt:  # the host's check at every clause boundary
            self.emit("if halt():")
            self.emit("    ex.clauses -= 1  # the clause loop counts it again")
            self.emit("    ex.halt_requested = ex.attention = True")
            self.emit(f"    return {pc}")
        self.emit(f"at = {pc}")

    def simple(self, pc: int) -> None:
        self.boundary(pc)
        clause = self.code[pc]
        kind = type(clause)
        if kind is Assignment:
            result, _ = self.writer.evaluation(clause.expr, False)
            target = self.writer.constant(clause.target)
            for line in clause.store(result, target, unexposed=True):
                self.emit(line)
        elif kind in _STATEMENTS:
            self.emit(f"target = {self.writer.constant(clause)}.run(ex)")
            self.emit("if target is not None: return target  # RETURN in INTERPRET")
            self.emit("numeric = frame.numeric")

    def conditional(self, if_pc: int, then_pc: int, jump_pc, else_pc) -> None:
        self.boundary(if_pc)
        result, test = self.writer.evaluation(self.code[if_pc].expr, True)
        self.emit(f"if {test}:" if test is not None else f"if {result} == '1':")
        self.indented(4)
        self.simple(then_pc)
        if jump_pc is not None:
            self.boundary(jump_pc)
        self.indented(-4)
        if else_pc is not None:
            self.emit("else:" if test is not None else f"elif {result} == '0':")
            self.indented(4)
            self.simple(else_pc)
            self.indented(-4)
            if test is None:
                self.emit(f"else: raise _RexxError(34, {result})")
        elif test is None:
            self.emit(f"elif {result} != '0': raise _RexxError(34, {result})")

    def step(self, do) -> None:
        """The END: the whole-number step of Do.step, then its tests."""
        end = do.end_index
        name = do.control.name
        self.emit("last = state.last")
        self.emit(f"if last is None or simple.get({name!r}) is not last: return {end}")
        self.emit("precision = numeric.digits - numeric.fuzz")
        self.emit("value = state.last_value + by")
        self.emit("text = str(value)")
        self.emit("width = len(text) - (value < 0)")
        self.emit(
            "if width > precision or state.last_width > precision"
            f" or state.width > precision: return {end}"
        )
        self.boundary(end)
        self.emit("if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
        self.emit("_PARTS[text] = (value, 0, width)")
        self.emit(f"simple[{name!r}] = text")
        self.emit("state.last = text")
        self.emit("state.last_value = value")
        self.emit("state.last_width = width")
        self.emit("if to is not None and (value < to if by < 0 else value > to):")
        self.emit("    frame.loops.pop()")
        self.emit(f"    return {end + 1}")
        self.emit("if state.limit is not None and state.count >= state.limit:")
        self.emit("    frame.loops.pop()")
        self.emit(f"    return {end + 1}")
        self.emit("state.count += 1")

    def source(self, do, shape: list) -> str:
        self.writer.indent = " " * 12
        for if_pc, then_pc, jump_pc, else_pc in shape:
            if if_pc is None:
                self.simple(then_pc)
            else:
                self.conditional(if_pc, then_pc, jump_pc, else_pc)
        self.step(do)
        head = [
            "def loop(ex, state):",
            "    frame = ex.frame",
            "    pool = frame.pool",
            "    if pool.exposed: return None",
            "    simple = pool.simple",
            "    numeric = frame.numeric",
            "    halt = ex.halt",
            "    by = state.by_value",
            "    to = state.to_value",
            f"    at = {do.index + 1}",
            "    try:",
            "        while True:",
        ]
        tail = [
            "    except _RexxError as error:",
            "        _blame(error, _code[at])",
            "        raise",
        ]
        return "\n".join(head + self.writer.lines + tail)


def compile_loop(do, code: list, ex):
    """``loop(ex, state)`` for the controlled loop ``do`` of ``code``: it
    runs from the first clause of the body after a step and returns the
    index of the clause to go on with (None: not here, the pool is
    exposed); or None when the loop is not one the compiler takes."""
    control = do.control
    if (
        do.until is not None
        or do.while_ is not None
        or type(control) is not SimpleVar
        or control.is_stem
    ):
        return None
    shape = body_shape(code, do.index + 1, do.end_index)
    if shape is None:
        return None
    writer = _LoopWriter(code, ex)
    source = writer.source(do, shape)
    namespace = dict(writer.writer.names)
    exec(compile(source, "<rexx loop>", "exec"), namespace)
    return namespace["loop"]
