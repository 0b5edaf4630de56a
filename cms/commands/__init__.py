"""The CMS command table.

One row per command: name, minimum abbreviation length, the 3-letter module
id its messages carry (DMSxxx), the handler and its syntax (for HELP).  A handler is
``async def handler(cms, call) -> int`` (the return code); it raises
``CMSError`` for a failure, which the nucleus turns into the message and
return code.  The table is the concatenation of the ``COMMANDS`` lists of the
modules below, as CP's is; cms.commands.table builds it (this module holds
only what the command modules import, so none of them imports itself back).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from cp.abbrev import abbreviates


@dataclass(frozen=True)
class Command:
    name: str
    min_abbrev: int
    module: str
    handler: Callable[..., Awaitable[int]]
    syntax: str = ""  # the operands, as HELP shows them

    @property
    def shown(self) -> str:
        """The name as the manuals print it: the minimum abbreviation in capitals."""
        return self.name[: self.min_abbrev] + self.name[self.min_abbrev :].lower()


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
    def parse(cls, line: str) -> Call:
        line = line.strip()
        name, _, rest = line.partition(" ")
        head, paren, tail = rest.partition("(")
        args = head.upper().split()
        options = tail.replace(")", " ").upper().split() if paren else []
        return cls(name.upper(), args, options, rest.strip())


@dataclass(frozen=True)
class Synonym:
    """One entry of the user synonym table (SYNONYM command): the command it
    stands for and the fewest of its letters that may be typed (0: all)."""

    command: str
    count: int = 0


class CommandTable(list):
    """The nucleus command table, with the state that decides how a typed
    name is resolved: the user synonym table the SYNONYM command set, whether
    the standard CMS truncations apply (SYNONYM (STD|NOSTD) and SET ABBREV."""

    def __init__(self, commands=()):
        super().__init__(commands)
        self.synonyms: dict[str, Synonym] = {}
        self.standard = True  # SYNONYM (STD: the system truncations are accepted
        self.abbrev = True  # SET ABBREV ON: truncations (system and user) accepted
        self.expanding: set[str] = set()  # synonyms being run (a synonym naming itself ends)


def lookup(table: CommandTable, name: str) -> Command | None:
    """The command a typed name means (CMS Command Reference, SYNONYM; SET
    ABBREV): the full name of a command always; then a user synonym, typed
    in full or (SET ABBREV ON) truncated to no fewer than its count; then
    (SYNONYM (STD and SET ABBREV ON) a standard truncation, at least
    ``min_abbrev`` letters."""
    for cmd in table:
        if cmd.name == name:
            return cmd
    target = user_synonym(table.synonyms, name, table.abbrev)
    if target is not None and name not in table.expanding:
        return synonym_command(table, name, target)
    if not (table.abbrev and table.standard):
        return None
    return next((cmd for cmd in table if abbreviates(name, cmd.name, cmd.min_abbrev)), None)


def user_synonym(synonyms: dict[str, Synonym], name: str, abbrev: bool) -> str | None:
    if name in synonyms:
        return synonyms[name].command
    if not abbrev:
        return None
    for syn, entry in synonyms.items():
        if entry.count and abbreviates(name, syn, entry.count):
            return entry.command
    return None


def synonym_command(table: CommandTable, typed: str, target: str) -> Command:
    """The command a synonym stands for: the table's row when it is a
    nucleus command, else a row that runs the target name the way a typed
    command runs (an EXEC or MODULE of that name, then CP)."""
    for cmd in table:
        if cmd.name == target:
            return cmd

    async def run_target(cms, call) -> int:
        table.expanding.add(typed)
        try:
            return await cms.execute(f"{target} {call.text}".strip())
        finally:
            table.expanding.discard(typed)

    return Command(target, len(target), "SYN", run_target)
