"""LOGOFF, DISCONNECT, INDICATE and the operator's FORCE, XAUTOLOG, SHUTDOWN.

VM/370 CP Command Reference for General Users (LOGOFF, DISCONN, INDICATE)
and Operator's Guide (FORCE, AUTOLOG, SHUTDOWN).
"""
from __future__ import annotations

from cp.commands import Command, CommandError, abbreviates, operand_error
from cp.logon import cpu_text, terminal_label
from cp.passwords import check_password


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
        ctx.reply(f"VTIME={cpu_text(a.virtual_us)} TTIME={cpu_text(a.total_us)} "
                  f"SIO={a.io_count:06d} INSTR={a.instructions} SHARE={ctx.vm.share}")
        return 0
    if abbreviates(what, "LOAD", 1) and any(c in ctx.vm.classes for c in "AE"):
        vms = sorted(ctx.system.users.values(), key=lambda v: v.userid)
        total = sum(v.account.virtual_us for v in vms) or 1
        ctx.reply(f"USERS={len(vms):03d} SLICES={ctx.system.dispatcher.slices}")
        for vm in vms:
            state = "RUN" if vm.running else "CP"
            ctx.reply(f"{vm.userid:<8} {state:<3} VTIME={cpu_text(vm.account.virtual_us)} "
                      f"CPU={100 * vm.account.virtual_us // total:3d}% SHARE={vm.share}")
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
    ctx.reply(f"{label} LOGOFF AS {target.userid:<8} USERS = {len(ctx.system.users):03d}"
              "    FORCED")
    return 0


def xautolog(ctx, args) -> int:
    """XAUTOLOG userid [password]: log a user on disconnected and run its IPL."""
    if not args or len(args) > 2:
        raise operand_error(args[2] if len(args) > 2 else None)
    userid = args[0].upper()
    entry = ctx.system.directory.get(userid)
    if entry is None or entry.nolog:
        raise CommandError(f"DMKCQP053E {userid} NOT IN CP DIRECTORY", 53)
    if len(args) == 2 and not check_password(entry.password, args[1]):
        raise CommandError("DMKLOG050E PASSWORD INCORRECT", 50)
    if ctx.system.find_user(userid) is not None:
        raise CommandError(f"DMKLOG054E {userid} ALREADY LOGGED ON", 54)
    ctx.system.logon(userid, None)
    ctx.reply(f"AUTO LOGON  ***   {userid:<8} USERS = {len(ctx.system.users):03d}")
    return 0


#: What the operator is told when SHUTDOWN has ended the system (VM/370
#: Operator's Guide, SHUTDOWN); ``vm370 serve`` prints them on a signal too.
SHUTDOWN_COMPLETE_LINES = ("DMKCKT960I SYSTEM WARM START DATA SAVED",
                           "DMKDMP908I SYSTEM SHUTDOWN COMPLETE")


def shutdown(ctx, args) -> int:
    if args:
        raise operand_error(args[0])
    for line in SHUTDOWN_COMPLETE_LINES:
        ctx.reply(line)
    ctx.system.shutdown()
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
