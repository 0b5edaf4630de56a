"""Temporary disks (T-disks): DEFINE T2314|T3330|T3340|T3350|T3310|T3370
(VM/370 CP Command Reference, DEFINE; the words: cp.commands.tdisk).

A new, unformatted disk of the size asked for from CP's temporary space,
given to the issuer only.  Like the directory's CKD minidisks it is an FBA
image of 512-byte blocks, a cylinder counted at the capacity cp.directory
gives it.  The image's host file is unlinked as soon as it is open: the
disk's contents go with the device, at DETACH or LOGOFF, and nothing is
left on the host.
"""

from __future__ import annotations

import os

from cp.devices import make_device
from cp.directory import CKD_BLOCKS_PER_CYL
from cp.errors import CommandError
from cp.minidisk import Minidisk

#: DEFINE keyword -> (device type, the unit its size is counted in).
TDISK_TYPES = {
    "T2314": ("2314", "CYL"),
    "T3330": ("3330", "CYL"),
    "T3340": ("3340", "CYL"),
    "T3350": ("3350", "CYL"),
    "T3310": ("3310", "BLK"),
    "T3370": ("3370", "BLK"),
}
#: The most a T-disk may have: what a whole volume of the type holds.
MAX_BLOCKS = 1 << 21


def tdisk_blocks(keyword: str, count: int) -> int:
    """The 512-byte blocks of a T-disk of ``count`` cylinders or blocks."""
    devtype, unit = TDISK_TYPES[keyword]
    return count * CKD_BLOCKS_PER_CYL[devtype] if unit == "CYL" else count


def temporary_image(vm, vaddr: int, blocks: int):
    """A fresh image whose host file is unlinked at once: it vanishes with the device."""
    path = vm.system.path / "disks" / f"$TDSK$.{vm.userid}.{vaddr:03X}.img"
    disk = Minidisk.create(path, blocks)
    os.unlink(path)
    return disk


def define_temporary_disk(vm, vaddr: int, keyword: str, count: int):
    """Give ``vm`` a new T-disk of ``count`` cylinders or blocks at ``vaddr``."""
    if vaddr in vm.devices:
        raise CommandError(f"DMKDEF092E DEV {vaddr:03X} ALREADY DEFINED", 92)
    minidisk = temporary_image(vm, vaddr, tdisk_blocks(keyword, count))
    device = make_device("FBA", vaddr, vm, minidisk=minidisk)
    device.devtype, unit = TDISK_TYPES[keyword]
    device.temporary = True  # QUERY ALLOC counts the T-disk space
    if unit == "CYL":
        device.cylinders = count  # QUERY VIRTUAL shows a CKD disk in cylinders
    return device
