"""The errors CP's operations raise with a CP message (docs/cp-messages.md).

Every one is a ``CPError``: the message as CP shows it (``str(err)``), its
message id (``DMKxxxnnnt``, the first word) and the rest of the text apart,
and its return code, the message number VM/370 reports.  A guest (CMS)
recognises CP's refusals by the class and these fields, never by the text.

``CommandError`` is what a CP operation answers the user with: the text of
the message (``DMKxxxnnnt ...``) and its number, which DIAGNOSE X'08'
callers get as the return code.  The operations of CP's core (IPL, LINK,
device definition) raise it as the command handlers do, so a command and
the directory's IPL or LINK statements at LOGON say the same thing.
"""

from __future__ import annotations

import re

#: A CP message id: DMK, the module's three letters, the number, the type letter.
MESSAGE_ID = re.compile(r"DMK[A-Z]{3}\d{3}[A-Z]")


class CPError(Exception):
    """A CP message with its return code: ``str(err)`` is the message,
    ``msgid`` its id ("" for a message without one), ``text`` the rest,
    ``rc`` its number."""

    def __init__(self, message: str, rc: int):
        super().__init__(message)
        self.rc = rc
        first, _, rest = message.partition(" ")
        self.msgid, self.text = (first, rest) if MESSAGE_ID.fullmatch(first) else ("", message)


class CommandError(CPError):
    """A CP command failed: ``str()`` is the message, ``rc`` its number."""


class DeviceError(CPError):
    """A guest asked for I/O CP cannot do (the guest services, cp.services):
    the CP message and its number, as VM/370 reports them."""

    def __init__(self, message: str, rc: int = 1):
        super().__init__(message, rc)


def unknown_command() -> CommandError:
    """DMKCFM001E: a command CP does not know, or that the user's privilege
    classes do not include (VM/370 answers both the same way)."""
    return CommandError("DMKCFM001E UNKNOWN CP COMMAND", 1)


def operand_error(word: str | None = None) -> CommandError:
    """The general CP answers to a bad or missing operand (DMKCFM003E / 026E)."""
    if word:
        return CommandError(f"DMKCFM003E INVALID OPTION - {word.upper()}", 3)
    return CommandError("DMKCFM026E OPERAND MISSING OR INVALID", 26)
