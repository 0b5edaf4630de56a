"""The errors CP's operations raise with a CP message (docs/cp-messages.md).

``CommandError`` is what a CP operation answers the user with: the text of
the message (``DMKxxxnnnt ...``) and its number, which DIAGNOSE X'08'
callers get as the return code.  The operations of CP's core (IPL, LINK,
device definition) raise it as the command handlers do, so a command and
the directory's IPL or LINK statements at LOGON say the same thing.
"""
from __future__ import annotations


class CommandError(Exception):
    """A CP command failed: ``str()`` is the message, ``rc`` its number."""

    def __init__(self, message: str, rc: int):
        super().__init__(message)
        self.rc = rc


def unknown_command() -> CommandError:
    """DMKCFM001E: a command CP does not know, or that the user's privilege
    classes do not include (VM/370 answers both the same way)."""
    return CommandError("DMKCFM001E UNKNOWN CP COMMAND", 1)


def operand_error(word: str | None = None) -> CommandError:
    """The general CP answers to a bad or missing operand (DMKCFM003E / 026E)."""
    if word:
        return CommandError(f"DMKCFM003E INVALID OPTION - {word.upper()}", 3)
    return CommandError("DMKCFM026E OPERAND MISSING OR INVALID", 26)
