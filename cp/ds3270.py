"""The IBM 3270 data stream as CP speaks it.

CP's 3270 console (``cp.console3270``) *builds* outbound data streams with the
helpers here and *parses* the inbound records a terminal sends back; the
TN3270 server forwards the same bytes to real clients.  The screen model a
terminal keeps (buffer, fields, cursor, keyboard) is the terminal's, not
CP's: ``tui.screen``.

Source: IBM 3270 Information Display System Data Stream Programmer's Reference
GA23-0059 (commands, WCC, orders, field and extended attributes, AIDs,
buffer addressing, Read Modified, Query Reply) and 3274 Control Unit
Description GA23-0061 (12- and 14-bit addresses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CODEPAGE = "cp037"  # the US EBCDIC set VM/370's terminals used (see reference §7)

# ---------------------------------------------------------------------------
# Commands (GA23-0059 ch. 3).  Remote (SNA/TN3270) codes and the local
# channel (CCW) codes, which TN3270 clients also accept.
CMD_W, CMD_EW, CMD_EWA, CMD_EAU, CMD_WSF = 0xF1, 0xF5, 0x7E, 0x6F, 0xF3
CMD_RB, CMD_RM, CMD_RMA = 0xF2, 0xF6, 0x6E
CCW_COMMANDS = {
    0x01: CMD_W,
    0x05: CMD_EW,
    0x0D: CMD_EWA,
    0x0F: CMD_EAU,
    0x11: CMD_WSF,
    0x02: CMD_RB,
    0x06: CMD_RM,
    0x0E: CMD_RMA,
}

# Write control character bits (GA23-0059 "Write Control Character").
WCC_RESET = 0x40
WCC_PRINT = 0x08
WCC_ALARM = 0x04
WCC_RESTORE = 0x02  # keyboard restore: unlock, reset AID
WCC_RESET_MDT = 0x01

# Orders (GA23-0059 ch. 4).
ORDER_SF, ORDER_SFE, ORDER_SBA, ORDER_SA = 0x1D, 0x29, 0x11, 0x28
ORDER_MF, ORDER_IC, ORDER_PT, ORDER_RA, ORDER_EUA, ORDER_GE = 0x2C, 0x13, 0x05, 0x3C, 0x12, 0x08

# Field attribute bits (GA23-0059 "Field Attribute").
FA_PROTECTED = 0x20
FA_NUMERIC = 0x10
FA_DISPLAY_MASK = 0x0C
FA_INTENSIFIED = 0x08
FA_NONDISPLAY = 0x0C
FA_MDT = 0x01

# Extended attribute types and values (SFE/SA/MF pairs).
XA_ALL = 0x00
XA_FIELD = 0xC0
XA_HIGHLIGHT = 0x41
XA_COLOR = 0x42
XA_CHARSET = 0x43
XA_BACKGROUND = 0x45
XA_TRANSPARENCY = 0x46
HIGHLIGHT_NAMES = {
    0x00: "default",
    0xF0: "normal",
    0xF1: "blink",
    0xF2: "reverse",
    0xF4: "underscore",
}
COLOR_NAMES = {
    0x00: "default",
    0xF0: "neutral",
    0xF1: "blue",
    0xF2: "red",
    0xF3: "pink",
    0xF4: "green",
    0xF5: "turquoise",
    0xF6: "yellow",
    0xF7: "white",
}

# Attention identifiers (GA23-0059 "AID").
AID_NONE, AID_ENTER, AID_CLEAR, AID_SF = 0x60, 0x7D, 0x6D, 0x88
AID_PA = {1: 0x6C, 2: 0x6E, 3: 0x6B}
AID_PF = {
    n: code
    for n, code in enumerate(
        [
            0xF1,
            0xF2,
            0xF3,
            0xF4,
            0xF5,
            0xF6,
            0xF7,
            0xF8,
            0xF9,
            0x7A,
            0x7B,
            0x7C,
            0xC1,
            0xC2,
            0xC3,
            0xC4,
            0xC5,
            0xC6,
            0xC7,
            0xC8,
            0xC9,
            0x4A,
            0x4B,
            0x4C,
        ],
        start=1,
    )
}
#: AIDs that make a *short read*: the AID byte alone, no cursor, no fields.
SHORT_READ_AIDS = frozenset([AID_CLEAR, *AID_PA.values()])


def aid_name(aid: int) -> str:
    """ENTER, CLEAR, PA1..PA3, PF1..PF24 (or the hex code)."""
    names = {AID_ENTER: "ENTER", AID_CLEAR: "CLEAR", AID_NONE: "NONE", AID_SF: "SF"}
    names.update({code: f"PA{n}" for n, code in AID_PA.items()})
    names.update({code: f"PF{n}" for n, code in AID_PF.items()})
    return names.get(aid, f"X'{aid:02X}'")


#: Models 2-5: (rows, columns) of the alternate screen size.  Every model's
#: default size (Erase/Write) is 24x80.
MODEL_SIZES = {2: (24, 80), 3: (32, 80), 4: (43, 80), 5: (27, 132)}
DEFAULT_SIZE = (24, 80)

# ---------------------------------------------------------------------------
# The 64-entry "3270 code" table: 6-bit values (address halves, attribute
# bytes, WCC) as graphic EBCDIC characters (GA23-0059 Figure "Buffer Address
# and Attribute Codes").
CODE_TABLE = bytes(
    [
        0x40,
        0xC1,
        0xC2,
        0xC3,
        0xC4,
        0xC5,
        0xC6,
        0xC7,
        0xC8,
        0xC9,
        0x4A,
        0x4B,
        0x4C,
        0x4D,
        0x4E,
        0x4F,
        0x50,
        0xD1,
        0xD2,
        0xD3,
        0xD4,
        0xD5,
        0xD6,
        0xD7,
        0xD8,
        0xD9,
        0x5A,
        0x5B,
        0x5C,
        0x5D,
        0x5E,
        0x5F,
        0x60,
        0x61,
        0xE2,
        0xE3,
        0xE4,
        0xE5,
        0xE6,
        0xE7,
        0xE8,
        0xE9,
        0x6A,
        0x6B,
        0x6C,
        0x6D,
        0x6E,
        0x6F,
        0xF0,
        0xF1,
        0xF2,
        0xF3,
        0xF4,
        0xF5,
        0xF6,
        0xF7,
        0xF8,
        0xF9,
        0x7A,
        0x7B,
        0x7C,
        0x7D,
        0x7E,
        0x7F,
    ]
)


def code(bits: int) -> int:
    """A 6-bit value as its graphic code (attribute bytes, WCC)."""
    return CODE_TABLE[bits & 0x3F]


def encode_address(addr: int) -> bytes:
    """A buffer address: 12-bit coded form below 4096, 14-bit binary above."""
    if addr < 4096:
        return bytes([CODE_TABLE[(addr >> 6) & 0x3F], CODE_TABLE[addr & 0x3F]])
    return bytes([(addr >> 8) & 0x3F, addr & 0xFF])


def decode_address(b1: int, b2: int) -> int:
    """Top two bits 00 of the first byte mean 14-bit binary, else 12-bit coded."""
    if b1 & 0xC0 == 0x00:
        return ((b1 & 0x3F) << 8) | b2
    return ((b1 & 0x3F) << 6) | (b2 & 0x3F)


#: Each EBCDIC code as the character a display shows (controls and null as blank).
DISPLAY_CHARS = [" " if b < 0x40 else bytes([b]).decode(CODEPAGE) for b in range(256)]


def to_ebcdic(text: str) -> bytes:
    return text.encode(CODEPAGE, errors="replace")


def from_ebcdic(data: bytes) -> str:
    return bytes(data).decode(CODEPAGE, errors="replace")


# ---------------------------------------------------------------------------
# Outbound builders (host side).


def order_sba(addr: int) -> bytes:
    return bytes([ORDER_SBA]) + encode_address(addr)


def order_sf(attr: int) -> bytes:
    return bytes([ORDER_SF, code(attr)])


def order_sfe(attr: int, color: int = 0, highlight: int = 0) -> bytes:
    pairs = [(XA_FIELD, code(attr))]
    if highlight:
        pairs.append((XA_HIGHLIGHT, highlight))
    if color:
        pairs.append((XA_COLOR, color))
    return bytes([ORDER_SFE, len(pairs)]) + b"".join(bytes(p) for p in pairs)


def order_sa(kind: int, value: int) -> bytes:
    return bytes([ORDER_SA, kind, value])


def order_ra(stop: int, char: int) -> bytes:
    return bytes([ORDER_RA]) + encode_address(stop) + bytes([char])


def order_eua(stop: int) -> bytes:
    return bytes([ORDER_EUA]) + encode_address(stop)


ORDER_IC_BYTES = bytes([ORDER_IC])
ORDER_PT_BYTES = bytes([ORDER_PT])


def wcc(
    *, reset: bool = False, alarm: bool = False, restore: bool = False, reset_mdt: bool = False
) -> int:
    bits = (
        (WCC_RESET if reset else 0)
        | (WCC_ALARM if alarm else 0)
        | (WCC_RESTORE if restore else 0)
        | (WCC_RESET_MDT if reset_mdt else 0)
    )
    return code(bits)


#: WSF Read Partition Query (partition X'FF'), what a host sends to learn an
#: IBM-DYNAMIC terminal's size and features.
QUERY_REQUEST = bytes([CMD_WSF, 0x00, 0x05, 0x01, 0xFF, 0x02])

# ---------------------------------------------------------------------------
# Inbound (terminal -> host) records, parsed on the host side.


@dataclass
class Inbound:
    """One inbound record: the AID, cursor and modified fields (address of the
    first data position, EBCDIC bytes without nulls)."""

    aid: int
    cursor: int | None = None
    fields: list[tuple[int, bytes]] = field(default_factory=list)
    structured: list[tuple[int, bytes]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return aid_name(self.aid)


def parse_inbound(record: bytes) -> Inbound:
    """Parse a Read Modified (or short read, or structured-field) record."""
    if not record:
        return Inbound(AID_NONE)
    aid = record[0]
    if aid == AID_SF:
        return Inbound(aid, structured=split_structured_fields(record[1:]))
    if aid in SHORT_READ_AIDS or len(record) < 3:
        return Inbound(aid)
    cursor = decode_address(record[1], record[2])
    fields: list[tuple[int, bytes]] = []
    addr, data = None, bytearray()
    i = 3
    while i < len(record):
        b = record[i]
        if b == ORDER_SBA and i + 2 < len(record):
            if addr is not None:
                fields.append((addr, bytes(data)))
            addr, data = decode_address(record[i + 1], record[i + 2]), bytearray()
            i += 3
            continue
        if b != 0x00:
            data.append(b)
        i += 1
    if addr is not None:
        fields.append((addr, bytes(data)))
    elif data:  # unformatted screen: text without SBA
        fields.append((0, bytes(data)))
    return Inbound(aid, cursor, fields)


def split_structured_fields(data: bytes) -> list[tuple[int, bytes]]:
    """(id, body) of each structured field; id is the first byte after the
    2-byte length, or the 2-byte Query Reply id X'81nn' as one int."""
    out = []
    i = 0
    while i + 3 <= len(data):
        length = (data[i] << 8) | data[i + 1]
        if length == 0:  # "rest of the record"
            length = len(data) - i
        if length < 3:
            break
        body = data[i + 2 : i + length]
        sfid = body[0]
        if sfid == 0x81 and len(body) > 1:
            sfid, body = 0x8100 | body[1], body[2:]
        else:
            body = body[1:]
        out.append((sfid, bytes(body)))
        i += length
    return out


# Query Reply ids (GA23-0059 ch. 6).
QR_SUMMARY, QR_USABLE_AREA, QR_CHARSETS, QR_COLOR, QR_HIGHLIGHT = 0x80, 0x81, 0x85, 0x86, 0x87
QR_REPLY_MODES, QR_IMPLICIT_PARTITION = 0x88, 0xA6


def query_reply_size(inbound: Inbound) -> tuple[int, int] | None:
    """The alternate (largest) screen size a Query Reply announces: from the
    Implicit Partition reply, else from the Usable Area."""
    usable = None
    for sfid, body in inbound.structured:
        if sfid == 0x8100 | QR_IMPLICIT_PARTITION and len(body) >= 13 and body[3] == 0x01:
            p = body[2:]
            return (p[9] << 8) | p[10], (p[7] << 8) | p[8]
        if sfid == 0x8100 | QR_USABLE_AREA and len(body) >= 6:
            usable = ((body[4] << 8) | body[5], (body[2] << 8) | body[3])
    return usable


def query_reply_color(inbound: Inbound) -> bool:
    return any(sfid == 0x8100 | QR_COLOR for sfid, _ in inbound.structured)
