"""ATTACH and the operator's DETACH of real devices, QUERY TAPES (VM/370 CP
Command Reference for the operator, class B).

``ATTach raddr [TO] userid|* [AS] vaddr [R/O]`` gives a real device of the
system configuration (cp.devices.realdevices) to a logged-on user, who sees
``TAPE vaddr ATTACHED``; the operator sees ``TAPE raddr ATTACHED TO userid
vaddr``.  ``DETach raddr [FROM userid]`` takes it back.  The user lets it go
with DETACH vaddr, and it is free again at LOGOFF.
"""

from __future__ import annotations

from cp.commands.base import Command, CommandError, operand_error
from cp.devices import make_device
from cp.devices.realdevices import ConfigError, RealDevice, real_devices
from cp.devices.tape import TapeVolume


def address(word: str, kind: str = "RADDR") -> int:
    try:
        if not 1 <= len(word) <= 4:
            raise ValueError
        return int(word, 16)
    except ValueError:
        number = 21 if kind == "RADDR" else 22
        raise CommandError(f"DMKATT0{number}E {kind} MISSING OR INVALID", number) from None


def configured(ctx, raddr: int) -> RealDevice:
    try:
        table = real_devices(ctx.system)
    except ConfigError as err:
        ctx.system.log(f"SYSTEM.CONFIG {err}")
        raise CommandError(f"DMKATT040E DEV {raddr:03X} DOES NOT EXIST", 40) from None
    device = table.get(raddr)
    if device is None:
        raise CommandError(f"DMKATT040E DEV {raddr:03X} DOES NOT EXIST", 40)
    return device


def attach_operands(args: list[str]) -> tuple[str, str, str, bool]:
    """raddr, userid, vaddr, R/O from ``raddr [TO] userid [AS] vaddr [R/O]``."""
    words = list(args)
    read_only = bool(words) and words[-1].upper() == "R/O"
    if read_only:
        words.pop()
    if len(words) >= 2 and words[1].upper() == "TO":
        del words[1]
    if len(words) >= 3 and words[2].upper() == "AS":
        del words[2]
    if len(words) < 3:
        raise operand_error()
    if len(words) > 3:
        raise operand_error(words[3])
    return words[0], words[1], words[2], read_only


def attach(ctx, args) -> int:
    raddr_text, userid, vaddr_text, read_only = attach_operands(args)
    raddr = address(raddr_text)
    vaddr = address(vaddr_text, "VADDR")
    real = configured(ctx, raddr)
    if real.owner is not None:
        raise CommandError(f"DMKATT124E DEV {raddr:03X} ATTACHED TO {real.owner}", 124)
    target = ctx.vm if userid == "*" else ctx.system.find_user(userid)
    if target is None:
        raise CommandError(f"DMKATT045E {userid.upper()} NOT LOGGED ON", 45)
    if vaddr in target.devices:
        raise CommandError(f"DMKATT092E DEV {vaddr:03X} ALREADY DEFINED", 92)
    try:
        volume = TapeVolume(real.path, read_only or real.read_only)
    except (OSError, ValueError) as err:
        ctx.system.log(f"ATTACH {raddr:03X}: {real.path}: {err}")
        raise CommandError(f"DMKATT040E DEV {raddr:03X} DOES NOT EXIST", 40) from None
    device = make_device(real.devtype, vaddr, target, volume=volume, raddr=raddr)
    device.released = lambda: release(real)
    real.owner, real.vaddr = target.userid, vaddr
    target.console.write_line(f"TAPE {vaddr:03X} ATTACHED")
    if target is not ctx.vm:
        ctx.reply(f"TAPE {raddr:03X} ATTACHED TO {target.userid} {vaddr:03X}")
    ctx.system.log(f"ATTACH {raddr:03X} TO {target.userid} AS {vaddr:03X}")
    return 0


def release(real: RealDevice) -> None:
    """The drive is free again (its user detached it or logged off)."""
    real.owner = real.vaddr = None


def detach_real(ctx, args) -> int | None:
    """The operator's DETACH raddr [FROM userid]; None when the operands
    name no attached real device (they are then the issuer's own vaddrs)."""
    if not args or "B" not in ctx.vm.classes:
        return None
    words = list(args)
    userid = None
    if len(words) == 3 and words[1].upper() == "FROM":
        userid = words[2].upper()
        words = words[:1]
    if len(words) != 1:
        return None
    try:
        raddr = int(words[0], 16)
    except ValueError:
        return None
    table = real_devices(ctx.system) if userid or raddr not in ctx.vm.devices else {}
    real = table.get(raddr)
    if real is None or real.owner is None:
        return None if userid is None else _not_attached(raddr, userid)
    if userid is not None and userid != real.owner:
        return _not_attached(raddr, userid)
    owner = ctx.system.find_user(real.owner)
    vaddr, name = real.vaddr, real.owner
    if owner is not None and vaddr in owner.devices:
        owner.devices.pop(vaddr).detach()
        owner.console.write_line(f"TAPE {vaddr:03X} DETACHED BY {ctx.userid}")
    release(real)
    ctx.reply(f"TAPE {raddr:03X} DETACHED {name}")
    return 0


def _not_attached(raddr: int, userid: str) -> int:
    raise CommandError(f"DMKVDD040E DEV {raddr:03X} NOT ATTACHED TO {userid}", 40)


def query_tapes(ctx, args) -> int:
    """QUERY TAPES: each real tape drive, to whom it is attached or FREE."""
    if args:
        raise operand_error(args[0])
    try:
        table = real_devices(ctx.system)
    except ConfigError as err:
        ctx.system.log(f"SYSTEM.CONFIG {err}")
        table = {}
    if not table:
        ctx.reply("NO TAPES")
    for raddr, real in sorted(table.items()):
        if real.owner is None:
            ctx.reply(f"TAPE {raddr:03X} FREE")
        else:
            ctx.reply(f"TAPE {raddr:03X} ATTACHED TO {real.owner:<8} {real.vaddr:03X}")
    return 0


COMMANDS = [Command("ATTACH", 3, "B", attach)]
