"""The 1403 printer and its carriage control; the listings of the system printer.

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

import time

from cp.channel import CE_DE, Outcome
from cp.devices.unitrecord import SpooledOutput
from s390.ebcdic import from_ebcdic

LINE_LENGTH = 132
PAGE_LINES = 66
#: The standard carriage tape: channel -> line (0-based) it stops at.
STANDARD_FCB = {1: 0, 12: 59}

WRITE_SPACING = {0x01: 0, 0x09: 1, 0x11: 2, 0x19: 3}
IMMEDIATE_SPACING = {0x0B: 1, 0x13: 2, 0x1B: 3}


def skip_channel(command: int) -> int | None:
    """The channel a skip command names (X'89'.. write-and-skip, X'8B'.. immediate)."""
    if command & 0x80 and command & 0x07 in (0x01, 0x03):
        channel = (command >> 3) & 0x0F
        if 1 <= channel <= 12:
            return channel
    return None


def printer_commands() -> dict[int, str]:
    table = {code: "write" for code in WRITE_SPACING}
    table.update({code: "carriage" for code in IMMEDIATE_SPACING})
    for channel in range(1, 13):
        table[0x81 + 8 * channel] = "write"          # write, skip after
        table[0x83 + 8 * channel] = "carriage"       # skip immediately
    table[0x03] = "nop"
    return table


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


# ------------------------------------------------------------------ listings

class _Form:
    """The paper as the carriage moves it: pages of lines."""

    def __init__(self, fcb: dict[int, int]):
        self.fcb = fcb
        self.pages: list[list[str]] = [[]]
        self.line = 0

    @property
    def page(self) -> list[str]:
        return self.pages[-1]

    def print(self, text: str) -> None:
        while len(self.page) <= self.line:
            self.page.append("")
        old = self.page[self.line]
        if old:   # overprint: the new non-blank characters strike over the old line
            merged = [n if n != " " else o for n, o in
                      zip(text.ljust(len(old)), old.ljust(len(text)))]
            text = "".join(merged)
        self.page[self.line] = text

    def space(self, lines: int) -> None:
        self.line += lines
        while self.line >= PAGE_LINES:
            self.line -= PAGE_LINES
            self.pages.append([])

    def skip(self, channel: int) -> None:
        # A channel the tape does not punch: the carriage runs to top of form.
        target = self.fcb[channel] if channel in self.fcb else self.fcb.get(1, 0)
        if target > self.line:
            self.line = target
        elif not any(self.page) and target == self.line:
            return                      # already there on a blank page
        else:
            self.pages.append([])
            self.line = target

    def text(self) -> str:
        pages = ["\n".join(line.rstrip() for line in page) for page in self.pages]
        while len(pages) > 1 and not pages[-1].strip():
            pages.pop()
        return "\f".join(page + "\n" if page else page for page in pages)


def render_listing(records: list[tuple[int, bytes]], fcb: dict[int, int] | None = None) -> str:
    """A printer spool file as text: lines placed by their carriage control,
    pages separated by form feeds."""
    form = _Form(fcb or STANDARD_FCB)
    for command, data in records:
        if command in IMMEDIATE_SPACING:
            form.space(IMMEDIATE_SPACING[command])
            continue
        channel = skip_channel(command)
        if command & 0x03 == 0x03:
            if channel is not None:
                form.skip(channel)
            continue
        form.print(from_ebcdic(data))
        if channel is not None:
            form.skip(channel)
        else:
            form.space(WRITE_SPACING.get(command, 1))
    return form.text()


#: 5x5 block letters for the separator page.
BLOCK_FONT = {
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"), "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"), "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"), "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"), "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "#####"), "J": ("#####", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"), "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"), "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "), "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"), "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "), "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "), "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"), "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "), "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "), "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"), "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"), "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "), "7": ("#####", "   # ", "  #  ", " #   ", "#    "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "), "9": (" ### ", "#   #", " ####", "    #", " ### "),
}


def block_letters(text: str) -> list[str]:
    blank = ("     ",) * 5
    return ["  ".join(BLOCK_FONT.get(ch, blank)[row] for ch in text.upper()).rstrip()
            for row in range(5)]


def separator_page(sf) -> str:
    """The separator page before a printed file: the user in block letters and
    the file's identification (user, dist, spoolid, name, class, date and time)."""
    who = sf.for_user or sf.owner
    stamp = time.strftime("%m/%d/%y %H:%M:%S", time.localtime(sf.created))
    ident = (f"USERID {who:<8}  DIST {sf.dist or who:<8}  SPOOLID {sf.spoolid:04d}  "
             f"FILE {sf.name or '':<8} {sf.ftype or '':<8}  CLASS {sf.cls}  "
             f"RECS {sf.records:06d}  {stamp}")
    lines = ["", ident, "", *block_letters(who), "", ident, "",
             f"ORIGIN {sf.origin:<8}  TYPE {sf.type}  COPIES {sf.copies:02d}  FORM {sf.form}",
             "", "*" * len(ident)]
    return "\n".join(lines) + "\n"
