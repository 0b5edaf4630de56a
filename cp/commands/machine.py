"""Commands that work the virtual machine: IPL, BEGIN, SYSTEM, DEFINE, DETACH,
DISPLAY, STORE, TRACE, ADSTOP, EXTERNAL, READY, NOTREADY, RESET.

VM/370 CP Command Reference for General Users.  The handlers read the
words; the operations are CP's: IPL and SYSTEM RESET in cp.ipl, TRACE in
cp.trace, devices in cp.devices, T-disks in cp.tdisk, ATTACH/DETACH of real
devices in cp.commands.attach.
"""

from __future__ import annotations

from cp import channel
from cp.abbrev import full_name
from cp.commands.attach import detach_real
from cp.commands.base import Command, CommandError, abbreviates, operand_error
from cp.commands.tdisk import define_tdisk, tdisk_keyword
from cp.devices import make_device
from cp.directory import StatementError, parse_storage
from cp.ipl import PARM_MAX, ipl, reset_vm
from cp.services import describe_device
from cp.trace import (
    TRACE_EVENT_NAMES,
    TRACE_EVENTS,
    TRACE_OUTPUTS,
    TraceMode,
    end_trace,
    set_trace,
)
from cp.vm import set_adstop, storage_text
from s390.ebcdic import from_ebcdic


def _hex(word: str, limit: int | None = None) -> int:
    try:
        value = int(word, 16)
    except ValueError:
        raise CommandError(f"DMKCFM004E INVALID HEXLOC - {word.upper()}", 4) from None
    if value < 0 or (limit is not None and value >= limit):
        raise CommandError(f"DMKCDB160E HEXLOC {word.upper()} EXCEEDS STORAGE", 160)
    return value


# ------------------------------------------------------------------ IPL


def ipl_command(ctx, args) -> int:
    """IPL vaddr|sysname [CLEAR|NOCLEAR] [STOP] [PARM text]."""
    if not args:
        raise operand_error()
    target, rest = args[0], list(args[1:])
    clear = stop = False
    parm = ""
    while rest:
        word = rest.pop(0)
        key = word.upper()
        if key == "PARM":
            parm = " ".join(rest)
            break
        if abbreviates(key, "CLEAR", 2):
            clear = True
        elif abbreviates(key, "NOCLEAR", 4):
            clear = False
        elif key == "STOP":
            stop = True
        else:
            raise operand_error(word)
    if len(parm) > PARM_MAX:
        raise CommandError("DMKCFG003E INVALID OPTION - PARM TOO LONG", 3)
    return ipl(ctx.vm, target, parm=parm, clear=clear, stop=stop, reply=ctx.reply)


def begin(ctx, args) -> int:
    vm = ctx.vm
    if not vm.ipled:
        raise CommandError("DMKCFM146E NO IPL OR BEGIN ADDRESS", 146)
    if vm.ipl_psw_pending:
        vm.ipl_psw_pending = False
        vm.cpu.load_psw(bytes(vm.cpu.mem[0:8]))
    if args:
        cpu = vm.cpu
        address = _hex(args[0], len(cpu.mem))
        psw = bytearray(cpu.get_psw())
        psw[5:8] = address.to_bytes(3, "big")
        cpu.load_psw(bytes(psw))
    vm.console.leave_cp()
    return 0


def system_command(ctx, args) -> int:
    """SYSTEM RESET|CLEAR|RESTART."""
    if len(args) != 1:
        raise operand_error(args[1] if len(args) > 1 else None)
    key = args[0].upper()
    vm = ctx.vm
    if abbreviates(key, "RESET", 3):
        reset_vm(vm, clear=False)
        ctx.reply("SYSTEM RESET")
    elif abbreviates(key, "CLEAR", 2):
        reset_vm(vm, clear=True)
        ctx.reply("STORAGE CLEARED - SYSTEM RESET")
    elif abbreviates(key, "RESTART", 4):
        cpu = vm.cpu
        cpu.restart()
        vm.console.leave_cp()
    else:
        raise operand_error(key)
    return 0


# ------------------------------------------------------------------ DEFINE / DETACH

#: DEFINE device keyword -> (minimum abbreviation, kind for cp.devices, devtype, class).
DEFINE_DEVICES = {
    "PRINTER": (3, "1403", "PRT"),
    "PUNCH": (2, "2540P", "PUN"),
    "READER": (3, "2540R", "RDR"),
    "CONSOLE": (4, "3215", "CONS"),
    "GRAF": (4, "3270", "GRAF"),
    "TIMER": (5, "TIMER", "TIMER"),
    "CTCA": (4, "CTCA", "CTCA"),
    "PRT": (3, "1403", "PRT"),
    "PCH": (3, "2540P", "PUN"),
    "RDR": (3, "2540R", "RDR"),
}


def define(ctx, args) -> int:
    if not args:
        raise operand_error()
    key = args[0].upper()
    if abbreviates(key, "STORAGE", 4):
        return define_storage(ctx, args[1:])
    if tdisk_keyword(key):
        return define_tdisk(ctx, key, args[1:])
    if key in ("LAN", "NIC"):  # the guest LAN (cp.commands.lan)
        from cp.commands import lan

        return (lan.define_lan if key == "LAN" else lan.define_nic)(ctx, args[1:])
    for name, (minimum, devtype, devclass) in DEFINE_DEVICES.items():
        if abbreviates(key, name, minimum):
            return define_device(ctx, devtype, devclass, args[1:])
    if len(args) >= 2:
        return define_rename(ctx, args)
    raise operand_error(key)


def define_storage(ctx, args) -> int:
    if len(args) > 1:
        raise operand_error(args[1])
    try:
        size = parse_storage(args[0] if args else "")
    except StatementError:
        raise storage_error() from None
    if size > ctx.vm.entry.max_storage:
        raise CommandError("DMKDEF094E STORAGE EXCEEDS ALLOWED MAXIMUM", 94)
    ctx.vm.redefine_storage(size)
    ctx.reply(f"STORAGE = {storage_text(size)}")
    return 0


def storage_error() -> CommandError:
    """DEFINE STORAGE without a size, or one that is not nnnK/nnM in range
    (025E, as z/VM's HCP025E and emx370's VM/370 R6 text have it)."""
    return CommandError("DMKDEF025E STORAGE MISSING OR INVALID", 25)


def define_device(ctx, devtype: str, devclass: str, args) -> int:
    if not args:
        raise operand_error()
    vaddr = _hex(args[0], 0x10000)
    if vaddr in ctx.vm.devices:
        raise CommandError(f"DMKDEF092E DEV {vaddr:03X} ALREADY DEFINED", 92)
    options = {}
    if devtype in ("2540R", "2540P", "1403"):
        options["spool_class"] = "*" if devtype == "2540R" else "A"
    make_device(devtype, vaddr, ctx.vm, **options)
    ctx.reply(f"{devclass} {vaddr:03X} DEFINED")
    return 0


def define_rename(ctx, args) -> int:
    """DEFINE vaddr1 [AS] vaddr2: give a device a new address."""
    words = [w for w in args if w.upper() != "AS"]
    if len(words) != 2:
        raise operand_error()
    old, new = _hex(words[0], 0x10000), _hex(words[1], 0x10000)
    devices = ctx.vm.devices
    if old not in devices:
        raise CommandError(f"DMKDEF040E DEV {old:03X} DOES NOT EXIST", 40)
    if new in devices:
        raise CommandError(f"DMKDEF092E DEV {new:03X} ALREADY DEFINED", 92)
    device = devices.pop(old)
    devices[new] = device
    device.vaddr = new
    link = ctx.system.links.link_of(ctx.userid, old)
    if link is not None:
        link.vaddr = new
    ctx.reply(f"{describe_device(new, device).devclass} {new:03X} DEFINED")
    return 0


def detach(ctx, args) -> int:
    if not args:
        raise operand_error()
    rc = detach_real(ctx, args)  # the operator's DETACH raddr [FROM userid]
    if rc is not None:
        return rc
    if args[0].upper() == "LAN":  # DETACH LAN (cp.commands.lan)
        from cp.commands.lan import detach_lan

        return detach_lan(ctx, args[1:])
    vm = ctx.vm
    for word in args:
        vaddr = _hex(word, 0x10000)
        device = vm.devices.get(vaddr)
        if device is None and ctx.system.links.link_of(vm.userid, vaddr) is None:
            raise CommandError(f"DMKVDD040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        devclass = describe_device(vaddr, device).devclass if device is not None else "DASD"
        if devclass == "CONS":
            raise CommandError(f"DMKVDD041E DEV {vaddr:03X} IS THE VIRTUAL CONSOLE", 41)
        if device is not None:
            device.detach()
            del vm.devices[vaddr]
        ctx.system.links.remove(vm.userid, vaddr)
        ctx.reply(f"{devclass} {vaddr:03X} DETACHED")
    return 0


# ------------------------------------------------------------------ DISPLAY / STORE
#
# VM/370 CP Command Reference, DISPLAY and STORE.  Storage operands are
# [L|T|K]hexloc[-hexloc2|-END|.bytecount]: L (or no letter) in hexadecimal,
# T the same with the EBCDIC translation, K the storage keys.  Registers are
# G (general), Y (floating point: 0, 2, 4, 6) and X (control), numbered in
# decimal (G12) or by one hexadecimal digit (GC): Gr, Gr1-r2, Gr1-END,
# Gr.count, or the letter alone for all of them.  PSW, CAW and CSW name
# themselves.  Several operands may follow one DISPLAY.


def ebcdic_text(data: bytes) -> str:
    """Printable EBCDIC as on a DISPLAY line; other bytes show as a period."""
    text = from_ebcdic(bytes(data))
    return "".join(c if c.isprintable() and c.isascii() else "." for c in text)


def _range(spec: str, size: int) -> tuple[int, int]:
    """``hexloc``, ``hexloc-end``, ``hexloc.len`` or ``hexloc-END`` -> (start, end exclusive)."""
    if "-" in spec:
        a, b = spec.split("-", 1)
        start = _hex(a, size)
        end = size - 1 if b.upper() == "END" else _hex(b, size)
    elif "." in spec:
        a, b = spec.split(".", 1)
        start = _hex(a, size)
        end = min(size - 1, start + max(1, _hex(b)) - 1)
    else:
        start = _hex(spec, size)
        end = min(size - 1, start + 3)
    if end < start:
        raise operand_error(spec)
    return start, end + 1


def display_storage(ctx, spec: str, translate: bool = False) -> None:
    """Lines of four words from the 16-byte boundary at or below the start;
    T adds the EBCDIC translation between asterisks."""
    cpu = ctx.vm.cpu
    start, end = _range(spec, len(cpu.mem))
    line_start = start & ~0xF
    while line_start < end:
        lo, hi = max(line_start, start), min(line_start + 16, end)
        data = bytes(cpu.mem[lo:hi])
        words = []
        for w in range(line_start, line_start + 16, 4):
            chunk = cpu.mem[max(w, lo) : min(w + 4, hi)] if w < hi and w + 4 > lo else b""
            words.append(bytes(chunk).hex().upper().ljust(8) if chunk else " " * 8)
        line = f"{line_start:06X}  {' '.join(words)}"
        ctx.reply(f"{line}  *{ebcdic_text(data):<16}*" if translate else line.rstrip())
        line_start += 16


def display_keys(ctx, spec: str) -> None:
    cpu = ctx.vm.cpu
    start, end = _range(spec or "0-END", len(cpu.mem))
    for block in range(start >> 11, ((end - 1) >> 11) + 1):
        ctx.reply(f"KEY {block << 11:06X} = {cpu.keys[block]:02X}")


#: Register sets: DISPLAY/STORE letter -> (label, the registers' numbers, hex digits).
REGISTER_SETS = {
    "G": ("GPR", tuple(range(16)), 8),
    "X": ("CR ", tuple(range(16)), 8),
    "Y": ("FPR", (0, 2, 4, 6), 16),
}


def register_values(cpu, letter: str):
    return {"G": cpu.gpr, "X": cpu.cr, "Y": cpu.fpr}[letter]


def _reg(text: str, numbers: tuple[int, ...]) -> int:
    """A register number: decimal (G12) or one hexadecimal digit (GC)."""
    word = text.upper()
    if word.isdigit():
        value = int(word)
    elif len(word) == 1 and word in "ABCDEF":
        value = int(word, 16)
    else:
        raise operand_error(text or None)
    if value not in numbers:
        raise operand_error(text)
    return value


def register_range(letter: str, spec: str) -> list[int]:
    """The registers an operand names: all, r, r1-r2, r1-END or r.count."""
    numbers = REGISTER_SETS[letter][1]
    if not spec:
        return list(numbers)
    if "." in spec:
        first_text, count_text = spec.split(".", 1)
        first = _reg(first_text, numbers)
        if not count_text.isdigit() or int(count_text) < 1:
            raise operand_error(spec)
        return [n for n in numbers if n >= first][: int(count_text)]
    first_text, dash, last_text = spec.partition("-")
    first = _reg(first_text, numbers)
    last = (
        numbers[-1]
        if dash and last_text.upper() == "END"
        else _reg(last_text, numbers)
        if dash
        else first
    )
    if last < first:
        raise operand_error(spec)
    return [n for n in numbers if first <= n <= last]


def display_registers(ctx, letter: str, spec: str) -> None:
    label, _, digits = REGISTER_SETS[letter]
    values = register_values(ctx.vm.cpu, letter)
    chosen = register_range(letter, spec)
    index = (lambda n: n >> 1) if letter == "Y" else (lambda n: n)
    for i in range(0, len(chosen), 4):
        group = chosen[i : i + 4]
        shown = " ".join(f"{values[index(n)]:0{digits}X}" for n in group)
        ctx.reply(f"{label} {group[0]:2d} = {shown}")


def display(ctx, args) -> int:
    """DISPLAY [L|T|K]hexloc[-end|.len] | G|Y|X[r[-r2|.n]] | PSW | CAW | CSW, several allowed."""
    cpu = ctx.vm.cpu
    for word in args or ["G"]:
        key = word.upper()
        if key == "PSW":
            psw = cpu.get_psw().hex().upper()
            ctx.reply(f"PSW = {psw[:8]} {psw[8:]}")
        elif key == "CAW":
            ctx.reply(f"CAW = {bytes(cpu.mem[0x48:0x4C]).hex().upper()}")
        elif key == "CSW":
            csw = bytes(cpu.mem[0x40:0x48]).hex().upper()
            ctx.reply(f"CSW = {csw[:8]} {csw[8:]}")
        elif key[0] in REGISTER_SETS:
            display_registers(ctx, key[0], key[1:])
        elif key[0] == "K":
            display_keys(ctx, key[1:])
        elif key[0] == "T":
            display_storage(ctx, key[1:], translate=True)
        else:
            display_storage(ctx, key.removeprefix("L"))
    return 0


def hexdata(values: list[str]) -> list[bytes]:
    """STORE's data operands: hexadecimal digits, an odd count padded on the left."""
    out = []
    for v in values:
        try:
            out.append(bytes.fromhex(v.zfill(len(v) + len(v) % 2)))
        except ValueError:
            raise CommandError(f"DMKCDB005E INVALID HEXDATA - {v.upper()}", 5) from None
    return out


def store_registers(cpu, letter: str, spec: str, data: list[bytes]) -> None:
    """STORE Gr|Xr|Yr value ...: consecutive registers from r (FPRs take 16 digits)."""
    numbers = REGISTER_SETS[letter][1]
    first = _reg(spec, numbers)
    values = register_values(cpu, letter)
    width = 8 if letter == "Y" else 4
    for number, d in zip([n for n in numbers if n >= first], data):
        if len(d) > width:
            raise CommandError(f"DMKCDB005E INVALID HEXDATA - {d.hex().upper()}", 5)
        value = int.from_bytes(d.rjust(width, b"\0"), "big")
        values[number >> 1 if letter == "Y" else number] = value


def store_psw(cpu, data: list[bytes]) -> None:
    """STORE PSW [word1] word2: one word replaces the second half (the
    instruction address word), two replace the whole PSW."""
    if not 1 <= len(data) <= 2 or any(len(d) > 4 for d in data):
        raise operand_error()
    words = [d.rjust(4, b"\0") for d in data]
    image = b"".join(words) if len(words) == 2 else cpu.get_psw()[:4] + words[0]
    cpu.load_psw(image)


def store(ctx, args) -> int:
    """STORE [L]hexloc hexdata... | Gr|Xr|Yr value... | PSW [word1] word2."""
    cpu = ctx.vm.cpu
    if len(args) < 2:
        raise operand_error()
    key = args[0].upper()
    data = hexdata(args[1:])
    if key == "PSW":
        store_psw(cpu, data)
    elif key[0] in REGISTER_SETS:
        store_registers(cpu, key[0], key[1:], data)
    else:
        address = _hex(key.removeprefix("L"), len(cpu.mem))
        image = b"".join(data)
        if address + len(image) > len(cpu.mem):
            raise CommandError(f"DMKCDB160E HEXLOC {address + len(image):06X} EXCEEDS STORAGE", 160)
        cpu.mem[address : address + len(image)] = image
    ctx.reply("STORE COMPLETE")
    return 0


# ------------------------------------------------------------------ TRACE / ADSTOP


def trace_destination(word: str) -> str | None:
    """The TRACE output a word names (PRINTER, TERMINAL, BOTH), or None."""
    return full_name(word, TRACE_OUTPUTS)


def trace_event(word: str) -> str | None:
    """The TRACE event a word names, or None."""
    if word == "I/O":
        return "IO"
    return full_name(word, TRACE_EVENTS)


def trace(ctx, args) -> int:
    """TRACE event... [PRINTER|TERMINAL|BOTH|OFF] [RUN|NORUN] | TRACE END.

    SVC, INSTRUCT, BRANCH, PROGRAM, EXTERNAL, PRIV and I/O are recorded by
    the CPU; SIO, CCW and CSW by CP at each I/O instruction.  NORUN (the
    default) stops the VM in CP READ after each traced event; RUN only
    reports.  Several TRACE commands add up: each sets the events it names
    (with its own output and RUN/NORUN), OFF ends the events named.  CP
    says TRACE STARTED when tracing begins and TRACE ENDED when it ends."""
    vm = ctx.vm
    if not args:
        raise operand_error()
    events, output, run, off = set(), "TERMINAL", None, False
    for word in args:
        key = word.upper()
        if key == "END":
            end_trace(vm)
            ctx.reply("TRACE ENDED")
            return 0
        if key == "ALL":
            events.update(TRACE_EVENT_NAMES)
        elif key == "OFF":
            off = True
        elif trace_destination(key) is not None:
            output = trace_destination(key)
        elif key in ("RUN", "NORUN"):
            run = key == "RUN"
        elif trace_event(key) is not None:
            events.add(trace_event(key))
        else:
            raise operand_error(word)
    if not events:
        raise operand_error()
    modes = dict(vm.trace)
    for name in events:
        if off:
            modes.pop(name, None)
        else:
            modes[name] = TraceMode(output, run if run is not None else output == "PRINTER")
    was_tracing = bool(vm.trace)
    set_trace(vm, modes)
    if modes and not was_tracing:
        ctx.reply("TRACE STARTED")
    elif was_tracing and not modes:
        ctx.reply("TRACE ENDED")
    return 0


def adstop(ctx, args) -> int:
    """ADSTOP hexloc|OFF: stop when the instruction at hexloc is next.  One
    address stop at a time; it is removed when reached, by an IPL or SYSTEM
    RESET, by ADSTOP OFF or by a new ADSTOP (CP Command Reference, ADSTOP)."""
    if len(args) != 1:
        raise operand_error()
    if args[0].upper() == "OFF":
        set_adstop(ctx.vm, None)
    else:
        set_adstop(ctx.vm, _hex(args[0], len(ctx.vm.cpu.mem)))
    return 0


# ------------------------------------------------------------------ interrupts and devices


def external(ctx, args) -> int:
    """EXTERNAL [code]: an external interruption (default X'40', the interrupt key)."""
    cpu = ctx.vm.cpu
    code = _hex(args[0], 0x10000) if args else 0x40
    try:
        cpu.post_external(code)
    except ValueError:  # not a code an external interruption can carry
        raise operand_error(args[0]) from None
    ctx.vm.wake()
    return 0


def _devices(ctx, args):
    if not args:
        raise operand_error()
    for word in args:
        vaddr = _hex(word, 0x10000)
        device = ctx.vm.devices.get(vaddr)
        if device is None:
            raise CommandError(f"DMKCFM040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        yield vaddr, device


def request(ctx, args) -> int:
    """REQUEST: an attention from the virtual console, as the user's ENTER
    while the VM runs would give it."""
    if args:
        raise operand_error(args[0])
    ctx.vm.console.signal_attention()
    return 0


def ready(ctx, args) -> int:
    """READY vaddr: device end from the device, as when an operator readies it."""
    for vaddr, device in list(_devices(ctx, args)):
        device.not_ready = False
        channel.signal(device, channel.DEVICE_END)
    ctx.vm.wake()
    return 0


def notready(ctx, args) -> int:
    """NOTREADY vaddr: a start answers unit check, intervention required, until
    READY (cp.channel: the start I/O rules; cp.devices.base: the device's answer)."""
    for vaddr, device in list(_devices(ctx, args)):
        device.not_ready = True
    return 0


def reset(ctx, args) -> int:
    """RESET vaddr: clear the device's pending status and operation."""
    for vaddr, device in list(_devices(ctx, args)):
        ctx.vm.cpu.withdraw_io_interrupt(vaddr)
        device.reset()
    return 0


COMMANDS = [
    Command("IPL", 1, "G", ipl_command),
    Command("BEGIN", 1, "G", begin),
    Command("SYSTEM", 3, "G", system_command),
    Command("DEFINE", 3, "G", define),
    Command("DETACH", 3, "BG", detach),
    Command("DISPLAY", 1, "G", display),
    Command("STORE", 2, "G", store),
    Command("TRACE", 2, "G", trace),
    Command("ADSTOP", 6, "G", adstop),
    Command("EXTERNAL", 3, "G", external),
    Command("REQUEST", 3, "G", request),
    Command("READY", 5, "G", ready),
    Command("NOTREADY", 8, "G", notready),
    Command("RESET", 5, "G", reset),
]
