"""The spool CP commands (and COUPLE for the virtual CTCA) (VM/370 CP Command Reference for General Users,
GC20-1820, "SPOOL", "CLOSE", "PURGE", "TRANSFER", "ORDER", "CHANGE", and the
spooling operator's HOLD and FREE) and the QUERY READER / PRINTER / PUNCH /
FILES subcommands the QUERY command hands over (``QUERIES``).

Files are picked the same way by every command: a queue word (Reader/RDR,
Printer/PRT, PUnch/PUN), then spoolids, ``CLass c`` or ``ALL``.  A class D
user (spooling operator) may put a userid (or ``SYSTEM`` for everybody)
before the queue word and so act on anyone's files.
"""

from __future__ import annotations

from cp.abbrev import match
from cp.commands import lan
from cp.commands.base import Command, CommandError, abbreviates
from cp.devices import CTCA, Console3215, couple
from cp.devices.unitrecord import Reader, SpooledDevice, arrival_notice
from cp.spool import NOHOLD, SYSTEM_HOLD, USER_HOLD, SpoolError, SpoolFile, files_line

#: Queue words: (name, minimum abbreviation, queue, devclass).
QUEUE_WORDS = (
    ("READER", 1, "RDR"),
    ("RDR", 3, "RDR"),
    ("PRINTER", 1, "PRT"),
    ("PRT", 3, "PRT"),
    ("PUNCH", 2, "PUN"),
    ("PUN", 3, "PUN"),
)
DEVICE_WORDS = QUEUE_WORDS + (("CONSOLE", 3, "CONS"),)


def _queue_word(word: str, words=QUEUE_WORDS) -> str | None:
    return match(word, words)


def _invalid(word: str) -> CommandError:
    return CommandError(f"DMKCSP003E INVALID OPTION - {word.upper()}", 3)


def _missing() -> CommandError:
    return CommandError("DMKCSP026E OPERAND MISSING OR INVALID", 26)


def _inform(ctx, line: str) -> None:
    """An informational response (the file counts of CHANGE, PURGE, ORDER,
    TRANSFER and CLOSE's file line): SET IMSG OFF suppresses it (CP Command
    Reference, SET IMSG and the commands' Response sections)."""
    if ctx.vm.settings.imsg:
        ctx.reply(line)


def _count_reply(ctx, count: int, verb: str) -> None:
    """``0001 FILE PURGED`` / ``0003 FILES PURGED`` / ``NO FILES PURGED``."""
    if count == 0:
        _inform(ctx, f"NO FILES {verb}")
    else:
        _inform(ctx, f"{count:04d} FILE{'S' if count > 1 else ''} {verb}")


def is_spool_operator(ctx) -> bool:
    return "D" in ctx.vm.classes


def _spool(ctx):
    spool = ctx.system.spool
    spool.rescan()
    return spool


def _check_user(ctx, userid: str) -> str:
    userid = userid.upper()
    if userid not in ctx.system.directory:
        raise CommandError(f"DMKCSP020E USERID MISSING OR INVALID - {userid}", 20)
    return userid


# ------------------------------------------------------------------ picking files


def _owner_and_queue(ctx, args: list[str]) -> tuple[str | None, str, list[str]]:
    """(owner or None for everybody, queue, remaining operands)."""
    if not args:
        raise _missing()
    owner: str | None = ctx.userid
    queue = _queue_word(args[0])
    if queue is None and is_spool_operator(ctx) and len(args) > 1:
        who = args[0].upper()
        owner = None if who in ("SYSTEM", "ALL") else _check_user(ctx, who)
        args = args[1:]
        queue = _queue_word(args[0])
    if queue is None:
        raise _invalid(args[0])
    return owner, queue, args[1:]


def _select(
    ctx, owner: str | None, queue: str, args: list[str]
) -> tuple[list[SpoolFile], list[str]]:
    """Files named by spoolids / CLass c / ALL; returns (files, the operands after them)."""
    spool = _spool(ctx)
    files = spool.queue(queue, owner)
    chosen: list[SpoolFile] = []
    i = 0
    while i < len(args):
        word = args[i].upper()
        if word == "ALL":
            chosen += [f for f in files if f not in chosen]
        elif abbreviates(word, "CLASS", 2) and i + 1 < len(args):
            cls = args[i + 1].upper()
            chosen += [f for f in files if f.cls == cls and f not in chosen]
            i += 1
        elif word.isdigit():
            sf = next((f for f in files if f.spoolid == int(word)), None)
            if sf is None:
                raise CommandError(f"DMKCSP042E SPOOLID {int(word):04d} DOES NOT EXIST", 42)
            if sf not in chosen:
                chosen.append(sf)
        else:
            break
        i += 1
    return chosen, args[i:]


# ------------------------------------------------------------------ SPOOL


def _target_devices(ctx, word: str) -> list:
    devices = ctx.vm.devices
    devclass = _queue_word(word, DEVICE_WORDS)
    if devclass is not None:
        found = [d for _, d in sorted(devices.items()) if d.devclass == devclass]
        if not found:
            raise CommandError(f"DMKCSP040E DEV {word.upper()} DOES NOT EXIST", 40)
        return found
    try:
        vaddr = int(word, 16)
    except ValueError:
        raise _invalid(word) from None
    device = devices.get(vaddr)
    if device is None:
        raise CommandError(f"DMKCSP040E DEV {vaddr:03X} DOES NOT EXIST", 40)
    return [device]


def _spool_option(ctx, device, args: list[str], i: int) -> int:
    """Apply the option at args[i] to ``device``; returns the next index."""
    word = args[i].upper()
    nxt = args[i + 1].upper() if i + 1 < len(args) else None
    reader = isinstance(device, Reader)
    if abbreviates(word, "CLASS", 2):
        if nxt is None or len(nxt) != 1 or not (nxt.isalnum() or (nxt == "*" and reader)):
            raise _missing()
        device.cls = nxt
        return i + 2
    if abbreviates(word, "CONT", 3):
        device.cont = True
    elif abbreviates(word, "NOCONT", 3):
        device.cont = False  # an open file is closed by the next CLOSE
    elif abbreviates(word, "HOLD", 2):
        device.hold = True
    elif abbreviates(word, "NOHOLD", 3):
        device.hold = False
    elif reader and word == "EOF":
        device.eof = True
    elif reader and abbreviates(word, "NOEOF", 3):
        device.eof = False
    elif not reader and abbreviates(word, "COPY", 2):
        if nxt is None or not nxt.isdigit() or not 1 <= int(nxt) <= 99:
            raise _missing()
        device.copies = int(nxt)
        return i + 2
    elif not reader and word == "TO":
        if nxt is None:
            raise _missing()
        device.to_user = (
            "" if nxt == "SYSTEM" else (ctx.userid if nxt == "*" else _check_user(ctx, nxt))
        )
        device.for_user = ""
        return i + 2
    elif not reader and word == "FOR":
        if nxt is None:
            raise _missing()
        device.for_user, device.to_user = _check_user(ctx, nxt), ""
        return i + 2
    elif not reader and word == "OFF":
        device.to_user = device.for_user = ""
    else:
        raise _invalid(word)
    return i + 1


def spool_command(ctx, args: list[str]) -> int:
    """SPOOL Reader|Printer|PUnch|CONsole|vaddr options."""
    if not args:
        raise _missing()
    if _queue_word(args[0], DEVICE_WORDS) == "CONS":
        return spool_console(ctx, args[1:])
    devices = _target_devices(ctx, args[0])
    for device in devices:
        if not isinstance(device, SpooledDevice):
            raise CommandError(f"DMKCSP024E DEV {device.vaddr:03X} IS NOT A SPOOLED DEVICE", 24)
    if len(args) == 1:
        raise _missing()
    for device in devices:
        i = 1
        while i < len(args):
            i = _spool_option(ctx, device, args, i)
    return 0


def spool_console(ctx, args: list[str]) -> int:
    """SPOOL CONSOLE START|STOP [TO userid] [TERM|NOTERM] [CLOSE|PURGE]."""
    console = _console_device(ctx)
    if not args:
        raise _missing()
    i, close, purge = 0, False, False
    while i < len(args):
        word = args[i].upper()
        if abbreviates(word, "START", 3):
            console.start_spooling()
        elif abbreviates(word, "STOP", 3):
            console.stop_spooling()
        elif abbreviates(word, "TERM", 2):
            console.term = True
        elif abbreviates(word, "NOTERM", 4):
            console.term = False
        elif word == "CLOSE":
            close = True
        elif abbreviates(word, "PURGE", 2):
            purge = True
        elif (
            word in ("TO", "FOR", "CLASS", "CL", "COPY", "CO")
            or abbreviates(word, "HOLD", 2)
            or abbreviates(word, "NOHOLD", 3)
            or word == "OFF"
        ):
            i = _spool_option(ctx, console.spool_output, args, i)
            continue
        else:
            raise _invalid(word)
        i += 1
    if close or purge:
        for line in _close_device(console.spool_output, purge=purge, force=True):
            _inform(ctx, line)
    return 0


def _close_device(device, **options) -> list[str]:
    """Close a spooled device; a full spool is CP's message (the file stays open)."""
    try:
        return device.close(**options)
    except SpoolError as err:
        raise CommandError(str(err), err.rc) from None


def _console_device(ctx):
    for _, device in sorted(ctx.vm.devices.items()):
        if isinstance(device, Console3215):
            return device
    raise CommandError("DMKCSP040E DEV CONSOLE DOES NOT EXIST", 40)


# ------------------------------------------------------------------ CLOSE


def close_command(ctx, args: list[str]) -> int:
    """CLOSE Reader|CONsole|Printer|PUnch|vaddr [PUrge] [HOld|NOHold] [DIst code] [NAme fn [ft]]."""
    if not args:
        raise _missing()
    if _queue_word(args[0], DEVICE_WORDS) == "CONS":
        devices = [_console_device(ctx).spool_output]
    else:
        devices = _target_devices(ctx, args[0])
    options: dict = {}
    i = 1
    while i < len(args):
        word = args[i].upper()
        if abbreviates(word, "PURGE", 2):
            options["purge"] = True
        elif abbreviates(word, "HOLD", 2):
            options["hold"] = True
        elif abbreviates(word, "NOHOLD", 3):
            options["hold"] = False
        elif abbreviates(word, "DIST", 2) and i + 1 < len(args):
            options["dist"] = args[i + 1].upper()[:8]
            i += 1
        elif abbreviates(word, "NAME", 2) and i + 1 < len(args):
            options["name"] = args[i + 1].upper()[:8]
            if i + 2 < len(args):
                options["ftype"] = args[i + 2].upper()[:8]
                i += 1
            i += 1
        else:
            raise _invalid(word)
        i += 1
    for device in devices:
        if not isinstance(device, SpooledDevice):
            raise CommandError(f"DMKCSP024E DEV {device.vaddr:03X} IS NOT A SPOOLED DEVICE", 24)
        # "CONT specified for the punch or printer causes all CLOSE requests
        # to be ignored until reset by NOCONT" (VM/370 CP Command Reference
        # for General Users, SPOOL): the device's close keeps a CONT file open.
        for line in _close_device(device, **options):
            _inform(ctx, line)
    return 0


# ------------------------------------------------------------------ PURGE ORDER CHANGE TRANSFER


def purge_command(ctx, args: list[str]) -> int:
    """PURGE [userid] Reader|Printer|PUnch spoolid...|CLass c|ALL."""
    owner, queue, rest = _owner_and_queue(ctx, args)
    files, rest = _select(ctx, owner, queue, rest or ["ALL"])
    if rest:
        raise _invalid(rest[0])
    spool = ctx.system.spool
    purged = 0
    for sf in files:
        if sf.reading_by:
            _release_reader(ctx, sf)
        spool.purge(sf)
        purged += 1
    _count_reply(ctx, purged, "PURGED")
    return 0


def _release_reader(ctx, sf: SpoolFile) -> None:
    """A file being read is purged: the reader forgets it."""
    vm = ctx.system.find_user(sf.owner)
    for device in vm.devices.values() if vm is not None else ():
        if isinstance(device, Reader) and device.file is sf:
            device.file, device.cards, device.position = None, [], 0
    sf.reading_by = ""


def order_command(ctx, args: list[str]) -> int:
    """ORDER [userid] Reader|Printer|PUnch spoolid...|CLass c...: these files first, in this order."""
    owner, queue, rest = _owner_and_queue(ctx, args)
    if not rest:
        raise _missing()
    files, rest = _select(ctx, owner, queue, rest)
    if rest:
        raise _invalid(rest[0])
    ctx.system.spool.order(files)
    _count_reply(ctx, len(files), "ORDERED")
    return 0


def change_command(ctx, args: list[str]) -> int:
    """CHANGE [userid] Reader|Printer|PUnch spoolid|CLass c|ALL [CLass c] [COpy nn]
    [HOld|NOHold] [DIst code] [NAme fn ft]."""
    owner, queue, rest = _owner_and_queue(ctx, args)
    if not rest:
        raise _missing()
    # The first CLass names files only when it comes first; later ones are the new class.
    selection = (
        rest[:2]
        if abbreviates(rest[0], "CLASS", 2)
        else ([rest[0]] if rest[0].upper() == "ALL" or rest[0].isdigit() else [])
    )
    if not selection:
        raise _invalid(rest[0])
    files, _ = _select(ctx, owner, queue, selection)
    changes = _change_attributes(ctx, rest[len(selection) :])
    if not changes:
        raise _missing()
    spool = ctx.system.spool
    for sf in files:
        spool.update(sf, **changes)
        if sf.queue != "RDR" and not sf.held:
            spool.release(sf)
    _count_reply(ctx, len(files), "CHANGED")
    return 0


def _change_attributes(ctx, args: list[str]) -> dict:
    changes: dict = {}
    i = 0
    while i < len(args):
        word = args[i].upper()
        nxt = args[i + 1].upper() if i + 1 < len(args) else None
        if abbreviates(word, "CLASS", 2) and nxt and len(nxt) == 1 and nxt.isalnum():
            changes["cls"] = nxt
            i += 1
        elif abbreviates(word, "COPY", 2) and nxt and nxt.isdigit() and 1 <= int(nxt) <= 99:
            changes["copies"] = int(nxt)
            i += 1
        elif abbreviates(word, "HOLD", 2):
            changes["hold"] = USER_HOLD
        elif abbreviates(word, "NOHOLD", 3):
            changes["hold"] = NOHOLD
        elif abbreviates(word, "DIST", 2) and nxt:
            changes["dist"] = nxt[:8]
            i += 1
        elif abbreviates(word, "NAME", 2) and nxt:
            changes["name"] = nxt[:8]
            if i + 2 < len(args):
                changes["ftype"] = args[i + 2].upper()[:8]
                i += 1
            i += 1
        elif abbreviates(word, "FORM", 4) and nxt:
            changes["form"] = nxt[:8]
            i += 1
        else:
            raise _invalid(word)
        i += 1
    return changes


def transfer_command(ctx, args: list[str]) -> int:
    """TRANSFER [Reader] spoolid|CLass c|ALL TO|FROM userid.

    TO: files of your reader go to another user's reader.  FROM: files you
    sent that are in another user's reader come back to yours (a spooling
    operator may take any)."""
    if args and _queue_word(args[0]) == "RDR":
        args = args[1:]
    direction = next((i for i, w in enumerate(args) if w.upper() in ("TO", "FROM")), None)
    if direction is None or direction + 1 >= len(args) or direction == 0:
        raise _missing()
    userid = args[direction + 1].upper()
    userid = ctx.userid if userid == "*" else _check_user(ctx, userid)
    if len(args) > direction + 2:
        raise _invalid(args[direction + 2])
    if args[direction].upper() == "TO":
        files, rest = _select(ctx, ctx.userid, "RDR", args[:direction])
        target = userid
    else:
        files, rest = _select(ctx, userid, "RDR", args[:direction])
        if not is_spool_operator(ctx):
            files = [f for f in files if f.origin == ctx.userid]
        target = ctx.userid
    if rest:
        raise _invalid(rest[0])
    spool = ctx.system.spool
    for sf in files:
        if sf.reading_by:
            _release_reader(ctx, sf)
        spool.transfer(sf, target)
        if target != ctx.userid:
            ctx.system.notify(target, arrival_notice(sf))
    _count_reply(ctx, len(files), "TRANSFERRED")
    return 0


# ------------------------------------------------------------------ HOLD FREE (class D)


def _operator_files(ctx, args: list[str]) -> list[SpoolFile]:
    """HOLD/FREE userid [Printer|PUnch|Reader|ALL]: the user's files so chosen."""
    if not args:
        raise _missing()
    userid = _check_user(ctx, args[0])
    queues = ("PRT", "PUN")
    if len(args) > 1:
        word = args[1].upper()
        queue = _queue_word(word)
        if word == "ALL":
            queues = ("PRT", "PUN", "RDR")
        elif queue is None:
            raise _invalid(word)
        else:
            queues = (queue,)
    spool = _spool(ctx)
    return [f for q in queues for f in spool.queue(q, userid)]


def hold_command(ctx, args: list[str]) -> int:
    files = _operator_files(ctx, args)
    for sf in files:
        ctx.system.spool.update(sf, hold=SYSTEM_HOLD)
    ctx.system.spool.set_user_hold(args[0].upper(), True)
    _count_reply(ctx, len(files), "HELD")
    return 0


def free_command(ctx, args: list[str]) -> int:
    files = [f for f in _operator_files(ctx, args) if f.hold == SYSTEM_HOLD]
    spool = ctx.system.spool
    spool.set_user_hold(args[0].upper(), False)
    for sf in files:
        spool.update(sf, hold=NOHOLD)
        spool.release(sf)
    _count_reply(ctx, len(files), "FREED")
    return 0


# ------------------------------------------------------------------ QUERY READER/PRINTER/PUNCH/FILES


def file_line(sf: SpoolFile, full: bool) -> str:
    who = sf.origin if sf.queue == "RDR" else sf.owner
    line = f"{who:<8} {sf.spoolid:04d} {sf.cls} {sf.type} {sf.records:08d} {sf.copies:02d} {sf.hold_word:<4}"
    if full:
        line += (
            f" {sf.date} {sf.time_text} {sf.name or '':<8} {sf.ftype or '':<8} "
            f"{sf.dist or sf.owner:<8}"
        )
    return line.rstrip()


def _query_queue(ctx, queue: str, args: list[str]) -> int:
    owner: str | None = ctx.userid
    if (
        args
        and is_spool_operator(ctx)
        and _queue_word(args[0]) is None
        and not (
            args[0].isdigit()
            or args[0].upper() in ("ALL", "HOLD")
            or abbreviates(args[0], "CLASS", 2)
        )
    ):
        owner = None if args[0].upper() in ("SYSTEM", "*") else _check_user(ctx, args[0])
        args = args[1:]
    full, hold_only, classes, ids = False, False, set(), set()
    i = 0
    while i < len(args):
        word = args[i].upper()
        if word == "ALL":
            full = True
        elif abbreviates(word, "HOLD", 2):
            hold_only = True
        elif abbreviates(word, "CLASS", 2) and i + 1 < len(args):
            classes.add(args[i + 1].upper())
            i += 1
        elif word.isdigit():
            ids.add(int(word))
            full = True
        else:
            raise _invalid(word)
        i += 1
    files = [
        f
        for f in _spool(ctx).queue(queue, owner)
        if (not hold_only or f.held)
        and (not classes or f.cls in classes)
        and (not ids or f.spoolid in ids)
    ]
    if not files:
        ctx.reply(f"NO {queue} FILES")
        return 0
    first = "ORIGINID" if queue == "RDR" else "OWNERID "
    header = f"{first} FILE CLASS RECDS  CPY HOLD"
    if full:
        header += " DATE  TIME     NAME     TYPE     DIST"
    ctx.reply(header)
    for sf in files:
        ctx.reply(file_line(sf, full))
    return 0


def query_reader(ctx, args: list[str]) -> int:
    return _query_queue(ctx, "RDR", args)


def query_printer(ctx, args: list[str]) -> int:
    return _query_queue(ctx, "PRT", args)


def query_punch(ctx, args: list[str]) -> int:
    return _query_queue(ctx, "PUN", args)


def query_files(ctx, args: list[str]) -> int:
    """QUERY FILES [CLass c]: ``FILES: 002 RDR,  NO PRT, 001 PUN``."""
    cls = None
    if args:
        if len(args) != 2 or not abbreviates(args[0], "CLASS", 2):
            raise _invalid(args[0])
        cls = args[1].upper()
    ctx.reply(files_line(_spool(ctx), ctx.userid, cls))
    return 0


#: QUERY subcommands this module answers: (keyword, minimum length, handler).
QUERIES = (
    ("READER", 1, query_reader),
    ("RDR", 3, query_reader),
    ("PRINTER", 1, query_printer),
    ("PRT", 3, query_printer),
    ("PUNCH", 2, query_punch),
    ("PUN", 3, query_punch),
    ("FILES", 1, query_files),
)


SPOOL_COMMANDS = [
    Command("SPOOL", 2, "G", spool_command),
    Command("CLOSE", 2, "G", close_command),
    Command("PURGE", 3, "DG", purge_command),
    Command("TRANSFER", 4, "DG", transfer_command),
    Command("ORDER", 3, "DG", order_command),
    Command("CHANGE", 2, "DG", change_command),
    Command("HOLD", 4, "D", hold_command),
    Command("FREE", 4, "D", free_command),
]


# ------------------------------------------------------------------ COUPLE (virtual CTCA)


def couple_command(ctx, args: list[str]) -> int:
    """COUPLE vaddr1 [TO] userid vaddr2: connect two virtual CTCAs (VM/370 COUPLE).

    Both users are told: ``CTCA vvv COUPLE TO userid vvv`` / ``... COUPLE BY ...``."""
    if lan.names_nic(ctx.vm, args):  # COUPLE vdev TO owner lanname (a NIC)
        return lan.couple_nic(ctx, args)
    words = [w for w in args if w.upper() != "TO"]
    if len(words) != 3:
        raise _missing()
    mine = _ctca(ctx.vm, words[0])
    userid = ctx.userid if words[1] == "*" else words[1].upper()
    other_vm = ctx.vm if userid == ctx.userid else ctx.system.find_user(userid)
    if other_vm is None:
        raise CommandError(f"DMKCPV045E {userid} NOT LOGGED ON", 45)
    theirs = _ctca(other_vm, words[2])
    if theirs is mine:
        raise _invalid(words[2])
    couple(mine, theirs)
    ctx.reply(f"CTCA {mine.vaddr:03X} COUPLE TO {userid} {theirs.vaddr:03X}")
    if other_vm is not ctx.vm:
        ctx.system.notify(
            userid, f"CTCA {theirs.vaddr:03X} COUPLE BY {ctx.userid} {mine.vaddr:03X}"
        )
    return 0


def _ctca(vm, word: str):
    try:
        vaddr = int(word, 16)
    except ValueError:
        raise _invalid(word) from None
    device = vm.devices.get(vaddr)
    if device is None:
        raise CommandError(f"DMKCPV040E DEV {vaddr:03X} DOES NOT EXIST", 40)
    if not isinstance(device, CTCA):
        raise CommandError(f"DMKCPV022E VADDR {vaddr:03X} IS NOT A CTCA", 22)
    return device


#: The commands this module adds to CP's table (cp.commands).
COMMANDS = SPOOL_COMMANDS + [Command("COUPLE", 3, "G", couple_command)]
