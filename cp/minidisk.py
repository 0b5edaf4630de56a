"""Minidisks: fixed-block (FBA, like the IBM 3370) image files.

A minidisk image is a plain host file of ``blocks`` x 512 bytes; block n is
at byte offset n*512.  Block numbers start at 0 as on a real FBA device.

Durability (DESIGN.md decision 8): a write is reported complete only after
the bytes are written with one ``pwrite`` and the file is ``fdatasync``-ed,
so a block reported written survives a kill -9 of the process (and of the
host's page cache).  A single 512-byte ``pwrite`` into the page cache is
never seen half-done by another process or after a process kill.
"""

from __future__ import annotations

import os
from pathlib import Path

from cp.security import open_private, private_dir

BLOCK_SIZE = 512


class MinidiskError(Exception):
    """A block outside the disk, a write to a read-only disk, a missing image."""


def create_image(path, blocks: int) -> Path:
    """Create a new image of ``blocks`` zero blocks (a sparse file), durably;
    owner-only, as everything in the system directory (cp.security)."""
    path = Path(path)
    if blocks <= 0:
        raise MinidiskError(f"minidisk size must be at least one block, not {blocks}")
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        os.ftruncate(fd, blocks * BLOCK_SIZE)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path


class Minidisk:
    """An open FBA minidisk image.  ``read_only`` refuses writes."""

    def __init__(self, path, read_only: bool = False):
        self.path = Path(path)
        if not self.path.exists():
            raise MinidiskError(f"minidisk image {self.path} does not exist")
        self.read_only = read_only
        self.fd = os.open(self.path, os.O_RDONLY if read_only else os.O_RDWR)
        size = os.fstat(self.fd).st_size
        self.blocks = size // BLOCK_SIZE
        self.block_size = BLOCK_SIZE

    @classmethod
    def create(cls, path, blocks: int) -> "Minidisk":
        create_image(path, blocks)
        return cls(path)

    # -- block I/O -------------------------------------------------------------
    def _check_range(self, block: int, count: int) -> None:
        if block < 0 or count < 0 or block + count > self.blocks:
            raise MinidiskError(
                f"blocks {block}-{block + count - 1} outside the disk (0-{self.blocks - 1})"
            )

    def read_blocks(self, block: int, count: int = 1) -> bytes:
        self._check_range(block, count)
        data = os.pread(self.fd, count * BLOCK_SIZE, block * BLOCK_SIZE)
        return data.ljust(count * BLOCK_SIZE, b"\0")

    def write_blocks(self, block: int, data: bytes) -> None:
        """Write whole blocks starting at ``block``; durable when this returns."""
        if self.read_only:
            raise MinidiskError("minidisk is read-only")
        if len(data) % BLOCK_SIZE:
            raise MinidiskError(f"write of {len(data)} bytes is not a multiple of {BLOCK_SIZE}")
        self._check_range(block, len(data) // BLOCK_SIZE)
        view, offset = memoryview(data), block * BLOCK_SIZE
        while view:
            written = os.pwrite(self.fd, view, offset)
            view, offset = view[written:], offset + written
        os.fdatasync(self.fd)

    def format(self) -> None:
        """Zero every block (the CMS FORMAT command writes its own structures on top)."""
        if self.read_only:
            raise MinidiskError("minidisk is read-only")
        os.ftruncate(self.fd, 0)
        os.ftruncate(self.fd, self.blocks * BLOCK_SIZE)
        os.fsync(self.fd)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
