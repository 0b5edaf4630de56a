"""LOGOFF, DISCONNECT, INDICATE and the operator's FORCE, XAUTOLOG, SHUTDOWN.

VM/370 CP Command Reference for General Users (LOGOFF, DISCONN, INDICATE)
and Operator's Guide (FORCE, AUTOLOG, SHUTDOWN).
"""

from __future__ import annotations

from cp.commands.base import Command, CommandError, abbreviates, operand_error
from cp.logon import cpu_text, logon_disabled_message, terminal_label
from cp.passwords import check_password
from cp.security import client_host


def _hold_only(args) -> None:
    """LOGOFF and DISCONN take one operand, HOLD (keep a switched line up)."""
    for word in args[:1]:
        if not abbreviates(word, "HOLD", 2):
            raise operand_error(word)
    if len(args) > 1:
        raise operand_error(args[1])


def logoff(ctx, args) -> int:
    _hold_only(args)
    ctx.system.logoff(ctx.vm)
    return 0


def disconnect(ctx, args) -> int:
    _hold_only(args)
    ctx.system.disconnect(ctx.vm)
    return 0


def indicate(ctx, args) -> int:
    """INDICATE [USER] : this VM's use; INDICATE LOAD (class A/E): every VM's."""
    what = args[0].upper() if args else "USER"
    if abbreviates(what, "USER", 1):
        a = ctx.vm.account
        ctx.reply(
            f"VTIME={cpu_text(a.virtual_us)} TTIME={cpu_text(a.total_us)} "
            f"SIO={a.io_count:06d} INSTR={a.instructions} SHARE={ctx.vm.share}"
        )
        return 0
    if abbreviates(what, "LOAD", 1) and any(c in ctx.vm.classes for c in "AE"):
        vms = sorted(ctx.system.users.values(), key=lambda v: v.userid)
        total = sum(v.account.virtual_us for v in vms) or 1
        ctx.reply(f"USERS={len(vms):03d} SLICES={ctx.system.dispatcher.slices}")
        for vm in vms:
            state = "RUN" if vm.running else "CP"
            ctx.reply(
                f"{vm.userid:<8} {state:<3} VTIME={cpu_text(vm.account.virtual_us)} "
                f"CPU={100 * vm.account.virtual_us // total:3d}% SHARE={vm.share}"
            )
        return 0
    raise operand_error(what)


def force(ctx, args) -> int:
    if len(args) != 1:
        raise operand_error(args[1] if args else None)
    target = ctx.system.find_user(args[0])
    if target is None:
        raise CommandError(f"DMKCQP045E {args[0].upper()} NOT LOGGED ON", 45)
    label = terminal_label(target.session)
    ctx.system.logoff(target, f"FORCED BY {ctx.userid}")
    ctx.reply(f"{label} LOGOFF AS {target.userid:<8} USERS = {len(ctx.system.users):03d}    FORCED")
    return 0


def xautolog(ctx, args) -> int:
    """XAUTOLOG userid [password]: log a user on disconnected and run its IPL."""
    if not args or len(args) > 2:
        raise operand_error(args[2] if len(args) > 2 else None)
    userid = args[0].upper()
    entry = ctx.system.directory.get(userid)
    if entry is None or entry.nolog:
        raise CommandError(f"DMKCQP053E {userid} NOT IN CP DIRECTORY", 53)
    if len(args) == 2:
        _check_autolog_password(ctx, userid, entry, args[1])
    if ctx.system.find_user(userid) is not None:
        raise CommandError(f"DMKLOG054E {userid} ALREADY LOGGED ON", 54)
    ctx.system.logon(userid, None)
    ctx.reply(f"AUTO LOGON  ***   {userid:<8} USERS = {len(ctx.system.users):03d}")
    return 0


def _check_autolog_password(ctx, userid: str, entry, password: str) -> None:
    """XAUTOLOG's password counts like a LOGON one (cp.security): the same
    throttle, disabled user ids and log lines."""
    system = ctx.system
    throttle = system.logon_throttle
    peer = ctx.vm.session.peer if ctx.vm.session is not None else "DSC"
    keys = (("USER", userid), ("ADDR", client_host(peer)))
    if throttle.locked(keys):
        system.log(f"XAUTOLOG REFUSED {userid} BY {ctx.userid}: LOGON DISABLED")
        raise CommandError(logon_disabled_message(userid), 91)
    wait = throttle.wait(keys)
    if wait > 0:
        raise CommandError(
            f"DMKLOG090E PASSWORD NOT CHECKED, RETRY IN {max(1, round(wait))} SECONDS", 90
        )
    if check_password(entry.password, password):
        throttle.succeeded(keys)
        return
    verdict = throttle.failed(keys)
    system.log(
        f"XAUTOLOG FAILED {userid} BY {ctx.userid} FROM {peer} ATTEMPT {throttle.failures(keys[0])}"
    )
    system.report_guessing("LOGON", verdict, peer, userid)
    raise CommandError("DMKLOG050E PASSWORD INCORRECT", 50)


def shutdown(ctx, args) -> int:
    if args:
        raise operand_error(args[0])
    ctx.system.shutdown(announce=ctx.reply, issuer=ctx.vm)
    return 0


COMMANDS = [
    Command("LOGOFF", 3, "*", logoff),
    Command("LOGOUT", 6, "*", logoff),
    Command("DISCONN", 4, "*", disconnect),
    Command("DISCONNECT", 10, "*", disconnect),
    Command("INDICATE", 3, "ABCDEFG", indicate),
    Command("FORCE", 5, "A", force),
    Command("XAUTOLOG", 8, "AB", xautolog),
    Command("AUTOLOG", 7, "AB", xautolog),
    Command("SHUTDOWN", 8, "A", shutdown),
]
