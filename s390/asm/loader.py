"""The relocating loader: object decks into storage (the work of the OS/VS loader
and of CMS LOAD).

Control sections are placed one after another from the load address, each on a
doubleword boundary.  A section's relocation factor is its load address minus its
assembled address.  External references (ER) are resolved against the section
names and entry points (LD) of all decks; weak references (WX) left unresolved are
zero.  Each RLD item adds (or subtracts) the relocation factor of a section, or
the address of an external symbol, to the address constant it points at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from s390.ebcdic import from_ebcdic

from .objdeck import ObjectDeckError, ObjectModule, read_deck


class LoadError(Exception):
    """The decks cannot be loaded; the message says which card or symbol."""


@dataclass
class MapEntry:
    name: str
    type: str  # SD, PC, LD
    address: int
    length: int = 0


@dataclass
class LoadResult:
    entry: int
    map: list[MapEntry]
    end: int  # first byte after the loaded program
    warnings: list[str] = field(default_factory=list)

    def symbol(self, name: str) -> int:
        for m in self.map:
            if m.name == name:
                return m.address
        raise KeyError(name)

    def format_map(self) -> list[str]:
        return [
            f"{m.name or '(PC)':<8} {m.type}  {m.address:06X}"
            + (f"  {m.length:06X}" if m.type != "LD" else "")
            for m in self.map
        ]


@dataclass
class _Placed:
    module: ObjectModule
    deck: str
    factors: dict[int, int] = field(default_factory=dict)  # ESDID -> relocation factor
    sections: dict[int, tuple[int, int]] = field(
        default_factory=dict
    )  # ESDID -> (load addr, length)


def _as_cards(deck) -> list[bytes]:
    if isinstance(deck, (bytes, bytearray)):
        data = bytes(deck)
        if len(data) % 80:
            raise LoadError(f"deck length {len(data)} is not a multiple of 80 bytes")
        return [data[i : i + 80] for i in range(0, len(data), 80)]
    return [bytes(c) for c in deck]


def load(decks, storage: bytearray, address: int, entry: str | None = None) -> LoadResult:
    """Load object decks (each a list of 80-byte cards or one bytes object) into
    storage at address; returns the entry point and the load map."""
    placed: list[_Placed] = []
    for n, deck in enumerate(decks, 1):
        try:
            modules = read_deck(_as_cards(deck), name=f"deck {n}")
        except ObjectDeckError as e:
            raise LoadError(str(e)) from None
        placed += [_Placed(m, f"deck {n}") for m in modules]
    if not placed:
        raise LoadError("no object module to load")
    cursor = address
    symbols: dict[str, int] = {}
    load_map: list[MapEntry] = []
    warnings: list[str] = []

    def define(name: str, addr: int, deck: str) -> None:
        if name in symbols:  # the first definition wins, as the loader's does
            warnings.append(f"{deck}: duplicate external symbol {name} ignored")
        else:
            symbols[name] = addr

    for p in placed:
        for item in p.module.esd:
            if item.type not in ("SD", "PC"):
                continue
            cursor = (cursor + 7) & ~7
            p.factors[item.esdid] = cursor - item.address
            p.sections[item.esdid] = (cursor, item.length)
            load_map.append(MapEntry(item.name, item.type, cursor, item.length))
            if item.name:
                define(item.name, cursor, p.deck)
            cursor += item.length
    cursor = _place_commons(placed, cursor, load_map, define)
    for p in placed:
        for item in p.module.esd:
            if item.type == "LD":
                if item.length not in p.factors:
                    raise LoadError(
                        f"{p.deck}: entry {item.name} refers to ESDID {item.length}, not a section"
                    )
                addr = item.address + p.factors[item.length]
                define(item.name, addr, p.deck)
                load_map.append(MapEntry(item.name, "LD", addr))
    if cursor > len(storage):
        raise LoadError(
            f"program needs storage up to {cursor:06X}, storage is {len(storage):06X} bytes"
        )
    unresolved: list[str] = []
    pseudo = _pseudo_registers(placed)
    for p in placed:
        _place_text(p, storage)
    for p in placed:
        _relocate(p, storage, symbols, unresolved, pseudo)
    if unresolved:
        raise LoadError("unresolved external references: " + " ".join(sorted(set(unresolved))))
    return LoadResult(_entry_point(placed, symbols, entry), load_map, cursor, warnings)


def _place_commons(placed: list[_Placed], cursor: int, load_map: list, define) -> int:
    """Common sections (CM) follow the control sections: one area per name (the blank
    name too), as long as the longest declaration of it (HLASM "COM instruction")."""
    longest: dict[str, int] = {}
    for p in placed:
        for item in p.module.esd:
            if item.type == "CM":
                longest[item.name] = max(longest.get(item.name, 0), item.length)
    where: dict[str, int] = {}
    for name, length in longest.items():
        cursor = (cursor + 7) & ~7
        where[name] = cursor
        load_map.append(MapEntry(name, "CM", cursor, length))
        if name:
            define(name, cursor, "common")
        cursor += length
    for p in placed:
        for item in p.module.esd:
            if item.type == "CM":
                p.factors[item.esdid] = where[item.name] - item.address
                p.sections[item.esdid] = (where[item.name], longest[item.name])
    return cursor


def _place_text(p: _Placed, storage: bytearray) -> None:
    for rec in p.module.text:
        if rec.esdid not in p.factors:
            raise LoadError(
                f"{p.deck}: TXT at {rec.address:06X} names ESDID {rec.esdid}, not a section"
            )
        start, length = p.sections[rec.esdid]
        at = rec.address + p.factors[rec.esdid]
        if (
            at < start
            or at + len(rec.data) > start + max(length, 0)
            or at + len(rec.data) > len(storage)
        ):
            raise LoadError(f"{p.deck}: TXT at {rec.address:06X} lies outside its section")
        storage[at : at + len(rec.data)] = rec.data


def _pseudo_registers(placed: list[_Placed]) -> dict[str, int]:
    """Offsets of the pseudo registers (XD items; one per name, the longest length and
    strictest alignment) in the order they first appear; "" holds their total length."""
    sizes: dict[str, tuple[int, int]] = {}
    for p in placed:
        for item in p.module.esd:
            if item.type == "XD":
                length, align = sizes.get(item.name, (0, 0))
                sizes[item.name] = (max(length, item.length), max(align, item.flag & 7))
    offsets: dict[str, int] = {}
    total = 0
    for name, (length, align) in sizes.items():
        total = (total + align) & ~align
        offsets[name] = total
        total += length
    offsets[""] = total
    return offsets


def _relocate(
    p: _Placed,
    storage: bytearray,
    symbols: dict[str, int],
    unresolved: list[str],
    pseudo: dict[str, int],
) -> None:
    for r in p.module.rld:
        if r.p_id not in p.factors:
            raise LoadError(f"{p.deck}: RLD position ESDID {r.p_id} is not a section")
        target = p.module.by_esdid(r.r_id)
        if r.pseudo == "CXD":
            value = pseudo[""]
        elif target is None:
            raise LoadError(f"{p.deck}: RLD relocation ESDID {r.r_id} is not in the ESD")
        elif r.pseudo == "Q":
            if target.type != "XD":
                raise LoadError(
                    f"{p.deck}: Q-type RLD item names {target.name or target.type}, "
                    "not a pseudo register"
                )
            value = pseudo[target.name]
        elif target.type == "XD":
            raise LoadError(f"{p.deck}: RLD item relocates by pseudo register {target.name}")
        elif target.type in ("ER", "WX"):
            if target.name in symbols:
                value = symbols[target.name]
            elif target.type == "WX":
                value = 0
            else:
                unresolved.append(target.name)
                continue
        else:
            value = p.factors[r.r_id]
        at = r.address + p.factors[r.p_id]
        if at + r.length > len(storage):
            raise LoadError(f"{p.deck}: RLD item at {r.address:06X} lies outside storage")
        mask = (1 << (8 * r.length)) - 1
        old = int.from_bytes(storage[at : at + r.length], "big")
        new = (old - value if r.negative else old + value) & mask
        storage[at : at + r.length] = new.to_bytes(r.length, "big")


def _entry_card(placed: list[_Placed]) -> str | None:
    """The name on an ENTRY control card (' ENTRY name', column 2) in the decks: the
    loader's way to choose the entry point; the last one counts."""
    name = None
    for p in placed:
        for card in p.module.other_cards:
            words = from_ebcdic(card[:72]).split()
            if card[:1] == b"\x40" and len(words) == 2 and words[0] == "ENTRY":
                name = words[1].upper()
    return name


def _entry_point(placed: list[_Placed], symbols: dict[str, int], name: str | None) -> int:
    if name is None:
        name = _entry_card(placed)
    if name is not None:
        if name not in symbols:
            raise LoadError(f"entry point {name} is not defined")
        return symbols[name]
    for p in placed:
        m = p.module
        if m.entry_name:
            if m.entry_name in symbols:
                return symbols[m.entry_name]
            raise LoadError(f"entry point {m.entry_name} is not defined")
        if m.entry_esdid is not None:
            if m.entry_esdid not in p.factors:
                raise LoadError(f"{p.deck}: END card names ESDID {m.entry_esdid}, not a section")
            return m.entry_address + p.factors[m.entry_esdid]
    first = placed[0]
    return min(a for a, _ in first.sections.values()) if first.sections else 0
