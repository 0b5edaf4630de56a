"""The guest LAN commands (z/VM CP Commands and Utilities Reference; VM/370
has no guest LAN, so the syntax, responses and HCP messages are z/VM's):

    DEFINE LAN lanname [OWNERID ownerid|SYSTEM] [TYPE QDIO|HIPERS] [MAXCONN n|INFINITE]
               [RESTRICTED|UNRESTRICTED] [PERSISTENT|TRANSIENT] [MFS n] [BRIDGE lport:host:port]
               [GATEWAY [address[/prefix]]]
    DETACH LAN lanname [OWNERID ownerid]
    SET LAN lanname [OWNERID ownerid] GRANT|REVOKE userid | TRACE fn|OFF
                    | GATEWAY ON|address[/prefix]|OFF|DETACH
    QUERY LAN [lanname] [OWNERID ownerid] [DETAILS|ACCESSLIST]
    DEFINE NIC vdev [TYPE] QDIO|HIPERS [DEVICES n]
    COUPLE vdev [TO] ownerid lanname        (a CTCA couples to userid vdev: cp.spoolcmds)
    UNCOUPLE vdev
    QUERY NIC [vdev] [DETAILS]              QUERY VIRTUAL NIC

Defining a LAN owned by another user or by SYSTEM, and touching a LAN one
does not own, needs class B (z/VM: the LAN owner or a class B user).  A
GATEWAY (cp.gateway: CP's router on the LAN, which NATs the guests to the
host's loopback) needs class B whoever owns the LAN: it opens the host's
ports to the guests, the system programmer's decision as a BRIDGE is.
"""

from __future__ import annotations

from cp.commands.base import Command, CommandError, abbreviates, operand_error
from cp.devices import CTCA
from cp.devices.ctca import uncouple as drop
from cp.devices.nic import NicDevice
from cp.gateway.spec import DEFAULT_ADDRESS, parse_gateway_address
from cp.lan import (
    DEFAULT_MFS,
    MFS_CHOICES,
    LanError,
    Pcap,
    create_nic_devices,
    mac_text,
)
from cp.security import private_dir

NIC_TYPES = {"QDIO": "QDIO", "HIPERS": "HIPERS", "HIPERSOCKETS": "HIPERS"}


def _class_b(vm) -> bool:
    return any(c in vm.classes for c in "AB")


def _lans(ctx):
    return ctx.system.lans


def _owner_option(ctx, words: list[str]) -> str:
    """OWNERID x removed from ``words``; the owner (the issuer by default)."""
    upper = [w.upper() for w in words]
    if "OWNERID" in upper:
        at = upper.index("OWNERID")
        if at + 1 >= len(words):
            raise operand_error()
        owner = upper[at + 1]
        del words[at : at + 2]
        return ctx.userid if owner == "*" else owner
    return ctx.userid


def _lan(ctx, name: str, owner: str, given: bool = True):
    """The LAN ``owner name``; without OWNERID the issuer's, else SYSTEM's."""
    lan = _lans(ctx).find(owner, name)
    if lan is None and not given:
        lan = _lans(ctx).find("SYSTEM", name)
    if lan is None:
        raise CommandError(f"HCP2801E LAN {owner} {name.upper()} does not exist", 2801)
    return lan


def _may_manage(ctx, lan) -> None:
    if lan.owner != ctx.userid and not _class_b(ctx.vm):
        raise CommandError(
            f"HCP2805E You are not authorized to change LAN {lan.owner} {lan.name}", 2805
        )


def _call(operation, *args):
    try:
        return operation(*args)
    except LanError as err:
        raise CommandError(str(err), err.rc) from None


def _number(word: str, low: int, high: int) -> int:
    if not word.isdigit() or not low <= int(word) <= high:
        raise operand_error(word)
    return int(word)


# ------------------------------------------------------------------ DEFINE LAN


def define_lan(ctx, args: list[str]) -> int:
    words = list(args)
    if not words:
        raise operand_error()
    name = words.pop(0).upper()
    if len(name) > 8 or not name.isalnum():
        raise operand_error(name)
    owner = _owner_option(ctx, words)
    if owner != ctx.userid and not _class_b(ctx.vm):
        raise CommandError(f"HCP2805E You are not authorized to define LAN {owner} {name}", 2805)
    options = {
        "lantype": "QDIO",
        "maxconn": None,
        "restricted": False,
        "persistent": owner == "SYSTEM",
        "mfs": None,
        "bridge": "",
        "gateway": None,
    }
    while words:
        key = words.pop(0).upper()
        if abbreviates(key, "TYPE", 4) and words:
            options["lantype"] = NIC_TYPES.get(words.pop(0).upper()) or _bad(key)
        elif abbreviates(key, "MAXCONN", 4) and words:
            value = words.pop(0).upper()
            options["maxconn"] = None if value == "INFINITE" else _number(value, 1, 1024)
        elif abbreviates(key, "RESTRICTED", 4) or abbreviates(key, "UNRESTRICTED", 5):
            options["restricted"] = key.startswith("R")
        elif abbreviates(key, "PERSISTENT", 4) or abbreviates(key, "TRANSIENT", 5):
            options["persistent"] = key.startswith("P")
        elif key == "MFS" and words:
            options["mfs"] = _number(words.pop(0), 1, 65536)
        elif key == "BRIDGE" and words:
            options["bridge"] = words.pop(0)
        elif abbreviates(key, "GATEWAY", 4):
            options["gateway"] = _gateway_address(words)
        else:
            raise operand_error(key)
    if options["persistent"] and owner != "SYSTEM" and not _class_b(ctx.vm):
        raise CommandError("HCP2805E You are not authorized to define a PERSISTENT LAN", 2805)
    if options["bridge"] and not _class_b(ctx.vm):
        # A bridge opens a socket on the host: the system programmer's decision.
        raise CommandError("HCP2805E You are not authorized to define a LAN BRIDGE", 2805)
    if options["gateway"] is not None and not _class_b(ctx.vm):
        raise CommandError("HCP2805E You are not authorized to define a LAN GATEWAY", 2805)
    mfs = options["mfs"]
    if mfs is not None and mfs not in MFS_CHOICES[options["lantype"]]:
        raise CommandError(
            f"HCP2809E MFS {mfs} is not valid for TYPE {options['lantype']}; "
            f"use one of {' '.join(map(str, MFS_CHOICES[options['lantype']]))}",
            2809,
        )
    lan = _call(lambda: _lans(ctx).define(owner, name, **options))
    ctx.reply(f"LAN {owner} {name} is created")
    if lan.gateway is not None:
        ctx.reply(_gateway_started(lan))
    return 0


def _gateway_address(words: list[str]) -> str:
    """The optional address[/prefix] after GATEWAY, taken from ``words``."""
    if words and words[0][:1].isdigit():
        text = words.pop(0)
        try:
            parse_gateway_address(text)
        except ValueError as err:
            raise CommandError(f"HCP2821E Gateway address {err}", 2821) from None
        return text
    return DEFAULT_ADDRESS


def _gateway_started(lan) -> str:
    return f"LAN {lan.owner} {lan.name} gateway is started at {lan.gateway.describe()}"


def _bad(word: str):
    raise operand_error(word)


# ------------------------------------------------------------------ DETACH LAN


def detach_lan(ctx, args: list[str]) -> int:
    words = list(args)
    given = "OWNERID" in (w.upper() for w in words)
    owner = _owner_option(ctx, words)
    if len(words) != 1:
        raise operand_error(words[1] if len(words) > 1 else None)
    lan = _lan(ctx, words[0], owner, given)
    _may_manage(ctx, lan)
    for nic in _lans(ctx).detach(lan):
        if nic.owner != ctx.userid:
            ctx.system.notify(
                nic.owner, f"NIC {nic.vaddr:04X} is disconnected from LAN {lan.owner} {lan.name}"
            )
    ctx.reply(f"LAN {lan.owner} {lan.name} is destroyed")
    return 0


# ------------------------------------------------------------------ SET LAN


def set_lan(ctx, args: list[str]) -> int:
    words = list(args)
    given = "OWNERID" in (w.upper() for w in words)
    owner = _owner_option(ctx, words)
    if len(words) != 3:
        raise operand_error()
    lan = _lan(ctx, words[0], owner, given)
    _may_manage(ctx, lan)
    action, target = words[1].upper(), words[2].upper()
    if action == "GRANT":
        _lans(ctx).grant(lan, target)
    elif action == "REVOKE":
        for nic in _lans(ctx).revoke(lan, target):
            ctx.system.notify(
                nic.owner, f"NIC {nic.vaddr:04X} is disconnected from LAN {lan.owner} {lan.name}"
            )
    elif action == "TRACE":
        return _set_trace(ctx, lan, target)
    elif abbreviates(action, "GATEWAY", 4):
        return _set_gateway(ctx, lan, words[2])
    else:
        raise operand_error(words[1])
    return 0


def _set_gateway(ctx, lan, target: str) -> int:
    """SET LAN ... GATEWAY ON|address[/prefix] starts the LAN's gateway,
    GATEWAY OFF|DETACH stops it (class B: see the module docstring)."""
    if not _class_b(ctx.vm):
        raise CommandError(
            f"HCP2805E You are not authorized to change the gateway of LAN {lan.owner} {lan.name}",
            2805,
        )
    word = target.upper()
    if word in ("OFF", "DETACH"):
        _call(_lans(ctx).stop_gateway, lan)
        ctx.reply(f"LAN {lan.owner} {lan.name} gateway is stopped")
        return 0
    if word != "ON" and not word[:1].isdigit():
        raise operand_error(target)
    _call(_lans(ctx).start_gateway, lan, None if word == "ON" else target)
    ctx.reply(_gateway_started(lan))
    return 0


def _set_trace(ctx, lan, target: str) -> int:
    """SET LAN ... TRACE fn: record the LAN's frames in ``lan/fn.pcap`` of the
    system directory; TRACE OFF ends every trace of the LAN."""
    for tracer in lan.tracers:
        tracer.close()
    lan.tracers.clear()
    if target == "OFF":
        return 0
    if not target.isalnum() or len(target) > 8:
        raise operand_error(target)
    path = private_dir(ctx.system.path / "lan") / f"{target.lower()}.pcap"
    lan.tracers.append(Pcap(path))
    ctx.reply(f"LAN {lan.owner} {lan.name} frames are traced to {path.name}")
    return 0


# ------------------------------------------------------------------ QUERY LAN


def query_lan(ctx, args: list[str]) -> int:
    words = list(args)
    upper_all = [w.upper() for w in words]
    owner = _owner_option(ctx, words) if "OWNERID" in upper_all else None
    detail = ""
    if words and words[-1].upper() in ("DETAILS", "DETAIL", "ACCESSLIST", "ACCESS"):
        detail = words.pop().upper()[:3]
    if len(words) > 1:
        raise operand_error(words[1])
    lans = [
        lan
        for lan in _lans(ctx).lans.values()
        if (not words or lan.name == words[0].upper()) and (owner is None or lan.owner == owner)
    ]
    if not lans:
        if words:
            raise CommandError(
                f"HCP2801E LAN {owner or '*'} {words[0].upper()} does not exist", 2801
            )
        ctx.reply("There are no LANs defined")
        return 0
    for lan in sorted(lans, key=lambda lan: lan.key):
        for line in lan_lines(lan, detail, _lans(ctx).forwards):
            ctx.reply(line)
    return 0


def lan_lines(lan, detail: str = "", lan_forwards=()) -> list[str]:
    maxconn = "INFINITE" if lan.maxconn is None else str(lan.maxconn)
    lines = [
        (
            f"LAN {lan.owner} {lan.name:<8}  Type: {lan.lantype:<6}  "
            f"Connected: {len(lan.nics)}    Maxconn: {maxconn}"
        ),
        f"  {'PERSISTENT' if lan.persistent else 'TRANSIENT'}  "
        f"{'RESTRICTED' if lan.restricted else 'UNRESTRICTED'}  MFS: {lan.mfs}"
        + (f"  Bridge: {lan.bridge_spec}" if lan.bridge_spec else "")
        + (f"  Gateway: {lan.gateway_spec}" if lan.gateway is not None else ""),
    ]
    if lan.bridge is not None and detail == "DET":
        b = lan.bridge
        lines.append(
            f"  Bridge frames sent: {b.sent}  received: {b.received}  garbage dropped: {b.garbage}"
        )
    if lan.gateway is not None and detail == "DET":
        lines += lan.gateway.status_lines()
    if detail == "DET":
        lines += [
            forward.status_line()
            for forward in lan_forwards
            if forward.spec.lan in (None, lan.name) and lan.gateway is not None
        ]
    if detail == "ACC" or (detail == "DET" and lan.restricted):
        lines.append("  Authorized userids: " + (" ".join(sorted(lan.grants)) or "(none)"))
    if detail == "DET":
        for nic in lan.nics:
            s = nic.stats
            lines.append(
                f"  Adapter Owner: {nic.owner:<8} NIC: {nic.vaddr:04X}  MAC: {mac_text(nic.mac)}"
            )
            lines.append(
                f"    In: {s.frames_in} frames {s.bytes_in} bytes  Out: {s.frames_out} "
                f"frames {s.bytes_out} bytes  Dropped: {s.dropped}  Refused: {s.refused}"
            )
    return lines


# ------------------------------------------------------------------ NICs


def define_nic(ctx, args: list[str]) -> int:
    words = [w.upper() for w in args]
    if not words:
        raise operand_error()
    vaddr = _vdev(words.pop(0))
    if words and words[0] == "TYPE":
        words.pop(0)
    if not words or words[0] not in NIC_TYPES:
        raise operand_error(words[0] if words else None)
    nictype, devices = NIC_TYPES[words.pop(0)], 3
    if words and abbreviates(words[0], "DEVICES", 3):
        if len(words) < 2:
            raise operand_error()
        devices = _number(words[1], 3, 3072)
        words = words[2:]
    if words:
        raise operand_error(words[0])
    for address in range(vaddr, vaddr + devices):
        if address in ctx.vm.devices:
            raise CommandError(f"HCP2811E Device {address:04X} already defined", 2811)
    _call(create_nic_devices, ctx.vm, vaddr, nictype, devices)
    ctx.reply(f"NIC {vaddr:04X} is created; devices {vaddr:04X}-{vaddr + devices - 1:04X} defined")
    return 0


def _vdev(word: str) -> int:
    try:
        vaddr = int(word, 16)
    except ValueError:
        raise operand_error(word) from None
    if not 0 <= vaddr <= 0xFFFF:
        raise operand_error(word)
    return vaddr


def _nic(vm, word: str):
    vaddr = _vdev(word)
    device = vm.devices.get(vaddr)
    if device is None:
        raise CommandError(f"HCP2812E Device {vaddr:04X} does not exist", 2812)
    if not isinstance(device, NicDevice) or device.nic is None:
        raise CommandError(f"HCP2813E Device {vaddr:04X} is not a NIC", 2813)
    return device.nic


def names_nic(vm, args: list[str]) -> bool:
    """Whether a COUPLE/UNCOUPLE names a NIC (else it is a CTCA's)."""
    try:
        return isinstance(vm.devices.get(int(args[0], 16)), NicDevice)
    except (IndexError, ValueError):
        return False


def couple_nic(ctx, args: list[str]) -> int:
    words = [w.upper() for w in args if w.upper() != "TO"]
    if len(words) != 3:
        raise operand_error()
    nic = _nic(ctx.vm, words[0])
    owner = ctx.userid if words[1] == "*" else words[1]
    lan = _call(_lans(ctx).couple, nic, owner, words[2])
    ctx.reply(f"NIC {nic.vaddr:04X} is connected to LAN {lan.owner} {lan.name}")
    return 0


def uncouple(ctx, args: list[str]) -> int:
    if len(args) != 1:
        raise operand_error(args[1] if len(args) > 1 else None)
    if not names_nic(ctx.vm, args):
        return _uncouple_ctca(ctx, args[0])
    nic = _nic(ctx.vm, args[0])
    lan = nic.lan
    if lan is None:
        raise CommandError(f"HCP2814E NIC {nic.vaddr:04X} is not connected", 2814)
    _lans(ctx).uncouple(nic)
    ctx.reply(f"NIC {nic.vaddr:04X} is disconnected from LAN {lan.owner} {lan.name}")
    return 0


def _uncouple_ctca(ctx, word: str) -> int:
    """UNCOUPLE vdev of a CTCA: the other side is told its adapter dropped."""
    vaddr = _vdev(word)
    device = ctx.vm.devices.get(vaddr)
    if device is None:
        raise CommandError(f"HCP2812E Device {vaddr:04X} does not exist", 2812)
    if not isinstance(device, CTCA):
        raise CommandError(f"HCP2813E Device {vaddr:04X} is not a NIC", 2813)
    peer = device.peer
    drop(device)
    if peer is not None and peer.vm is not ctx.vm:
        ctx.system.notify(
            peer.vm.userid, f"CTCA {peer.vaddr:03X} DROP FROM {ctx.userid} {vaddr:03X}"
        )
    ctx.reply(f"CTCA {vaddr:03X} UNCOUPLED")
    return 0


def nics_of(vm) -> list:
    seen = []
    for vaddr, device in sorted(vm.devices.items()):
        if isinstance(device, NicDevice) and device.nic is not None and device.nic.vaddr == vaddr:
            seen.append(device.nic)
    return seen


def nic_lines(nic, details: bool) -> list[str]:
    lan = f"{nic.lan.owner} {nic.lan.name}" if nic.lan is not None else "* None"
    mfs = nic.lan.mfs if nic.lan is not None else DEFAULT_MFS[nic.nictype]
    lines = [
        (
            f"Adapter {nic.vaddr:04X}  Type: {nic.nictype:<6}  Name: UNASSIGNED  "
            f"Devices: {nic.device_count}"
        ),
        f"  MAC: {mac_text(nic.mac)}         LAN: {lan:<17} MFS: {mfs}",
    ]
    if details:
        s = nic.stats
        lines += [
            (f"  RX Packets: {s.frames_in:<10} Discarded: {s.dropped:<10} RX Bytes: {s.bytes_in}"),
            (
                f"  TX Packets: {s.frames_out:<10} Refused: {s.refused:<10}   "
                f"TX Bytes: {s.bytes_out}"
            ),
        ]
    return lines


def query_nic(ctx, args: list[str]) -> int:
    words = [w.upper() for w in args]
    details = bool(words) and words[-1] in ("DETAILS", "DETAIL")
    if details:
        words.pop()
    if len(words) > 1:
        raise operand_error(words[1])
    nics = [_nic(ctx.vm, words[0])] if words else nics_of(ctx.vm)
    if not nics:
        ctx.reply("No NICs are defined")
        return 0
    for nic in nics:
        for line in nic_lines(nic, details):
            ctx.reply(line)
    return 0


def query_virtual_nic(ctx, args: list[str]) -> int:
    return query_nic(ctx, args)


COMMANDS = [Command("UNCOUPLE", 5, "G", uncouple)]
