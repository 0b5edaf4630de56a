"""REXX for vm370: an interpreter for the REXX language (TRL2 / ANSI X3.274).

Host interface (how CMS, the ``vm370 rexx`` command and tests run programs)
=========================================================================

::

    from cms.rexx import Interpreter, ProgramStack

    interp = Interpreter(
        lines,                      # list of source lines (or one string)
        name="PROFILE", filetype="EXEC", filemode="A",   # for PARSE SOURCE,
                                    # and "Error nn running PROFILE EXEC, line n"
        host_command=run_command,   # (environment, command) -> rc (int)
        output=write_line,          # SAY: one line of output, no newline
        input=read_line,            # PULL / PARSE PULL when the stack is empty,
                                    # PARSE EXTERNAL always: -> str, None at EOF
        stack=console_stack,        # a ProgramStack shared with console reads
        halt=halt_pending,          # () -> bool, polled between clauses; True
                                    # once per HI (the host clears its flag)
        trace_output=write_line,    # TRACE lines and error messages (default: output)
        environment="CMS",          # initial ADDRESS (and PARSE SOURCE's last word)
        external=find_exec,         # name -> source lines or None: external
                                    # functions and subroutines (fn EXEC on CMS)
        userid="MAINT",             # USERID()
        codepage="cp037",           # character codes: EBCDIC under CMS ('C1'x is
                                    # "A", EBCDIC collating order); default Latin-1
        functions={"DIAG": diag},   # host built-ins: name -> f(args) -> str
        linesize=80,                # LINESIZE()
        streams=provider,           # CHARIN ... STREAM: names -> files
                                    # (cms.rexx.streams; CMS: cms.rexxstreams)
    )
    result = interp.run(["args string"])     # never raises for REXX errors
    result.value          # EXIT / RETURN string or None
    result.error          # RexxError (number, line, text) or None
    result.return_code    # EXIT value as a number; 20000+n after Error n

Host commands
    Every command clause, ``ADDRESS env command`` and commands under the
    current ADDRESS call ``host_command(environment, command)``.  Its int
    result goes to variable RC; a negative RC raises FAILURE, a positive one
    ERROR (FAILURE falls back to ERROR when only ERROR is trapped), as TRL2
    describes.  ``TRACE !`` inhibits commands (RC 0, host not called).
    The default refuses every command with RC -3 ("command not found"), the
    CMS return code for an unknown command.

Shared variables (the EXECCOMM interface)
    While a host command runs, the host may read and change the variables of
    the routine that issued it, e.g. for EXECIO ... STEM or VAR:
    ``interp.get_variable("LINE.3")`` (None if unset),
    ``interp.set_variable("LINE.0", "12")``, ``interp.drop_variable(name)``,
    ``interp.variables()`` -> [(name, value), ...].  Names are symbols: the
    tails of compound names are substituted (``LINE.I`` uses I's value), as
    EXECCOMM's symbolic requests do; a bad name raises ValueError.

External routines
    A CALL or function whose name is no label and no built-in is looked up
    with ``external(name)``; the routine runs as its own program (its own
    variables, PARSE SOURCE call type SUBROUTINE or FUNCTION) with the same
    host, stack and output.  Unknown names are Error 43.

Program stack
    ``ProgramStack`` (cms.rexx.stack): push / queue / pull / queued, plus the
    CMS buffers (make_buffer / drop_buffer / clear) for MAKEBUF, DROPBUF and
    DESBUF.  PULL reads the stack first, then ``input``.

Threads
    Calls nest up to 20,000 levels (then Error 11): every 40 levels the
    next activation runs on a fresh thread while the caller's thread waits
    (Python's recursion limit is never raised).  Host callbacks still run
    on the thread that called ``run``: the waiting host thread serves them
    (``on_host_thread``).  Only ``halt``, called at every clause, runs on
    the clause's thread; it must be cheap, and hand off to the host with
    ``cms.rexx.interpreter.on_host_thread`` when it needs more.  Each
    thread runs its clauses under one large Python frame
    (``with_frame_room``), so that calls never map and unmap Python's
    frame stack chunks.

Halting and tracing from outside
    ``interp.request_halt()`` (HI), ``interp.request_trace("R")`` (TS/TE)
    take effect at the next clause boundary.  An untrapped HALT ends the
    program with Error 4, "Program interrupted".

Errors
    A REXX error that no SIGNAL ON SYNTAX traps ends the program: the clauses
    in error are written to ``trace_output`` with ``+++``, then
    ``Error 16 running PROFILE EXEC, line 12: Label not found``.  CMS adds its
    message prefix (DMSREX460E) where it shows that line.  Syntax errors of
    simple clauses are raised when the clause runs (so SIGNAL ON SYNTAX
    traps them); structural ones (DO/END, IF/THEN, SELECT) when the program
    is read.  Strings over 16 MB (more than an S/370 VM's storage) are
    Error 5.  Never a traceback: a failure of the interpreter itself, or an
    exception from a host callback, is Error 49 (set VM370_REXX_DEBUG=1 to
    let it propagate while debugging).

Speed
    Clauses and expressions that run more than once become generated Python
    code (expressions.generate), with the work of common built-ins written
    inline and pure built-ins of literals computed once (builtins.INLINE,
    PURE); PARSE templates used twice become generated code too (template);
    a DO loop that runs long, and the body of a routine called a few times
    (the clauses after its label), become one Python function each (loops:
    IF/ELSE, SELECT, DO groups, nested loops, assignments, CALL, PROCEDURE,
    ARG, PARSE VAR/VALUE and RETURN written out, other clauses called; a
    body of clauses calling no function but built-ins of builtins.QUIET
    (PARSE VAR/VALUE into simple variables, SAY: those too) keeps its
    variables, NUMERIC settings and clause count in locals; ``V = V || X``
    extends V's string in place);
    concatenation chains are one Python sum, normal comparisons and sums
    with LENGTH/POS/WORDS work on remembered whole numbers inline, chains
    of sums with those counts or ABS/MAX/MIN/X2D (builtins.WHOLE) add
    ints and make the string once; a call
    of an internal routine goes
    straight to it; INTERPRET strings that differ only in their numbers
    share one compiled shape (interprets; the next string of one number
    on the same INTERPRET is matched against the last one's text around
    it), and a one-clause string runs
    without the clause loop (Interpreter.run_one); arithmetic is done on Python ints
    by the same rules as the Decimal reference (numbers; setup.py compiles
    it with Cython, its addition on C integers, and ``VM370_PURE=1`` selects
    the same source uncompiled).  All of them keep the per-clause protocol:
    ``halt`` and HI/TS/TE at every clause boundary, TRACE seeing every
    clause and intermediate result (traced clauses run the plain tree).
    ``python -m bench.rexx`` compares with Regina, ``python -m
    bench.rexx_clauses`` counts clauses per second.

Where Regina and the language definition differ, this interpreter follows
the definition (TRL2 and the IBM references); tests/cms/rexx/programs/
DEVIATIONS.md lists each case.

Modules: lexer (tokens, clauses), parser (clauses -> flat code), expressions,
numbers (decimal arithmetic), template (PARSE), instructions, loops
(compiled DO loops and routine bodies), interprets (INTERPRET strings' programs),
interpreter, builtins, format (FORMAT()), dates (DATE,
TIME), streams (stream I/O), variables (pools, stems), stack, errors, cli.  docs/rexx.md lists
the language level, built-ins, extensions and CMS specifics.
"""


def _select_build() -> None:
    """The uncompiled numbers.py where setup.py compiled it (numbers.pxd)
    when ``VM370_PURE=1`` asks for it (as for the CPU, s390/purepy.py), so
    that both builds can be tested, or when the compiled module is older
    than its source (edited since the last build): chosen before anything
    imports it."""
    import os
    from importlib.machinery import EXTENSION_SUFFIXES

    folder = os.path.dirname(__file__)
    source = os.path.join(folder, "numbers.py")
    if os.environ.get("VM370_PURE", "") in ("", "0"):
        for suffix in EXTENSION_SUFFIXES:  # the one the import would take
            built = os.path.join(folder, "numbers" + suffix)
            if os.path.exists(built):
                if os.path.getmtime(built) >= os.path.getmtime(source):
                    return
                break
        else:
            return  # not compiled: the ordinary import takes the source
    import importlib.util
    import sys

    name = __name__ + ".numbers"
    spec = importlib.util.spec_from_file_location(name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    globals()["numbers"] = module


_select_build()

from .errors import ERROR_TEXTS, RexxError  # noqa: E402 - after the build is chosen
from .interpreter import Interpreter, RunResult  # noqa: E402
from .stack import ProgramStack  # noqa: E402

__all__ = ["Interpreter", "RunResult", "ProgramStack", "RexxError", "ERROR_TEXTS"]
