"""Clauses compiled to one Python function: long DO loops and routines.

A DO loop that runs long - a controlled one (``do i = 1 to n`` with a
whole-number BY and TO, maybe WHILE or UNTIL), or one without a control
variable (DO FOREVER, DO n, DO WHILE, DO UNTIL) - is compiled, once it has
stepped STEPS_BEFORE_COMPILING (cms.rexx.instructions) times, into one
function that runs the body clauses and the END's step and tests without
going back to the clause loop (Interpreter.run_code).  The code after a label that is
reached CALLS_BEFORE_COMPILING times (a routine's body) becomes one
function too, run from the label's clause.

Both are written by the same block writer: assignments, IF/ELSE and
SELECT (their tests as Python ``if``), DO groups and RETURN are written
out; other clauses are called through their own ``run``; a repetitive DO
inside runs its Do.run and then its own compiled loop from the block; a
label, a jump out of the block, or an inner loop the compiler does not
take hands back to the clause loop at that clause.

A pure clause (an assignment, IF, END or PARSE VAR/VALUE into simple
variables whose expressions call no function but built-ins of
builtins.QUIET) does its bookkeeping in locals: its clause count is added to
``ex.clauses`` before anything else runs and when the function ends, its
line is set only where NOVALUE may need it.  A loop body of pure clauses
(SAY of a pure expression among them too: it changes no variable)
reads the variables it does not assign once, before the loop, and does
inline arithmetic on the control variable with the loop's own int; it
reads NUMERIC DIGITS and FUZZ once, and where the host has no ``halt``
callback it keeps the variables it assigns in locals, stored in the pool
whenever the function ends (nothing else can see the pool before).

Every clause keeps the clause loop's protocol: the attention test (HI,
TS/TE, TRACE), the line and clause count, the host's ``halt`` check at
each clause boundary.  When anything needs more than that (attention, a
halt, a control variable the body changed, a value beyond NUMERIC
DIGITS) the function returns the index of the clause it stopped before,
and the clause loop goes on from there as if it had run every clause
itself.  An error is blamed on the clause that raised it.
"""

from __future__ import annotations

import re

from .builtins import QUIET
from .errors import RexxError
from .expressions import (
    BinaryOp,
    Compiled,
    CompoundVar,
    Concat,
    FunctionCall,
    Literal,
    PrefixOp,
    SimpleVar,
    code_writer,
)
from .instructions import (
    Address,
    Assignment,
    Call,
    Command,
    Do,
    Drop,
    End,
    Exit,
    If,
    Interpret,
    Jump,
    Label,
    LeaveIterate,
    Nop,
    Numeric,
    Options,
    Otherwise,
    Parse,
    Procedure,
    Push,
    Return,
    Say,
    Signal,
    Trace,
    TrapSetting,
    Upper,
    blame,
    store,
)
from .numbers import _PARTS, _PARTS_LIMIT
from .template import Target, template_lines
from .variables import Stem, VariablePool

#: Clauses run through their own ``run``, which never names a next clause
#: (they may raise, SIGNAL, call routines or change the NUMERIC settings
#: and, PROCEDURE, the pool: the code reads those again after them).
#: CALL, PROCEDURE and PARSE ARG of one variable are written out.
_STATEMENTS = (
    Say,
    Call,
    Parse,
    Drop,
    Push,
    Command,
    Address,
    Numeric,
    TrapSetting,
    Upper,
    Options,
    Procedure,
)
#: Of those, the ones that change neither the NUMERIC settings nor the pool.
_SETTLED = (Say, Call, Parse, Drop, Push, Command, Address, TrapSetting, Upper, Options)
#: Clauses run through their own ``run`` that may name the next clause.
_GENERIC = (Interpret, LeaveIterate, Signal, Exit, Trace)
#: Clauses that do nothing when run (Do: a plain DO group; End: its END).
_EMPTY = (Nop, Otherwise)
#: Clauses at most this many in one compiled function (then it hands back).
MAX_BLOCK = 400


class _BlockWriter:
    """The Python source of one compiled function of clauses."""

    def __init__(self, code: list, ex, unexposed: bool):
        self.code = code
        self.ex = ex
        self.halt = ex.halt is not None  # an interpreter keeps its halt
        self.unexposed = unexposed  # the pool is known to expose nothing
        self.first = None  # a routine's first clause (PROCEDURE may be it)
        self.written = 0
        self.pure: set[int] = set()  # the clauses written as pure (boundary)
        self.pure_from = None  # where the last pure clause's lines start, its line
        self.impure = 0  # clauses written that are not pure
        self.changing = 0  # of those, the ones that may change variables
        self.assigned: set[str] = set()  # simple variables pure clauses assign
        self.writer = code_writer(ex)
        self.writer.names.update({"_RexxError": RexxError, "_Stem": Stem, "_code": code})
        self.writer.names.update({"_blame": blame, "_PARTS": _PARTS, "_PARTS_LIMIT": _PARTS_LIMIT})
        self.writer.names.update({"_line": _line, "_PURE": self.pure})

    def emit(self, line: str) -> None:
        self.writer.emit(line)

    def indented(self, more: int) -> None:
        indent = self.writer.indent
        self.writer.indent = indent + " " * more if more > 0 else indent[:more]

    def boundary(self, pc: int, pure: bool = False, keeps: bool = False) -> None:
        """The clause loop's work before clause ``pc``.  A ``pure`` clause
        (no function call, no clause's own ``run``: nothing it does reads
        the clause count or the line but NOVALUE) counts itself in the local
        ``counted``, added to ``ex.clauses`` before anything else runs and
        when the function ends, and sets ``ex.current_line`` only where
        NOVALUE may need it (SIGL); an error is blamed on ``_code[at]``.
        A clause that ``keeps`` (SAY of a pure expression) is not pure but
        changes no variable."""
        self.written += 1
        self.settle_pure()
        self.emit(f"if ex.attention: return {pc}")
        if pure:
            self.emit("counted += 1")
        else:
            self.impure += 1
            self.changing += not keeps
            self.emit(f"ex.current_line = {self.code[pc].line}")
            self.emit("ex.clauses += counted + 1")
            self.emit("counted = 0")
        if self.halt:  # the host's check at every clause boundary
            self.emit("if halt():")
            if pure:
                self.emit("    counted -= 1  # the clause loop counts it again")
            else:
                self.emit("    ex.clauses -= 1  # the clause loop counts it again")
            self.emit("    ex.halt_requested = ex.attention = True")
            self.emit(f"    return {pc}")
        self.emit(f"at = {pc}")
        if pure:
            self.pure.add(pc)
            self.pure_from = (len(self.writer.lines), self.code[pc].line)

    def settle_pure(self) -> None:
        """The lines of the pure clause written last set the line where
        they take a variable's value the slow way (NOVALUE's SIGL)."""
        if self.pure_from is None:
            return
        start, line = self.pure_from
        self.pure_from = None
        lines = self.writer.lines
        for index in range(start, len(lines)):
            text = lines[index]
            if ".evaluate(ex)" in text or "ex.novalue(" in text:
                text = text.replace(".evaluate(ex)", f".evaluate(_line(ex, {line}))")
                lines[index] = text.replace("ex.novalue(", f"_line(ex, {line}).novalue(")

    def pure_expressions(self, *exprs) -> bool:
        """Whether evaluating these expressions calls no function."""
        return not any(_calls_function(expr, self.writer) for expr in exprs)

    # --- blocks ------------------------------------------------------------
    def block(self, start: int, end: int) -> bool:
        """Code for the clauses code[start:end], which end there (a jump
        out of them hands back); False when no path goes on after them."""
        pc = start
        while pc < end:
            if self.written >= MAX_BLOCK:
                self.emit(f"return {pc}")
                return False
            following = self.clause(pc, end)
            if following is None:
                return False
            pc = following
        return True

    def clause(self, pc: int, end: int) -> int | None:
        """Code for the clause at ``pc`` (with what it contains): the index
        of the clause after it, or None when no path goes on."""
        clause = self.code[pc]
        kind = type(clause)
        if kind is Assignment:
            self.boundary(pc, self.pure_expressions(clause.expr))
            self.assignment(clause)
            return pc + 1
        if isinstance(clause, If):  # IF and WHEN
            return self.conditional(pc, end)
        if kind is Parse and self.quiet_parse(clause):
            self.boundary(pc, True)
            self.parse_string(clause)
            return pc + 1
        if kind in _STATEMENTS:
            self.boundary(pc, keeps=kind is Say and self.pure_expressions(clause.expr))
            if kind is Call:
                self.call(clause)
            elif kind is Procedure and self.exposes_names(clause):
                self.procedure(clause)
            elif kind is Parse and self.whole_argument(clause):
                pass
            elif kind is Parse and self.parse_string(clause):
                pass
            else:
                self.emit(f"{self.writer.constant(clause)}.run(ex)")
            self.after_run(pc)
            return pc + 1
        if kind in _EMPTY or (kind is End and clause.do is None):
            self.boundary(pc, True)
            return pc + 1
        if kind is Do and not clause.repetitive:
            return self.group(pc, end)
        if kind is Return:
            self.boundary(pc)
            if clause.expr is None:
                self.emit("return ex.do_return(None)")
            else:
                result, _ = self.writer.evaluation(clause.expr, False)
                self.emit(f"return ex.do_return({result})")
            return None
        if kind is Do and self.inner_loop(pc):
            return clause.end_index + 1
        if kind in (Do, End, Jump, Label):
            # a loop, a label, a jump: the clause loop goes on from here
            self.emit(f"return {pc}")
            return None
        # INTERPRET, LEAVE, ITERATE, SIGNAL, EXIT, ...: their own run, and
        # the clause it names next, if any, through the clause loop
        self.boundary(pc)
        self.emit(f"target = {self.writer.constant(clause)}.run(ex)")
        self.emit("if target is not None: return target")
        self.after_run(pc)
        return pc + 1

    def inner_loop(self, pc: int) -> bool:
        """A repetitive DO inside the block: Do.run (its expressions, the
        loop's state, the first tests), then the loop's own compiled
        function (Do.loop, as the clause loop would enter it after a step)
        until it ends; when it hands back (a halt, a jump, steps not on
        ints) the clause loop goes on where it stopped.  False when the
        loop is not one the compiler takes."""
        do = self.code[pc]
        loop = do.loop
        if loop is None:
            loop = do.loop = compile_loop(do, self.code, self.ex) or False
        if not loop:
            return False
        after = do.end_index + 1
        self.boundary(pc)
        self.emit(f"target = {self.writer.constant(do)}.run(ex)")
        self.emit("if target is None:")
        self.emit(f"    target = {self.writer.constant(loop)}(ex, frame.loops[-1])")
        self.emit(f"    if target is None: return {pc + 1}  # not here: the body's first clause")
        self.emit(f"    if target != {after}: return target")
        self.emit("numeric = frame.numeric  # the loop may have changed it")
        self.changed_numeric()
        return True

    def after_run(self, pc: int) -> None:
        """After a clause run by its own ``run``: the settings it may change
        (NUMERIC, and PROCEDURE the pool, also in INTERPRET; a called
        routine changes copies of them); after a routine's first clause,
        PROCEDURE is no longer allowed."""
        if pc == self.first:
            self.emit("frame.procedure_allowed = False")
        kind = type(self.code[pc])
        if kind in _SETTLED:
            return
        self.emit("numeric = frame.numeric")
        self.changed_numeric()
        if not self.unexposed and kind is not Numeric:
            self.emit("pool = frame.pool")
            self.emit("simple = pool.simple")

    def changed_numeric(self) -> None:
        """After ``numeric`` was read again."""

    def assignment(self, clause) -> None:
        if type(clause.target) is SimpleVar:
            self.assigned.add(clause.target.name)
        if self.unexposed and self.writer.appending(clause.target, clause.expr):
            return  # V = V || X, extending V's string in place
        start = len(self.writer.lines)
        result, _ = self.writer.evaluation(clause.expr, False)
        if type(clause.target) is CompoundVar:
            self.forget(start, result)
        target = self.writer.constant(clause.target)
        for line in store(clause.target, result, target, unexposed=self.unexposed):
            self.emit(line)

    def forget(self, start: int, result: str) -> None:
        """A value computed inline for a compound variable is not remembered
        in numbers' _PARTS (a stem's values, one after another, would only
        push out the parts of numbers used again; whoever reads them back
        does numbers' own parsing)."""
        lines = self.writer.lines
        remember = (
            "if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()",
            f"_PARTS[{result}] = (",
        )
        for index in range(len(lines) - 1, start, -1):
            if (
                lines[index].strip().startswith(remember[1])
                and lines[index - 1].strip() == remember[0]
            ):
                indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
                lines[index - 1 : index + 1] = [indent + "pass  # not remembered"]

    def only_joined(self) -> None:
        """A number computed inline that is only joined to other strings
        (``'K'i // 97``) is not remembered in numbers' _PARTS either."""
        lines = self.writer.lines
        remembered = {}
        uses: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            match = _REMEMBER.match(line)
            if match and index and lines[index - 1].strip().startswith("if len(_PARTS) >="):
                remembered[match.group(1)] = index
                continue
            for name in _TEMPORARY.findall(line):
                uses.setdefault(name, []).append(index)
        drop = set()
        for name, index in remembered.items():
            places = [
                at for at in uses.get(name, ()) if not lines[at].strip().startswith(f"{name} = ")
            ]
            if places and all(
                _JOIN.match(lines[at]) and "MAX_STRING" in lines[at + 1] for at in places
            ):
                drop.update((index - 1, index))
        for index in sorted(drop, reverse=True):
            if lines[index].strip().startswith("_PARTS["):
                indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
                lines[index - 1 : index + 1] = [indent + "pass  # not remembered"]

    def call(self, clause) -> None:
        """CALL: Call.run, an internal routine called straight (its name is
        a label: call_routine's first choice)."""
        writer = self.writer
        args = ", ".join("None" if a is None else writer.value(a) for a in clause.args)
        label = None
        if writer.labels is not None and not clause.quoted:
            label = writer.labels.get(clause.name)
        if label is not None:
            sigl = str(clause.line)
            self.emit(f"result = ex.call_label({label}, [{args}], {sigl!r}, 'SUBROUTINE')")
        else:
            name, quoted = clause.name, clause.quoted
            self.emit(
                f"result = ex.call_routine({name!r}, [{args}], {quoted}, {clause.line}, False)"
            )
        self.emit("pool = frame.pool")
        self.emit("if pool.exposed:")
        self.emit("    if result is None: pool.drop('RESULT')")
        self.emit("    else: pool.set('RESULT', result)")
        self.emit("elif result is None: simple.pop('RESULT', None)")
        self.emit("else: simple['RESULT'] = result")

    def procedure(self, clause) -> None:
        """PROCEDURE [EXPOSE names]: Interpreter.procedure, for names of
        simple variables and stems (no indirect lists, no compounds)."""
        self.writer.names["_VariablePool"] = VariablePool
        self.emit("if not frame.internal or not frame.procedure_allowed:")
        self.emit(f"    raise _RexxError(17, '', {clause.line})")
        if not clause.exposed:
            self.emit("frame.pool = _VariablePool()")
            return
        self.emit("caller = frame.pool")
        self.emit("frame.pool = pool = _VariablePool()")
        for node, _ in clause.exposed:
            self.emit(f"pool.expose({node.name!r}, caller)")

    @staticmethod
    def exposes_names(clause) -> bool:
        """PROCEDURE whose EXPOSE list (if any) is of plain names and stems."""
        return all(type(node) is SimpleVar and not indirect for node, indirect in clause.exposed)

    def whole_argument(self, clause) -> bool:
        """ARG v / PARSE [UPPER] ARG v of a simple variable (Parse.run's
        first case), written out; False when it is not one."""
        whole = clause.whole
        if whole is None or type(whole.node) is not SimpleVar or whole.node.is_stem:
            return False
        self.emit("args = frame.args")
        self.emit("string = args[0] if args else None")
        self.emit("if string is None: string = ''")
        if clause.upper == "LOWER":
            self.emit("string = string.lower() if string.isascii() else ex.translate_lower(string)")
        elif clause.upper:
            self.emit("string = string.upper() if string.isascii() else ex.translate_upper(string)")
        target = self.writer.constant(whole.node)
        for line in store(whole.node, "string", target, unexposed=self.unexposed):
            self.emit(line)
        return True

    def quiet_parse(self, clause) -> bool:
        """PARSE [UPPER] VAR/VALUE in a loop (an unexposed pool) whose
        string calls no function and whose one template assigns simple
        variables only, its patterns literals or simple variables: its
        lines set variables as an assignment's do, a pure clause."""
        if not self.unexposed or clause.origin not in ("VAR", "VALUE"):
            return False
        if len(clause.templates) != 1 or clause.upper == "LOWER":
            return False
        node = clause.var if clause.origin == "VAR" else clause.expr
        if not self.pure_expressions(node):
            return False
        names = []
        for item in clause.templates[0]:
            node = item.node
            if node is None:
                continue  # the placeholder
            if type(node) is SimpleVar and not node.is_stem:
                if type(item) is Target:
                    names.append(node.name)
            elif type(node) is not Literal or type(item) is Target:
                return False
        self.assigned.update(names)
        return True

    def parse_string(self, clause) -> bool:
        """PARSE [UPPER] VAR/VALUE with one template: the string, then the
        template's own lines (cms.rexx.template) when the pool exposes
        nothing, else Parse.run; False when it is not one."""
        if clause.origin not in ("VAR", "VALUE") or len(clause.templates) != 1:
            return False
        if clause.upper == "LOWER":
            return False
        writer = self.writer
        node = clause.var if clause.origin == "VAR" else clause.expr
        if not self.unexposed:
            self.emit(f"if pool.exposed: {writer.constant(clause)}.run(ex)")
            self.emit("else:")
            self.indented(4)
        if node is None:
            string = "''"
        else:
            string, _ = writer.evaluation(node, False)
        if clause.upper:
            self.emit(
                f"p_string = {string}.upper() if {string}.isascii() else ex.translate_upper({string})"
            )
        else:
            self.emit(f"p_string = {string}")
        for line in template_lines(clause.templates[0], "p_string", writer.constant):
            self.emit(line)
        if not self.unexposed:
            self.indented(-4)
        return True

    def group(self, pc: int, end: int) -> int | None:
        """DO ... END without a repetitor: its clauses between its own."""
        last = self.code[pc].end_index
        if last is None or last >= end:
            self.emit(f"return {pc}")
            return None
        self.boundary(pc, True)
        if not self.block(pc + 1, last):
            return None
        self.boundary(last, True)
        return last + 1

    def conditional(self, pc: int, end: int) -> int | None:
        """IF or WHEN: the instruction after THEN, then an ELSE part (the
        jump the parser put before it ends the THEN part)."""
        clause = self.code[pc]
        other = clause.else_index
        if other is None or not pc + 1 < other <= end:
            self.emit(f"return {pc}")
            return None
        jump = other - 1
        after = other
        if jump > pc + 1 and type(self.code[jump]) is Jump:
            after = self.code[jump].target
            if after is None or not other <= after <= end:
                self.emit(f"return {pc}")
                return None
        else:
            jump = None
        self.boundary(pc, self.pure_expressions(clause.expr))
        result, test = self.writer.evaluation(clause.expr, True)
        self.emit(f"if {test}:" if test is not None else f"if {result} == '1':")
        self.indented(4)
        goes_on = self.block(pc + 1, jump if jump is not None else other)
        if goes_on and jump is not None:
            self.boundary(jump, True)
        self.indented(-4)
        if jump is not None:
            self.emit("else:" if test is not None else f"elif {result} == '0':")
            self.indented(4)
            goes_on = self.block(other, after) or goes_on
            self.indented(-4)
            if test is None:
                self.emit(f"else: raise _RexxError(34, {result})")
        else:
            goes_on = True
            if test is None:
                self.emit(f"elif {result} != '0': raise _RexxError(34, {result})")
        return after if goes_on else None

    # --- functions ---------------------------------------------------------
    def function(self, head: list[str], body: list[str]) -> str:
        """``head`` ends in the first of two ``try:``, ``body`` is in the
        second and ends in its ``finally`` (the clauses counted)."""
        tail = [
            "            ex.clauses += counted",
            "    except _RexxError as error:",
            "        if not error.__dict__.get('blamed'): _blame(error, _code[at])",
            "        raise",
            "    except (MemoryError, RecursionError):  # Error 5, 11 name the line",
            "        if at in _PURE: ex.current_line = _code[at].line",
            "        raise",
        ]
        return "\n".join(head + body + tail)

    def make(self, source: str, name: str):
        namespace = dict(self.writer.names)
        exec(compile(source, f"<rexx {name}>", "exec"), namespace)
        return namespace[name]


#: A simple variable's value read in generated code.
_READS = re.compile(r"simple\.get\('([^'\\]*)'\)")
#: Reads and stores of simple variables (deferred: any other use of the pool).
_POOL_USE = re.compile(r"simple\.get\('[^'\\]*'\)|simple\['[^'\\]*'\] = ")
#: A copy of the control variable's string (a temporary, a compound tail).
_LAST = re.compile(r"\s*(t\d+|v\d+|tail) = last$")
#: A temporary given the control variable's string in a pure loop body.
_COPY = re.compile(r"\s*(t\d+|v\d+) = last$")
#: The line remembering a number's parts, its name.
_REMEMBER = re.compile(r"\s*_PARTS\[(t\d+)\] = \(")
#: A temporary of generated code.
_TEMPORARY = re.compile(r"\b(t\d+)\b")
#: A concatenation of generated code (the line after it tests MAX_STRING).
_JOIN = re.compile(r"\s*t\d+ = [^=]* \+ [^=]*$")
#: The control variable's width read (control_parts).
_WIDTH = re.compile(r"\bwidth\b")
#: The control variable's parts as a tuple (control_parts).
_CONTROL_PARTS = re.compile(r"(\s*)([pq]) = \(value, 0, width\)$")


#: The control value's digit count used in generated code.
_WIDTH = re.compile(r"\bwidth\b")
#: A line that runs only when the inline code above it gave no result.
_FALLBACK = re.compile(r"\s*if (t\d+) is None: \1 = _")


def _slow_path(lines: list[str], index: int) -> bool:
    """Whether ``lines[index]`` is on a slow path of generated code: after
    an ``else:``, or the entry point's call when the inline code gave no
    result (``if t1 is None: t1 = _plus(t2, t3, numeric)``)."""
    line = lines[index].strip()
    return (
        line.startswith("else:")
        or lines[index - 1].strip() == "else:"
        or bool(_FALLBACK.match(line))
    )


def _block_end(lines: list[str], index: int, indent: int) -> int:
    """Past the lines after ``lines[index]`` that use what it computed: up
    to the end of the first ``if`` at its indentation (with its ``else``)."""
    at = index + 1
    while at < len(lines) and not lines[at][indent:].startswith("if "):
        at += 1  # q = ..., t1 = None: before the test
    at += 1
    while at < len(lines):
        line = lines[at]
        depth = len(line) - len(line.lstrip())
        if depth > indent or (depth == indent and line.lstrip().startswith(("else:", "elif "))):
            at += 1
            continue
        break
    return at


#: Beyond any TO: the loop's bounds when it has no TO (ints compare fast).
_FAR = 10**100
#: 10 ** precision, for the precisions loops have met.
_BOUNDS: dict[int, int] = {}


def _line(ex, line: int):
    """``ex`` with its current line set (a pure clause's NOVALUE)."""
    ex.current_line = line
    return ex


def whole_bound(numeric, state, value: int) -> int:
    """What a compiled loop's control value must stay within (exclusive,
    either sign) for Do.step's int step: 10 ** (DIGITS - FUZZ) while BY,
    TO and ``value`` all fit that many digits, else 0 (no int steps)."""
    precision = numeric.digits - numeric.fuzz
    bound = _BOUNDS.get(precision)
    if bound is None:
        bound = 10**precision
        if len(_BOUNDS) < 64:
            _BOUNDS[precision] = bound
    if state.width > precision or not -bound < value < bound:
        return 0
    return bound


class _LoopWriter(_BlockWriter):
    """A loop keeps Do.step's state in locals while it runs (written back
    to the LoopState whenever it returns to the clause loop)."""

    def changed_numeric(self) -> None:
        """The bound depends on nothing else a clause can change (the
        control value is a local, BY and TO were fixed at the DO): work it
        out again only when DIGITS - FUZZ moved."""
        if self.controlled:
            self.emit("if numeric.digits - numeric.fuzz != precision:")
            self.emit("    precision = numeric.digits - numeric.fuzz")
            self.emit("    bound = _whole_bound(numeric, state, value)")
            self.emit("    below = -bound")

    def step(self, do) -> None:
        """The END: Do.step's UNTIL and whole-number step, then its tests
        (whether the step can be done on ints is known before UNTIL, which
        calls no function: the clause loop does the END otherwise)."""
        end = do.end_index
        name = do.control.name
        if self.changing or name in self.assigned:  # else nothing could change it
            self.emit(f"if simple.get({name!r}) is not last: return {end}")
        self.emit("following = value + by")
        self.emit(f"if not below < following < bound: return {end}")
        self.emit("text = str(following)")
        self.boundary(end, self.pure_expressions(do.until, do.while_))
        if do.until is not None:
            self.emit(f"at = {do.index}  # the DO clause's expressions")
            self.truth(do.until, True, end)
        self.emit("value = following")
        self.emit("width = len(text) - (value < 0)  # width")
        self.emit("if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()  # remember")
        self.emit("_PARTS[text] = (value, 0, width)  # remember")
        self.emit(f"simple[{name!r}] = text")
        self.emit("last = text")
        # what the DO clause leaves out is not tested: without BY the step
        # is 1 (only the TO bound), without FOR the count is never read
        tests = ["value > high" if do.by is None else "value > high or value < low"]
        if do.for_ is not None:
            tests.append("count >= limit")
        self.emit(f"if {' or '.join(tests)}:")
        self.emit("    frame.loops.pop()")
        self.emit(f"    return {end + 1}")
        if do.while_ is not None:
            self.emit(f"at = {do.index}  # the DO clause's expressions")
            self.truth(do.while_, False, end)
        if do.for_ is not None:
            self.emit("count += 1")

    def tests(self, do) -> None:
        """The END of a loop without a control variable: Do.step's UNTIL,
        then the FOR count (or DO n) and WHILE of Do._more."""
        end = do.end_index
        self.boundary(end, self.pure_expressions(do.until, do.while_))
        self.emit(f"at = {do.index}  # the DO clause's expressions")
        if do.until is not None:
            self.truth(do.until, True, end)
        self.emit("if count >= limit:")
        self.emit("    frame.loops.pop()")
        self.emit(f"    return {end + 1}")
        if do.while_ is not None:
            self.truth(do.while_, False, end)
        self.emit("count += 1")

    def truth(self, expr, leave_when: bool, end: int) -> None:
        """Leave the loop when ``expr`` is ``leave_when`` (0 or 1, else
        Error 34, as _truth says)."""
        result, test = self.writer.evaluation(expr, True)
        if test is None:
            self.emit(f"if {result} != '1' and {result} != '0': raise _RexxError(34, {result})")
            test = f"{result} == '1'"
        self.emit(f"if {test}:" if leave_when else f"if not ({test}):")
        self.emit("    frame.loops.pop()")
        self.emit(f"    return {end + 1}")

    def clause(self, pc: int, end: int) -> int | None:
        """LEAVE and ITERATE of this loop written out (a named one that
        names another loop goes through LeaveIterate.run)."""
        clause = self.code[pc]
        do = self.do
        if type(clause) is not LeaveIterate or clause.name not in (None, do.control_name):
            return super().clause(pc, end)
        self.boundary(pc, True)
        if clause.leave:
            self.emit("frame.loops.pop()")
            self.emit(f"return {do.end_index + 1}")
        else:
            self.iterates = True
            self.emit("break  # ITERATE: on to the END")
        return None

    def invariants(self, do) -> list[str]:
        """When every clause of the body is pure (or a SAY of a pure
        expression), no simple variable but those its assignments and
        PARSE templates name changes while the loop runs: each other
        one is read once, before it (the control variable's value is
        ``last``).  The lines that read it take the local; the lines of
        the head that read them."""
        if self.changing:
            return []
        control = do.control.name if self.controlled else None
        head = []
        locals_ = {}
        lines = self.writer.lines
        for index, line in enumerate(lines):
            for name in _READS.findall(line):
                if name in self.assigned:
                    continue
                if name == control:
                    local = "last"
                else:
                    local = locals_.get(name)
                    if local is None:
                        local = locals_[name] = f"h{len(locals_)}"
                        head.append(f"    {local} = simple.get({name!r})")
                line = line.replace(f"simple.get({name!r})", local)
            lines[index] = line
        if control is not None:
            self.control_parts(lines)
            self.never_none(lines)
        head += self.settings(lines)
        # the host's halt() could look at the pool, and so could a clause's
        # own run (a SAY of a pure expression reads its variables there)
        if not self.halt and not self.impure:
            head += self.deferred(lines, self.assigned | ({control} if control else set()))
        return head

    def deferred(self, lines: list[str], names: set[str]) -> list[str]:
        """In a body of pure clauses nothing but the loop itself sees the
        pool while it runs (no call, no command, no halt() where the host
        has none; an attention, an error or the loop's end leave the
        function): the variables it assigns live in locals, read once
        before the loop and stored in the pool as they are whenever the
        function ends (its ``finally``).  Not where any line uses the pool
        otherwise, nor for V = V || X (the pool lets its string go).
        The head's lines; ``self.flush`` gets the stores."""
        self.flush = []
        if any("simple" in _POOL_USE.sub("", line) for line in lines):
            return []
        head = []
        for name in sorted(names):
            if any(f"simple[{name!r}] = None" in line for line in lines):
                continue  # the in-place append
            local = f"l{len(head)}"
            head.append(f"    {local} = simple.get({name!r})")
            self.flush.append(f"            if {local} is not None: simple[{name!r}] = {local}")
            read, write = f"simple.get({name!r})", f"simple[{name!r}] = "
            lines[:] = [line.replace(read, local).replace(write, f"{local} = ") for line in lines]
        return head

    @staticmethod
    def never_none(lines: list[str]) -> None:
        """The control variable's string ``last`` is never None while the
        loop runs (its head returns at once when it is): a copy of it
        needs no test for an unset variable (``t3 = last`` then ``if t3 is
        None: t3 = ...evaluate(...)``, the compound tail's ``if tail is None``)."""
        index = 1
        while index < len(lines):
            copy = _LAST.match(lines[index - 1])
            if copy and lines[index].strip().startswith(f"if {copy.group(1)} is None: "):
                del lines[index]
            else:
                index += 1

    @staticmethod
    def settings(lines: list[str]) -> list[str]:
        """In a body of pure clauses nothing changes NUMERIC DIGITS or FUZZ
        (NUMERIC, INTERPRET and function calls are not pure): the inline
        arithmetic reads them from locals set before the loop."""
        head = []
        for attribute in ("digits", "fuzz"):
            # the local ``numeric`` only, not ``ex.frame.numeric.digits``
            read = re.compile(rf"(?<![\w.])numeric\.{attribute}\b")
            if any(read.search(line) for line in lines):
                local = f"numeric_{attribute}"
                head.append(f"    {local} = numeric.{attribute}")
                lines[:] = [read.sub(local, line) for line in lines]
        return head

    @staticmethod
    def control_parts(lines: list[str]) -> None:
        """In a body of pure clauses the control variable's parts are the
        loop's own ``value`` and ``width``: inline arithmetic on it takes
        them instead of looking its string up in _PARTS, and the step
        remembers its string there (for numbers' own functions) only
        when a function is called with it other than on a slow path
        (_slow_path: _PARTS is a cache, a miss costs a parse)."""
        copies = {match.group(1) for line in lines if (match := _COPY.match(line))}
        called = False
        for index, line in enumerate(lines):
            for name in copies:
                if f"_PARTS.get({name})" in line:
                    line = lines[index] = line.replace(f"_PARTS.get({name})", "(value, 0, width)")
                if "(" in line and re.search(rf"_\w+\([^)]*\b{name}\b", line):
                    called = called or not _slow_path(lines, index)
        _LoopWriter.parts_inline(lines)
        if not called:
            lines[:] = [line for line in lines if not line.endswith("# remember")]
            # parts_inline has written ``width`` itself where ``p[2]`` was
            if not any(_WIDTH.search(line) for line in lines if not line.endswith("# width")):
                lines[:] = [line for line in lines if not line.endswith("# width")]

    @staticmethod
    def parts_inline(lines: list[str]) -> None:
        """``p = (value, 0, width)`` and the tests and uses of ``p`` in the
        block after it: the loop's locals themselves (no tuple)."""
        index = 0
        while index < len(lines):
            match = _CONTROL_PARTS.match(lines[index])
            if match is None:
                index += 1
                continue
            indent, name = len(match.group(1)), match.group(2)
            end = _block_end(lines, index, indent)
            for at in range(index + 1, end):
                line = lines[at]
                line = line.replace(f"{name} is not None", "True").replace(f"not {name}[1]", "True")
                line = line.replace(f"{name}[2]", "width").replace(f"{name}[0]", "value")
                line = line.replace(f"{name}[1]", "0")
                while "True and " in line or " and True" in line:
                    line = line.replace("True and ", "").replace(" and True", "")
                lines[at] = line
            del lines[index]

    def source(self, do) -> str:
        self.do = do
        self.flush = []
        self.iterates = False
        self.controlled = do.control is not None
        self.writer.indent = " " * 20
        self.writer.names["_whole_bound"] = whole_bound
        self.writer.names["_FAR"] = _FAR
        goes_on = self.block(do.index + 1, do.end_index)
        self.settle_pure()
        self.only_joined()
        if self.iterates:  # the body in a loop of one round, for ITERATE's break
            body = ["                for _round in _ONE_ROUND:", *self.writer.lines]
            self.writer.names["_ONE_ROUND"] = (None,)
        else:
            body = [line[4:] for line in self.writer.lines]
        self.writer.lines = body
        self.writer.indent = " " * 16
        if not (goes_on or self.iterates):
            pass  # every path through the body leaves the loop
        elif self.controlled:
            self.step(do)
        else:
            self.tests(do)
        self.settle_pure()
        head = [
            "def loop(ex, state):",
            "    frame = ex.frame",
            "    pool = frame.pool",
            "    if pool.exposed: return None",
            "    simple = pool.simple",
            "    numeric = frame.numeric",
            "    halt = ex.halt",
            "    count = state.count",
            "    limit = _FAR if state.limit is None else state.limit",
        ]
        if self.controlled:
            head += [
                "    last = state.last",
                "    if last is None: return None",
                "    by = state.by_value",
                "    to = state.to_value",
                "    value = state.last_value",
                "    width = state.last_width",
                "    high = _FAR if to is None or by < 0 else to",
                "    low = -_FAR if to is None or by >= 0 else to",
                "    bound = _whole_bound(numeric, state, value)",
                "    below = -bound",
                "    precision = numeric.digits - numeric.fuzz",
            ]
        head += self.invariants(do)
        head += [
            "    counted = 0",
            f"    at = {do.index + 1}",
            "    try:",
            "        try:",
            "            while True:",
        ]
        tail = ["        finally:  # Do.step's state as the clause loop finds it"]
        tail += self.flush  # the variables kept in locals
        if self.controlled:
            tail += [
                "            state.last = last",
                "            state.last_value = value",
                "            state.last_width = len(last) - (value < 0)",
            ]
        tail.append("            state.count = count")
        return self.function(head, self.writer.lines + tail)


def _calls_function(node, writer=None) -> bool:
    """Whether evaluating the expression ``node`` may call a function
    (which could change variables, read the line or the clause count).
    A call that ``writer`` (a _CodeWriter) makes of a built-in of
    builtins.QUIET, inline or straight, is none."""
    if node is None:
        return False
    kind = type(node)
    if kind is Compiled:
        return _calls_function(node.tree, writer)
    if kind is FunctionCall:
        if writer is None or node.name not in QUIET or writer.builtin(node) is None:
            return True
        return any(_calls_function(arg, writer) for arg in node.args)
    if kind in (BinaryOp, Concat):
        return _calls_function(node.left, writer) or _calls_function(node.right, writer)
    if kind is PrefixOp:
        return _calls_function(node.operand, writer)
    return kind not in (Literal, SimpleVar, CompoundVar)


def compile_loop(do, code: list, ex):
    """``loop(ex, state)`` for the loop ``do`` of ``code``: it runs from
    the first clause of the body after a step and returns the index of
    the clause to go on with (None: not here, the pool is exposed); or
    None when the loop is not one the compiler takes: a controlled loop
    whose UNTIL calls a function (which could change the variable)."""
    control = do.control
    if control is not None and (
        _calls_function(do.until, code_writer(ex))
        or type(control) is not SimpleVar
        or control.is_stem
    ):
        return None
    writer = _LoopWriter(code, ex, unexposed=True)
    writer.writer.unexposed = True  # the loop returns at once when it is
    return writer.make(writer.source(do), "loop")


def compile_segment(label, code: list, ex):
    """``segment(ex, entry)`` for the clauses after ``label`` in ``code``:
    it runs them from the clause after the label (with ``entry``, from
    the label itself: a call enters there without the clause loop) and
    returns the index of the clause to go on with (RETURNING after a
    RETURN from a routine)."""
    start = next(index for index, clause in enumerate(code) if clause is label) + 1
    writer = _BlockWriter(code, ex, unexposed=False)
    writer.writer.indent = " " * 12
    if start < len(code) and type(code[start]) in _STATEMENTS + _GENERIC:
        writer.first = start  # it ends run_code's PROCEDURE allowance
    else:  # no other clause tests the allowance (TRL2 "PROCEDURE")
        writer.emit("frame.procedure_allowed = False")
    if writer.block(start, len(code)):
        writer.emit(f"return {len(code)}")
    writer.settle_pure()
    writer.only_joined()
    body = [*writer.writer.lines, "        finally:"]
    writer.writer.lines = []
    writer.boundary(start - 1)  # the label's own, when ``entry``
    head = [
        "def segment(ex, entry):",
        "    frame = ex.frame",
        "    pool = frame.pool",
        "    simple = pool.simple",
        "    numeric = frame.numeric",
        "    halt = ex.halt",
        f"    at = {start}",
        "    counted = 0",
        "    try:",
        "        try:",
        "            if entry:",
        *("    " + line for line in writer.writer.lines),
    ]
    return writer.make(writer.function(head, body), "segment")
