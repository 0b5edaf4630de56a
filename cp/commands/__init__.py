"""The CP command table: one row per command, like the opcode table.

Each module of this package (and cp.spoolcmds, the spool commands) has a
``COMMANDS`` list of ``Command(name, min_abbrev_len, classes, handler)`` rows;
the table is their concatenation (docs/interfaces.md section 6).  A command
word matches a row when it is a prefix of the name at least ``min_abbrev_len``
long (the capital letters of the syntax in the CP Command Reference), so
``Q``, ``QU`` and ``QUERY`` are all QUERY.  ``classes`` are the privilege
classes allowed (``*`` = any class).  A user who lacks the class gets the
same answer as for a command that does not exist, DMKCFM001E UNKNOWN CP
COMMAND, as VM/370's command scan searches only the user's classes.

``handler(ctx, args) -> rc``: ``args`` are the words after the command name
as typed; the return code is 0 or the number of the error message, as VM
reports it to DIAGNOSE X'08' callers.  Handlers raise ``CommandError`` to
answer with a message and its return code.
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Callable

from cp.spool import SpoolError

MODULES = ("query", "setcmd", "msg", "machine", "link", "session", "attach", "lan")


@dataclass(frozen=True)
class Command:
    name: str
    min_abbrev_len: int
    classes: str
    handler: Callable

    def matches(self, word: str) -> bool:
        return abbreviates(word, self.name, self.min_abbrev_len)

    def allowed(self, classes: str) -> bool:
        return self.classes == "*" or any(c in self.classes for c in classes)


class CommandError(Exception):
    """A CP command failed: ``str()`` is the message, ``rc`` its number."""

    def __init__(self, message: str, rc: int):
        super().__init__(message)
        self.rc = rc


@dataclass
class Context:
    """What a command handler sees (docs/interfaces.md section 6)."""
    system: object
    vm: object
    reply: Callable[[str], None]
    #: ``ask_password(prompt, answer)`` when the command was typed at the
    #: terminal: CP shows ``prompt``, the next line is not displayed and goes
    #: to ``answer(text)``; None for DIAGNOSE X'08' (no dialogue possible).
    ask_password: Callable | None = None

    @property
    def userid(self) -> str:
        return self.vm.userid


def abbreviates(word: str, name: str, minimum: int) -> bool:
    """Whether ``word`` is ``name`` or a CP abbreviation of it: a prefix at
    least ``minimum`` long (the capital letters of the command syntax)."""
    word = word.upper()
    return len(word) >= minimum and name.startswith(word)


def unknown_command() -> CommandError:
    """DMKCFM001E: a command CP does not know, or that the user's privilege
    classes do not include (VM/370 answers both the same way)."""
    return CommandError("DMKCFM001E UNKNOWN CP COMMAND", 1)


def operand_error(word: str | None = None) -> CommandError:
    """The general CP answers to a bad or missing operand (DMKCFM003E / 026E)."""
    if word:
        return CommandError(f"DMKCFM003E INVALID OPTION - {word.upper()}", 3)
    return CommandError("DMKCFM026E OPERAND MISSING OR INVALID", 26)


@functools.cache
def table() -> tuple[Command, ...]:
    """The command table: every module's COMMANDS, in MODULES order, then the
    spool commands (built once; it never changes)."""
    rows: list[Command] = []
    for name in MODULES:
        rows.extend(importlib.import_module(f"cp.commands.{name}").COMMANDS)
    rows.extend(importlib.import_module("cp.spoolcmds").COMMANDS)
    return tuple(rows)


def lookup(word: str, classes: str) -> Command | None:
    word = word.upper()
    for command in table():
        if command.matches(word) and command.allowed(classes):
            return command
    return None


def execute(system, vm, line: str, reply, ask_password=None) -> int:
    """Run one CP command line as ``vm``'s user; responses go to ``reply``
    (``ask_password``: see Context)."""
    words = line.split()
    if not words:
        return 0
    command = lookup(words[0], vm.classes)
    try:
        if command is None:
            raise unknown_command()
        return command.handler(Context(system, vm, reply, ask_password), words[1:]) or 0
    except CommandError as err:
        reply(str(err))
        return err.rc
    except SpoolError as err:         # SPOOL SPACE FULL, a damaged file: CP's message
        reply(str(err))
        return err.rc
    except Exception as err:          # never a traceback on the user's console
        from cp.security import mask_command
        system.log(f"COMMAND FAILED {vm.userid}: {mask_command(line)!r}: "
                   f"{type(err).__name__}: {err}")
        reply(f"DMKCFM999E COMMAND {command.name} FAILED - {type(err).__name__}")
        return 999
