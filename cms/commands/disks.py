"""Disk commands: ACCESS, RELEASE, FORMAT (VM/370 CMS Command and Macro Reference)."""

from __future__ import annotations

from cms.commands import Command
from cms.disks import MODE_LETTERS
from cms.errors import CMSError, invalid_option, invalid_parameter
from cms.fs import Disk, ServicesBlockDevice
from cp.abbrev import abbreviates


def parse_vaddr(text: str) -> int:
    """A virtual device address: 1-4 hex digits (DMS017E otherwise)."""
    try:
        if not 1 <= len(text) <= 4:
            raise ValueError
        return int(text, 16)
    except ValueError:
        raise CMSError(17, "E", 24, f"INVALID DEVICE ADDRESS '{text}'") from None


def parse_mode_operand(text: str) -> tuple[str, str | None]:
    """``B`` or ``B/A`` (a read-only extension of A)."""
    mode, _, parent = text.partition("/")
    if (
        mode not in MODE_LETTERS
        or len(mode) != 1
        or (parent and (parent not in MODE_LETTERS or len(parent) != 1))
    ):
        raise CMSError(48, "E", 24, f"INVALID MODE '{text}'")
    if parent == mode:
        raise CMSError(48, "E", 24, f"INVALID MODE '{text}'")
    return mode, parent or None


async def access(cms, call) -> int:
    for opt in call.options:
        if opt not in ("NOPROF", "ERASE", "NODISK"):
            raise invalid_option(opt)
    if not call.args:
        # ACCESS (NOPROF alone: the IPL-time form; nothing more to do.
        return 0
    if len(call.args) < 2:
        raise CMSError(17, "E", 24, "NO DEVICE OR MODE SPECIFIED")
    vaddr = parse_vaddr(call.args[0])
    mode, parent = parse_mode_operand(call.args[1])
    if parent is not None and parent not in cms.disks.by_mode:
        raise CMSError(69, "E", 36, f"DISK '{parent}' NOT ACCESSED")
    subset = ("*", "*", "*")
    if len(call.args) > 2:
        # ACCESS vaddr B/A fn [ft [fm]]: only those files, on a read-only disk.
        fid = (call.args[2:5] + ["*", "*"])[:3]
        if parent is None or len(call.args) > 5 or not (fid[2] == "*" or fid[2] in "0123456"):
            raise invalid_parameter(call.args[2] if parent is None else call.args[-1])
        subset = (fid[0], fid[1], fid[2])
    acc, lines = cms.disks.access(vaddr, mode, parent, subset)
    for line in lines:
        cms.say(line)
    if "ERASE" in call.options and not acc.read_only:
        for fn, ft in list(acc.disk.files):
            acc.disk.erase(fn, ft)
    return 0


def is_detach_option(opt: str) -> bool:
    """RELEASE's (DET option; CMS takes DETACH spelt out as far as wanted."""
    return abbreviates(opt, "DETACH", 3)


async def release(cms, call) -> int:
    for opt in call.options:
        if not is_detach_option(opt):
            raise invalid_option(opt)
    if not call.args:
        raise CMSError(17, "E", 24, "NO DEVICE OR MODE SPECIFIED")
    if len(call.args) > 1:
        raise invalid_parameter(call.args[1])
    acc = cms.disks.release(call.args[0])
    from cms.commands.openfiles import close

    close(cms, "*", "*", acc.mode)  # files left open on the disk are closed
    if call.options:
        cms.cp(f"DETACH {acc.vaddr:03X}")
    return 0


async def format_(cms, call) -> int:
    """FORMAT cuu mode [(NOERASE|LABEL]: confirm, ask for a label, write an empty file system."""
    for opt in call.options:
        if opt not in ("LABEL", "NOERASE", "BLKSIZE", "512"):
            raise invalid_option(opt)
    if len(call.args) < 2:
        raise CMSError(17, "E", 24, "NO DEVICE OR MODE SPECIFIED")
    vaddr = parse_vaddr(call.args[0])
    mode, parent = parse_mode_operand(call.args[1])
    if parent is not None or len(call.args) > 3:
        raise invalid_parameter(call.args[1] if parent else call.args[3])
    info = cms.services.device_info(vaddr)
    if info is None or info.devclass != "DASD":
        raise CMSError(113, "S", 100, f"{mode}({vaddr:03X}) NOT ATTACHED")
    name = f"{mode}({vaddr:03X})"
    if info.read_only:
        raise CMSError(37, "E", 36, f"DISK '{name}' IS READ/ONLY")
    cms.say(f"DMSFOR603R FORMAT WILL ERASE ALL FILES ON DISK '{name}'. DO YOU WISH TO CONTINUE?")
    cms.say("ENTER 'YES' OR 'NO'.")
    if (await cms.read_line()).strip().upper() != "YES":
        return 0
    cms.say("DMSFOR605R ENTER DISK LABEL:")
    label = (await cms.read_line()).strip().upper()[:6] or "CMS191"
    cms.say(f"DMSFOR733I FORMATTING DISK '{mode}'.")
    device = ServicesBlockDevice(cms.services, vaddr, info.blocks, False, name)
    Disk.format(device, label, mode)
    cms.say(f"DMSFOR732I {info.blocks} BLOCKS FORMATTED ON DISK '{name}'.")
    cms.disks.access(vaddr, mode)
    return 0


COMMANDS = [
    Command("ACCESS", 2, "ACC", access, "vaddr mode[/ext [fn [ft [fm]]]] [(NOPROF ERASE]"),
    Command("RELEASE", 3, "ARE", release, "mode|vaddr [(DET]"),
    Command("FORMAT", 6, "FOR", format_, "vaddr mode"),
]
