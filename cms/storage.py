"""Guest storage as CMS's own code reads and writes it: fullwords,
halfwords, EBCDIC text and the 8-byte tokens of a tokenized plist, with the
virtual machine's storage size checked (a plist or buffer outside it is an
``AddressingError``, never a silently grown storage)."""

from __future__ import annotations

import struct

from s390.ebcdic import from_ebcdic, to_ebcdic

FENCE = b"\xff" * 8  # end of a tokenized plist
FST_AREA = 0x1F600  # FSSTATE returns a copy of the FST here (R1)


def fullword(mem, addr: int) -> int:
    addr &= 0xFFFFFF
    if addr + 4 > len(mem):
        raise AddressingError(addr)
    return struct.unpack_from(">I", mem, addr)[0]


def halfword(mem, addr: int) -> int:
    addr &= 0xFFFFFF
    if addr + 2 > len(mem):
        raise AddressingError(addr)
    return struct.unpack_from(">H", mem, addr)[0]


def put_fullword(mem, addr: int, value: int) -> None:
    store(mem, addr & 0xFFFFFF, struct.pack(">I", value & 0xFFFFFFFF))


class AddressingError(Exception):
    """A plist or buffer lies outside the virtual machine's storage."""


def store(mem, addr: int, data: bytes) -> None:
    """Put ``data`` into guest storage, refusing what would run past its end
    (a bytearray slice would silently grow the machine's storage)."""
    if addr < 0 or addr + len(data) > len(mem):
        raise AddressingError(addr)
    mem[addr : addr + len(data)] = data


def text_at(mem, addr: int, length: int) -> str:
    addr &= 0xFFFFFF
    if addr + length > len(mem):
        raise AddressingError(addr)
    return from_ebcdic(mem[addr : addr + length])


def token(mem, addr: int) -> str:
    """One 8-byte plist token, blanks removed."""
    return text_at(mem, addr, 8).strip()


def tokenize(text: str) -> list[bytes]:
    """A command line as CMS tokens: upper case, cut or padded to 8 bytes."""
    words = text.upper().replace("(", " ( ").replace(")", " ) ").split()
    return [to_ebcdic(w[:8].ljust(8)) for w in words]


def tokens_at(mem, addr: int, limit: int = 64) -> list[str]:
    out = []
    for i in range(limit):
        raw = mem[(addr + 8 * i) & 0xFFFFFF : (addr + 8 * i + 8) & 0xFFFFFF]
        if bytes(raw) == FENCE:
            break
        out.append(from_ebcdic(raw).strip())
    return out
