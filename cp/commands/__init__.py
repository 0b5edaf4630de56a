"""The CP command table: one row per command, like the opcode table.

Each module of this package (cp.commands.spool: the spool commands) has a
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

from cp.commands import attach, lan, link, machine, msg, query, session, setcmd, spool
from cp.commands.base import (  # noqa: F401
    Command,
    CommandError,
    Context,
    abbreviates,
    operand_error,
    unknown_command,
)
from cp.security import mask_command
from cp.spool import SpoolError

#: The command modules, in the order their rows are searched.
MODULES = (query, setcmd, msg, machine, link, session, attach, spool, lan)


#: The command table: every module's COMMANDS, in MODULES order.
TABLE: tuple[Command, ...] = tuple(row for module in MODULES for row in module.COMMANDS)


def table() -> tuple[Command, ...]:
    """The command table (it never changes)."""
    return TABLE


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
    except SpoolError as err:  # SPOOL SPACE FULL, a damaged file: CP's message
        reply(str(err))
        return err.rc
    except Exception as err:  # never a traceback on the user's console
        system.log(
            f"COMMAND FAILED {vm.userid}: {mask_command(line)!r}: {type(err).__name__}: {err}"
        )
        reply(f"DMKCFM999E COMMAND {command.name} FAILED - {type(err).__name__}")
        return 999
