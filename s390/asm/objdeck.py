"""Object decks: 80-byte EBCDIC cards in the standard object module format.

Layout (OS/VS Loader and Linkage Editor logic, "Object module"; the same cards the
VM/370 CMS LOADER reads).  Every card: column 1 X'02', columns 2-4 the card type,
columns 73-80 the deck identification (the name of the first named TITLE) and a
sequence number in the columns it leaves (HLASM Programmer's Guide, "Object deck
output").

ESD  5-10 blank, 11-12 byte count of ESD data (16 per item), 13-14 blank,
     15-16 ESDID of the first SD/ER/PC/CM/XD/WX item on the card (blank if only LD items),
     17-64 up to three 16-byte items: name (8), type (1), address (3),
     flag (1), length (3) -- for LD the flag is blank and the length field holds
     the ESDID of the section that contains the label; for XD the flag is the
     alignment (0 byte, 1 halfword, 3 fullword, 7 doubleword); for SD, PC and CM
     the AMODE/RMODE flags, with X'08' for an RSECT (HLASM Programmer's Guide,
     "ESD record format").
TXT  5 blank, 6-8 address of the first byte, 9-10 blank, 11-12 byte count,
     13-14 blank, 15-16 ESDID, 17-72 up to 56 bytes of text.
RLD  5-10 blank, 11-12 byte count, 13-16 blank, 17-72 items: relocation ESDID (2),
     position ESDID (2), flag (1), address (3); when the flag's last bit is on, the
     next item has the same two ESDIDs and omits them.  Flag: bits 0-3 type
     (0000 A-type, 0001 V-type, 0010 Q-type pseudo-register offset, 0011 CXD
     cumulative pseudo-register length, relocation ESDID 0), bits 4-5 length - 1,
     bit 6 sign (1 = subtract), bit 7 "same ESDIDs follow".
     Flag bit 1 (X'40') adds 4 to the length: 5- to 8-byte constants (AD).
END  5 blank, 6-8 entry address, 9-14 blank, 15-16 ESDID of the entry point,
     17-24 symbolic entry name (blank), 29-32 blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from s390.ebcdic import from_ebcdic, to_ebcdic

CARD = 80
MARK = 0x02
BLANK = b"\x40"
ESD_TYPES = {"SD": 0x00, "LD": 0x01, "ER": 0x02, "PC": 0x04, "CM": 0x05, "XD": 0x06, "WX": 0x0A}
#: RLD item types (flag bits 0-3): A-type, V-type, pseudo-register offset (Q-type),
#: cumulative pseudo-register length (CXD).
RLD_TYPES = {"": 0, "V": 1, "Q": 2, "CXD": 3}
ESD_NAMES = {v: k for k, v in ESD_TYPES.items()}
TXT_MAX = 56
RLD_MAX = 56


class ObjectDeckError(Exception):
    """A card that is not a valid object-deck card; the message names the card."""


@dataclass
class ESDItem:
    name: str
    type: str  # SD LD ER PC CM XD WX
    address: int = 0
    length: int = 0  # SD/PC/CM/XD: length; LD: ESDID of the owning section
    esdid: int = 0  # 0 for LD (no ESDID of its own)
    flag: int = 0  # SD/PC/CM: X'08' RSECT (AMODE/RMODE 24); XD: alignment 0 1 3 7


@dataclass
class TextRecord:
    esdid: int
    address: int
    data: bytes


@dataclass
class RLDEntry:
    r_id: int
    p_id: int
    address: int
    length: int
    negative: bool = False
    vcon: bool = False
    pseudo: str = ""  # "Q" or "CXD" (pseudo registers)


@dataclass
class ObjectModule:
    esd: list[ESDItem] = field(default_factory=list)
    text: list[TextRecord] = field(default_factory=list)
    rld: list[RLDEntry] = field(default_factory=list)
    entry_esdid: int | None = None
    entry_address: int | None = None
    entry_name: str = ""
    other_cards: list[bytes] = field(default_factory=list)  # PUNCH/REPRO cards, SYM, etc.

    def by_esdid(self, esdid: int) -> ESDItem | None:
        for item in self.esd:
            if item.esdid == esdid and item.type != "LD":
                return item
        return None


# ---------------------------------------------------------------------- writing
def _name8(name: str) -> bytes:
    return to_ebcdic(name[:8].ljust(8))


def _card(kind: str, body: bytes, deck_id: str, seq: int) -> bytes:
    image = bytes([MARK]) + to_ebcdic(kind) + body
    image = image[:72].ljust(72, BLANK)
    return image + _sequence(deck_id, seq)


def _sequence(deck_id: str, seq: int) -> bytes:
    """Columns 73-80: the deck ID, the remaining columns a record sequence number."""
    ident = deck_id[:8]
    return to_ebcdic((ident + str(seq).zfill(8 - len(ident)))[:8] if len(ident) < 8 else ident)


#: EBCDIC digits, for the sequence numbers of the many TXT cards of a large section
_EBCDIC_DIGITS = bytes.maketrans(b"0123456789", bytes(range(0xF0, 0xFA)))


def _esd_item(item: ESDItem) -> bytes:
    code = ESD_TYPES[item.type]
    if item.type in ("ER", "WX"):  # address zero; flag and length blank
        return _name8(item.name) + bytes([code]) + bytes(3) + BLANK * 4
    if item.type == "LD":
        return (
            _name8(item.name)
            + bytes([code])
            + item.address.to_bytes(3, "big")
            + BLANK
            + item.length.to_bytes(3, "big")
        )
    return (
        _name8(item.name)
        + bytes([code])
        + item.address.to_bytes(3, "big")
        + bytes([item.flag])
        + item.length.to_bytes(3, "big")
    )


def write_deck(module: ObjectModule, deck_id: str = "") -> list[bytes]:
    """The cards of an object module: ESD, TXT, RLD, END, in that order."""
    return list(module.other_cards) + list(iter_cards(module, deck_id))


def iter_cards(module: ObjectModule, deck_id: str = "") -> Iterator[bytes]:
    """The ESD, TXT, RLD and END cards of an object module, one at a time.  TEXT
    record data may be bytes or a Runs (s390.asm.runs) of repeated patterns."""
    cards: list[bytes] = []
    count = 0

    def add(kind: str, body: bytes) -> None:
        cards.append(_card(kind, body, deck_id, count + len(cards) + 1))

    numbered = [i for i in module.esd if i.type != "LD"]
    lds = [i for i in module.esd if i.type == "LD"]
    items = sorted(numbered, key=lambda i: i.esdid) + lds
    for k in range(0, len(items), 3):
        group = items[k : k + 3]
        data = b"".join(_esd_item(i) for i in group)
        first = next((i.esdid for i in group if i.type != "LD"), None)
        ident = first.to_bytes(2, "big") if first is not None else BLANK * 2
        add("ESD", BLANK * 6 + len(data).to_bytes(2, "big") + BLANK * 2 + ident + data)
    yield from cards
    count += len(cards)
    cards.clear()
    for card in _txt_cards(module.text, deck_id, count + 1):
        count += 1
        yield card
    _write_rld(module.rld, add)
    if module.entry_esdid is not None:
        end = (
            BLANK
            + module.entry_address.to_bytes(3, "big")
            + BLANK * 6
            + module.entry_esdid.to_bytes(2, "big")
        )
    else:
        end = BLANK * 12
    add("END", end)
    yield from cards


def _txt_cards(text: list[TextRecord], deck_id: str, seq: int) -> Iterator[bytes]:
    """TXT cards: 56 bytes each, numbered from ``seq``."""
    head = bytes([MARK]) + to_ebcdic("TXT") + BLANK
    ident = deck_id[:8]
    digits = 8 - len(ident)
    ident_e = to_ebcdic(ident)
    for rec in text:
        esdid = BLANK * 2 + rec.esdid.to_bytes(2, "big")
        data = rec.data
        for k in range(0, len(data), TXT_MAX):
            chunk = data[k : k + TXT_MAX]
            image = (
                head
                + (rec.address + k).to_bytes(3, "big")
                + BLANK * 2
                + len(chunk).to_bytes(2, "big")
                + esdid
                + chunk
            ).ljust(72, BLANK)
            tail = (
                ident_e
                + (ident + str(seq).zfill(digits))[len(ident) : 8]
                .encode()
                .translate(_EBCDIC_DIGITS)
                if digits
                else ident_e
            )
            yield image + tail
            seq += 1


def _write_rld(entries: list[RLDEntry], add) -> None:
    items = sorted(entries, key=lambda e: (e.r_id, e.p_id, e.address))
    data = bytearray()
    prev = None
    for n, e in enumerate(items):
        kind = RLD_TYPES[e.pseudo or ("V" if e.vcon else "")]
        longer = 0x40 if e.length > 4 else 0
        flag = longer | kind << 4 | ((e.length - 1) & 3) << 2 | (0x02 if e.negative else 0)
        full = (
            e.r_id.to_bytes(2, "big")
            + e.p_id.to_bytes(2, "big")
            + bytes([flag])
            + e.address.to_bytes(3, "big")
        )
        same = prev is not None and (prev.r_id, prev.p_id) == (e.r_id, e.p_id)
        piece = full[4:] if same else full
        if len(data) + len(piece) > RLD_MAX:
            _flush_rld(data, add)
            data = bytearray()
            piece = full
            same = False
        if same:
            data[-4] |= 0x01  # previous item: the next one shares its ESDIDs
        data += piece
        prev = e
    if data:
        _flush_rld(data, add)


def _flush_rld(data: bytearray, add) -> None:
    add("RLD", BLANK * 6 + len(data).to_bytes(2, "big") + BLANK * 4 + bytes(data))


# ---------------------------------------------------------------------- reading
def read_deck(cards: list[bytes], name: str = "deck") -> list[ObjectModule]:
    """Parse object cards into modules (one per END card).  Damaged cards raise
    ObjectDeckError naming the deck and card number."""
    modules: list[ObjectModule] = []
    module = ObjectModule()
    started = False
    for n, card in enumerate(cards, 1):
        where = f"{name} card {n}"
        if len(card) != CARD:
            raise ObjectDeckError(f"{where}: card is {len(card)} bytes, not 80")
        if card[0] != MARK:
            module.other_cards.append(bytes(card))
            continue
        kind = from_ebcdic(card[1:4])
        started = True
        reader = _READERS.get(kind)
        if reader is None:
            if kind in ("SYM", "XSD", "IDR"):
                continue
            raise ObjectDeckError(f"{where}: unknown object card type {kind!r}")
        reader(module, card, where)
        if kind == "END":
            modules.append(module)
            module = ObjectModule()
            started = False
    if started:
        raise ObjectDeckError(f"{name}: END card missing after card {len(cards)}")
    return modules


def _count(card: bytes, where: str, limit: int) -> int:
    count = int.from_bytes(card[10:12], "big")
    if count > limit:
        raise ObjectDeckError(f"{where}: byte count {count} exceeds {limit}")
    return count


def _read_esd(module: ObjectModule, card: bytes, where: str) -> None:
    count = _count(card, where, 48)
    if count % 16:
        raise ObjectDeckError(f"{where}: ESD byte count {count} is not a multiple of 16")
    esdid = None if card[14:16] == BLANK * 2 else int.from_bytes(card[14:16], "big")
    for k in range(count // 16):
        raw = card[16 + 16 * k : 32 + 16 * k]
        code = raw[8]
        kind = ESD_NAMES.get(code)
        if kind is None:
            raise ObjectDeckError(f"{where}: ESD item {k + 1} has unknown type X'{code:02X}'")
        name = from_ebcdic(raw[:8]).rstrip()
        if kind == "LD":
            module.esd.append(
                ESDItem(
                    name, kind, int.from_bytes(raw[9:12], "big"), int.from_bytes(raw[13:16], "big")
                )
            )
            continue
        if esdid is None:
            raise ObjectDeckError(f"{where}: ESD card without an ESDID for item {name or kind}")
        item = ESDItem(name, kind, esdid=esdid)
        if kind not in ("ER", "WX"):
            item.address = int.from_bytes(raw[9:12], "big")
            item.flag = raw[12]
            item.length = int.from_bytes(raw[13:16], "big")
        module.esd.append(item)
        esdid += 1


def _read_txt(module: ObjectModule, card: bytes, where: str) -> None:
    count = _count(card, where, TXT_MAX)
    module.text.append(
        TextRecord(
            int.from_bytes(card[14:16], "big"),
            int.from_bytes(card[5:8], "big"),
            bytes(card[16 : 16 + count]),
        )
    )


def _read_rld(module: ObjectModule, card: bytes, where: str) -> None:
    count = _count(card, where, RLD_MAX)
    data = card[16 : 16 + count]
    i = 0
    r = p = None
    same = False
    while i < len(data):
        if not same:
            if i + 8 > len(data):
                raise ObjectDeckError(f"{where}: RLD item at byte {i + 17} is cut short")
            r, p = (
                int.from_bytes(data[i : i + 2], "big"),
                int.from_bytes(data[i + 2 : i + 4], "big"),
            )
            i += 4
        if i + 4 > len(data):
            raise ObjectDeckError(f"{where}: RLD item at byte {i + 17} is cut short")
        flag = data[i]
        kind = (flag >> 4) & 3
        if flag & 0x80:
            raise ObjectDeckError(f"{where}: RLD item flag X'{flag:02X}' has an unsupported type")
        length = ((flag >> 2) & 3) + 1 + (4 if flag & 0x40 else 0)
        module.rld.append(
            RLDEntry(
                r,
                p,
                int.from_bytes(data[i + 1 : i + 4], "big"),
                length,
                bool(flag & 2),
                kind == 1,
                {2: "Q", 3: "CXD"}.get(kind, ""),
            )
        )
        same = bool(flag & 1)
        i += 4
    if same:
        raise ObjectDeckError(f"{where}: last RLD item says more items follow")


def _read_end(module: ObjectModule, card: bytes, where: str) -> None:
    if card[14:16] != BLANK * 2:
        module.entry_esdid = int.from_bytes(card[14:16], "big")
        module.entry_address = int.from_bytes(card[5:8], "big")
    name = from_ebcdic(card[16:24]).strip()
    module.entry_name = name


_READERS = {"ESD": _read_esd, "TXT": _read_txt, "RLD": _read_rld, "END": _read_end}
