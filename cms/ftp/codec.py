"""The FTP data stream and CMS records (RFC 959 section 3.1, TYPE A and I).

TYPE A (ASCII): each record is one line, translated from EBCDIC (code page
037, the one s390.ebcdic uses everywhere: every cp037 character is a
Latin-1 character, so the translation is one byte for one byte and loses
nothing) and ended with CR LF.  Trailing blanks of a fixed-length (F)
record are padding and are not sent, as z/VM's FTP drops them; a variable
(V) record goes as it is.  Received lines end at LF (a CR before it is
dropped) and become V records, the way z/VM FTP stores a text file unless
told otherwise.

TYPE I (IMAGE, binary): the records' bytes back to back (an F record with
its padding); received bytes become V records of at most BINARY_LRECL
bytes, so the bytes come back unchanged when the file is sent again.
"""

from __future__ import annotations

from s390.ebcdic import CODEPAGE

#: Record length a binary file received is cut into.
BINARY_LRECL = 1024

_ALL = bytes(range(256))
#: EBCDIC byte -> the ASCII (Latin-1) byte of the same character, and back.
E2A = bytes(_ALL.decode(CODEPAGE).encode("latin-1"))
A2E = bytes(_ALL.decode("latin-1").encode(CODEPAGE))


def to_ascii(data: bytes) -> bytes:
    return bytes(data).translate(E2A)


def to_ebcdic(data: bytes) -> bytes:
    return bytes(data).translate(A2E)


def records_to_stream(records: list[bytes], recfm: str, ascii_mode: bool) -> bytes:
    """A CMS file's records as the bytes of the data connection."""
    if not ascii_mode:
        return b"".join(records)
    lines = []
    for record in records:
        if recfm == "F":
            record = record.rstrip(b"\x40")
        lines.append(to_ascii(record) + b"\r\n")
    return b"".join(lines)


class RecordBuilder:
    """Turns the received byte stream, chunk by chunk, into CMS records
    (V records; a text file's lines translated to EBCDIC)."""

    def __init__(self, ascii_mode: bool):
        self.ascii_mode = ascii_mode
        self.records: list[bytes] = []
        self.pending = bytearray()
        self.bytes = 0

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        self.pending += chunk
        if self.ascii_mode:
            *lines, rest = bytes(self.pending).split(b"\n")
            self.pending = bytearray(rest)
            self.records.extend(to_ebcdic(line.removesuffix(b"\r")) for line in lines)
        else:
            while len(self.pending) >= BINARY_LRECL:
                self.records.append(bytes(self.pending[:BINARY_LRECL]))
                del self.pending[:BINARY_LRECL]

    def finish(self) -> list[bytes]:
        """The records, with a last line that had no line end."""
        if self.pending:
            rest = bytes(self.pending)
            self.records.append(to_ebcdic(rest.removesuffix(b"\r")) if self.ascii_mode else rest)
            self.pending.clear()
        return self.records


def stream_to_records(data: bytes, ascii_mode: bool) -> list[bytes]:
    builder = RecordBuilder(ascii_mode)
    builder.feed(data)
    return builder.finish()
