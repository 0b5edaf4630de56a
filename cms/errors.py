"""CMS conditions and their messages.

A CMS message is ``DMS`` + a 3-letter module id + a 3-digit number + a
severity letter (I info, W warning, E error, S severe, T terminal, R reply)
+ text, e.g. ``DMSTYP002E FILE 'X Y A' NOT FOUND`` (CMS Command and Macro
Reference, "Messages").  Code below raises ``CMSError`` with the number,
severity, return code and text; the command layer adds the module id of the
command that was running.
"""

from __future__ import annotations


class Halt(BaseException):
    """HX (or an abend): the running command, every EXEC that called it and
    the program it runs end; CMS types "CMS" and reads the next command.  A
    BaseException: no command's or interpreter's error handling may catch it
    on its way out to the command level."""

    def __init__(self, reason: str = "HX"):
        super().__init__(reason)
        self.reason = reason


class CMSError(Exception):
    """A CMS condition: message number, severity, return code, text."""

    def __init__(self, number: int, severity: str, rc: int, text: str):
        super().__init__(text)
        self.number, self.severity, self.rc, self.text = number, severity, rc, text

    def message(self, module: str) -> str:
        return f"DMS{module}{self.number:03d}{self.severity} {self.text}"


def invalid_option(option: str) -> CMSError:
    return CMSError(3, "E", 24, f"INVALID OPTION '{option}'")


def invalid_parameter(param: str) -> CMSError:
    return CMSError(70, "E", 24, f"INVALID PARAMETER '{param}'")


def incomplete_fileid() -> CMSError:
    return CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")


def no_fileid() -> CMSError:
    return CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
