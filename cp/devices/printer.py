"""The 1403 printer and its carriage control (the listings: cp.listing).

Commands (IBM 1403 Printer Component Description, GA24-3312; the write
command's modifier bits say what the carriage does after printing)::

    X'01' write, no space          X'09' X'11' X'19' write, space 1/2/3 after
    X'89' + 8*(n-1)  write, then skip to channel n (n = 1..12: X'89' ... X'E1')
    X'0B' X'13' X'1B' space 1/2/3 immediately
    X'8B' + 8*(n-1)  skip to channel n immediately (X'8B' ... X'E3')
    X'03' no-operation             X'04' sense

The forms control (carriage tape) is the standard one: 66 lines a page,
channel 1 on line 1 (top of form), channel 12 on line 60 (overflow).  A
skip to a channel the tape does not punch runs to the next top of form.
Spool records keep the command byte with the line, so the listing can be
rendered with the carriage control the guest gave.
"""

from __future__ import annotations

from cp.channel import CE_DE, Outcome
from cp.devices.unitrecord import SpooledOutput
from cp.listing import LINE_LENGTH, printer_commands


class Printer(SpooledOutput):
    devtype = "1403"
    devclass = "PRT"
    spool_type = "PRT"
    type_code = 0x1403
    cu_type = 0x2821
    max_record = LINE_LENGTH
    COMMANDS = printer_commands()

    def carriage(self, command: int, data, count: int) -> Outcome:
        """Immediate space or skip: a record with no line."""
        self.spool.add_record(self._open(), command, b"")
        return Outcome(CE_DE, immediate=True)

    def write_record(self, data: bytes, op: int = 0x09) -> None:
        """A line from the guest's service interface, printed and spaced one;
        a line that is just a form feed (X'0C') skips to channel 1 instead."""
        if bytes(data) == b"\x0c":
            self.spool.add_record(self._open(), 0x8B, b"")
            return
        super().write_record(data, op)

    def print_asa(self, line: bytes, asa: str) -> None:
        """A line with an ASA control character (CMS PRINT with CC): the
        carriage moves before printing (' ' 1 line, '0' 2, '-' 3, '1' new page,
        '+' none)."""
        before = {" ": 0x0B, "0": 0x13, "-": 0x1B, "1": 0x8B}.get(asa)
        if before is not None:
            self.spool.add_record(self._open(), before, b"")
        self.write_record(line, op=0x01)


class Printer3211(Printer):
    devtype = "3211"
    type_code = 0x3211
    cu_type = 0x3811
    max_record = 150
