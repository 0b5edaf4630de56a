"""The 3270 display on the terminal side: a 3278/3279 screen model.

The Textual console (``tui.local``, ``tui.widget``) uses :class:`Screen` as
its terminal: it applies the outbound records CP's 3270 console
(``cp.console3270``) writes, keeps the buffer, fields, attributes, MDT bits
and cursor, edits fields under the keyboard and answers with inbound records
exactly as a 3278/3279 would.  CP itself only builds and parses data streams
(``cp.ds3270``); the screen a user looks at lives here, with the terminal.

Source: IBM 3270 Information Display System Data Stream Programmer's Reference
GA23-0059 (commands, WCC, orders, field and extended attributes, AIDs,
buffer addressing, Read Modified, Query Reply).
"""

from __future__ import annotations

from dataclasses import dataclass

from cp.ds3270 import (
    AID_CLEAR,
    AID_NONE,
    AID_SF,
    CCW_COMMANDS,
    CMD_EAU,
    CMD_EW,
    CMD_EWA,
    CMD_RB,
    CMD_RM,
    CMD_RMA,
    CMD_W,
    CMD_WSF,
    DEFAULT_SIZE,
    DISPLAY_CHARS,
    FA_DISPLAY_MASK,
    FA_INTENSIFIED,
    FA_MDT,
    FA_NONDISPLAY,
    FA_NUMERIC,
    FA_PROTECTED,
    MODEL_SIZES,
    ORDER_EUA,
    ORDER_GE,
    ORDER_IC,
    ORDER_MF,
    ORDER_PT,
    ORDER_RA,
    ORDER_SA,
    ORDER_SBA,
    ORDER_SF,
    ORDER_SFE,
    QR_COLOR,
    QR_HIGHLIGHT,
    QR_IMPLICIT_PARTITION,
    QR_REPLY_MODES,
    QR_SUMMARY,
    QR_USABLE_AREA,
    SHORT_READ_AIDS,
    WCC_ALARM,
    WCC_RESET_MDT,
    WCC_RESTORE,
    XA_ALL,
    XA_COLOR,
    XA_FIELD,
    XA_HIGHLIGHT,
    code,
    decode_address,
    encode_address,
    from_ebcdic,
    order_sba,
    split_structured_fields,
    to_ebcdic,
)


@dataclass
class Cell:
    """What a renderer needs to paint one buffer position."""

    char: str
    field_attribute: bool
    protected: bool
    intensified: bool
    hidden: bool
    color: int
    highlight: int


class Screen:
    """A 3278/3279 display: applies outbound records, answers inbound ones.

    ``process(record)`` takes one outbound record (command byte first) and
    returns the inbound record the terminal sends in reply, if any (a Read
    Buffer or Read Modified command, or a Query).  Keyboard methods edit the
    buffer as an operator would; ``aid(code)`` makes the inbound record for an
    attention key and locks the keyboard until the host restores it.
    """

    def __init__(self, model: int = 2, *, extended: bool = True):
        if model not in MODEL_SIZES:
            raise ValueError(f"3270 model must be 2-5, not {model}")
        self.model = model
        self.extended = extended
        self.alternate_size = MODEL_SIZES[model]
        self.alarm_count = 0
        self.last_aid = AID_NONE
        self.insert_mode = False
        self.keyboard_locked = False
        self.operation_check = None  # text of the last program check, if any
        self._resize(*DEFAULT_SIZE)

    # -- geometry ----------------------------------------------------------
    def _resize(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.size = rows * cols
        self.buffer = bytearray(self.size)  # EBCDIC, X'00' = null
        self.fa: dict[int, int] = {}  # position -> field attribute
        self.fa_color: dict[int, int] = {}
        self.fa_highlight: dict[int, int] = {}
        self.color = bytearray(self.size)  # character attributes (SA)
        self.highlight = bytearray(self.size)
        self.cursor = 0
        self._starts: list[int] | None = None  # field start of each position (cache)

    def _erase(self, alternate: bool) -> None:
        self._resize(*(self.alternate_size if alternate else DEFAULT_SIZE))

    def rowcol(self, pos: int) -> tuple[int, int]:
        return divmod(pos, self.cols)

    def pos(self, row: int, col: int) -> int:
        return row * self.cols + col

    # -- outbound ----------------------------------------------------------
    def process(self, record: bytes) -> bytes | None:
        if not record:
            return None
        cmd = CCW_COMMANDS.get(record[0], record[0])
        self.operation_check = None
        if cmd in (CMD_EW, CMD_EWA):
            self._erase(alternate=cmd == CMD_EWA)
            self._write(record[1:])
        elif cmd == CMD_W:
            self._write(record[1:])
        elif cmd == CMD_EAU:
            self._erase_all_unprotected()
        elif cmd == CMD_WSF:
            return self._write_structured_field(record[1:])
        elif cmd == CMD_RB:
            return self.read_buffer()
        elif cmd == CMD_RM:
            return self.read_modified(self.last_aid)
        elif cmd == CMD_RMA:
            return self.read_modified(self.last_aid, all_fields=True)
        else:
            self.operation_check = f"command X'{record[0]:02X}' not supported"
        return None

    def _write(self, data: bytes) -> None:
        if not data:
            return
        wcc_bits = data[0]
        if wcc_bits & WCC_RESET_MDT:
            for p in self.fa:
                self.fa[p] &= ~FA_MDT & 0xFF
        addr = self.cursor  # a write starts at the cursor (0 after an erase)
        char_color = char_highlight = 0
        new_cursor = None
        last_was_char = False
        i = 1
        n = len(data)
        while i < n:
            b = data[i]
            if b == ORDER_SBA:
                if i + 2 >= n:
                    return self._check("SBA without an address")
                addr = decode_address(data[i + 1], data[i + 2])
                if addr >= self.size:
                    return self._check(f"SBA address {addr} outside the buffer")
                i += 3
                last_was_char = False
                continue
            if b == ORDER_SF:
                if i + 1 >= n:
                    return self._check("SF without an attribute")
                self._set_field(addr, data[i + 1] & 0x3F, 0, 0)
                addr = (addr + 1) % self.size
                i += 2
            elif b == ORDER_SFE:
                count = data[i + 1] if i + 1 < n else 0
                pairs = data[i + 2 : i + 2 + 2 * count]
                attr, fcol, fhl = 0, 0, 0
                for k in range(0, len(pairs) - 1, 2):
                    kind, value = pairs[k], pairs[k + 1]
                    if kind == XA_FIELD:
                        attr = value & 0x3F
                    elif kind == XA_COLOR:
                        fcol = value
                    elif kind == XA_HIGHLIGHT:
                        fhl = value
                self._set_field(addr, attr, fcol, fhl)
                addr = (addr + 1) % self.size
                i += 2 + 2 * count
            elif b == ORDER_MF:
                count = data[i + 1] if i + 1 < n else 0
                pairs = data[i + 2 : i + 2 + 2 * count]
                if addr in self.fa:
                    for k in range(0, len(pairs) - 1, 2):
                        kind, value = pairs[k], pairs[k + 1]
                        if kind == XA_FIELD:
                            self.fa[addr] = value & 0x3F
                        elif kind == XA_COLOR:
                            self.fa_color[addr] = value
                        elif kind == XA_HIGHLIGHT:
                            self.fa_highlight[addr] = value
                    addr = (addr + 1) % self.size
                i += 2 + 2 * count
            elif b == ORDER_SA:
                if i + 2 >= n:
                    return self._check("SA without a type and value")
                kind, value = data[i + 1], data[i + 2]
                if kind == XA_ALL:
                    char_color = char_highlight = 0
                elif kind == XA_COLOR:
                    char_color = value
                elif kind == XA_HIGHLIGHT:
                    char_highlight = value
                i += 3
                continue
            elif b == ORDER_IC:
                new_cursor = addr
                i += 1
                continue
            elif b == ORDER_PT:
                addr = self._program_tab(addr, fill=last_was_char)
                i += 1
                last_was_char = False
                continue
            elif b == ORDER_RA:
                if i + 3 >= n:
                    return self._check("RA without an address and character")
                stop = decode_address(data[i + 1], data[i + 2])
                if stop >= self.size:
                    return self._check(f"RA address {stop} outside the buffer")
                char = data[i + 3]
                i += 4
                if char == ORDER_GE and i < n:
                    char = data[i]
                    i += 1
                addr = self._repeat(addr, stop, char, char_color, char_highlight)
            elif b == ORDER_EUA:
                if i + 2 >= n:
                    return self._check("EUA without an address")
                stop = decode_address(data[i + 1], data[i + 2])
                if stop >= self.size:
                    return self._check(f"EUA address {stop} outside the buffer")
                addr = self._erase_unprotected(addr, stop)
                i += 3
            else:
                if b == ORDER_GE and i + 1 < n:
                    i += 1
                    b = data[i]
                self._put(addr, b, char_color, char_highlight)
                addr = (addr + 1) % self.size
                i += 1
                last_was_char = True
                continue
            last_was_char = False
        if new_cursor is not None:
            self.cursor = new_cursor
        self._apply_wcc(wcc_bits)

    def _apply_wcc(self, wcc_bits: int) -> None:
        if wcc_bits & WCC_ALARM:
            self.alarm_count += 1
        if wcc_bits & WCC_RESTORE:
            self.keyboard_locked = False
            self.last_aid = AID_NONE

    def _check(self, why: str) -> None:
        """A program check: the rest of the write is not done (GA23-0059
        "Operation check")."""
        self.operation_check = why

    def _set_field(self, addr: int, attr: int, fcol: int, fhl: int) -> None:
        self.fa[addr] = attr
        self._starts = None
        self.buffer[addr] = 0
        self.color[addr] = self.highlight[addr] = 0
        if fcol:
            self.fa_color[addr] = fcol
        else:
            self.fa_color.pop(addr, None)
        if fhl:
            self.fa_highlight[addr] = fhl
        else:
            self.fa_highlight.pop(addr, None)

    def _put(self, addr: int, char: int, color: int, highlight: int) -> None:
        if addr in self.fa:
            self.fa.pop(addr)
            self._starts = None
            self.fa_color.pop(addr, None)
            self.fa_highlight.pop(addr, None)
        self.buffer[addr] = char
        self.color[addr] = color
        self.highlight[addr] = highlight

    def _repeat(self, addr: int, stop: int, char: int, color: int, highlight: int) -> int:
        first = True
        while first or addr != stop:
            first = False
            self._put(addr, char, color, highlight)
            addr = (addr + 1) % self.size
        return addr

    def _erase_unprotected(self, addr: int, stop: int) -> int:
        first = True
        while first or addr != stop:
            first = False
            if addr not in self.fa and not self.is_protected(addr):
                self.buffer[addr] = 0
                self.color[addr] = self.highlight[addr] = 0
            addr = (addr + 1) % self.size
        return addr

    def _program_tab(self, addr: int, fill: bool) -> int:
        """PT: to the first position of the next unprotected field; after
        text, nulls fill the rest of the current field (GA23-0059 "PT")."""
        if fill:
            p = addr
            while p not in self.fa and p != 0:
                self.buffer[p] = 0
                p = (p + 1) % self.size
        for k in range(self.size):
            p = (addr + k) % self.size
            if p in self.fa and not self.fa[p] & FA_PROTECTED:
                return (p + 1) % self.size
            if k and p == 0:
                return 0  # stops at the end of the buffer
        return 0

    def _erase_all_unprotected(self) -> None:
        for start, end in self._unprotected_ranges():
            for p in self._span(start, end):
                self.buffer[p] = 0
        for p in self.fa:
            if not self.fa[p] & FA_PROTECTED:
                self.fa[p] &= ~FA_MDT & 0xFF
        self.cursor = self.home_position()
        self.keyboard_locked = False
        self.last_aid = AID_NONE

    def _write_structured_field(self, data: bytes) -> bytes | None:
        reply = None
        for sfid, body in split_structured_fields(data):
            if sfid == 0x01 and len(body) >= 2 and body[1] in (0x02, 0x03):
                reply = self.query_reply()  # Read Partition Query / Query List
            elif sfid == 0x03:  # Erase/Reset
                alternate = bool(body and body[0] & 0x80)
                self._erase(alternate)
            elif sfid == 0x40 and len(body) >= 2:  # Outbound 3270DS
                reply = self.process(body[1:]) or reply
        return reply

    def query_reply(self) -> bytes:
        """AID X'88' and the Query Replies: Summary, Usable Area, Implicit
        Partition, Color, Highlight, Reply Modes (GA23-0059 ch. 6)."""
        arows, acols = self.alternate_size
        drows, dcols = DEFAULT_SIZE

        def sf(qcode: int, body: bytes) -> bytes:
            return (len(body) + 4).to_bytes(2, "big") + bytes([0x81, qcode]) + body

        usable = (
            bytes([0x01, 0x00])
            + acols.to_bytes(2, "big")
            + arows.to_bytes(2, "big")
            + bytes([0x01])
            + (0x000A02E5).to_bytes(4, "big")
            + (0x0002006F).to_bytes(4, "big")
            + bytes([0x09, 0x0C])
            + (arows * acols).to_bytes(2, "big")
        )
        implicit = (
            bytes([0x00, 0x00, 0x0B, 0x01, 0x00])
            + dcols.to_bytes(2, "big")
            + drows.to_bytes(2, "big")
            + acols.to_bytes(2, "big")
            + arows.to_bytes(2, "big")
        )
        replies = [
            (QR_USABLE_AREA, usable),
            (QR_IMPLICIT_PARTITION, implicit),
            (QR_REPLY_MODES, bytes([0x00, 0x01, 0x02])),
        ]
        if self.extended:
            colors = [0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7]
            replies.append(
                (QR_COLOR, bytes([0x00, 8, 0x00, 0xF4]) + b"".join(bytes([c, c]) for c in colors))
            )
            replies.append(
                (QR_HIGHLIGHT, bytes([4, 0x00, 0xF0, 0xF1, 0xF1, 0xF2, 0xF2, 0xF4, 0xF4]))
            )
        summary = bytes([QR_SUMMARY] + [q for q, _ in replies])
        return (
            bytes([AID_SF])
            + sf(QR_SUMMARY, summary[1:])
            + b"".join(sf(q, body) for q, body in replies)
        )

    # -- fields --------------------------------------------------------------
    @property
    def formatted(self) -> bool:
        return bool(self.fa)

    def field_start(self, pos: int) -> int | None:
        """Position of the attribute of the field holding ``pos`` (None when
        the screen is unformatted)."""
        if not self.fa:
            return None
        if self._starts is None:
            self._starts = self._field_starts()
        return self._starts[pos]

    def _field_starts(self) -> list[int]:
        starts = [0] * self.size
        current = max(self.fa)  # the last field wraps to the top
        for p in range(self.size):
            if p in self.fa:
                current = p
            starts[p] = current
        return starts

    def field_attribute(self, pos: int) -> int:
        start = self.field_start(pos)
        return 0 if start is None else self.fa[start]

    def is_protected(self, pos: int) -> bool:
        if pos in self.fa:
            return True
        return bool(self.field_attribute(pos) & FA_PROTECTED)

    def _field_end(self, start: int) -> int:
        """Last data position of the field whose attribute is at ``start``."""
        for k in range(1, self.size + 1):
            p = (start + k) % self.size
            if p in self.fa:
                return (p - 1) % self.size
        return (start - 1) % self.size

    def _span(self, first: int, last: int):
        p = first
        while True:
            yield p
            if p == last:
                return
            p = (p + 1) % self.size

    def _unprotected_ranges(self):
        for start in sorted(self.fa):
            if self.fa[start] & FA_PROTECTED:
                continue
            end = self._field_end(start)
            first = (start + 1) % self.size
            if first in self.fa:
                continue  # empty field
            yield first, end

    def fields(self) -> list[tuple[int, int, bytes]]:
        """Every field: (attribute position, attribute, data bytes)."""
        out = []
        for start in sorted(self.fa):
            first = (start + 1) % self.size
            data = (
                b""
                if first in self.fa
                else bytes(self.buffer[p] for p in self._span(first, self._field_end(start)))
            )
            out.append((start, self.fa[start], data))
        return out

    def home_position(self) -> int:
        """First data position of the first unprotected field, or 0."""
        if not self.fa:
            return 0
        for start in sorted(self.fa):
            if not self.fa[start] & FA_PROTECTED and (start + 1) % self.size not in self.fa:
                return (start + 1) % self.size
        return 0

    # -- inbound -------------------------------------------------------------
    def read_modified(self, aid: int, *, all_fields: bool = False) -> bytes:
        if aid in SHORT_READ_AIDS and not all_fields:
            return bytes([aid])
        out = bytearray([aid]) + encode_address(self.cursor)
        if not self.fa:
            out += bytes(b for b in self.buffer if b)
            return bytes(out)
        for start in sorted(self.fa):
            if not self.fa[start] & FA_MDT:
                continue
            first = (start + 1) % self.size
            out += order_sba(first)
            if first not in self.fa:
                out += bytes(
                    b for p in self._span(first, self._field_end(start)) if (b := self.buffer[p])
                )
        return bytes(out)

    def read_buffer(self) -> bytes:
        out = bytearray([self.last_aid]) + encode_address(self.cursor)
        for p in range(self.size):
            if p in self.fa:
                out += bytes([ORDER_SF, code(self.fa[p])])
            else:
                out.append(self.buffer[p])
        return bytes(out)

    def aid(self, aid: int) -> bytes:
        """An attention key: the inbound record it sends.  CLEAR also erases
        the screen and returns to the default size.  The keyboard locks
        until the host writes with keyboard restore."""
        if aid == AID_CLEAR:
            self._resize(*DEFAULT_SIZE)
        record = self.read_modified(aid)
        self.last_aid = aid
        self.keyboard_locked = True
        self.insert_mode = False
        return record

    # -- keyboard ------------------------------------------------------------
    def type_text(self, text: str) -> bool:
        return all(self.type_char(ch) for ch in text)

    def type_char(self, ch: str) -> bool:
        """Key one character at the cursor; False (and nothing changes) when
        the keyboard is locked, the position protected or the field full."""
        if self.keyboard_locked:
            return False
        code_ = to_ebcdic(ch)[0]
        pos = self.cursor
        if self.is_protected(pos):
            return False
        start = self.field_start(pos)
        if start is not None and self.fa[start] & FA_NUMERIC and not (ch.isdigit() or ch in ".-,"):
            return False
        if self.insert_mode and not self._make_room(pos, start):
            return False
        self.buffer[pos] = code_
        self.color[pos] = self.highlight[pos] = 0
        if start is not None:
            self.fa[start] |= FA_MDT
        self._advance_after_typing()
        return True

    def _make_room(self, pos: int, start: int | None) -> bool:
        end = self._field_end(start) if start is not None else self.size - 1
        if self.buffer[end] not in (0x00,):
            return False  # insert would push a character out
        p = end
        while p != pos:
            prev = (p - 1) % self.size
            self.buffer[p] = self.buffer[prev]
            p = prev
        return True

    def _advance_after_typing(self) -> None:
        nxt = (self.cursor + 1) % self.size
        if nxt in self.fa:
            # Automatic skip over a protected field (GA23-0059 "Skip").
            if self.fa[nxt] & FA_PROTECTED:
                self.cursor = self._next_unprotected(nxt)
                return
            nxt = (nxt + 1) % self.size
        self.cursor = nxt

    def _next_unprotected(self, pos: int) -> int:
        for k in range(1, self.size + 1):
            p = (pos + k) % self.size
            if (
                p in self.fa
                and not self.fa[p] & FA_PROTECTED
                and (p + 1) % self.size not in self.fa
            ):
                return (p + 1) % self.size
        return 0

    def tab(self) -> None:
        if self.fa:
            self.cursor = self._next_unprotected(self.cursor)

    def backtab(self) -> None:
        if not self.fa:
            self.cursor = 0
            return
        start = self.field_start(self.cursor)
        here = (start + 1) % self.size
        if not self.is_protected(self.cursor) and self.cursor != here:
            self.cursor = here
            return
        for k in range(2, self.size + 2):
            p = (self.cursor - k) % self.size
            if (
                p in self.fa
                and not self.fa[p] & FA_PROTECTED
                and (p + 1) % self.size not in self.fa
            ):
                self.cursor = (p + 1) % self.size
                return

    def home(self) -> None:
        self.cursor = self.home_position()

    def newline(self) -> None:
        row = (self.cursor // self.cols + 1) % self.rows
        self.cursor = row * self.cols
        if self.fa and self.is_protected(self.cursor):
            self.cursor = self._next_unprotected(self.cursor)

    def move_cursor(self, drow: int, dcol: int) -> None:
        self.cursor = (self.cursor + drow * self.cols + dcol) % self.size

    def toggle_insert(self) -> None:
        self.insert_mode = not self.insert_mode

    def erase_eof(self) -> bool:
        if self.keyboard_locked or self.is_protected(self.cursor):
            return False
        start = self.field_start(self.cursor)
        end = self._field_end(start) if start is not None else self.size - 1
        for p in self._span(self.cursor, end):
            self.buffer[p] = 0
        if start is not None:
            self.fa[start] |= FA_MDT
        return True

    def erase_input(self) -> None:
        if self.keyboard_locked:
            return
        if not self.fa:
            self.buffer[:] = bytes(self.size)
        for first, last in self._unprotected_ranges():
            for p in self._span(first, last):
                self.buffer[p] = 0
        for p in self.fa:
            if not self.fa[p] & FA_PROTECTED:
                self.fa[p] &= ~FA_MDT & 0xFF
        self.home()

    def delete(self) -> bool:
        """Delete the character at the cursor; the rest of the field moves left."""
        if self.keyboard_locked or self.is_protected(self.cursor):
            return False
        start = self.field_start(self.cursor)
        end = self._field_end(start) if start is not None else self.size - 1
        p = self.cursor
        while p != end:
            nxt = (p + 1) % self.size
            self.buffer[p] = self.buffer[nxt]
            p = nxt
        self.buffer[end] = 0
        if start is not None:
            self.fa[start] |= FA_MDT
        return True

    def backspace(self) -> bool:
        """Cursor left within the field, deleting the character there."""
        if self.keyboard_locked:
            return False
        prev = (self.cursor - 1) % self.size
        if prev in self.fa or self.is_protected(prev):
            return False
        self.cursor = prev
        return self.delete()

    # -- rendering -------------------------------------------------------------
    def cell(self, pos: int) -> Cell:
        if pos in self.fa:
            return Cell(" ", True, True, False, True, 0, 0)
        attr = self.field_attribute(pos)
        start = self.field_start(pos)
        display = attr & FA_DISPLAY_MASK
        char = DISPLAY_CHARS[self.buffer[pos]]
        fcol = self.fa_color.get(start, 0) if start is not None else 0
        fhl = self.fa_highlight.get(start, 0) if start is not None else 0
        return Cell(
            char,
            False,
            bool(attr & FA_PROTECTED),
            display == FA_INTENSIFIED,
            display == FA_NONDISPLAY,
            self.color[pos] or fcol,
            self.highlight[pos] or fhl,
        )

    def row_text(self, row: int) -> str:
        """The row as an operator sees it (attributes and nulls as blanks,
        non-display fields blank)."""
        chars = []
        for col in range(self.cols):
            c = self.cell(row * self.cols + col)
            chars.append(" " if c.hidden else c.char)
        return "".join(chars)

    def text(self) -> str:
        return "\n".join(self.row_text(r) for r in range(self.rows))

    def field_at_text(self, pos: int) -> str:
        start = self.field_start(pos)
        if start is None:
            return ""
        end = self._field_end(start)
        return from_ebcdic(
            bytes(
                self.buffer[p] for p in self._span((start + 1) % self.size, end) if self.buffer[p]
            )
        ).rstrip()
