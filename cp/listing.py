"""Printer listings: a printer spool file rendered as pages of text, and
the separator page before it (the system printer's output).

Spool records keep the 1403 command byte with the line (cp.devices.printer),
so the listing is laid out by the carriage control the guest gave: the
standard forms control (carriage tape) has 66 lines a page, channel 1 on
line 1 (top of form), channel 12 on line 60 (overflow); a skip to a channel
the tape does not punch runs to the next top of form (IBM 1403 Printer
Component Description, GA24-3312).
"""

from __future__ import annotations

import time

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
        table[0x81 + 8 * channel] = "write"  # write, skip after
        table[0x83 + 8 * channel] = "carriage"  # skip immediately
    table[0x03] = "nop"
    return table


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
        if old:  # overprint: the new non-blank characters strike over the old line
            merged = [
                n if n != " " else o for n, o in zip(text.ljust(len(old)), old.ljust(len(text)))
            ]
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
            return  # already there on a blank page
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
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "#####"),
    "J": ("#####", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "   # ", "  #  ", " #   ", "#    "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
}


def block_letters(text: str) -> list[str]:
    blank = ("     ",) * 5
    return [
        "  ".join(BLOCK_FONT.get(ch, blank)[row] for ch in text.upper()).rstrip()
        for row in range(5)
    ]


def separator_page(sf) -> str:
    """The separator page before a printed file: the user in block letters and
    the file's identification (user, dist, spoolid, name, class, date and time)."""
    who = sf.for_user or sf.owner
    stamp = time.strftime("%m/%d/%y %H:%M:%S", time.localtime(sf.created))
    ident = (
        f"USERID {who:<8}  DIST {sf.dist or who:<8}  SPOOLID {sf.spoolid:04d}  "
        f"FILE {sf.name or '':<8} {sf.ftype or '':<8}  CLASS {sf.cls}  "
        f"RECS {sf.records:06d}  {stamp}"
    )
    lines = [
        "",
        ident,
        "",
        *block_letters(who),
        "",
        ident,
        "",
        f"ORIGIN {sf.origin:<8}  TYPE {sf.type}  COPIES {sf.copies:02d}  FORM {sf.form}",
        "",
        "*" * len(ident),
    ]
    return "\n".join(lines) + "\n"
