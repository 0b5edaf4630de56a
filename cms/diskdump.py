"""The DISK DUMP card format: a CMS file as 80-column cards (CMS DISK DUMP
punches it, DISK LOAD, RECEIVE and READCARD read it back, TAPE DUMP writes the
same cards in tape blocks, PEEK and RDRLIST show what a dumped file holds)."""

from __future__ import annotations

from cms.fs import pack_records, unpack_records
from s390.ebcdic import from_ebcdic, to_ebcdic

DUMP_ID = b"\x02" + to_ebcdic("CMS")  # DISK DUMP cards: X'02' 'CMS' in columns 1-4
DUMP_DATA = 72  # data bytes per DISK DUMP data card


def dump_cards(fst, mode: str, records: list[bytes]) -> list[bytes]:
    """A file as DISK DUMP cards: a header, data cards, an end-of-file card
    with N in column 5 (as CMS DISK DUMP's last card)."""
    head = f"H{fst.fn:<8}{fst.ft:<8}{mode:<2}{fst.recfm}{fst.lrecl:05d}{len(records):010d}"
    cards = [(DUMP_ID + to_ebcdic(head)).ljust(80, b"\x40")]
    stream = pack_records(fst.recfm, fst.lrecl, records)
    for i in range(0, len(stream), DUMP_DATA):
        chunk = stream[i : i + DUMP_DATA]
        cards.append(
            (DUMP_ID + to_ebcdic("D") + len(chunk).to_bytes(2, "big") + b"\x40" + chunk).ljust(
                80, b"\x40"
            )
        )
    cards.append((DUMP_ID + to_ebcdic(f"N{len(records):010d}")).ljust(80, b"\x40"))
    return cards


def undump_cards(cards: list[bytes]) -> tuple[tuple[str, str, str, str, int], list[bytes]] | None:
    """(fn, ft, fm, recfm, lrecl) and records from DISK DUMP cards, or None."""
    if not cards or cards[0][:4] != DUMP_ID or from_ebcdic(cards[0][4:5]) != "H":
        return None
    head = from_ebcdic(cards[0][5:])
    fn, ft, fm, recfm = head[0:8].strip(), head[8:16].strip(), head[16:18].strip(), head[18]
    lrecl, count = int(head[19:24]), int(head[24:34])
    stream = b""
    for image in cards[1:]:
        if image[:4] != DUMP_ID:
            continue
        kind = from_ebcdic(image[4:5])
        if kind == "D":
            n = int.from_bytes(image[5:7], "big")
            stream += image[8 : 8 + n]
        elif kind == "N":  # the end-of-file card (N in column 5)
            break
    return (fn, ft, fm, recfm, lrecl), unpack_records(recfm, lrecl, stream, count)
