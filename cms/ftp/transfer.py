"""Moving a file's bytes over an FTP data connection (RFC 959 section 3.2:
stream mode, the end of the file is the end of the connection)."""

from __future__ import annotations

from cms.ftp.codec import RecordBuilder

#: Bytes handed to one send (the stack's send buffer takes 64 KiB).
CHUNK = 32768


def send_stream(sock, data: bytes) -> int:
    """Send ``data`` and close the connection (its end is the file's end)."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        sock.sendall(bytes(view[start : start + CHUNK]))
    close_quietly(sock, shutdown=True)
    return len(data)


class TooLarge(Exception):
    """More data came than the receiver has room for."""


def receive_records(sock, ascii_mode: bool, limit: int | None = None) -> tuple[list[bytes], int]:
    """Read until the sender closes: (the CMS records, bytes received).
    Past ``limit`` bytes the connection is closed and TooLarge raised (a
    file that cannot fit on the disk is not held in storage either)."""
    builder = RecordBuilder(ascii_mode)
    while True:
        chunk = sock.recv(CHUNK)
        if not chunk:
            break
        builder.feed(chunk)
        if limit is not None and builder.bytes > limit:
            close_quietly(sock)
            raise TooLarge()
    close_quietly(sock)
    return builder.finish(), builder.bytes


def receive_bytes(sock) -> bytes:
    """Everything the sender sends until it closes (a listing)."""
    parts = []
    while True:
        chunk = sock.recv(CHUNK)
        if not chunk:
            break
        parts.append(chunk)
    close_quietly(sock)
    return b"".join(parts)


def close_quietly(sock, shutdown: bool = False) -> None:
    """Close a socket whose peer may already be gone."""
    try:
        if shutdown:
            sock.shutdown(1)
    except Exception:  # noqa: BLE001 - the peer may have closed first
        pass
    try:
        sock.close()
    except Exception:  # noqa: BLE001
        pass
