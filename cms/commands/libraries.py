"""Library commands: MACLIB and TXTLIB (GEN, ADD, DEL, MAP).

A MACLIB is RECFM F 80 text: the ``MACRO ... MEND`` definitions of the
``fn MACRO`` files it was built from, one after another (members are found by
their prototype's name; docs/cms-disk-format.md).  A TXTLIB is RECFM F 80
object decks one after another, each ending with its END card; its members
are the control sections and entry points the decks define, and LOAD
searches the GLOBALed TXTLIBs for names no TEXT file defines (VM/370 CMS
Command Reference, MACLIB, TXTLIB, LOAD).
"""

from __future__ import annotations

from cms.commands import Command
from cms.errors import CMSError, invalid_parameter
from cms.fs import check_name, not_found
from s390.ebcdic import from_ebcdic, to_ebcdic

END_CARD = b"\x02" + to_ebcdic("END")


def split_decks(cards: list[bytes]) -> list[list[bytes]]:
    """The object decks of a TXTLIB: each runs up to and including its END card."""
    decks, current = [], []
    for card in cards:
        current.append(card)
        if card[:4] == END_CARD:
            decks.append(current)
            current = []
    if current:
        decks.append(current)
    return decks


def deck_names(deck: list[bytes]) -> list[str]:
    """Section and entry names a deck defines (its TXTLIB member names)."""
    from s390.asm.objdeck import ObjectDeckError, read_deck

    try:
        modules = read_deck(deck)
    except ObjectDeckError:
        return []
    return [item.name for m in modules for item in m.esd if item.type in ("SD", "LD") and item.name]


def library_files(cms, kind: str, names: list[str]) -> list[bytes]:
    """The records of fn MACRO / fn TEXT files, concatenated."""
    ft = "MACRO" if kind == "MACLIB" else "TEXT"
    records: list[bytes] = []
    for name in names:
        check_name(name, f"{name} {ft} *")
        found = cms.disks.find(name, ft, "*")
        if not found:
            raise not_found(f"{name} {ft} *")
        records += [r[:80].ljust(80, b"\x40") for r in cms.disks.read(found[0])]
    return records


def members(kind: str, records: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """(member name, its records) in library order."""
    if kind == "TXTLIB":
        return [(", ".join(deck_names(d)) or "(PC)", d) for d in split_decks(records)]
    from s390.asm.maclib import split_maclib

    texts = [from_ebcdic(r).rstrip() for r in records]
    return [
        (name, [to_ebcdic(x[:80].ljust(80)) for x in lines])
        for name, lines in split_maclib(texts).items()
    ]


def make_library(kind: str, module: str):
    syntax = "GEN|ADD|DEL|MAP libname [fn ...]"

    async def handler(cms, call) -> int:
        if len(call.args) < 2:
            raise CMSError(
                1,
                "E",
                24,
                "NO FUNCTION SPECIFIED" if not call.args else "NO LIBRARY NAME SPECIFIED",
            )
        function, lib, names = call.args[0], call.args[1], call.args[2:]
        check_name(lib, f"{lib} {kind} A")
        acc = cms.disks.by_mode.get("A")
        existing = cms.disks.find(lib, kind, "*")
        if function == "MAP":
            if not existing:
                raise not_found(f"{lib} {kind} *")
            cms.say(f"{kind} '{lib}' MEMBERS:")
            for name, recs in members(kind, cms.disks.read(existing[0])):
                cms.say(f"{name:<8} {len(recs):6d} RECORDS")
            return 0
        if function in ("GEN", "ADD"):
            if not names:
                raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
            old = cms.disks.read(existing[0]) if function == "ADD" and existing else []
            records = old + library_files(cms, kind, names)
        elif function == "DEL":
            if not existing:
                raise not_found(f"{lib} {kind} *")
            keep = [
                recs
                for name, recs in members(kind, cms.disks.read(existing[0]))
                if not any(n in name.split(", ") for n in names)
            ]
            records = [r for recs in keep for r in recs]
        else:
            raise invalid_parameter(function)
        acc = cms.disks.writable("A")
        acc.disk.write_file(lib, kind, records or [b"\x40" * 80], "F", 80)
        return 0

    return Command(kind, 6, module, handler, syntax)


COMMANDS = [make_library("MACLIB", "LBM"), make_library("TXTLIB", "LBT")]
