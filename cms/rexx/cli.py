"""``vm370 rexx FILE [ARGS]``: run a REXX program outside CMS.

SAY writes to stdout, PULL reads stdin (after the program stack), TRACE
output and error messages go to stderr.  The initial environment is CMS,
as in a CMS EXEC.  Host commands are refused with RC -3 (a FAILURE), because
there is no CMS here; ``--host-commands`` passes every command to /bin/sh
(RC = its exit status; 127 becomes -3, "not found", as in CMS).

Ctrl-C is HI (the HALT condition; untrapped it ends the program with
Error 4); a second Ctrl-C also interrupts a read from stdin.

Exit status: the EXIT value when it is a whole number 0-255, else 0; after
a REXX error the error number (e.g. 16 for "Label not found").
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from .interpreter import Interpreter


def shell_command(environment: str, command: str) -> int:
    """Run a host command with /bin/sh; 127 (not found) is RC -3."""
    sys.stdout.flush()
    completed = subprocess.run(["/bin/sh", "-c", command])
    if completed.returncode == 127:
        return -3
    return completed.returncode


def refuse_command(environment: str, command: str) -> int:
    return -3


def _read_stdin() -> str | None:
    line = sys.stdin.readline()
    if not line:
        return None
    return line.rstrip("\n")


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
    return text.replace("\r\n", "\n").split("\n")[:-1] if text.endswith("\n") \
        else text.replace("\r\n", "\n").split("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vm370 rexx",
                                     description="run a REXX program outside CMS")
    parser.add_argument("--host-commands", action="store_true",
                        help="pass host commands to /bin/sh instead of refusing them")
    parser.add_argument("file")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        lines = _read_source(options.file)
    except OSError as error:
        print(f"vm370 rexx: {options.file}: {error.strerror}", file=sys.stderr)
        return 2
    base = os.path.basename(options.file)
    name, _, filetype = base.partition(".")

    def write(text: str) -> None:
        sys.stdout.write(text + "\n")

    def trace(text: str) -> None:
        sys.stdout.flush()
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    interp = Interpreter(
        lines, name=name.upper() or "PROGRAM", filetype=(filetype or "EXEC").upper(),
        filemode="*",
        host_command=shell_command if options.host_commands else refuse_command,
        output=write, input=_read_stdin, trace_output=trace, environment="CMS",
        external=_external_finder(os.path.dirname(os.path.abspath(options.file))),
        userid=os.environ.get("USER", "").upper())
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
    code = result.return_code
    return code if 0 <= code <= 255 else 0
