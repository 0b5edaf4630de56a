"""MSG, WARNING and SMSG: messages between users.

VM/370 CP Command Reference: ``Msg userid|*|OPerator|ALL text`` (ALL is
class A/B), ``WArning userid|ALL text`` (class A/B, shown as WNG), ``SMsg
userid text`` (delivered to the target program, never to its screen).  The
recipient sees ``hh:mm:ss MSG FROM sender  : text`` with the alarm; SET MSG
OFF (WNG OFF) refuses it and the sender is told DMKMSG057E.
"""

from __future__ import annotations

import time

from cp.commands.base import Command, CommandError, operand_error


def _is_operator(vm) -> bool:
    return any(c in vm.classes for c in "AB")


def _targets(ctx, word: str, broadcast_ok: bool):
    name = word.upper()
    if name == "*":
        return [ctx.vm]
    if name in ("OP", "OPERATOR"):
        name = ctx.system.operator
    if name == "ALL":
        if not broadcast_ok:
            raise CommandError("DMKMSG003E INVALID OPTION - ALL", 3)
        return [vm for vm in ctx.system.users.values()]
    vm = ctx.system.find_user(name)
    if vm is None:
        raise CommandError(f"DMKMSG045E {name} NOT LOGGED ON", 45)
    return [vm]


def _deliver(ctx, target, kind: str, text: str, single: bool) -> int:
    """One MSG or WNG line to ``target`` unless its SET MSG/WNG is OFF; a
    message to one user says why it was not delivered."""
    accepts = getattr(target.settings, kind.lower())
    if not accepts:
        if single:
            raise CommandError(f"DMKMSG057E {target.userid} NOT RECEIVING; {kind} OFF", 57)
        return 0
    if target.session is None and single:
        raise CommandError(f"DMKMSG057E {target.userid} NOT RECEIVING; DISCONNECTED", 57)
    stamp = time.strftime("%H:%M:%S")
    target.console.write_line(f"{stamp} {kind} FROM {ctx.userid:<8}: {text}", alarm=True)
    return 0


def _send(ctx, args, kind: str, broadcast_ok: bool) -> int:
    """MSG or WARNING (``kind`` MSG or WNG, also the SET option that refuses it)."""
    if len(args) < 1:
        raise operand_error()
    targets = _targets(ctx, args[0], broadcast_ok)
    text = " ".join(args[1:])
    single = len(targets) == 1 and args[0].upper() != "ALL"
    for target in targets:
        _deliver(ctx, target, kind, text, single)
    return 0


def msg(ctx, args) -> int:
    return _send(ctx, args, "MSG", _is_operator(ctx.vm))


def warning(ctx, args) -> int:
    return _send(ctx, args, "WNG", True)


def smsg(ctx, args) -> int:
    """Special message: queued for the target's program (CMS WAKEUP, service machines)."""
    if len(args) < 2:
        raise operand_error()
    target = _targets(ctx, args[0], False)[0]
    if not target.settings.smsg:
        raise CommandError(f"DMKMSG057E {target.userid} NOT RECEIVING; SMSG OFF", 57)
    if ctx.system.vmcf.smsg(ctx.userid, target, " ".join(args[1:])):
        return 0  # a VMCF service machine takes it (cp.vmcf)
    target.special_messages.append((ctx.userid, " ".join(args[1:])[:129]))
    target.wake()
    return 0


COMMANDS = [
    Command("MESSAGE", 1, "ABCDEFG", msg),
    Command("MSG", 3, "ABCDEFG", msg),
    Command("WARNING", 2, "AB", warning),
    Command("SMSG", 2, "ABCDEFG", smsg),
]
