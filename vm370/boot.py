"""Building the standard system: CP with the CMS guest registered by name.

``make_system(sysdir)`` is what ``vm370.lifecycle.RunningSystem`` (behind
``vm370``, ``vm370 serve``, ``vm370 batch``) builds: a ``cp.system.System`` on the system directory with the
named system ``CMS`` (docs/interfaces.md section 5), so ``IPL CMS`` and the
directory's ``IPL CMS`` start the CMS nucleus, and with minidisks created on
first start formatted as CMS disks; the CMS system disks are filled and the
CMS batch machine is autologged.  cp never imports cms; this is the one place
that wires them together.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from cp.minidisk import Minidisk
from cp.sysdir import minidisk_path


def named_systems() -> dict:
    """The guests CP can IPL by name: CMS."""
    from cms.nucleus import ipl_cms  # CMS is loaded only when a system is built

    return {"CMS": ipl_cms}


class ImageBlocks:
    """A cp.minidisk.Minidisk image as the block device cms.fs and
    cms.install use (read/write/blocks)."""

    def __init__(self, disk):
        self.disk, self.blocks, self.read_only = disk, disk.blocks, False

    def read(self, block: int, count: int = 1) -> bytes:
        return self.disk.read_blocks(block, count)

    def write(self, block: int, data: bytes) -> None:
        self.disk.write_blocks(block, data)


def format_cms_disk(image, owner: str, vaddr: int) -> None:
    """Format a new minidisk image as an empty CMS disk, labelled like
    ``MAI191`` (three letters of the owner and the address)."""
    from cms.fs import Disk  # CMS is loaded only when a disk is formatted

    with Minidisk(image) as disk:
        Disk.format(ImageBlocks(disk), f"{owner[:3]}{vaddr:03X}")


#: Users CP logs on at system start, as AUTOLOG would, when the directory has
#: them: the CMS batch machine, so jobs punched to it run (CMS User's Guide,
#: "Using the CMS Batch Facility": the operator starts CMSBATCH at IPL), and
#: the TCP/IP service machines, the FTP server and the web server (z/VM's
#: TCP/IP autologs its servers).
AUTOLOG_AT_START = ("CMSBATCH", "FTPSERVE", "WEBSRV")

#: Service machines' A-disks that get their shipped files (cms.install):
#: (user, minidisk, folder of cms/system, label).
SERVICE_DISKS = (
    ("FTPSERVE", 0x191, "ftpserve", "FTP191"),
    ("WEBSRV", 0x191, "websrv", "WEB191"),
)


def install_system_disks(system) -> None:
    """Fill MAINT's 190 (S) and 19E (Y), when the directory has them, with
    the shipped CMS files (cms.install)."""
    from cms.install import install_system_disks as install_cms  # CMS is loaded only here

    paths = [minidisk_path(system.path, "MAINT", vaddr) for vaddr in (0x190, 0x19E)]
    if not all(p.exists() for p in paths):
        return
    with Minidisk(paths[0]) as s_disk, Minidisk(paths[1]) as y_disk:
        install_cms(ImageBlocks(s_disk), ImageBlocks(y_disk))


def install_service_disks(system) -> None:
    """Put the shipped files on the service machines' A-disks (only those a
    disk lacks), when the directory has those minidisks."""
    from cms.install import install_service_disk  # CMS is loaded only here

    for userid, vaddr, folder, label in SERVICE_DISKS:
        path = minidisk_path(system.path, userid, vaddr)
        if path.exists():
            with Minidisk(path) as disk:
                install_service_disk(ImageBlocks(disk), label, folder)


def autolog_at_start(system) -> list[str]:
    """Log the AUTOLOG_AT_START users on, disconnected, when the event loop
    runs (a system built outside it runs no guest yet); returns who."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return []
    return [userid for userid in AUTOLOG_AT_START if system.autolog(userid) is not None]


def make_system(sysdir=None, **options):
    """The standard System on ``sysdir`` (default: cp.sysdir.default_path()),
    its system disks installed and its autologged users started: every entry
    point (``vm370``, ``vm370 serve``, ``vm370 batch``) starts the same way."""
    from cp.sysdir import default_path
    from cp.system import System

    path = Path(sysdir) if sysdir is not None else default_path()
    options.setdefault("format_disk", format_cms_disk)
    system = System(path, named_systems=named_systems(), **options)
    install_system_disks(system)
    install_service_disks(system)
    autolog_at_start(system)
    return system
