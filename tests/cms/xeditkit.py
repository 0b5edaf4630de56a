"""A 3270 user of XEDIT, FILELIST and RDRLIST on fake services: the screen
is tui.screen.Screen (what a display holds), each key a function of the
screen as it is when XEDIT reads (so the user types where the screen shows
things)."""

from __future__ import annotations

from cms.fs import Disk
from cp import ds3270 as ds
from s390.ebcdic import card, from_ebcdic
from tests.cms.fakes import FakeServices
from tui.screen import Screen


def fake_3270(model: int = 2, script=(), files=None, blocks: int = 400) -> FakeServices:
    s = FakeServices(script=["ACCESS (NOPROF", *script])
    s.add_disk(0x191, blocks=blocks)
    s.screen = Screen(model=model)
    for (fn, ft), lines in (files or {}).items():
        Disk.open(s.disks[0x191]).write_file(fn, ft, [card(x) for x in lines])
    return s


def file_records(s, fn, ft) -> list[bytes]:
    return Disk.open(s.disks[0x191]).read_file(fn, ft)


def file_lines(s, fn, ft) -> list[str]:
    return [from_ebcdic(r).rstrip() for r in file_records(s, fn, ft)]


def a_disk_file(system, userid, fn, ft) -> list[bytes]:
    """The records of a file on a logged-on user's 191 minidisk of a real system."""
    disk = system.find_user(userid).devices[0x191]

    class Blocks:
        blocks = disk.blocks

        def read(self, block, count=1):
            return bytes(disk.read_blocks(block, count))

    return Disk.open(Blocks()).read_file(fn, ft)


def command_row(screen) -> int:
    for row in range(screen.rows):
        if screen.row_text(row).startswith(" ====>"):
            return row
    raise AssertionError("no command line:\n" + screen.text())


def _press(screen, aid):
    return screen.aid(aid)


def command(text: str, aid: int = ds.AID_ENTER):
    """Type ``text`` on the command line, then ENTER (or ``aid``)."""

    def key(screen):
        screen.keyboard_locked = False
        screen.cursor = screen.pos(command_row(screen), 7)
        screen.erase_eof()
        screen.type_text(text)
        return _press(screen, aid)

    return key


def pf(n: int):
    def key(screen):
        screen.keyboard_locked = False
        return _press(screen, ds.AID_PF[n])

    return key


def row_of(screen, text: str) -> int:
    for row in range(screen.rows):
        if screen.row_text(row)[6:].rstrip() == text:
            return row
    raise AssertionError(f"{text!r} not on the screen:\n" + screen.text())


def over(edits: list[tuple[str, int, str]], then: str = "", aid: int = ds.AID_ENTER):
    """Type over the screen: (line text shown, column, what to type) each,
    then ``then`` on the command line and ENTER."""

    def key(screen):
        screen.keyboard_locked = False
        for line, col, typed in edits:
            screen.cursor = screen.pos(row_of(screen, line), col)
            for ch in typed:
                if ch == "\x05":  # Erase EOF
                    screen.erase_eof()
                else:
                    screen.type_char(ch)
        if then:
            screen.cursor = screen.pos(command_row(screen), 7)
            screen.erase_eof()
            screen.type_text(then)
        return _press(screen, aid)

    return key


def prefix(line: str, typed: str, then: str = ""):
    """A prefix command typed over the ===== of the line showing ``line``."""
    return over([(line, 0, typed)], then)


def look(into: list, key):
    """Remember the screen as it is (golden text), then press ``key``."""

    def wrapped(screen):
        into.append(golden(screen))
        return key(screen)

    return wrapped


def golden(screen) -> str:
    """The 3270 buffer as text and its fields (position, protected, bright,
    hidden, colour), for a golden-screen comparison."""
    rows = [f"{r:02d}|{screen.row_text(r)}|" for r in range(screen.rows)]
    fields = []
    for pos in sorted(screen.fa):
        row, col = screen.rowcol(pos)
        attr = screen.fa[pos]
        flags = (
            ("P" if attr & ds.FA_PROTECTED else "U")
            + ("B" if attr & 0x0C == 0x08 else "")
            + ("H" if attr & 0x0C == 0x0C else "")
        )
        color = ds.COLOR_NAMES.get(screen.fa_color.get(pos, 0), "?")
        fields.append(f"{row:02d},{col:02d} {flags} {color}")
    row, col = screen.rowcol(screen.cursor)
    return "\n".join(rows + ["fields:"] + fields + [f"cursor {row:02d},{col:02d}"]) + "\n"


def at_cursor(text: str, aid: int = ds.AID_ENTER):
    """Type where XEDIT put the cursor, then ENTER."""

    def key(screen):
        screen.keyboard_locked = False
        screen.type_text(text)
        return _press(screen, aid)

    return key


#: A small A-disk for the FILELIST tests: (fn, ft) -> records.
FILES = {
    ("PROFILE", "EXEC"): ["/* */", "say 'hi'"],
    ("ZED", "DATA"): ["z"] * 3,
    ("ALPHA", "SCRIPT"): ["a"],
    ("MID", "ASSEMBLE"): ["m"] * 2,
}
