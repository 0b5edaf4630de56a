"""EBCDIC at the CMS edges.

File records, card images and print lines are EBCDIC bytes (code page 037,
the US code page VM/370 used); console lines and CP commands are Python
strings.  Every conversion in cms/ goes through these two functions.
"""
from __future__ import annotations

CODEPAGE = "cp037"


def to_ebcdic(text: str) -> bytes:
    """Encode a console string as EBCDIC; characters with no EBCDIC form become '?'."""
    return text.encode(CODEPAGE, errors="replace")


def from_ebcdic(data: bytes) -> str:
    """Decode EBCDIC bytes to a string (every byte has a cp037 character)."""
    return bytes(data).decode(CODEPAGE)


def card(text: str, width: int = 80) -> bytes:
    """A card image: the text in EBCDIC, blank-padded (or cut) to ``width``."""
    return to_ebcdic(text[:width].ljust(width))
