"""What every CP command module builds its rows and handlers from.

``Command(name, min_abbrev_len, classes, handler)`` is one row of the command
table (cp.commands); ``Context`` is what a handler sees (docs/interfaces.md
section 6).  The errors and the abbreviation rule are CP's own (cp.errors,
cp.abbrev); they are named here too so a command module has one place to
import its tools from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cp.abbrev import abbreviates
from cp.errors import CommandError, operand_error, unknown_command

__all__ = ["Command", "CommandError", "Context", "abbreviates", "operand_error", "unknown_command"]


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
