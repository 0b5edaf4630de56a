"""``vm370 rexx FILE [ARGS]``: run a REXX program outside CMS.

SAY writes to stdout, PULL reads stdin (after the program stack), TRACE
output and error messages go to stderr.  The initial environment is CMS,
as in a CMS EXEC.  Host commands are refused with RC -3 (a FAILURE), because
there is no CMS here; ``--host-commands`` passes every command to /bin/sh
(RC = its exit status; 127 becomes -3, "not found", as in CMS).

Stream I/O (LINEIN, LINEOUT, CHARIN, CHAROUT, LINES, CHARS, STREAM) names
host files (relative to the working directory); the default streams are
stdin and stdout, and ``call charout , text`` writes without a new line.

Ctrl-C is HI (the HALT condition; untrapped it ends the program with
Error 4); a second Ctrl-C also interrupts a read from stdin.

Exit status: the EXIT value when it is a whole number 0-255, else 0; after
a REXX error the error number (e.g. 16 for "Label not found").
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys

from .interpreter import Interpreter
from .streams import HostFileStreams


def shell_command(environment: str, command: str) -> int:
    """Run a host command with /bin/sh; 127 (not found) is RC -3."""
    sys.stdout.flush()
    import subprocess  # only for programs that issue commands (start-up time)

    completed = subprocess.run(["/bin/sh", "-c", command])
    if completed.returncode == 127:
        return -3
    return completed.returncode


def refuse_command(environment: str, command: str) -> int:
    return -3


def _read_stdin() -> str | None:
    """One line of stdin; bytes map 1:1 to characters (Latin-1), as the
    source file does, so any text round-trips unchanged to stdout."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        line = sys.stdin.readline()
    else:
        line = stream.readline().decode("latin-1")
    if not line:
        return None
    return line.rstrip("\n").rstrip("\r")


class ConsoleStreams(HostFileStreams):
    """Host files, plus the console as ``vm370 rexx`` has it: CHAROUT to
    the default stream goes to stdout at once, without a new line, and
    LINES() of the default input looks one line ahead on stdin."""

    def __init__(self, write_chars):
        super().__init__()
        self.console_chars = write_chars
        self.ahead: list[str | None] = []

    def read_line(self) -> str | None:
        if self.ahead:
            return self.ahead.pop()
        return _read_stdin()

    def console_lines(self) -> int:
        if not self.ahead:
            self.ahead.append(_read_stdin())
        return 0 if self.ahead[0] is None else 1


def _external_finder(directory: str):
    def find(name: str):
        for candidate in (name, name.lower(), name.upper()):
            for suffix in (".rexx", ".rex", ".exec", ""):
                path = os.path.join(directory, candidate + suffix)
                if os.path.isfile(path):
                    return _read_source(path)
        return None

    return find


def _read_source(path: str) -> list[str]:
    with open(path, "rb") as handle:
        text = handle.read().decode("latin-1")
    return (
        text.replace("\r\n", "\n").split("\n")[:-1]
        if text.endswith("\n")
        else text.replace("\r\n", "\n").split("\n")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="vm370 rexx", description="run a REXX program outside CMS"
    )
    parser.add_argument(
        "--host-commands",
        action="store_true",
        help="pass host commands to /bin/sh instead of refusing them",
    )
    parser.add_argument("file", nargs="?", help="the REXX program")
    parser.add_argument(
        "args", nargs=argparse.REMAINDER, help="its argument string (the words, joined by blanks)"
    )
    options = parser.parse_args(argv)
    if options.file is None:
        parser.error("the REXX program file is required")
    try:
        lines = _read_source(options.file)
    except OSError as error:
        print(f"vm370 rexx: {options.file}: {error.strerror}", file=sys.stderr)
        return 2
    base = os.path.basename(options.file)
    name, _, filetype = base.partition(".")

    def emit(stream, text: str) -> None:
        """Characters back to the bytes they came from (Latin-1)."""
        data = (text + "\n").encode("latin-1", errors="replace")
        target = getattr(stream, "buffer", None)
        if target is None:  # a text-only stream (tests capture this way)
            stream.write(data.decode("latin-1"))
            return
        stream.flush()
        target.write(data)

    def write(text: str) -> None:
        emit(sys.stdout, text)

    def write_chars(text: str) -> None:
        """CHAROUT to the console: no new line."""
        data = text.encode("latin-1", errors="replace")
        target = getattr(sys.stdout, "buffer", None)
        if target is None:
            sys.stdout.write(data.decode("latin-1"))
        else:
            sys.stdout.flush()
            target.write(data)
            target.flush()

    streams = ConsoleStreams(write_chars)

    def trace(text: str) -> None:
        sys.stdout.flush()
        if getattr(sys.stdout, "buffer", None) is not None:
            sys.stdout.buffer.flush()
        emit(sys.stderr, text)
        sys.stderr.flush()
        if getattr(sys.stderr, "buffer", None) is not None:
            sys.stderr.buffer.flush()

    interp = Interpreter(
        lines,
        name=name.upper() or "PROGRAM",
        filetype=(filetype or "EXEC").upper(),
        filemode="*",
        host_command=shell_command if options.host_commands else refuse_command,
        output=write,
        input=streams.read_line,
        streams=streams,
        trace_output=trace,
        environment="CMS",
        external=_external_finder(os.path.dirname(os.path.abspath(options.file))),
        userid=os.environ.get("USER", "").upper(),
        linesize=shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80,
    )
    interp.program_label = base

    def interrupt(signum, frame):
        # Ctrl-C is HI: the HALT condition at the next clause (SIGNAL ON HALT
        # can trap it); a second Ctrl-C stops even a program waiting for input.
        if interp.halt_requested:
            raise KeyboardInterrupt
        interp.request_halt()

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        result = interp.run([" ".join(options.args)])
    except KeyboardInterrupt:
        trace(f"Error 4 running {base}: Program interrupted")
        return 4
    finally:
        signal.signal(signal.SIGINT, previous)
    sys.stdout.flush()
    if result.error is not None:
        return result.error.number
    # The process status keeps the low 8 bits of the EXIT value, as a shell
    # sees it from Regina (EXIT 300 -> 44, EXIT -1 -> 255).
    return result.return_code & 0xFF


if __name__ == "__main__":
    sys.exit(main())
