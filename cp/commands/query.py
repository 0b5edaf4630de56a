"""QUERY (class G forms): NAMES, USERS, userid, TIME, VIRTUAL, SET, LINKS, TERMINAL, LOGMSG.

VM/370 CP Command Reference for General Users, QUERY.  Keyword abbreviations
are the capital letters of its syntax: Query Names, Query USERS, Query Time,
Query Virtual, Query SET, Query LINKS, Query TERMinal, Query LOGmsg.
"""

from __future__ import annotations

import time

from cp.commands import attach, spool
from cp.commands.base import Command, CommandError, abbreviates, operand_error
from cp.logon import accounting_line, terminal_address, timestamp
from cp.services import describe_device
from cp.vm import storage_text


def user_address(vm) -> str:
    """The terminal address QUERY shows for a user, or DSC when disconnected."""
    return terminal_address(vm.session)


def query_names(ctx, args) -> int:
    items = [
        f"{vm.userid:<8} - {user_address(vm):<4}"
        for vm in sorted(ctx.system.users.values(), key=lambda v: v.userid)
    ]
    for i in range(0, len(items), 4):
        ctx.reply(" , ".join(items[i : i + 4]))
    return 0


def query_users(ctx, args) -> int:
    if args:
        return query_user(ctx, args[0])
    ctx.reply(f"{len(ctx.system.users):03d} USERS, 000 DIALED")
    return 0


def query_user(ctx, userid: str) -> int:
    vm = ctx.system.find_user(userid)
    if vm is None:
        raise CommandError(f"DMKCQG045E {userid.upper()} NOT LOGGED ON", 45)
    ctx.reply(f"{vm.userid:<8} - {user_address(vm)}")
    return 0


def query_userid(ctx, args) -> int:
    """QUERY USERID: ``userid AT system`` (z/VM QUERY USERID)."""
    if args:
        raise operand_error(args[0])
    ctx.reply(f"{ctx.userid:<8} AT {ctx.system.name}")
    return 0


def query_time(ctx, args) -> int:
    ctx.reply(f"TIME IS {timestamp()}")
    ctx.reply(accounting_line(ctx.vm))
    return 0


def device_line(vaddr: int, device) -> str:
    """One QUERY VIRTUAL line: the device's own description (cp.devices)."""
    return device.query_line()


#: QUERY VIRTUAL operand -> device classes it selects.
VIRTUAL_CLASSES = {
    "DASD": {"DASD"},
    "UR": {"RDR", "PUN", "PRT"},
    "CONS": {"CONS"},
    "CONSOLE": {"CONS"},
    "CTCA": {"CTCA"},
    "GRAF": {"GRAF"},
    "TAPE": {"TAPE"},
    "TAPES": {"TAPE"},
}


def query_virtual(ctx, args) -> int:
    vm = ctx.vm
    what = args[0].upper() if args else "ALL"
    if what in ("ALL", "STORAGE", "STOR"):
        ctx.reply(f"STORAGE = {storage_text(vm.storage_size)}")
        if what != "ALL":
            return 0
    selected = VIRTUAL_CLASSES.get(what)
    if what == "NIC":  # QUERY VIRTUAL NIC (cp.commands.lan)
        return _lan_commands().query_virtual_nic(ctx, args[1:])
    if what == "ALL":
        devices = sorted(vm.devices.items())
    elif selected is not None:
        devices = [
            (a, d)
            for a, d in sorted(vm.devices.items())
            if describe_device(a, d).devclass in selected
        ]
    else:
        try:
            vaddr = int(what, 16)
        except ValueError:
            raise operand_error(what) from None
        if vaddr not in vm.devices:
            raise CommandError(f"DMKCQG040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        devices = [(vaddr, vm.devices[vaddr])]
    for vaddr, device in devices:
        ctx.reply(device_line(vaddr, device))
    if selected is not None and not devices:
        ctx.reply(f"NO {what} DEVICES")
    return 0


def on_off(flag: bool) -> str:
    return "ON " if flag else "OFF"


def query_set(ctx, args) -> int:
    s = ctx.vm.settings
    ctx.reply(
        f"MSG {on_off(s.msg)}, WNG {on_off(s.wng)}, EMSG {s.emsg:<4}, "
        f"IMSG {on_off(s.imsg)}, SMSG {on_off(s.smsg)}, RUN {on_off(s.run)}"
    )
    ctx.reply(f"SHARE {ctx.vm.share}")
    for number in sorted(s.pf):
        ctx.reply(f"PF{number:02d} {s.pf[number]}")
    return 0


def query_pf(ctx, args) -> int:
    """QUERY PF [nn]: each defined PF key with its mode and text (RETRIEVE for
    the retrieve key); a key asked for by number that is not set is UNDEFINED."""
    pf = ctx.vm.settings.pf
    if args:
        if len(args) > 1:
            raise operand_error(args[1])
        number = _pf_number(args[0])
        ctx.reply(f"PF{number:02d} {pf.get(number, 'UNDEFINED')}")
        return 0
    if not pf:
        ctx.reply("NO PF KEYS DEFINED")
    for number in sorted(pf):
        ctx.reply(f"PF{number:02d} {pf[number]}")
    return 0


def _pf_number(text: str) -> int:
    digits = text[2:] if text.upper().startswith("PF") else text
    if not digits.isdigit() or not 1 <= int(digits) <= 24:
        raise operand_error(text)
    return int(digits)


def query_links(ctx, args) -> int:
    if not args:
        raise operand_error()
    try:
        vaddr = int(args[0], 16)
    except ValueError:
        raise operand_error(args[0]) from None
    found = ctx.system.links.linkers_of_vaddr(ctx.vm, vaddr)
    if found is None:
        raise CommandError(f"DMKCQG040E DEV {vaddr:03X} DOES NOT EXIST", 40)
    items = [
        f"{link.userid:<8} {link.vaddr:03X} {'R/W' if link.write else 'R/O'}" for link in found
    ]
    for i in range(0, len(items), 4):
        ctx.reply(", ".join(items[i : i + 4]))
    return 0


def query_terminal(ctx, args) -> int:
    o = ctx.vm.console.options

    def show(c):
        return "OFF" if c is None else c

    ctx.reply(
        f"LINEND {show(o.linend)}, LINEDEL {show(o.linedel)}, CHARDEL {show(o.chardel)}, "
        f"ESCAPE {show(o.escape)}"
    )
    more = f", MORE {o.more[0]:03d} {o.more[1]:03d}" if o.more is not None else ""
    ctx.reply(f"LINESIZE {o.linesize:03d}, ATTN {'ON' if o.attn else 'OFF'}, MODE {o.mode}{more}")
    return 0


def query_logmsg(ctx, args) -> int:
    if not ctx.system.logmsg:
        ctx.reply("NO LOGMSG")
    for line in ctx.system.logmsg:
        ctx.reply(f"* {line}")
    return 0


#: QUERY CPLEVEL: the level of this CP (VM/SP and z/VM QUERY CPLEVEL; VM/370
#: Release 6 is the CP it models).
CP_LEVEL = "VM/370 RELEASE 6, SERVICE LEVEL 0000"


def query_cplevel(ctx, args) -> int:
    if args:
        raise operand_error(args[0])
    ctx.reply(CP_LEVEL)
    ctx.reply(f"IPL AT {time.strftime('%m/%d/%y %H:%M:%S', time.localtime(ctx.system.started))}")
    return 0


#: The first address QUERY DASD gives the directory's volumes.
FIRST_DASD = 0x130


def directory_volumes(system) -> list[str]:
    """The volumes the directory's minidisks are on, in the order it names them."""
    volumes: list[str] = []
    for entry in system.directory:
        for mdisk in entry.mdisks:
            if mdisk.volser not in volumes:
                volumes.append(mdisk.volser)
    return volumes


def require_class(ctx, classes: str, word: str) -> None:
    """QUERY operands of the operator classes: a user without them is
    answered as for an operand CP does not know."""
    if not any(c in ctx.vm.classes for c in classes):
        raise operand_error(word)


def query_dasd(ctx, args) -> int:
    """QUERY DASD (class B): the real volumes, each with its address and how
    many minidisks of logged-on users are on it."""
    require_class(ctx, "AB", "DASD")
    if args:
        raise operand_error(args[0])
    in_use: dict[str, int] = {}
    for vm in ctx.system.users.values():
        for mdisk in vm.entry.mdisks:
            in_use[mdisk.volser] = in_use.get(mdisk.volser, 0) + 1
    for n, volser in enumerate(directory_volumes(ctx.system)):
        ctx.reply(
            f"DASD {FIRST_DASD + n:03X} {volser:<6} {in_use.get(volser, 0):03d} MDISKS IN USE"
        )
    return 0


def query_alloc(ctx, args) -> int:
    """QUERY ALLOC (class B, D): CP's temporary-disk and spool space in use."""
    require_class(ctx, "BD", "ALLOC")
    if args:
        raise operand_error(args[0])
    tdisks = [d for vm in ctx.system.users.values() for d in vm.devices.values() if d.temporary]
    blocks = sum(d.disk.blocks for d in tdisks)
    ctx.reply(f"TDISK {blocks:8d} BLK IN USE, {len(tdisks):3d} DISKS")
    files = [f for q in ("RDR", "PRT", "PUN") for f in ctx.system.spool.queue(q)]
    records = sum(f.records for f in files)
    ctx.reply(f"SPOOL {len(files):8d} FILES, {records:8d} RECORDS")
    return 0


def query_tapes(ctx, args) -> int:
    require_class(ctx, "B", "TAPES")
    return attach.query_tapes(ctx, args)


#: (keyword, minimum length, handler), tried in order; anything else is a userid.
QUERIES = (
    ("NAMES", 1, query_names),
    ("USERS", 5, query_users),
    ("USERID", 6, query_userid),
    ("TIME", 1, query_time),
    ("VIRTUAL", 1, query_virtual),
    ("SET", 3, query_set),
    ("LINKS", 4, query_links),
    ("TERMINAL", 4, query_terminal),
    ("LOGMSG", 3, query_logmsg),
    ("PF", 2, query_pf),
    ("CPLEVEL", 7, query_cplevel),
    ("DASD", 4, query_dasd),
    ("ALLOC", 5, query_alloc),
    ("TAPES", 4, query_tapes),
    ("LAN", 3, lambda ctx, args: _lan_commands().query_lan(ctx, args)),
    ("NIC", 3, lambda ctx, args: _lan_commands().query_nic(ctx, args)),
)


def _lan_commands():
    from cp.commands import lan

    return lan


def all_queries() -> tuple:
    """CP's QUERY keywords, then the spool's (QUERY READER/PRINTER/PUNCH/FILES,
    cp.commands.spool), tried in that order before a word is taken as a userid."""
    return QUERIES + tuple(spool.QUERIES)


def query(ctx, args) -> int:
    if not args:
        raise operand_error()
    if args[0].upper().startswith("PF") and args[0][2:].isdigit():
        return query_pf(ctx, args)  # QUERY PFnn
    for name, minimum, handler in all_queries():
        if abbreviates(args[0], name, minimum):
            return handler(ctx, args[1:])
    if len(args) > 1:
        raise operand_error(args[1])
    return query_user(ctx, args[0])


COMMANDS = [Command("QUERY", 1, "ABCDEFG", query)]
