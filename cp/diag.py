"""DIAGNOSE (X'83'): the S/370 door to GuestServices.

A guest executes ``DIAG Rx,Ry,code`` (RS format ``83 Rx Ry B2 D2``; the code
is the effective address) in supervisor state; the CPU leaves its run loop
with EXIT_DIAG (docs/interfaces.md section 1) and ``execute(vm)`` below
performs the function with VM/370's register conventions (VM/370 System
Programmer's Guide, "DIAGNOSE Instruction in a Virtual Machine").  The Python
CMS nucleus calls the same GuestServices methods directly.

Addresses in registers are guest-real.  An address outside the VM's storage
is an addressing exception, an unknown code a specification exception, as
VM/370 reflects them.  Condition codes are set only where stated.
"""

from __future__ import annotations

from cp import channel
from cp.devices.unitrecord import Reader
from cp.services import DeviceError, describe_device, extended_identification
from s390.ebcdic import from_ebcdic, to_ebcdic

PGM_ADDRESSING = 0x05
PGM_SPECIFICATION = 0x06
DIAG_ILC = 2  # DIAGNOSE is four bytes: two halfwords

#: VDEVTYPC / RDEVTYPC device class codes (VM/370 RDEVBLOK class equates).
CLASS_CODES = {
    "CONS": 0x80,
    "GRAF": 0x40,
    "RDR": 0x20,
    "PUN": 0x10,
    "PRT": 0x10,
    "TAPE": 0x08,
    "DASD": 0x04,
    "CTCA": 0x02,
    "TIMER": 0x02,
}
#: VDEVTYPE device type codes within a class (this system's assignment).
TYPE_CODES = {
    "3215": 0x10,
    "3270": 0x04,
    "3277": 0x04,
    "2540R": 0x08,
    "3505": 0x04,
    "2540P": 0x08,
    "3525": 0x04,
    "1403": 0x08,
    "3211": 0x04,
    "3370": 0x02,
    "CTCA": 0x80,
    "3088": 0x80,
    "TIMER": 0x01,
}


class GuestCheck(Exception):
    """Reflect a program interruption with this code to the guest."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


# -- guest storage access ----------------------------------------------------


def fetch(vm, address: int, length: int) -> bytes:
    mem = vm.cpu.mem
    if address < 0 or address + length > len(mem):
        raise GuestCheck(PGM_ADDRESSING)
    return bytes(mem[address : address + length])


def store(vm, address: int, data: bytes) -> None:
    mem = vm.cpu.mem
    if address < 0 or address + len(data) > len(mem):
        raise GuestCheck(PGM_ADDRESSING)
    mem[address : address + len(data)] = data


def reg(vm, r: int) -> int:
    return vm.cpu.gpr[r & 15]


def set_reg(vm, r: int, value: int) -> None:
    vm.cpu.gpr[r & 15] = value & 0xFFFFFFFF


# -- X'00': store extended identification --------------------------------------


def diag_00(vm, rx: int, ry: int) -> None:
    """Rx = address of the buffer, Ry = its length in bytes; data stored, no CC."""
    data = extended_identification(vm)
    store(vm, reg(vm, rx), data[: min(len(data), reg(vm, ry))])


# -- X'08': virtual console function (CP command) --------------------------------


def diag_08(vm, rx: int, ry: int) -> None:
    """Rx = address of the command text (EBCDIC; X'15' separates commands),
    Ry = flag byte (bits 0-7) and length (bits 16-31, at most 240).
    Flag X'40': the response goes to the buffer at R(x+1), of length R(y+1),
    lines ending with X'15'; CC0 it fitted (R(y+1) = bytes stored), CC1 it
    did not (R(y+1) = bytes lost).  Without X'40' the response is written to
    the console.  On return Ry = the return code (the CP message number).
    Length 0: the VM enters CP READ, as the break key would."""
    flags = (reg(vm, ry) >> 24) & 0xFF
    length = reg(vm, ry) & 0xFFFF
    if length == 0:
        vm.console.enter_cp()
        return
    text = from_ebcdic(fetch(vm, reg(vm, rx), min(length, 240)))
    rc, lines = vm.services.cp_command(text)
    set_reg(vm, ry, rc)
    if not flags & 0x40:
        for line in lines:
            vm.console.write_line(line)
        return
    response = b"".join(to_ebcdic(line) + b"\x15" for line in lines)
    room = reg(vm, ry + 1)
    store(vm, reg(vm, rx + 1), response[:room])
    if len(response) <= room:
        set_reg(vm, ry + 1, len(response))
        vm.cpu.set_cc(0)
    else:
        set_reg(vm, ry + 1, len(response) - room)
        vm.cpu.set_cc(1)


# -- X'0C': pseudo timer -----------------------------------------------------------


def diag_0c(vm, rx: int, ry: int) -> None:
    """Rx = address of a 32-byte area (doubleword aligned): MM/DD/YY (8),
    HH:MM:SS (8), virtual CPU time in microseconds (8), total CPU time (8)."""
    date, clock, virtual, total = vm.services.pseudo_timer()
    store(
        vm,
        reg(vm, rx),
        to_ebcdic(date) + to_ebcdic(clock) + virtual.to_bytes(8, "big") + total.to_bytes(8, "big"),
    )


# -- X'14': input spool file manipulation -----------------------------------------


def diag_14(vm, rx: int, ry: int) -> None:
    """Ry (even register) = reader vaddr, R(y+1) = subcode.  Subcode X'0000'
    reads the next card of the reader's current file into the 80 bytes at Rx
    (this system passes one card per call, not a 4K SPLINK buffer).  CC0 card
    stored, CC1 end of file, CC2 no file, CC3 error with R(y+1) = 4 (vaddr not
    a reader)."""
    vaddr = reg(vm, ry) & 0xFFFF
    subcode = reg(vm, ry + 1)
    device = vm.devices.get(vaddr)
    if not isinstance(device, Reader) or subcode != 0:
        set_reg(vm, ry + 1, 4 if subcode == 0 else 8)
        vm.cpu.set_cc(3)
        return
    had_file = device.file is not None
    card = device.read_record()
    if card is None:
        vm.cpu.set_cc(1 if had_file else 2)
        return
    store(vm, reg(vm, rx), bytes(card[:80]).ljust(80, b"\x40"))
    vm.cpu.set_cc(0)


# -- X'24': device type and features -------------------------------------------------


def diag_24(vm, rx: int, ry: int) -> None:
    """Rx = virtual device address, or -1 for the virtual console.  Returns
    Ry = VDEVTYPC, VDEVTYPE, VDEVSTAT, VDEVFLAG and R(y+1) = RDEVTYPC,
    RDEVTYPE, RDEVMDL, RDEVFTR (for a console: its line length in the low
    byte); with -1, Rx = console address and terminal code.  CC0 ok, CC3 no
    such device."""
    wanted = reg(vm, rx)
    console = wanted == 0xFFFFFFFF
    if console:
        vaddr = next((a for a, d in sorted(vm.devices.items()) if d.devclass == "CONS"), None)
    else:
        vaddr = wanted & 0xFFFF
    device = vm.devices.get(vaddr) if vaddr is not None else None
    if device is None:
        vm.cpu.set_cc(3)
        return
    info = describe_device(vaddr, device)
    cls, typ = CLASS_CODES.get(info.devclass, 0), TYPE_CODES.get(info.devtype, 0)
    status = 0x01 if info.read_only else 0x00
    set_reg(vm, ry, cls << 24 | typ << 16 | status << 8)
    feature = vm.console.options.linesize if info.devclass == "CONS" else 0
    set_reg(vm, ry + 1, cls << 24 | typ << 16 | feature)
    if console:
        set_reg(vm, rx, vaddr << 16)
    vm.cpu.set_cc(0)


# -- X'58': 3270 virtual console interface -----------------------------------------------

#: CCW flags (GA22-7000 "Channel Command Word"): data chaining, command chaining.
CCW_CD, CCW_CC = 0x80, 0x40
CCW_TIC = 0x08
#: Most CCWs CP follows in one DIAGNOSE X'58' (a TIC loop must end somewhere).
MAX_DIAG58_CCWS = 256
#: The X'19' control byte (VM/370 System Programmer's Guide, "DIAGNOSE Code
#: X'58'"; VM/SP adds X'FE'): X'FF' erases the output area and displays
#: nothing; X'FE' erases and redraws CP's screen, display from the top line;
#: otherwise bit 0 erases the output area first (VM/SP: after MORE...) and
#: bits 2-7 are the output-area line where the display starts.
CTL_ERASE_ONLY, CTL_REDRAW, CTL_ERASE_FIRST, CTL_LINE = 0xFF, 0xFE, 0x80, 0x3F
#: The most data one X'19' CCW may give (VM/SP: 2032 bytes).
DISPLAY_MAX = 2032
#: 3270 start-field order: it and its attribute byte take one screen position.
ORDER_SF = 0x1D


def diag58_operations(vm, address: int):
    """The operations of a DIAG X'58' CCW chain from ``address``: (command,
    control byte, data, CCW address) for each command, with the data of
    data-chained CCWs joined; TIC is followed.  Raises GuestCheck on a
    chain outside storage; None ends a chain that loops."""
    command = None
    for _ in range(MAX_DIAG58_CCWS):
        ccw = fetch(vm, address, 8)
        if ccw[0] == CCW_TIC:
            address = int.from_bytes(ccw[1:4], "big") & 0xFFFFF8
            continue
        if command is None:
            command, ctl, data, first = ccw[0], ccw[5], b"", address
        count = int.from_bytes(ccw[6:8], "big")
        data += fetch(vm, int.from_bytes(ccw[1:4], "big"), count)
        address += 8
        if ccw[4] & CCW_CD:
            continue  # more data for the same command
        yield command, ctl, data, first
        if not ccw[4] & CCW_CC:
            return
        command = None
    yield None


def display_rows(data: bytes, columns: int) -> list[str]:
    """X'19' data as screen rows: the bytes fill the output area row after
    row as in the 3270 buffer; a start-field order and its attribute take
    one position, nulls and other controls show as blanks."""
    cells = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ORDER_SF:
            i += 1  # the attribute byte
            byte = 0x40
        cells.append(byte if byte >= 0x40 else 0x40)
        i += 1
    text = from_ebcdic(bytes(cells))
    return [text[c : c + columns].rstrip() for c in range(0, len(text), columns)]


def diag58_display(vm, ctl: int, data: bytes) -> bool:
    """One X'19' display; False when the data does not fit on the screen
    (CP checks the start line and count against the output area)."""
    console = vm.console
    rows, columns = console.output_area()
    if ctl == CTL_ERASE_ONLY:
        console.display(0, [], clear=True)
        return True
    clear = ctl == CTL_REDRAW or bool(ctl & CTL_ERASE_FIRST)
    start = 0 if ctl == CTL_REDRAW else ctl & CTL_LINE
    lines = display_rows(data, columns)
    if len(data) > DISPLAY_MAX or start + len(lines) > rows:
        return False
    console.display(start, lines, clear)
    return True


def diag_58(vm, rx: int, ry: int) -> None:
    """Rx = address of the first CCW, Ry = console vaddr.  The CCWs may be
    command chained (several operations in one DIAGNOSE) and data chained
    (one operation's data from several areas).  X'19' displays data in the
    output area under its control byte (CCW byte 5, see CTL_*); X'29' sends
    its data to the terminal as a full-screen write; X'2A' reads the
    display's inbound data (AID, cursor, modified fields) into the CCW's
    buffer.  CC0 done (for X'2A': the read is started), CC1 an operation
    failed (another command, data that does not fit, a looping chain),
    CC3 no such device for a read.

    Full-screen read, as VM/SP's System Programmer's Guide describes full
    screen mode: when the user presses ENTER, a PF or PA key on a screen the
    guest owns, CP keeps the inbound data and posts an attention interruption
    from the console; the guest's X'2A' then receives it.  The read ends with
    an I/O interruption from the console (channel end and device end; the
    CSW count is the residual byte count), at once when the data is already
    there, else when the user presses a key."""
    for operation in diag58_operations(vm, reg(vm, rx)):
        if operation is None:
            vm.cpu.set_cc(1)
            return
        command, ctl, data, ccw_addr = operation
        if command == 0x2A:
            fullscreen_read(vm, ccw_addr, reg(vm, ry) & 0xFFFF, data)
            return
        if command == 0x19:
            done = diag58_display(vm, ctl, data)
        elif command == 0x29:
            vm.console.fullscreen_write(data)
            done = True
        else:
            done = False
        if not done:
            vm.cpu.set_cc(1)
            return
    vm.cpu.set_cc(0)


def fullscreen_read(vm, ccw_addr: int, vaddr: int, buffer: bytes) -> None:
    """DIAG X'58' CCW X'2A' (see diag_58): start a full-screen read into
    the CCW's data area (``buffer`` is what is there now: its length is the
    count)."""
    device = vm.devices.get(vaddr)
    if device is None:
        vm.cpu.set_cc(3)
        return
    ccw = fetch(vm, ccw_addr, 8)
    data_addr, count = int.from_bytes(ccw[1:4], "big"), len(buffer)

    def deliver(data: bytes) -> None:
        taken = bytes(data[:count])
        vm.cpu.mem[data_addr : data_addr + len(taken)] = taken
        csw = channel.make_csw(0, ccw_addr + 8, channel.CE_DE, 0, count - len(taken))
        channel.post_interrupt(vm, device, csw, wake=True)

    vm.console.request_fullscreen_read(deliver)
    vm.cpu.set_cc(0)


# -- X'5C': error message editing -----------------------------------------------------------


def diag_5c(vm, rx: int, ry: int) -> None:
    """Rx = address of the message, Ry = its length; per SET EMSG: ON no
    change, CODE Ry = 10, TEXT Rx advanced past the code and blank, Ry the
    text length, OFF Ry = 0."""
    emsg, length = vm.settings.emsg, reg(vm, ry)
    if emsg == "CODE":
        set_reg(vm, ry, min(length, 10))
    elif emsg == "TEXT":
        set_reg(vm, rx, reg(vm, rx) + 11)
        set_reg(vm, ry, max(0, length - 11))
    elif emsg == "OFF":
        set_reg(vm, ry, 0)


# -- X'60', X'64' ------------------------------------------------------------------------------


def diag_60(vm, rx: int, ry: int) -> None:
    """Rx = the virtual storage size in bytes."""
    set_reg(vm, rx, vm.storage_size)


def diag_64(vm, rx: int, ry: int) -> None:
    """Named segments: Rx = address of an 8-character name, Ry = function
    (0 LOADSYS, 4 non-shared, 8 PURGESYS, X'0C' FINDSYS).  This system saves
    no segments: LOADSYS/FINDSYS answer CC2 with Ry = 44 (no such segment),
    PURGESYS CC0."""
    fetch(vm, reg(vm, rx), 8)
    function = reg(vm, ry)
    if function == 8:
        vm.cpu.set_cc(0)
        return
    set_reg(vm, ry, 44)
    vm.cpu.set_cc(2)


# -- X'A4': synchronous block I/O on FBA minidisks ---------------------------------------------


def diag_a4(vm, rx: int, ry: int) -> None:
    """Rx = address of a 16-byte parameter list:
        +0 vaddr (2)  +2 flags (1: X'80' write)  +3 reserved
        +4 first block (4, from 0)  +8 block count (4)  +12 buffer address (4)
    Blocks are 512 bytes.  On return Ry = 0 or the CP error number and the CC:
    0 done, 1 not a minidisk (Ry = 40 no device, 22 not DASD), 2 block outside
    the disk, 3 write to a read-only disk (Ry = 36)."""
    plist = fetch(vm, reg(vm, rx), 16)
    vaddr = int.from_bytes(plist[0:2], "big")
    write = bool(plist[2] & 0x80)
    block, count = int.from_bytes(plist[4:8], "big"), int.from_bytes(plist[8:12], "big")
    buffer = int.from_bytes(plist[12:16], "big") & 0xFFFFFF
    device = vm.devices.get(vaddr)
    try:
        if (
            device is not None
            and device.devclass == "DASD"
            and (count == 0 or block + count > device.blocks)
        ):
            set_reg(vm, ry, 2)
            vm.cpu.set_cc(2)
            return
        if write:
            vm.services.block_write(vaddr, block, fetch(vm, buffer, count * 512))
        else:
            store(vm, buffer, vm.services.block_read(vaddr, block, count))
    except DeviceError as err:
        set_reg(vm, ry, err.rc)
        vm.cpu.set_cc(3 if err.rc == 36 else 1)
        return
    set_reg(vm, ry, 0)
    vm.cpu.set_cc(0)


def reflect_program_interruption(cpu, code: int, ilc: int) -> None:
    """Present a program interruption to the guest as the CPU would
    (GA22-7000 "Program Interruption"): old PSW at X'28' with the
    interruption code and ILC (BC mode: in the PSW; EC mode: at X'8C'-X'8F'),
    new PSW from X'68'.  CP does this for DIAGNOSE errors, as VM/370 reflects
    them to the virtual machine."""
    old = bytearray(cpu.get_psw())
    ec_mode = bool(old[1] & 0x08)
    mem = cpu.mem
    if ec_mode:
        mem[0x8C:0x90] = bytes([0, ilc << 1]) + code.to_bytes(2, "big")
    else:
        old[2:4] = code.to_bytes(2, "big")
        old[4] = (ilc << 6) | (old[4] & 0x3F)
    mem[0x28:0x30] = bytes(old)
    cpu.load_psw(bytes(mem[0x68:0x70]))


#: DIAGNOSE code -> function(vm, rx, ry).
DIAGNOSE_CODES = {
    0x00: diag_00,
    0x08: diag_08,
    0x0C: diag_0c,
    0x14: diag_14,
    0x24: diag_24,
    0x58: diag_58,
    0x5C: diag_5c,
    0x60: diag_60,
    0x64: diag_64,
    0xA4: diag_a4,
    0x68: lambda vm, rx, ry: _vmcf().diag_68(vm, rx, ry),
}


def _vmcf():
    from cp import vmcf  # VMCF, DIAGNOSE X'68' (cp.vmcf)

    return vmcf


def execute(vm) -> None:
    """Perform the DIAGNOSE the CPU exited for (cpu.exit_r1/exit_r3/exit_addr)."""
    cpu = vm.cpu
    code = cpu.exit_addr & 0xFFFF
    function = DIAGNOSE_CODES.get(code)
    try:
        if function is None:
            raise GuestCheck(PGM_SPECIFICATION)
        function(vm, cpu.exit_r1, cpu.exit_r3)
    except GuestCheck as check:
        reflect_program_interruption(cpu, check.code, DIAG_ILC)
