"""The CMS command table.

One row per command: name, minimum abbreviation length, the 3-letter module
id its messages carry (DMSxxx), the handler and its syntax (for HELP).  A handler is
``async def handler(cms, call) -> int`` (the return code); it raises
``CMSError`` for a failure, which the nucleus turns into the message and
return code.  The table is the concatenation of the ``COMMANDS`` lists of the
modules below, as CP's is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable


@dataclass(frozen=True)
class Command:
    name: str
    min_abbrev: int
    module: str
    handler: Callable[..., Awaitable[int]]
    syntax: str = ""            # the operands, as HELP shows them

    @property
    def shown(self) -> str:
        """The name as the manuals print it: the minimum abbreviation in capitals."""
        return self.name[:self.min_abbrev] + self.name[self.min_abbrev:].lower()


@dataclass
class Call:
    """One command as typed: the name, the tokens before ``(``, the options
    after it (both upper case, as the CMS tokenized plist has them), and the
    text after the name in its original case (TELL, CP, EXEC arguments)."""
    name: str
    args: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    text: str = ""

    @classmethod
    def parse(cls, line: str) -> "Call":
        line = line.strip()
        name, _, rest = line.partition(" ")
        head, paren, tail = rest.partition("(")
        args = head.upper().split()
        options = tail.replace(")", " ").upper().split() if paren else []
        return cls(name.upper(), args, options, rest.strip())


def build_table() -> list[Command]:
    from cms import execs
    from cms.commands import disks, edit, files, libraries, osdata, programs, spool, system
    return [*files.COMMANDS, *disks.COMMANDS, *system.COMMANDS, *spool.COMMANDS,
            *osdata.COMMANDS, *programs.COMMANDS, *libraries.COMMANDS, *edit.COMMANDS,
            *execs.COMMANDS]


def lookup(table: list[Command], name: str) -> Command | None:
    """Exact name first, then the abbreviation rule (at least ``min_abbrev`` letters)."""
    for cmd in table:
        if cmd.name == name:
            return cmd
    for cmd in table:
        if cmd.min_abbrev <= len(name) < len(cmd.name) and cmd.name.startswith(name):
            return cmd
    return None
