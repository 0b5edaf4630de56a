"""DEFINE Tdddd: temporary disks (VM/370 CP Command Reference, DEFINE).

``DEFINE T2314|T3330|T3340|T3350 [AS] vaddr [CYL] ncyl`` and
``DEFINE T3310|T3370 [AS] vaddr [BLK] nblk``: a new, unformatted disk of
that size from CP's temporary space, given to the issuer only.  Like the
directory's CKD minidisks it is an FBA image of 512-byte blocks, a cylinder
counted at the capacity cp.directory gives it.  The image's host file is
unlinked as soon as it is open: the disk's contents go with the device, at
DETACH or LOGOFF, and nothing is left on the host.
"""
from __future__ import annotations

import os

from cp.commands import CommandError, operand_error
from cp.directory import CKD_BLOCKS_PER_CYL

#: DEFINE keyword -> (device type, the unit its size is counted in).
TDISK_TYPES = {"T2314": ("2314", "CYL"), "T3330": ("3330", "CYL"), "T3340": ("3340", "CYL"),
               "T3350": ("3350", "CYL"), "T3310": ("3310", "BLK"), "T3370": ("3370", "BLK")}
#: The most a T-disk may have: what a whole volume of the type holds.
MAX_BLOCKS = 1 << 21


def hex_address(word: str) -> int:
    try:
        if not 1 <= len(word) <= 4:
            raise ValueError
        return int(word, 16)
    except ValueError:
        raise CommandError("DMKDEF022E VADDR MISSING OR INVALID", 22) from None


def parse_tdisk(keyword: str, args: list[str]) -> tuple[int, int, int]:
    """(vaddr, count, blocks) from ``[AS] vaddr [CYL|BLK] n``."""
    devtype, unit = TDISK_TYPES[keyword]
    words = [w.upper() for w in args]
    if words and words[0] == "AS":
        words = words[1:]
    if not words:
        raise CommandError("DMKDEF022E VADDR MISSING OR INVALID", 22)
    vaddr = hex_address(words[0])
    rest = words[1:]
    if rest and rest[0] in ("CYL", "BLK"):
        if rest[0] != unit:
            raise operand_error(rest[0])
        rest = rest[1:]
    if len(rest) != 1:
        raise operand_error(rest[1] if len(rest) > 1 else None)
    if not rest[0].isdigit() or int(rest[0]) <= 0:
        raise operand_error(rest[0])
    count = int(rest[0])
    blocks = count * CKD_BLOCKS_PER_CYL[devtype] if unit == "CYL" else count
    if blocks > MAX_BLOCKS:
        raise operand_error(rest[0])
    return vaddr, count, blocks


def temporary_image(vm, vaddr: int, blocks: int):
    """A fresh image whose host file is unlinked at once: it vanishes with the device."""
    from cp.minidisk import Minidisk
    path = vm.system.path / "disks" / f"$TDSK$.{vm.userid}.{vaddr:03X}.img"
    disk = Minidisk.create(path, blocks)
    os.unlink(path)
    return disk


def define_tdisk(ctx, keyword: str, args: list[str]) -> int:
    from cp.vm import make_device
    vaddr, count, blocks = parse_tdisk(keyword, args)
    if vaddr in ctx.vm.devices:
        raise CommandError(f"DMKDEF092E DEV {vaddr:03X} ALREADY DEFINED", 92)
    device = make_device("FBA", vaddr, ctx.vm, minidisk=temporary_image(ctx.vm, vaddr, blocks))
    device.devtype, unit = TDISK_TYPES[keyword]
    device.temporary = True               # QUERY ALLOC counts the T-disk space
    if unit == "CYL":
        device.cylinders = count          # QUERY VIRTUAL shows a CKD disk in cylinders
    ctx.reply(f"DASD {vaddr:03X} DEFINED")
    return 0


def tdisk_keyword(word: str) -> str | None:
    """The T-disk keyword a DEFINE operand names (spelt in full), or None."""
    word = word.upper()
    return word if word in TDISK_TYPES else None
