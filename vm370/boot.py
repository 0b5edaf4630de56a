"""Building the standard system: CP with the CMS guest registered by name.

``make_system(sysdir)`` is what the entry points (``vm370``, ``vm370 serve``,
``vm370 batch``) use: a ``cp.system.System`` on the system directory with the
named system ``CMS`` (docs/interfaces.md section 5), so ``IPL CMS`` and the
directory's ``IPL CMS`` start the CMS nucleus, and with minidisks created on
first start formatted as CMS disks.  cp never imports cms; this is the one
place that wires them together.
"""
from __future__ import annotations

from pathlib import Path


def named_systems() -> dict:
    """The guests CP can IPL by name; CMS when its nucleus is installed."""
    try:
        from cms.nucleus import ipl_cms
    except ImportError:
        return {}
    return {"CMS": ipl_cms}


class _ImageDevice:
    """A minidisk image as the block device cms.fs formats (read/write/blocks)."""

    def __init__(self, disk):
        self.disk, self.blocks, self.read_only = disk, disk.blocks, False

    def read(self, block: int, count: int = 1) -> bytes:
        return self.disk.read_blocks(block, count)

    def write(self, block: int, data: bytes) -> None:
        self.disk.write_blocks(block, data)


def format_cms_disk(image, owner: str, vaddr: int) -> None:
    """Format a new minidisk image as an empty CMS disk, labelled like
    ``MAI191`` (three letters of the owner and the address)."""
    try:
        from cms.fs import Disk
    except ImportError:
        return
    from cp.minidisk import Minidisk
    with Minidisk(image) as disk:
        Disk.format(_ImageDevice(disk), f"{owner[:3]}{vaddr:03X}")


def make_system(sysdir=None, **options):
    """The standard System on ``sysdir`` (default: cp.sysdir.default_path())."""
    from cp.sysdir import default_path
    from cp.system import System
    path = Path(sysdir) if sysdir is not None else default_path()
    options.setdefault("format_disk", format_cms_disk)
    return System(path, named_systems=named_systems(), **options)
