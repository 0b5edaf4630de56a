"""Helpers for the host-side end-to-end tests of guest TCP/IP: the default
system run by ``vm370 serve --forward ...`` in a subprocess, files put on a
service machine's minidisk before it starts, PNG images made and read back
without a graphics library, and tshark's fields of a pcap."""

from __future__ import annotations

import re
import socket
import struct
import subprocess
import time
import zlib
from pathlib import Path

from tests.cp.servekit import start_serve, stop_serve

FORWARD_LINE = re.compile(r"^VM370 FORWARD 127\.0\.0\.1:(\d+) -> (\w+) port (\d+)$")


# -------------------------------------------------------------- the system


def prepare_system(base: Path, files: dict[tuple[str, str, int], tuple[list[bytes], str]]):
    """Create the default system in ``base/sys`` (as the first ``vm370``
    start does: disks formatted, service disks installed) and write
    ``files`` {(userid, "FN FT", vaddr): (records, recfm)} on the minidisks."""
    from cms.fs import Disk
    from cp.minidisk import Minidisk
    from cp.sysdir import minidisk_path
    from vm370.boot import ImageBlocks, make_system

    system = make_system(base / "sys")  # outside an event loop: nobody is autologged
    try:
        for (userid, fileid, vaddr), (records, recfm) in files.items():
            fn, ft = fileid.split()
            with Minidisk(minidisk_path(system.path, userid, vaddr)) as image:
                Disk.open(ImageBlocks(image)).write_file(fn, ft, records, recfm)
    finally:
        system.shutdown()


class Served:
    """``vm370 serve`` on ``base/sys`` with port forwards (HOSTPORT 0: any
    free port); ``ports[userid]`` is the host port of that user's forward."""

    def __init__(self, base: Path, *forwards: str):
        options = [word for spec in forwards for word in ("--forward", spec)]
        self.proc, self.tn3270_port, self.lines = start_serve(base, *options)
        self.ports = {}
        for line in self.lines:
            found = FORWARD_LINE.match(line)
            if found:
                self.ports[found.group(2)] = int(found.group(1))
        self.log_path = base / "sys" / "log" / "system.log"

    def stop(self) -> str:
        """SIGINT; the output after the start lines."""
        return stop_serve(self.proc)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_for_banner(port: int, expect: bytes, send: bytes = b"", timeout: float = 90.0) -> bytes:
    """Connect to 127.0.0.1:port until what comes back starts with ``expect``
    (the service machine's server is up); returns it."""
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
                if send:
                    client.sendall(send)
                seen = receive_all(client, limit=len(expect) + 4096)
                if seen.startswith(expect):
                    return seen
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"no {expect!r} on port {port}: {seen!r}")


def receive_all(client: socket.socket, limit: int = 1 << 20) -> bytes:
    """What the peer sends until it closes (or ``limit`` bytes, or a pause of
    the socket's timeout after at least something came)."""
    data = b""
    while len(data) < limit:
        try:
            more = client.recv(65536)
        except TimeoutError:
            if data:
                break
            raise
        except ConnectionResetError:
            break
        if not more:
            break
        data += more
    return data


def records(data: bytes, length: int = 800) -> list[bytes]:
    """``data`` cut into records of at most ``length`` bytes (a V file)."""
    return [data[at : at + length] for at in range(0, len(data), length)]


# -------------------------------------------------------------- PNG without a library

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png(width: int, height: int) -> bytes:
    """An RGB PNG (PNG spec: IHDR, one IDAT, IEND) of coloured stripes."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0: None
        for x in range(width):
            row += bytes((x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), 128))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )


def png_colours(data: bytes, limit: int = 64) -> tuple[int, int, int]:
    """(width, height, distinct colours seen, counting up to ``limit``) of a
    PNG: with Pillow when it is there, else decoded here (8-bit RGB/RGBA,
    not interlaced: what Chromium writes)."""
    try:
        from io import BytesIO

        from PIL import Image
    except ImportError:
        return _png_colours_by_hand(data, limit)
    with Image.open(BytesIO(data)) as image:
        image = image.convert("RGB")
        colours = image.getcolors(maxcolors=limit) or [None] * limit
        return image.width, image.height, len(colours)


def _png_colours_by_hand(data: bytes, limit: int) -> tuple[int, int, int]:
    assert data.startswith(PNG_SIGNATURE), "not a PNG"
    at, idat, header = len(PNG_SIGNATURE), b"", None
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    size = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    previous, colours = bytearray(stride), set()
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        for x in range(0, stride, size):
            if len(colours) < limit:
                colours.add(bytes(line[x : x + 3]))
        previous = line
    return width, height, len(colours)


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    """The PNG filter types' predictors (PNG spec 9.2)."""
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    if kind == 4:
        p = left + up - corner
        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
        return left if pa <= pb and pa <= pc else up if pb <= pc else corner
    return 0


# -------------------------------------------------------------- tshark


def tshark_fields(pcap: Path, display_filter: str, *fields: str) -> list[list[str]]:
    """One list of field values per frame ``display_filter`` selects."""
    command = ["tshark", "-r", str(pcap), "-Y", display_filter, "-T", "fields"]
    for field in fields:
        command += ["-e", field]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [line.split("\t") for line in out.stdout.splitlines() if line]
