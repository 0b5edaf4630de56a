"""EBCDIC (code page 037) conversions and card-image formatting.

The S/370 stores characters in EBCDIC; this project uses code page 037 (US/Canada),
the code page of VM/370 terminals and card equipment.  Everything that turns text
into machine bytes or back goes through these few functions.
"""

from __future__ import annotations

CODEPAGE = "cp037"
CARD_LENGTH = 80  # one punched card / card-image record
EBCDIC_BLANK = 0x40


def to_ebcdic(text: str) -> bytes:
    """Text -> EBCDIC bytes; characters cp037 lacks become '?' (X'6F')."""
    return text.encode(CODEPAGE, errors="replace")


def from_ebcdic(data: bytes) -> str:
    """EBCDIC bytes -> text (every byte value has a cp037 character)."""
    return bytes(data).decode(CODEPAGE)


def card(text: str) -> bytes:
    """One 80-byte EBCDIC card image: ``text`` padded with blanks or cut at column 80."""
    return to_ebcdic(text[:CARD_LENGTH].ljust(CARD_LENGTH))


def card_text(image: bytes) -> str:
    """The text of an EBCDIC card image, trailing blanks removed."""
    return from_ebcdic(image).rstrip()


def split_cards(data: bytes) -> list[bytes]:
    """Split a deck file into 80-byte card images (a short last card is padded with blanks)."""
    cards = [bytes(data[i : i + CARD_LENGTH]) for i in range(0, len(data), CARD_LENGTH)]
    if cards and len(cards[-1]) < CARD_LENGTH:
        cards[-1] = cards[-1].ljust(CARD_LENGTH, bytes([EBCDIC_BLANK]))
    return cards
