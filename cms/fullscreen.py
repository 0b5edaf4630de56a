"""The full-screen layer CMS's 3270 tools share (XEDIT, FILELIST, RDRLIST, PEEK).

A tool lays out a screen as fields (``Layout``), writes it with one Erase/
Write (GA23-0059 "Write Operations": WCC, SBA, SF/SFE, IC), and reads the
display's answer (``Reply``: the AID, the cursor, the modified fields, each
mapped back to the field the tool wrote).  It reaches the display through
CP (DIAGNOSE X'58' full-screen write and read, cp.services
``fullscreen_write`` / ``fullscreen_read``), so the same screens appear on
the Textual console and on every TN3270 client, at whatever size the
display reported.

While a tool owns the screen, ``cms.screen`` is its ``FullScreen``: an
attention the user gives while a macro runs (ENTER while RUNNING) arrives
as full-screen data, and its command line is taken as an immediate command
(HI, HX, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.psw import CONSOLE_WAIT_PSW, NUCLEUS_PSW
from cp import ds3270 as ds

#: Field attributes (GA23-0059 "Field Attributes").
PROTECTED = ds.FA_PROTECTED
UNPROTECTED = 0x00
BRIGHT = ds.FA_INTENSIFIED
HIDDEN = ds.FA_NONDISPLAY
#: Colours of the extended attributes (3279).
BLUE, RED, PINK, GREEN, TURQUOISE, YELLOW, WHITE = 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7

#: CMS's immediate commands (CMS User's Guide, "Immediate commands").
IMMEDIATE = frozenset({"HX", "HI", "HT", "RT", "TS", "TE"})

#: EBCDIC bytes below X'40' are 3270 orders: such a byte of a file is shown
#: as this character (and typing over it replaces it).
UNPRINTABLE = '"'


def displayable(text: str) -> str:
    """``text`` (EBCDIC characters as cp037 decodes them) with the characters
    a 3270 cannot show (bytes below X'40' and X'FF') replaced."""
    raw = ds.to_ebcdic(text)
    if all(0x40 <= b < 0xFF for b in raw):
        return text
    return "".join(UNPRINTABLE if not 0x40 <= ord(c.encode("cp037")) < 0xFF else c for c in text)


@dataclass
class Field:
    """One field of a layout: where its attribute byte is, the attribute, the
    text (padded or not), and the tool's name for it (``key``)."""

    row: int
    col: int  # the attribute position; the data starts one after
    attr: int
    text: str = ""
    key: object = None
    color: int = 0
    width: int = 0  # data positions the field owns (up to the next field)


@dataclass
class Layout:
    """A screen of ``rows`` x ``cols`` built field by field."""

    rows: int
    cols: int
    fields: list[Field] = field(default_factory=list)
    cursor: tuple[int, int] = (0, 0)
    alarm: bool = False

    def add(self, row: int, col: int, attr: int, text: str = "", key=None, color: int = 0) -> Field:
        """A field whose attribute byte is at (row, col); col -1 puts it at
        the end of the row before (so the data starts at column 0)."""
        if col < 0:
            row, col = (row - 1) % self.rows, self.cols - 1
        # One field per position: a later field there replaces the earlier one.
        self.fields = [g for g in self.fields if (g.row, g.col) != (row, col)]
        f = Field(row, col, attr, text, key, color)
        self.fields.append(f)
        return f

    def data_address(self, f: Field) -> int:
        return (f.row * self.cols + f.col + 1) % (self.rows * self.cols)

    def record(self) -> bytes:
        """The Erase/Write (Erase/Write Alternate when the display is not
        24x80) that paints this layout, ending with the cursor insert."""
        size = self.rows * self.cols
        ordered = sorted(self.fields, key=lambda f: f.row * self.cols + f.col)
        out = bytearray(
            [
                ds.CMD_EW if (self.rows, self.cols) == ds.DEFAULT_SIZE else ds.CMD_EWA,
                ds.wcc(reset=True, restore=True, alarm=self.alarm, reset_mdt=True),
            ]
        )
        for i, f in enumerate(ordered):
            start = f.row * self.cols + f.col
            nxt = ordered[(i + 1) % len(ordered)]
            end = nxt.row * self.cols + nxt.col
            f.width = (end - start - 1) % size if len(ordered) > 1 else size - 1
            out += ds.order_sba(start)
            out += ds.order_sfe(f.attr, f.color) if f.color else ds.order_sf(f.attr)
            if f.text:
                out += ds.to_ebcdic(displayable(f.text[: f.width]))
        row, col = self.cursor
        out += ds.order_sba((row * self.cols + col) % size) + ds.ORDER_IC_BYTES
        return bytes(out)


@dataclass
class Reply:
    """What the display sent: the AID (``key``: "ENTER", "PF7", "PA1",
    "CLEAR"), the cursor (row, col) and the modified fields' text by key."""

    key: str
    cursor: tuple[int, int] | None
    changed: dict = field(default_factory=dict)
    cursor_field: object = None  # the key of the field the cursor is in
    cursor_offset: int = 0  # the cursor's position in that field

    @property
    def pf(self) -> int | None:
        return int(self.key[2:]) if self.key.startswith("PF") else None


def parse_reply(record: bytes, layout: Layout) -> Reply:
    """A Read Modified record against the layout that was written."""
    inbound = ds.parse_inbound(record)
    cols, size = layout.cols, layout.rows * layout.cols
    by_address = {layout.data_address(f): f for f in layout.fields}
    changed = {}
    for address, data in inbound.fields:
        f = by_address.get(address)
        if f is not None and f.key is not None:
            changed[f.key] = ds.from_ebcdic(data)
    cursor = None if inbound.cursor is None else divmod(inbound.cursor, cols)
    reply = Reply(inbound.name, cursor, changed)
    if inbound.cursor is not None:
        for f in layout.fields:
            offset = (inbound.cursor - layout.data_address(f)) % size
            if offset < max(f.width, 1) and f.key is not None:
                reply.cursor_field, reply.cursor_offset = f.key, offset
                break
    return reply


class FullScreen:
    """A CMS tool's hold on the display: write a layout, read the answer."""

    def __init__(self, cms):
        self.cms = cms
        self.services = cms.services
        self.layout: Layout | None = None
        self.held: list[Reply] = []  # keys pressed while the tool was busy

    def size(self) -> tuple[int, int] | None:
        return self.services.fullscreen_size()

    def show(self, layout: Layout) -> None:
        self.layout = layout
        self.services.fullscreen_write(layout.record())

    def read(self) -> Reply:
        """Wait for the user's key (the VM waits, enabled, for the console)."""
        if self.held:
            return self.held.pop(0)
        return self._read_display()

    def _read_display(self) -> Reply:
        self.cms.load_psw(CONSOLE_WAIT_PSW)
        try:
            record = self.services.wait_for(self.cms.console_wait(self.services.fullscreen_read()))
        finally:
            self.cms.load_psw(NUCLEUS_PSW)
        return parse_reply(record, self.layout) if self.layout else Reply("CLEAR", None)

    def read_immediate(self) -> str:
        """The line of an attention given on this screen (ENTER while the
        tool is busy, e.g. in a macro): its command line when that is an
        immediate command (HX, HI, HT, RT, TS, TE); any other key is kept
        for the tool's next read, as typed."""
        reply = self._read_display()
        text = reply.changed.get("CMD", "").strip()
        if text.upper() in IMMEDIATE:
            return text
        self.held.append(reply)
        return ""

    def __enter__(self) -> FullScreen:  # noqa: PYI034 - always this class
        self.outer, self.cms.screen = getattr(self.cms, "screen", None), self
        return self

    def __exit__(self, *exc) -> None:
        self.cms.screen = self.outer
        if self.outer is None:
            self.services.fullscreen_write(b"")  # CP's screen layout again
