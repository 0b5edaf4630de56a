"""The REXX interpreter: activations, calls, conditions, tracing, the host.

See the package docstring (cms/rexx/__init__.py) for the host interface.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from typing import Callable

from . import builtins, numbers
from .errors import MAX_ENVIRONMENT_LENGTH, Halted, RexxError
from .expressions import symbol_reference
from .interprets import InterpretPrograms
from .lexer import SYMBOL_CHARS
from .loops import compile_loop, compile_segment
from .numbers import NumericSettings
from .parser import Compiler, Program
from .stack import ProgramStack
from .streams import StreamTable
from .variables import VariablePool

#: Deepest nesting of calls (internal, external, functions) and INTERPRETs;
#: one more is Error 11, "Control stack full".  Regina 3.6 reaches about
#: 9,880 levels of function recursion (then its C stack overflows).
MAX_CALL_DEPTH = 20000
#: REXX call levels that share one Python thread stack.  A REXX call is a
#: Python call here (about 12 frames a level), so every LEVELS_PER_STACK
#: levels the next activation runs on a fresh thread - with a stack and a
#: recursion count of its own - while the caller's thread waits for it.
#: Deep REXX recursion therefore needs no raised sys.setrecursionlimit.
LEVELS_PER_STACK = 40

#: TRACE letters (TRL2 "TRACE"): All, Commands, Error, Failure,
#: Intermediates, Labels, Normal, Off, Results.
TRACE_LETTERS = frozenset("ACEFILNOR")

VERSION = "REXX370 4.00 26 Nov 2026"


#: Python (3.11 on) keeps its frames on a per-thread data stack of 16 KB
#: chunks and frees a chunk (munmap) as soon as the frame at its start
#: returns: calls that go to and fro across a chunk boundary - a REXX
#: recursion's leaves, or a loop's CALL at the wrong depth - then map and
#: unmap a chunk at every call, which costs more than the call itself.
#: A REXX thread's clauses therefore run under one frame of FRAME_ROOM
#: slots (8 bytes each; evaluation stack slots, never touched), a little
#: under half of a 256 KB chunk: Python gives that frame a chunk of its
#: own, whose other half (60 to 120 levels of REXX calls, more than
#: LEVELS_PER_STACK) holds the frames of every call the thread makes; it
#: is freed only when the thread is done.  Pages never used take no memory.
FRAME_ROOM = 15500


def with_frame_room(work, *args):
    """``work(*args)``, from a frame FRAME_ROOM slots large (its code says
    its evaluation stack needs that many, below; they are never used)."""
    return work(*args)


def _give_room(function, slots: int) -> None:
    function.__code__ = function.__code__.replace(co_stacksize=slots)


_give_room(with_frame_room, FRAME_ROOM)


class ExitProgram(Exception):
    def __init__(self, value):
        super().__init__(value)
        self.value = value


#: The "next clause" after a RETURN from an internal routine: past the end
#: of any code, so the clause loop ends without a test of its own.
RETURNING = 1 << 60


class ReturnFromRoutine(Exception):
    def __init__(self, value):
        super().__init__(value)
        self.value = value


class SignalTransfer(Exception):
    """SIGNAL: leave the current clause for a label of the program."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


class Trap:
    __slots__ = ("mode", "label", "state")

    def __init__(self, mode: str, label: str, state: str = "ON"):
        self.mode = mode  # "SIGNAL" or "CALL"
        self.label = label
        self.state = state  # ON, DELAY (a CALL ON handler is running)

    def copy(self) -> "Trap":
        return Trap(self.mode, self.label, self.state)


class ConditionInfo:
    __slots__ = ("name", "description", "instruction", "status")

    def __init__(self, name: str, description: str, instruction: str, status: str):
        self.name = name
        self.description = description
        self.instruction = instruction  # SIGNAL or CALL
        self.status = status  # ON, OFF, DELAY


class Frame:
    """One activation: the main program, an internal routine, a handler.

    ``numeric`` may be the caller's own settings object until this
    activation changes them (``own_numeric``): a call copies nothing it
    does not have to."""

    __slots__ = (
        "pool",
        "numeric",
        "numeric_shared",
        "address",
        "previous_address",
        "trace",
        "interactive",
        "inhibit",
        "args",
        "traps",
        "condition",
        "loops",
        "call_type",
        "internal",
        "procedure_allowed",
        "elapsed",
    )

    def __init__(
        self,
        pool: VariablePool,
        numeric: NumericSettings,
        address: str,
        previous_address: str,
        trace: str = "N",
        interactive: bool = False,
        inhibit: bool = False,
        args: list | None = None,
        traps: dict | None = None,
        condition: ConditionInfo | None = None,
        call_type: str = "COMMAND",
        internal: bool = False,
        procedure_allowed: bool = False,
        elapsed: float | None = None,
        numeric_shared: bool = False,
    ):
        self.pool = pool
        self.numeric = numeric
        self.numeric_shared = numeric_shared
        self.address = address
        self.previous_address = previous_address
        self.trace = trace
        self.interactive = interactive
        self.inhibit = inhibit
        self.args = [] if args is None else args
        self.traps = {} if traps is None else traps
        self.condition = condition
        self.loops = []
        self.call_type = call_type
        self.internal = internal
        self.procedure_allowed = procedure_allowed
        self.elapsed = elapsed

    def own_numeric(self) -> NumericSettings:
        """The settings, to be changed (NUMERIC): copied first if shared."""
        if self.numeric_shared:
            self.numeric = self.numeric.copy()
            self.numeric_shared = False
        return self.numeric

    def activation(self, args, call_type) -> "Frame":
        """The state a called internal routine starts with (TRL2 "CALL":
        NUMERIC, ADDRESS, TRACE, traps and the elapsed clock are saved and
        restored around the call, so the callee works on copies).  Built
        slot by slot: a call's cheapest way to a new frame."""
        frame = _new_frame(Frame)
        frame.pool = self.pool
        frame.numeric = self.numeric
        frame.numeric_shared = True
        frame.address = self.address
        frame.previous_address = self.previous_address
        frame.trace = self.trace
        frame.interactive = self.interactive
        frame.inhibit = self.inhibit
        frame.args = args
        traps = self.traps
        frame.traps = {k: t.copy() for k, t in traps.items()} if traps else {}
        frame.condition = self.condition
        frame.loops = []
        frame.call_type = call_type
        frame.internal = True
        frame.procedure_allowed = True
        frame.elapsed = self.elapsed
        return frame


_new_frame = object.__new__


class RunResult:
    """What a finished program left: its EXIT/RETURN string and any error."""

    __slots__ = ("value", "error")

    def __init__(self, value: str | None, error: RexxError | None = None):
        self.value = value
        self.error = error

    def __eq__(self, other) -> bool:
        if not isinstance(other, RunResult):
            return NotImplemented
        return (self.value, self.error) == (other.value, other.error)

    def __repr__(self) -> str:
        return f"RunResult(value={self.value!r}, error={self.error!r})"

    @property
    def return_code(self) -> int:
        """The CMS-style return code: the EXIT value if a whole number,
        20000+n for REXX error n (CMS shows it as R(20016) and so on)."""
        if self.error is not None:
            return 20000 + self.error.number
        if self.value is None:
            return 0
        try:
            return numbers.whole_number(self.value)
        except RexxError:
            return 0


def _refuse_commands(environment: str, command: str) -> int:
    return -3


class Interpreter:
    """One REXX program, ready to run.

    Parameters are described in the package docstring.
    """

    def __init__(
        self,
        source: list[str] | str,
        *,
        name: str = "PROGRAM",
        filetype: str = "EXEC",
        filemode: str = "*",
        host_command: Callable[[str, str], int] | None = None,
        output: Callable[[str], None] | None = None,
        input: Callable[[], str | None] | None = None,
        stack: ProgramStack | None = None,
        halt: Callable[[], bool] | None = None,
        trace_output: Callable[[str], None] | None = None,
        environment: str = "CMS",
        system: str = "CMS",
        external: Callable[[str], list[str] | None] | None = None,
        userid: str = "",
        program_label: str | None = None,
        codepage: str | None = None,
        functions: dict | None = None,
        linesize: int = 80,
        streams=None,
    ):
        self.lines = source.split("\n") if isinstance(source, str) else list(source)
        self.name = name
        self.filetype = filetype
        self.filemode = filemode
        # Host callbacks run on the host's thread even from a fresh stack
        # (on_host_thread); ``halt`` is called at every clause on whatever
        # thread runs it, so it must be cheap and hand off itself when it
        # needs the host (on_host_thread).
        self.host = _on_host_thread(host_command or _refuse_commands)
        self.output = _on_host_thread(output or (lambda text: print(text)))
        self.input = _on_host_thread(input or (lambda: None))
        self.stack = stack if stack is not None else ProgramStack()
        self.halt = halt
        self.trace_output = _on_host_thread(trace_output) or self.output
        self.environment = environment
        self.system = system
        self.external = _on_host_thread(external)
        self.userid = userid
        self.program_label = program_label or f"{name} {filetype}"
        # Character codes (C2X, X2C, '..'X, BITAND, XRANGE, comparisons):
        # Latin-1 code points by default; CMS passes codepage="cp037" so that
        # 'C1'x is "A" and strings compare in EBCDIC order, as on the real machine.
        self.codepage = codepage or "latin-1"
        # host built-ins (CMS: DIAG, CMSFLAG, ...): name -> f(list of str|None) -> str
        self.host_functions = {k.upper(): _on_host_thread(v) for k, v in (functions or {}).items()}
        self.linesize = linesize
        # CHARIN ... STREAM: the host's stream provider (cms.rexx.streams)
        self.streams = StreamTable(streams)
        self.collate = None if self.codepage == "latin-1" else self.encode
        self.program: Program | None = None
        self.frame: Frame | None = None
        self.code: list = []
        self.current_line = 0
        self.depth = 0
        self.halt_requested = False
        self.trace_request: str | None = None
        self.trace_clauses = False
        self.attention = False  # halt_requested, trace_request or trace_clauses
        self.flags_trace = None  # the TRACE letter the flags were set for
        self.trace_intermediates = False
        self.trace_results = False
        self.interpret_programs = InterpretPrograms(self.decode)
        self.reference_cache: dict[str, object] = {}
        self.random_state = None
        self.invoked_as = name
        self.clauses = 0  # clauses executed (TIME()'s clause stamp)
        self.clock_stamp: tuple[int, float] | None = None
        self.parent: Interpreter | None = None
        self.last_traced = None
        self.in_pause = False
        self.active_child: Interpreter | None = None  # running external routine
        self.return_value: str | None = None  # of the RETURN that ended a routine
        self.trace_indent = ""
        self.trace_suppress = 0  # TRACE -n
        self.trace_muted = False  # the clause being run is suppressed
        self.pause_skip = 0  # TRACE n in interactive trace

    # --- character codes -------------------------------------------------------
    def encode(self, text: str) -> bytes:
        return text.encode(self.codepage, errors="replace")

    def decode(self, data: bytes) -> str:
        return bytes(data).decode(self.codepage)

    def translate_upper(self, text: str) -> str:
        """Upper case as TRANSLATE() and PARSE UPPER do: only a-z change."""
        return (
            text.upper()
            if text.isascii()
            else "".join(c.upper() if "a" <= c <= "z" else c for c in text)
        )

    def translate_lower(self, text: str) -> str:
        """Lower case as LOWER() and PARSE LOWER do: only A-Z change."""
        return (
            text.lower()
            if text.isascii()
            else "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
        )

    # --- host-facing API ------------------------------------------------------
    def run(self, args: list[str] | str | None = None, call_type: str = "COMMAND") -> RunResult:
        """Run the program to its end; never raises for REXX errors."""
        if isinstance(args, str):
            args = [args]
        args = list(args or [])
        try:
            value = with_frame_room(self.execute, args, call_type)
            self.end_streams()
            return RunResult(value)
        except RexxError as error:
            self.end_streams()
            self.report_error(error)
            return RunResult(None, error)
        except RecursionError:
            error = RexxError(11, "", self.current_line)
            self.report_error(error)
            return RunResult(None, error)
        except MemoryError:
            error = RexxError(5, "", self.current_line)
            self.report_error(error)
            return RunResult(None, error)
        except Exception as failure:  # an interpreter defect: still no traceback
            if os.environ.get("VM370_REXX_DEBUG"):
                raise
            error = RexxError(49, repr(failure), self.current_line)
            self.report_error(error)
            return RunResult(None, error)

    def end_streams(self) -> None:
        """At the end of the program: changed streams are written back, and
        CHAROUT characters still waiting for a new line are shown."""
        self.streams.close_all()
        if self.streams.console_pending:
            pending, self.streams.console_pending = self.streams.console_pending, ""
            self.output(pending)

    def request_halt(self) -> None:
        """HI: raise the HALT condition at the next clause boundary."""
        self.halt_requested = True
        self.attention = True

    def request_trace(self, setting: str) -> None:
        """TS/TE: change the trace setting at the next clause boundary."""
        self.trace_request = setting
        self.attention = True

    def running(self) -> "Interpreter":
        """The innermost program now running: this one, or the external
        routine (another EXEC) it called; host variable access goes there."""
        target = self
        while target.active_child is not None:
            target = target.active_child
        return target

    def get_variable(self, name: str) -> str | None:
        """Value of a variable of the running routine (None if unset).
        ``name`` is a symbol; tails of compound names are substituted."""
        target = self.running()
        return target._host_reference(name).evaluate_quiet(target)

    def set_variable(self, name: str, value: str) -> None:
        target = self.running()
        target._host_reference(name).assign(target, value)

    def drop_variable(self, name: str) -> None:
        target = self.running()
        target._host_reference(name).drop(target)

    def variables(self) -> list[tuple[str, str]]:
        """Every set variable visible to the running routine."""
        return self.running()._pool().names()

    # --- running ------------------------------------------------------------------
    def compile(self) -> Program:
        if self.program is None:
            try:
                self.program = Compiler(self.lines, self.decode).compile()
            except RecursionError:
                raise RexxError(11) from None
        return self.program

    def execute(self, args: list, call_type: str = "COMMAND") -> str | None:
        """Run, raising RexxError for an untrapped error; returns the value."""
        self.compile()
        self.frame = Frame(
            pool=VariablePool(),
            numeric=NumericSettings(),
            address=self.environment,
            previous_address=self.environment,
            args=args,
            call_type=call_type,
        )
        self._update_trace()
        try:
            self.run_routine(0)
            return None
        except (ExitProgram, ReturnFromRoutine) as done:
            return done.value
        except RecursionError:
            raise RexxError(11, "", self.current_line) from None
        except Halted:
            raise RexxError(4, "", self.current_line) from None

    def run_routine(self, pc: int, entry: bool = False) -> bool:
        """Run main-program code from ``pc`` in the current activation,
        following SIGNALs and trapping SYNTAX as the activation says; True
        when a RETURN ended it (its value is ``return_value``).  ``entry``:
        a call of the label at ``pc``, whose compiled body (cms.rexx.loops)
        runs from there without the clause loop while nothing needs it."""
        code = self.program.code
        while True:
            try:
                if entry:
                    entry = False
                    segment = code[pc].segment
                    if segment and segment[0] is code and not self.attention:
                        saved_code = self.code  # as run_code keeps it
                        self.code = code
                        try:
                            pc = segment[1](self, True)
                        finally:
                            self.code = saved_code
                        if pc == RETURNING:
                            return True
                return self.run_code(code, pc)
            except SignalTransfer as transfer:
                pc = transfer.index
                self.frame.loops.clear()
            except RexxError as error:
                # the compiled body named the clause (cms.rexx.loops): its
                # caller's clause loop adds its own, as run_code does
                error.__dict__.pop("blamed", None)
                if getattr(error, "untrappable", False):
                    raise
                trap = self.frame.traps.get("SYNTAX")
                if trap is None or trap.state != "ON":
                    error.untrappable = True
                    raise
                pc = self.trap_syntax(error, trap)
                self.frame.loops.clear()

    def run_code(self, code: list, pc: int) -> bool:
        """Run clauses from ``pc`` to the end of ``code``, or until one
        returns RETURNING (a RETURN from an internal routine): then True."""
        saved_code = self.code
        self.code = code
        frame = self.frame
        halt = self.halt
        try:
            end = len(code)
            while pc < end:
                clause = code[pc]
                self.current_line = clause.line
                self.clauses += 1
                # one test for the common case: no HI/TS/TE pending, no TRACE
                if self.attention:
                    if self.halt_requested or self.trace_request:
                        self.clause_boundary(clause)
                    elif halt is not None and halt():
                        self.halt_requested = True
                        self.clause_boundary(clause)
                    if self.trace_clauses:
                        self.trace_clause(clause)
                elif halt is not None and halt():
                    self.halt_requested = True
                    self.clause_boundary(clause)
                    if self.trace_clauses:  # TS at this boundary
                        self.trace_clause(clause)
                try:
                    target = clause.run(self)
                except RexxError as error:
                    if error.__dict__.pop("blamed", False):
                        raise  # a compiled loop named the clause (cms.rexx.loops)
                    if error.line is None:
                        error.line = clause.line
                    if not hasattr(error, "traceback"):
                        error.traceback = []
                    error.traceback.append(clause)
                    raise
                if frame.procedure_allowed and not clause.is_label:
                    frame.procedure_allowed = False
                if self.trace_clauses and self.last_traced is clause and self.frame.interactive:
                    self.interactive_pause(clause)
                if target is None:
                    pc += 1
                else:
                    pc = target  # RETURNING is past every end
            return pc == RETURNING
        finally:
            self.code = saved_code

    def clause_boundary(self, clause) -> None:
        """Between clauses: trace requests (TS/TE) and HALT (HI)."""
        if self.trace_request is not None:
            setting, self.trace_request = self.trace_request, None
            self.set_trace(setting, clause.line)
        if self.halt_requested:
            self.halt_requested = False
            self._update_trace()
            trap = self.frame.traps.get("HALT")
            if trap is None or trap.state == "OFF":
                raise RexxError(4, "", clause.line)
            self.raise_condition("HALT", "", trap)

    # --- errors -------------------------------------------------------------
    def report_error(self, error: RexxError) -> None:
        """The traceback clauses (+++) and the Error nn message."""
        traceback = getattr(error, "traceback", [])
        if (
            not traceback
            and error.line
            and 0 < error.line <= len(self.lines)
            and not hasattr(error, "program")
        ):
            # found while reading the program: show the line it is on
            self.trace_output(f"{error.line:>6} +++ {self.lines[error.line - 1].strip()}")
        for clause in traceback:
            if clause.source:
                first, *rest = clause.source.split("\n")
                self.trace_output(f"{clause.line:>6} +++ {first}")
                for more in rest:
                    self.trace_output(f"       +++ {more}")
        self.trace_output(error.message(getattr(error, "program", self.program_label)))

    def trap_syntax(self, error: RexxError, trap: Trap) -> int:
        index = self._label_index(trap.label, error.line)
        frame = self.frame
        frame.traps.pop("SYNTAX", None)  # a SIGNAL trap is OFF once taken
        # TRL2 gives SYNTAX no description: the error number is in RC
        frame.condition = ConditionInfo("SYNTAX", "", "SIGNAL", "OFF")
        frame.pool.set("RC", str(error.number))
        frame.pool.set("SIGL", str(error.line or self.current_line))
        return index

    def _label_index(self, label: str, line: int | None) -> int:
        index = self.program.labels.get(label)
        if index is None:
            raise RexxError(16, label, line or self.current_line)
        return index

    # --- conditions ----------------------------------------------------------
    def set_trap(self, condition: str, mode: str | None, label: str) -> None:
        if mode is None:
            self.frame.traps.pop(condition, None)
        else:
            self.frame.traps[condition] = Trap(mode, label)

    def raise_condition(self, condition: str, description: str, trap: Trap) -> None:
        """A trapped condition: SIGNAL now, or CALL after this clause."""
        frame = self.frame
        if trap.mode == "SIGNAL":
            frame.traps.pop(condition, None)
            frame.condition = ConditionInfo(condition, description, "SIGNAL", "OFF")
            frame.pool.set("SIGL", str(self.current_line))
            raise SignalTransfer(self._label_index(trap.label, self.current_line))
        if trap.state == "DELAY":
            return
        # the clause that raised it (a command, or HALT at a clause boundary)
        # is complete, so the handler is called now (TRL2 "CALL ON")
        self.run_handler(condition, description, trap, self.current_line)

    def run_handler(self, condition, description, trap, line) -> None:
        """CALL ON: call the trap routine; the trap is DELAYed meanwhile."""
        index = self._label_index(trap.label, line)
        trap.state = "DELAY"
        caller = self.frame
        caller.pool.set("SIGL", str(line))
        frame = caller.activation([], "SUBROUTINE")
        frame.condition = ConditionInfo(condition, description, "CALL", "DELAY")
        try:
            self._call_internal(frame, index)
        finally:
            if caller.traps.get(condition) is trap:
                trap.state = "ON"

    def novalue(self, name: str) -> str:
        """An unset variable's value is its name, unless NOVALUE is trapped."""
        trap = self.frame.traps.get("NOVALUE")
        if trap is not None and trap.state == "ON":
            self.raise_condition("NOVALUE", name, trap)
        return name

    def condition_info(self) -> ConditionInfo | None:
        return self.frame.condition

    # --- SIGNAL / CALL / RETURN / EXIT -------------------------------------------
    def signal(self, label: str, line: int) -> None:
        index = self._label_index(label, line)
        self.frame.pool.set("SIGL", str(line))
        raise SignalTransfer(index)

    def do_exit(self, value) -> None:
        raise ExitProgram(value)

    def do_return(self, value) -> int:
        """RETURN: the main program ends; a routine's clauses stop with
        RETURNING as the next clause, ``return_value`` holding the value."""
        if value is None and self.frame.call_type == "FUNCTION":
            # TRL2 Error 45: RETURN with no data from a routine called as a
            # function (Error 44 is a function that ends without RETURN)
            raise RexxError(45, "", self.current_line)
        if not self.frame.internal:
            raise ExitProgram(value)
        self.return_value = value
        return RETURNING

    def call_function(self, name: str, args: list, quoted: bool) -> str:
        result = self.call_routine(name, args, quoted, self.current_line, function=True)
        if result is None:
            raise RexxError(44, name)
        return result

    def call_routine(self, name, args, quoted, line, function) -> str | None:
        """Internal routine, then built-in, then external (TRL2 "Functions")."""
        call_type = "FUNCTION" if function else "SUBROUTINE"
        if not quoted:
            index = self.program.labels.get(name)
            if index is not None:
                return self.call_label(index, args, str(line), call_type)
        builtin = builtins.FUNCTIONS.get(name)
        if builtin is not None:
            return builtins.call(self, name, builtin, args)
        host_function = self.host_functions.get(name)
        if host_function is not None:
            result = host_function(list(args))
            return None if result is None else str(result)
        return self.call_external(name, args, call_type)

    def call_label(self, index: int, args: list, sigl: str, call_type: str) -> str | None:
        """CALL or function call of the internal routine at ``index`` (the
        name was found among the labels); ``sigl``: the calling line."""
        caller = self.frame
        pool = caller.pool
        if pool.exposed:
            pool.set("SIGL", sigl)
        else:
            pool.simple["SIGL"] = sigl
        return self._call_internal(caller.activation(args, call_type), index)

    def _call_internal(self, frame: Frame, index: int) -> str | None:
        caller = self.frame
        if self.depth >= MAX_CALL_DEPTH:
            raise RexxError(11, "", self.current_line)
        self.depth += 1
        self.frame = frame
        line = self.current_line
        if frame.trace != self.flags_trace or self.attention:
            self._update_trace()
        try:
            if self.depth % LEVELS_PER_STACK:  # nested(), without a call
                returned = self.run_routine(index, True)
            else:
                returned = run_on_fresh_stack(self.run_routine, index, True)
            return self.return_value if returned else None
        except ReturnFromRoutine as done:  # RETURN in interactive trace input
            return done.value
        finally:
            self.depth -= 1
            self.frame = caller
            self.current_line = line
            if caller.trace != self.flags_trace or self.attention:
                self._update_trace()

    def call_external(self, name: str, args: list, call_type: str) -> str | None:
        source = self.external(name) if self.external is not None else None
        if source is None:
            raise RexxError(43, name)
        if self.depth >= MAX_CALL_DEPTH:
            raise RexxError(11, name)
        child = Interpreter(
            source,
            name=name.upper(),
            filetype=self.filetype,
            filemode=self.filemode,
            host_command=self.host,
            output=self.output,
            input=self.input,
            stack=self.stack,
            halt=self.halt,
            trace_output=self.trace_output,
            environment=self.frame.address,
            system=self.system,
            external=self.external,
            userid=self.userid,
            codepage=self.codepage,
            functions=self.host_functions,
            linesize=self.linesize,
        )
        child.depth = self.depth + 1
        child.parent = self
        child.streams = self.streams
        self.active_child = child
        try:
            return self.nested(child.execute, args, call_type)
        except RexxError as error:
            # an error in an external routine ends the whole program; the
            # message names the program the error is in
            error.untrappable = True
            if not hasattr(error, "program"):
                error.program = child.program_label
            raise
        finally:
            self.active_child = None

    def nested(self, work, *args):
        """Run one nested activation (the depth already counts it): here,
        or on a fresh stack at every LEVELS_PER_STACK-th level."""
        if self.depth % LEVELS_PER_STACK:
            return work(*args)
        return run_on_fresh_stack(work, *args)

    def procedure(self, exposed, line) -> None:
        frame = self.frame
        if not frame.internal or not frame.procedure_allowed:
            raise RexxError(17, "", line)
        caller_pool = frame.pool
        frame.pool = VariablePool()
        for node, indirect in exposed:
            self._expose(node, caller_pool)
            if indirect:
                for word in node.evaluate(self).split():
                    self._expose(self.reference(word), caller_pool)

    def _expose(self, node, caller_pool) -> None:
        self.frame.pool.expose(node.derived_name(self), caller_pool)

    def compile_loop(self, do, code: list):
        """The compiled form of a long-running DO loop (cms.rexx.loops)."""
        return compile_loop(do, code, self)

    def compile_segment(self, label, code: list):
        """The compiled clauses after a label (cms.rexx.loops)."""
        return compile_segment(label, code, self)

    # --- INTERPRET ------------------------------------------------------------
    def interpret(self, string: str, line: int) -> bool:
        """INTERPRET: True when the string RETURNed from the routine."""
        code = self.interpret_programs.code(string, line)
        if self.depth >= MAX_CALL_DEPTH:
            raise RexxError(11, "", line)
        self.depth += 1
        try:
            if len(code) == 1 and self.depth % LEVELS_PER_STACK:  # nested() runs it here
                return self.run_one(code)
            return self.nested(self.run_code, code, 0)
        finally:
            self.depth -= 1

    def run_one(self, code: list) -> bool:
        """run_code(code, 0) for a program of one clause (an INTERPRET
        string), its clause loop's work written out once; a clause naming
        a clause of it to go on with goes to run_code."""
        clause = code[0]
        saved_code = self.code
        self.code = code
        frame = self.frame
        halt = self.halt
        try:
            self.current_line = clause.line
            self.clauses += 1
            if self.attention:  # as run_code
                if self.halt_requested or self.trace_request:
                    self.clause_boundary(clause)
                elif halt is not None and halt():
                    self.halt_requested = True
                    self.clause_boundary(clause)
                if self.trace_clauses:
                    self.trace_clause(clause)
            elif halt is not None and halt():
                self.halt_requested = True
                self.clause_boundary(clause)
                if self.trace_clauses:
                    self.trace_clause(clause)
            try:
                target = clause.run(self)
            except RexxError as error:
                if error.__dict__.pop("blamed", False):
                    raise  # a compiled loop named the clause (cms.rexx.loops)
                if error.line is None:
                    error.line = clause.line
                if not hasattr(error, "traceback"):
                    error.traceback = []
                error.traceback.append(clause)
                raise
            if frame.procedure_allowed and not clause.is_label:
                frame.procedure_allowed = False
            if self.trace_clauses and self.last_traced is clause and self.frame.interactive:
                self.interactive_pause(clause)
        finally:
            self.code = saved_code
        if target is None:
            return False
        if target < len(code):
            return self.run_code(code, target)
        return target == RETURNING

    # --- commands and I/O -------------------------------------------------------
    def check_environment(self, name: str, line: int) -> None:
        if len(name) > MAX_ENVIRONMENT_LENGTH:
            raise RexxError(29, name, line)

    def host_command(self, environment, command: str, clause) -> None:
        environment = environment or self.frame.address
        frame = self.frame
        if frame.inhibit:
            rc = 0
        else:
            rc = self.host(environment, command)
            if not isinstance(rc, int):
                rc = 0 if rc is None else int(rc)
        frame.pool.set("RC", str(rc))
        if rc == 0:
            return
        failure = rc < 0
        trace = frame.trace
        if trace == "E" or (failure and trace in "FN") or trace in ("C", "A", "R", "I"):
            if not self.trace_clauses or (trace not in ("A", "R", "I", "C")):
                self.trace_clause(clause)
            self.trace_output(f"       +++ RC({rc}) +++")
        trap = frame.traps.get("FAILURE") if failure else None
        if trap is not None and trap.state != "OFF":
            self.raise_condition("FAILURE", command, trap)
            return
        trap = frame.traps.get("ERROR")
        if trap is not None and trap.state != "OFF":
            self.raise_condition("ERROR", command, trap)

    def say(self, text: str) -> None:
        pending = self.streams.console_pending
        if pending:
            self.streams.console_pending = ""
            text = pending + text
        self.output(text)

    def console_chars(self, text: str) -> None:
        """CHAROUT to the console: at once if the host can write without a
        new line, else held for the next SAY (or the end of the program)."""
        provider = self.streams.provider
        if hasattr(provider, "console_chars"):
            provider.console_chars(text)
            return
        lines = (self.streams.console_pending + text).split("\n")
        for line in lines[:-1]:
            self.output(line)
        self.streams.console_pending = lines[-1]

    def console_lines(self) -> int:
        """LINES() of the default input stream: lines the host has ready."""
        provider = self.streams.provider
        if hasattr(provider, "console_lines"):
            return provider.console_lines()
        return 0

    def read_terminal(self) -> str:
        line = self.input()
        return "" if line is None else line

    def pull_line(self) -> str:
        line = self.stack.pull()
        if line is None:
            return self.read_terminal()
        return line

    def source_string(self) -> str:
        return (
            f"{self.system} {self.frame_call_type()} {self.name} {self.filetype} "
            f"{self.filemode} {self.invoked_as} {self.environment}"
        )

    def frame_call_type(self) -> str:
        frame = self.frame
        return frame.call_type if frame.call_type else "COMMAND"

    def version_string(self) -> str:
        return VERSION

    # --- variables ------------------------------------------------------------------
    def reference(self, name: str):
        """A variable node for a name given at run time (VALUE, DROP (x))."""
        node = self.reference_cache.get(name)
        if node is None:
            if not name or any(c not in SYMBOL_CHARS for c in name) or name[0] in "0123456789.":
                raise RexxError(40, name)
            node = symbol_reference(name)
            self.reference_cache[name] = node
        return node

    def _pool(self) -> VariablePool:
        if self.frame is None:
            raise RuntimeError("no REXX program is running")
        return self.frame.pool

    def _host_reference(self, name: str):
        self._pool()
        try:
            return _QuietReference(self.reference(name.upper()))
        except RexxError:
            raise ValueError(f"invalid REXX variable name {name!r}") from None

    # --- trace ---------------------------------------------------------------------
    def set_trace(self, setting: str, line: int) -> None:
        frame = self.frame
        text = setting.strip()
        if not text:
            frame.trace = "N"
            frame.interactive = False
            self._update_trace()
            return
        if numbers.parse_number(text) is not None:
            # TRACE n: skip the next n interactive pauses; TRACE -n: show
            # nothing for the next n clauses that would be traced (TRL2)
            count = numbers.whole_number(text, frame.numeric.digits, 26)
            if count < 0:
                self.trace_suppress = -count
            elif frame.interactive:
                self.pause_skip = count
            return
        while text and text[0] in "?!":
            if text[0] == "?":
                frame.interactive = not frame.interactive
                if frame.interactive and not self.in_pause:
                    self.trace_output(
                        "       +++ Interactive trace.  TRACE OFF to end "
                        "debug, ENTER to continue. +++"
                    )
            else:
                frame.inhibit = not frame.inhibit
            text = text[1:]
        if text:
            letter = text[0].upper()
            if letter not in TRACE_LETTERS:
                raise RexxError(24, setting, line)
            frame.trace = letter
            if letter == "O":
                frame.interactive = False
                frame.inhibit = False
        self._update_trace()

    def scan_rest(self, clause) -> None:
        """TRACE S: trace every remaining clause without running it, then
        end; allowed only at the top level of the main program (TRL2)."""
        if self.frame.internal or self.code is not self.program.code:
            raise RexxError(24, "S", clause.line)
        frame = self.frame
        frame.trace = "A"
        self._update_trace()
        for later in self.code[self.code.index(clause) + 1 :]:
            self.trace_clause(later)
        raise ExitProgram(None)

    def trace_setting(self) -> str:
        frame = self.frame
        return ("?" if frame.interactive else "") + ("!" if frame.inhibit else "") + frame.trace

    def _update_trace(self) -> None:
        trace = self.frame.trace
        if trace == self.flags_trace and not self.attention:
            return  # a call or return that leaves the flags as they are
        self.flags_trace = trace
        self.trace_clauses = trace in ("A", "R", "I", "L", "C")
        # run_code looks at the slow path only when something needs it
        self.attention = self.trace_clauses or self.halt_requested or self.trace_request is not None
        if self.halt_requested or self.trace_request is not None:
            self.attention = True  # HI or TS that came while the line above ran
        self.trace_results = trace in ("R", "I")
        self.trace_intermediates = trace == "I"

    def trace_clause(self, clause) -> None:
        trace = self.frame.trace
        if clause.is_null:
            return
        if trace == "L" and not clause.is_label:
            return
        if trace == "C" and not clause.is_command:
            return
        if self.trace_suppress:
            self.trace_suppress -= 1
            self.trace_muted = True
            return
        self.trace_muted = False
        indent = "  " * clause.depth
        self.trace_indent = indent
        first, *rest = clause.source.split("\n")
        self.trace_output(f"{clause.line:>6} *-* {indent}{first}")
        for more in rest:
            self.trace_output(f"       *,* {indent}{more.strip()}")
        self.last_traced = clause

    def interactive_pause(self, clause) -> None:
        """Interactive trace (TRL2 "TRACE ?"): after a traced clause, read
        lines from the terminal; a null line goes on, ``=`` runs the clause
        again, anything else is interpreted (untraced) and the pause goes on."""
        if self.in_pause:
            return
        self.last_traced = None
        if self.pause_skip:
            self.pause_skip -= 1
            return
        self.in_pause = True
        try:
            while self.frame.interactive:
                line = self.input()
                if not line:
                    return
                if line.strip() == "=":
                    if clause.run(self) == RETURNING:
                        raise ReturnFromRoutine(self.return_value)
                    continue
                saved = self.frame.trace
                self.frame.trace = "O"
                self._update_trace()
                try:
                    if self.interpret(line, clause.line):
                        raise ReturnFromRoutine(self.return_value)
                finally:
                    if self.frame.trace == "O" and saved != "O":
                        self.frame.trace = saved
                    self._update_trace()
        finally:
            self.in_pause = False

    # Results are indented two more than their clause, in double quotes
    # (TRL2 / SC24-5239 "Format of TRACE output").
    def trace_result(self, value: str) -> None:
        if self.trace_results and not self.trace_muted:
            self.trace_output(f'       >>> {self.trace_indent}  "{value}"')

    def trace_assignment(self, tag: str, value: str) -> None:
        if self.trace_results and not self.trace_muted:
            self.trace_output(f'       {tag} {self.trace_indent}  "{value}"')

    def trace_tag(self, tag: str, value: str) -> None:
        if self.trace_muted:
            return
        self.trace_output(f'       {tag} {self.trace_indent}  "{value}"')

    # --- time ----------------------------------------------------------------------
    def clock(self) -> float:
        """One time stamp per clause: every DATE() and TIME() call in a
        clause sees the same moment (TRL2 "TIME")."""
        stamp = self.clock_stamp
        if stamp is None or stamp[0] != self.clauses:
            stamp = self.clock_stamp = (self.clauses, time.time())
        return stamp[1]


class _QuietReference:
    """A variable node used by the host: no NOVALUE, no tracing."""

    def __init__(self, node):
        self.node = node

    def evaluate_quiet(self, ex):
        if hasattr(self.node, "is_set") and not self.node.is_set(ex):
            return None
        if hasattr(self.node, "tail"):
            return ex.frame.pool.get_compound(self.node.stem, self.node.tail(ex))
        if getattr(self.node, "is_stem", False):
            return ex.frame.pool.get_stem(self.node.name)
        return ex.frame.pool.get(self.node.name)

    def assign(self, ex, value):
        self.node.assign(ex, value)

    def drop(self, ex):
        self.node.drop(ex)


class _HostRequests:
    """Host callbacks made on a fresh stack, waiting to run on the host's thread."""

    def __init__(self):
        self.queue: queue.SimpleQueue = queue.SimpleQueue()


#: Per thread: the host's request queue when this thread is a fresh stack.
_fresh_stack = threading.local()
#: Ends the host thread's service of callbacks: the fresh stack's work is done.
_DONE = object()


def on_host_thread(function, *args):
    """Call a host function on the thread that called ``Interpreter.run``.

    Deep calls run on fresh thread stacks (``run_on_fresh_stack``); a host
    callback made there is handed to the host's thread, which serves it
    while it waits, and the result (or exception) comes back.  The host
    therefore sees every callback on its own thread, as if no fresh stack
    were used: CMS, for one, may suspend its processor inside a callback."""
    requests = getattr(_fresh_stack, "requests", None)
    if requests is None:
        return function(*args)
    reply: queue.SimpleQueue = queue.SimpleQueue()
    requests.queue.put((function, args, reply))
    ok, value = reply.get()
    if ok:
        return value
    raise value


def run_on_fresh_stack(work, *args):
    """``work(*args)`` on a new thread, waited for: its value, or its
    exception raised here.  The caller's thread is blocked meanwhile, so the
    program still runs one clause at a time and its state needs no locks;
    the host's thread serves the host callbacks the new thread makes."""
    outer = getattr(_fresh_stack, "requests", None)
    requests = outer or _HostRequests()
    outcome: dict = {}

    def runner() -> None:
        _fresh_stack.requests = requests
        try:
            outcome["value"] = with_frame_room(work, *args)
        except BaseException as error:  # delivered to the waiting caller
            outcome["error"] = error
        finally:
            if outer is None:
                requests.queue.put(_DONE)

    thread = threading.Thread(target=runner, name="REXX call", daemon=True)
    thread.start()
    if outer is None:
        _serve_host_callbacks(requests)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _serve_host_callbacks(requests: _HostRequests) -> None:
    while True:
        request = requests.queue.get()
        if request is _DONE:
            return
        function, args, reply = request
        try:
            reply.put((True, function(*args)))
        except BaseException as error:  # raised again on the caller's stack
            reply.put((False, error))


def _on_host_thread(function):
    """``function`` as a host callback that always runs on the host's thread."""
    if function is None:
        return None
    return lambda *args: on_host_thread(function, *args)
