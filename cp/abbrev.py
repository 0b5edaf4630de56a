"""Command abbreviations, as CP and CMS both accept them.

A word names a command (or an operand keyword) when it is a prefix of the
name at least as long as the name's minimum abbreviation: the capital letters
of the syntax in the VM/370 CP Command Reference and CMS Command Reference
(``Query`` may be typed Q, QU, ... QUERY; ``ACcess`` AC, ACC, ...).  Pure
functions: CP's command table, its operand keywords and CMS's tables all
match words here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def abbreviates(word: str, name: str, minimum: int) -> bool:
    """Whether ``word`` (any case) is ``name`` or an abbreviation of it at
    least ``minimum`` characters long."""
    word = word.upper()
    return minimum <= len(word) <= len(name) and name.upper().startswith(word)


def match(word: str, table: Iterable[tuple[str, int, T]]) -> T | None:
    """The value of the first ``(name, minimum, value)`` row ``word``
    abbreviates, or None."""
    return next((value for name, minimum, value in table if abbreviates(word, name, minimum)), None)


def full_name(word: str, names: Iterable[tuple[str, int]]) -> str | None:
    """The name of the first ``(name, minimum)`` row ``word`` abbreviates, or None."""
    return next((name for name, minimum in names if abbreviates(word, name, minimum)), None)
