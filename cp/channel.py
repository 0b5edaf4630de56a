"""Virtual channels: the S/370 I/O instructions and channel-program rules.

Every rule of GA22-7000 chapter 13 ("Input/Output Operations") that CP
simulates for a virtual machine lives here, and only here: the eight I/O
instructions and their condition codes, the CAW at X'48' and CSW at X'40',
the format-0 CCW, command chaining, data chaining, TIC, SLI and incorrect
length, skip, PCI, indirect data addressing (IDAWs), unit status and
channel status, program and protection checks.  Devices (``cp.devices``) plug in through one narrow call::

    outcome = device.execute(command, data, count)

``data`` is what the channel fetched from storage for an output or control
command (the whole data-chained area), ``None`` for input commands.  The
device answers with an ``Outcome``: its unit status, the bytes it offers
for an input command, how many output bytes it wanted, or ``wait=True``
when it must wait (a console read waits for the user); such a device calls
``resume(device, outcome)`` later and the program goes on from there.

Completion is synchronous: a program started by SIO runs to its end before
SIO returns, and the ending interruption is posted to ``vm.cpu``.

CSW (GA22-7000 "Channel Status Word")::

    |key(4)|0|L|cc(2)|  CCW address + 8 (24)  |unit status|chan status| residual count |
    0      4 5 6      8                       32          40          48               63
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- low storage
CSW_ADDR = 0x40  # channel status word, stored by I/O instructions and interrupts
CAW_ADDR = 0x48  # channel address word, fetched by SIO/SIOF
CHANNEL_ID_ADDR = 0xA8  # STIDC stores the channel ID here

# ---------------------------------------------------------------- unit status (CSW byte 4)
ATTENTION = 0x80
STATUS_MODIFIER = 0x40
CONTROL_UNIT_END = 0x20
BUSY = 0x10
CHANNEL_END = 0x08
DEVICE_END = 0x04
UNIT_CHECK = 0x02
UNIT_EXCEPTION = 0x01
CE_DE = CHANNEL_END | DEVICE_END

# ---------------------------------------------------------------- channel status (CSW byte 5)
PCI = 0x80
INCORRECT_LENGTH = 0x40
PROGRAM_CHECK = 0x20
PROTECTION_CHECK = 0x10
CHANNEL_DATA_CHECK = 0x08
CHANNEL_CONTROL_CHECK = 0x04
INTERFACE_CONTROL_CHECK = 0x02
CHAINING_CHECK = 0x01

# ---------------------------------------------------------------- CCW flags (byte 4)
CD = 0x80  # chain data
CC = 0x40  # chain command
SLI = 0x20  # suppress length indication
SKIP = 0x10  # suppress transfer into storage
PCI_FLAG = 0x08
IDA = 0x04  # indirect data addressing: the data address names a list of IDAWs
FLAGS_MUST_BE_ZERO = 0x03
IDAW_BLOCK = 2048  # each IDAW after the first designates one 2K block

# ---------------------------------------------------------------- sense byte 0 (common to all devices)
SENSE_COMMAND_REJECT = 0x80
SENSE_INTERVENTION_REQUIRED = 0x40
SENSE_BUS_OUT_CHECK = 0x20
SENSE_EQUIPMENT_CHECK = 0x10
SENSE_DATA_CHECK = 0x08
SENSE_OVERRUN = 0x04

# Command-code kinds by the low-order bits (GA22-7000 "Command Code").
WRITE, READ, CONTROL, SENSE, READ_BACKWARD, TIC = "write", "read", "control", "sense", "rdbk", "tic"

# STIDC channel types (bits 0-3 of the channel ID word).
CHANNEL_TYPE_BYTE_MULTIPLEXER = 1
CHANNEL_TYPE_BLOCK_MULTIPLEXER = 2


def command_kind(cmd: int) -> str | None:
    """The operation a command code names, from its low-order bits; None if invalid.

    GA22-7000: xxxx0000 invalid, xxxx0100 sense, xxxx1000 TIC, xxxx1100 read
    backward, xxxxxx01 write, xxxxxx10 read, xxxxxx11 control."""
    if cmd & 0x03 == 0x01:
        return WRITE
    if cmd & 0x03 == 0x02:
        return READ
    if cmd & 0x03 == 0x03:
        return CONTROL
    return {0x4: SENSE, 0x8: TIC, 0xC: READ_BACKWARD}.get(cmd & 0x0F)


@dataclass(frozen=True)
class Outcome:
    """A device's answer to one command (see the module docstring)."""

    status: int = CE_DE
    data: bytes | None = None  # input commands: the record offered to the channel
    wanted: int | None = None  # output commands: bytes the device took (None = all offered)
    wait: bool = False  # the device ends this command later with resume()
    immediate: bool = False  # a control command that ended without data transfer


@dataclass(frozen=True)
class Ccw:
    """A format-0 channel command word, as fetched from ``addr``."""

    addr: int
    command: int
    data_addr: int
    flags: int
    count: int

    @classmethod
    def fetch(cls, mem, addr: int) -> Ccw:
        raw = mem[addr : addr + 8]
        return cls(
            addr, raw[0], int.from_bytes(raw[1:4], "big"), raw[4], int.from_bytes(raw[6:8], "big")
        )


class ChannelCheck(Exception):
    """A program or protection check found by the channel; ends the program."""

    def __init__(self, channel_status: int, ccw_addr: int, count: int = 0):
        super().__init__(channel_status)
        self.channel_status = channel_status
        self.ccw_addr = ccw_addr
        self.count = count


# ================================================================ storage access


def _storage_size(cpu) -> int:
    return len(cpu.mem)


def _key_allows(cpu, key: int, addr: int, store: bool) -> bool:
    """Key-controlled protection for channel access (GA22-7000 "Protection"):
    key 0 matches everything; a store needs a matching key, a fetch needs it
    only when the block is fetch-protected."""
    if key == 0:
        return True
    skey = cpu.keys[addr >> 11]
    if skey >> 4 == key:
        return True
    return not store and not skey & 0x08


def _check_area(cpu, key: int, addr: int, length: int, store: bool, ccw: Ccw) -> None:
    """Program check for data outside storage, protection check for a key mismatch."""
    if addr + length > _storage_size(cpu):
        raise ChannelCheck(PROGRAM_CHECK, ccw.addr, ccw.count)
    for block in range(addr >> 11, ((addr + length - 1) >> 11) + 1):
        if not _key_allows(cpu, key, block << 11, store):
            raise ChannelCheck(PROTECTION_CHECK, ccw.addr, ccw.count)


def _mark(cpu, addr: int, length: int, store: bool) -> None:
    """Set the reference (and, for stores, change) bits of the blocks touched."""
    bits = 0x06 if store else 0x04
    for block in range(addr >> 11, ((addr + length - 1) >> 11) + 1):
        cpu.keys[block] |= bits


# ================================================================ the running program


@dataclass
class ChannelProgram:
    """The subchannel's state while a device works a channel program."""

    vm: object
    device: object
    key: int
    next_addr: int  # address of the next CCW to fetch
    channel_status: int = 0
    first: bool = True  # still at the first command (SIO cc 1 rules)
    fetched: bool = False  # a CCW has been fetched (a TIC may not come first)
    after_tic: bool = False
    device_ran: bool = False  # the current command reached the device
    segments: list = field(default_factory=list)  # data-chained CCWs of the current command
    command: int = 0
    kind: str = ""

    @property
    def cpu(self):
        return self.vm.cpu


def _fetch_ccw(prog: ChannelProgram) -> Ccw:
    """Fetch the CCW at prog.next_addr, following TICs by their rules."""
    cpu = prog.cpu
    while True:
        addr = prog.next_addr
        if addr & 7 or addr + 8 > _storage_size(cpu):
            raise ChannelCheck(PROGRAM_CHECK, addr)  # invalid CCW address
        if not _key_allows(cpu, prog.key, addr, store=False):
            raise ChannelCheck(PROTECTION_CHECK, addr)
        ccw = Ccw.fetch(cpu.mem, addr)
        first_of_program, prog.fetched = not prog.fetched, True
        if command_kind(ccw.command) != TIC:
            prog.after_tic = False
            return ccw
        # TIC: not the CCW the CAW designates, never TIC after TIC, target
        # on a doubleword boundary (GA22-7000 "Transfer in Channel").
        if first_of_program or prog.after_tic or ccw.data_addr & 7:
            raise ChannelCheck(PROGRAM_CHECK, addr)
        prog.after_tic = True
        prog.next_addr = ccw.data_addr


def _validate(ccw: Ccw, data_chained: bool) -> None:
    """Invalid command code, flags or count: program check (GA22-7000)."""
    if not data_chained and command_kind(ccw.command) is None:
        raise ChannelCheck(PROGRAM_CHECK, ccw.addr, ccw.count)
    if ccw.flags & FLAGS_MUST_BE_ZERO or ccw.count == 0:
        raise ChannelCheck(PROGRAM_CHECK, ccw.addr, ccw.count)


def _gather_segments(prog: ChannelProgram, first: Ccw) -> list[Ccw]:
    """The CCW that starts a command plus the CCWs data-chained to it."""
    _validate(first, data_chained=False)
    segments = [first]
    while segments[-1].flags & CD:
        prog.next_addr = segments[-1].addr + 8
        nxt = _fetch_ccw(prog)
        _validate(nxt, data_chained=True)
        segments.append(nxt)
    return segments


def _fetch_word(prog: ChannelProgram, addr: int, ccw: Ccw) -> int:
    """An IDAW, fetched with the subchannel's key."""
    if addr & 3 or addr + 4 > _storage_size(prog.cpu):
        raise ChannelCheck(PROGRAM_CHECK, ccw.addr, ccw.count)
    if not _key_allows(prog.cpu, prog.key, addr, store=False):
        raise ChannelCheck(PROTECTION_CHECK, ccw.addr, ccw.count)
    return int.from_bytes(prog.cpu.mem[addr : addr + 4], "big")


def _areas(prog: ChannelProgram, seg: Ccw, backward: bool = False) -> list[tuple[int, int]]:
    """The storage areas of one CCW as (address, length) in transfer order.

    Without IDA: one area at the data address.  With IDA (GA22-7000
    "Channel Indirect Data Addressing") the data address names a list of
    IDAWs: the first gives any address and runs to the end of its 2K block
    (for read backward, down to its start); each further IDAW must give the
    first byte of a 2K block (read backward: the last) and supplies up to
    2K.  For read backward an area's address is its highest byte."""
    if not seg.flags & IDA:
        return [(seg.data_addr, seg.count)]
    areas, left, idaw_addr = [], seg.count, seg.data_addr
    while left:
        address = _fetch_word(prog, idaw_addr, seg)
        if address >> 24:
            raise ChannelCheck(PROGRAM_CHECK, seg.addr, seg.count)
        if backward:
            if areas and address % IDAW_BLOCK != IDAW_BLOCK - 1:
                raise ChannelCheck(PROGRAM_CHECK, seg.addr, seg.count)
            room = address % IDAW_BLOCK + 1
        else:
            if areas and address % IDAW_BLOCK:
                raise ChannelCheck(PROGRAM_CHECK, seg.addr, seg.count)
            room = IDAW_BLOCK - address % IDAW_BLOCK
        take = min(room, left)
        areas.append((address, take))
        left -= take
        idaw_addr += 4
    return areas


def _output_data(prog: ChannelProgram, segments: list[Ccw]) -> bytes:
    """Fetch the bytes an output or control command sends, segment by segment."""
    out = bytearray()
    for seg in segments:
        for addr, length in _areas(prog, seg):
            _check_area(prog.cpu, prog.key, addr, length, store=False, ccw=seg)
            out += prog.cpu.mem[addr : addr + length]
            _mark(prog.cpu, addr, length, store=False)
    return bytes(out)


def _store_area(prog: ChannelProgram, seg: Ccw, addr: int, chunk: bytes, backward: bool) -> None:
    start = addr - len(chunk) + 1 if backward else addr
    if start < 0:
        raise ChannelCheck(PROGRAM_CHECK, seg.addr, seg.count)
    _check_area(prog.cpu, prog.key, start, len(chunk), store=True, ccw=seg)
    prog.cpu.mem[start : start + len(chunk)] = chunk[::-1] if backward else chunk
    _mark(prog.cpu, start, len(chunk), store=True)


def _store_input(
    prog: ChannelProgram, segments: list[Ccw], data: bytes, backward: bool
) -> tuple[Ccw, int]:
    """Scatter input data over the segments; returns (last CCW used, its residual).

    SKIP suppresses the store but still counts; read backward fills each
    area from its high end (GA22-7000 "Read Backward")."""
    pos = 0
    for seg in segments:
        take = min(seg.count, len(data) - pos)
        if take and not seg.flags & SKIP:
            done = 0
            for addr, length in _areas(prog, seg, backward):
                piece = data[pos + done : pos + done + min(length, take - done)]
                if not piece:
                    break
                _store_area(prog, seg, addr, piece, backward)
                done += len(piece)
        pos += take
        if pos >= len(data) or seg is segments[-1]:
            return seg, seg.count - take
    return segments[-1], segments[-1].count


def _output_residual(segments: list[Ccw], taken: int) -> tuple[Ccw, int]:
    """The last CCW used by an output transfer of ``taken`` bytes and its residual."""
    for seg in segments:
        if taken <= seg.count:
            return seg, seg.count - taken
        taken -= seg.count
    return segments[-1], 0


def _command_ending(prog: ChannelProgram, outcome: Outcome) -> tuple[Ccw, int, bool]:
    """Account for the data of one finished command: (last CCW, residual, wrong length)."""
    segments = prog.segments
    offered = sum(s.count for s in segments)
    if (
        outcome.status & (UNIT_CHECK | UNIT_EXCEPTION)
        and outcome.data is None
        and outcome.wanted is None
    ):
        # The device refused or ended the command before any data moved:
        # nothing transferred, and no incorrect length is indicated.
        return segments[0], segments[0].count, False
    if prog.kind in (READ, SENSE, READ_BACKWARD):
        data = outcome.data or b""
        last, residual = _store_input(prog, segments, data, prog.kind == READ_BACKWARD)
        return last, residual, len(data) != offered
    wanted = offered if outcome.wanted is None else outcome.wanted
    last, residual = _output_residual(segments, min(wanted, offered))
    return last, residual, wanted != offered


# ================================================================ running and ending


def _start_command(prog: ChannelProgram) -> Outcome:
    """Fetch the next command (with its data-chained CCWs) and hand it to the device."""
    prog.device_ran = False
    prog.segments = []
    ccw = _fetch_ccw(prog)
    segments = _gather_segments(prog, ccw)
    prog.segments, prog.command, prog.kind = segments, ccw.command, command_kind(ccw.command)
    if any(s.flags & PCI_FLAG for s in segments):
        # The PCI interruption would be taken while the program runs; a
        # program that ends first reports PCI in its ending CSW (GA22-7000).
        prog.channel_status |= PCI
    offered = sum(s.count for s in segments)
    data = None
    if prog.kind in (WRITE, CONTROL):
        data = _output_data(prog, segments)
    prog.device_ran = True
    return prog.device.execute(ccw.command, data, offered)


def _run(prog: ChannelProgram, outcome: Outcome | None = None) -> tuple[int, bytes] | None:
    """Run the program until it ends or a device waits.

    Returns (ending kind, CSW) when it ended: kind ``"immediate"`` for a first
    control command that ended without data and without chaining (SIO then
    sets condition code 1), ``"end"`` otherwise; None while a device waits."""
    device = prog.device
    try:
        while True:
            if outcome is None:
                outcome = _start_command(prog)
            if outcome.wait:
                device.active_program = prog
                _post_pci(prog)
                return None
            device.active_program = None
            last, residual, wrong_length = _command_ending(prog, outcome)
            status = outcome.status
            if wrong_length and not last.flags & SLI:
                prog.channel_status |= INCORRECT_LENGTH
            chaining = (
                last.flags & CC
                and not last.flags & CD
                and not status & (UNIT_CHECK | UNIT_EXCEPTION)
                and not prog.channel_status & INCORRECT_LENGTH
            )
            if chaining:
                # Status modifier with CE+DE: the next CCW is skipped (GA22-7000).
                step = 16 if status & STATUS_MODIFIER else 8
                prog.next_addr = last.addr + step
                prog.first = False
                outcome = None
                continue
            kind = (
                "immediate" if (prog.first and outcome.immediate and not last.flags & CC) else "end"
            )
            return kind, make_csw(prog.key, last.addr + 8, status, prog.channel_status, residual)
    except ChannelCheck as check:
        device.active_program = None
        status = CE_DE if prog.device_ran else 0
        return "check", make_csw(
            prog.key,
            check.ccw_addr + 8,
            status,
            prog.channel_status | check.channel_status,
            check.count,
        )


def _post_pci(prog: ChannelProgram) -> None:
    """While the program waits in a device, its PCI interruption is taken
    (GA22-7000 "Program-Controlled Interruption"): unit status zero, the
    address of the CCW being executed + 8; the ending CSW does not repeat it."""
    if prog.channel_status & PCI:
        prog.channel_status &= ~PCI
        last = prog.segments[-1]
        post_interrupt(prog.vm, prog.device, make_csw(prog.key, last.addr + 8, 0, PCI, last.count))


def make_csw(
    key: int, ccw_addr: int, unit_status: int, channel_status: int, count: int, deferred_cc: int = 0
) -> bytes:
    """The 8-byte CSW image (layout in the module docstring)."""
    word0 = (key & 0xF) << 28 | (deferred_cc & 3) << 24 | (ccw_addr & 0xFFFFFF)
    return (
        word0.to_bytes(4, "big")
        + bytes([unit_status & 0xFF, channel_status & 0xFF])
        + (count & 0xFFFF).to_bytes(2, "big")
    )


def store_csw(vm, csw: bytes, status_only: bool = False) -> None:
    """Store a CSW at X'40'; ``status_only`` replaces just the status halfword."""
    if status_only:
        vm.cpu.mem[CSW_ADDR + 4 : CSW_ADDR + 6] = csw[4:6]
    else:
        vm.cpu.mem[CSW_ADDR : CSW_ADDR + 8] = csw


def post_interrupt(vm, device, csw: bytes, wake: bool = False) -> None:
    """Queue an I/O interruption for ``device`` with this CSW (a VM without a
    CPU yet has nobody to tell).  ``wake``: the status comes while the VM may
    be in a wait state (not during its own SIO), so its dispatcher is woken."""
    vm.cpu.post_io_interrupt(device.vaddr, csw)
    if wake:
        vm.wake()


def signal(device, unit_status: int) -> None:
    """An unsolicited status from a device (attention, device end when a
    reader becomes ready, ...): an interruption with only the status set."""
    post_interrupt(device.vm, device, make_csw(0, 0, unit_status, 0, 0), wake=True)


def resume(device, outcome: Outcome) -> None:
    """A waiting device ends its command; the program goes on from there and
    its ending interruption is posted."""
    prog = device.active_program
    if prog is None:
        return
    ended = _run(prog, outcome)
    if ended is not None:
        post_interrupt(prog.vm, device, ended[1], wake=True)


def _take_pending(vm, device) -> bytes | None:
    """Withdraw the device's queued interruption, if the CPU still holds one.

    TIO, CLRIO and SIO clear a pending interruption and report its status
    (GA22-7000), through the CPU's ``withdraw_io_interrupt(devaddr)``."""
    return vm.cpu.withdraw_io_interrupt(device.vaddr)


def _interrupt_pending(vm, device) -> bool:
    return vm.cpu.io_interrupt_pending(device.vaddr)


# ================================================================ the I/O instructions


def _device(vm, devaddr: int):
    """The virtual device at ``devaddr``, or None (not operational, cc 3)."""
    device = vm.devices.get(devaddr & 0xFFFF)
    if device is None or not device.operational:
        return None
    return device


def _fetch_caw(vm) -> tuple[int, int] | None:
    """The CAW's key and CCW address; None when bits 4-7 are not zero
    or the address is not on a doubleword boundary (program check)."""
    caw = int.from_bytes(vm.cpu.mem[CAW_ADDR : CAW_ADDR + 4], "big")
    key, ccw_addr = caw >> 28, caw & 0xFFFFFF
    if caw & 0x0F000000 or ccw_addr & 7:
        return None
    return key, ccw_addr


def _start(vm, devaddr: int, fast: bool) -> int:
    """START I/O and START I/O FAST RELEASE."""
    device = _device(vm, devaddr)
    if device is None:
        return 3
    if device.active_program is not None:
        return 2  # subchannel working with this device
    pending = _take_pending(vm, device)
    if pending is not None:
        # The device holds an interruption condition: busy plus that status,
        # the condition is cleared (GA22-7000 START I/O, CSW stored).
        store_csw(vm, make_csw(0, 0, BUSY | pending[4], 0, 0), status_only=True)
        return 1
    caw = _fetch_caw(vm)
    if caw is None:
        store_csw(vm, make_csw(0, 0, 0, PROGRAM_CHECK, 0), status_only=True)
        return 1
    if device.not_ready and not _first_command_is_sense(vm, caw[1]):
        # A device not ready (CP NOTREADY, an unloaded tape) answers the
        # initial selection with unit check, sense intervention required:
        # condition code 1, the status stored in the CSW (GA22-7000 START
        # I/O).  SENSE is accepted, so the program can learn why.
        store_csw(vm, make_csw(0, 0, device.intervention_required(), 0, 0), status_only=True)
        return 1
    prog = ChannelProgram(vm, device, caw[0], caw[1])
    device.begin()
    ended = _run(prog)
    if ended is None:
        return 0
    kind, csw = ended
    if kind == "immediate" or (kind == "check" and prog.first and not prog.device_ran):
        if fast:
            # SIOF: what SIO reports by cc 1 comes as an interruption with
            # deferred condition code 1 in the CSW (GA22-7000).
            post_interrupt(vm, device, bytes([csw[0] | 0x01]) + csw[1:])
            return 0
        store_csw(vm, csw)
        return 1
    post_interrupt(vm, device, csw)
    return 0


def _first_command_is_sense(vm, ccw_addr: int) -> bool:
    """Whether the CCW at ``ccw_addr`` (the program's first) is a SENSE."""
    return ccw_addr < len(vm.cpu.mem) and command_kind(vm.cpu.mem[ccw_addr]) == SENSE


def start_io_sio(vm, devaddr: int) -> int:
    return _start(vm, devaddr, fast=False)


def start_io_siof(vm, devaddr: int) -> int:
    return _start(vm, devaddr, fast=True)


def test_io(vm, devaddr: int) -> int:
    """TIO: 0 available, 1 CSW stored (pending interruption cleared), 2 working, 3 not operational."""
    device = _device(vm, devaddr)
    if device is None:
        return 3
    if device.active_program is not None:
        return 2
    return _store_pending_csw(vm, device)


def clear_io(vm, devaddr: int) -> int:
    """CLRIO: ends the operation at the subchannel; 0 available, 1 CSW stored, 3 not operational."""
    device = _device(vm, devaddr)
    if device is None:
        return 3
    if device.active_program is not None:
        prog, last = _stop_program(device)
        store_csw(vm, make_csw(prog.key, last.addr + 8, 0, prog.channel_status, last.count))
        return 1
    return _store_pending_csw(vm, device)


def _store_pending_csw(vm, device) -> int:
    """TIO and CLRIO clear a pending interruption of the device and store its
    CSW instead (condition code 1); 0 when none is pending."""
    pending = _take_pending(vm, device)
    if pending is None:
        return 0
    store_csw(vm, pending)
    return 1


def _stop_program(device):
    """End the device's channel program (HIO, HDV, CLRIO): the program and
    the CCW segment it had reached, for the CSW."""
    prog = device.active_program
    device.halt()
    device.active_program = None
    return prog, prog.segments[-1]


def _byte_multiplexer(devaddr: int) -> bool:
    """Channel 0 is a byte-multiplexer channel, the others block multiplexers."""
    return (devaddr >> 8) & 0xF == 0


def halt_io(vm, devaddr: int) -> int:
    """HIO/HDV: terminate the device's operation (GA22-7000 HALT I/O).

    0 interruption pending (nothing to halt), 1 CSW stored with zero status
    (device signalled; on the byte-multiplexer channel also when an operation
    was working), 2 a burst operation on a block-multiplexer channel was
    terminated, 3 not operational.  A halted operation ends with channel end
    and device end in its own interruption."""
    device = _device(vm, devaddr)
    if device is None:
        return 3
    if device.active_program is not None:
        prog, last = _stop_program(device)
        post_interrupt(
            vm, device, make_csw(prog.key, last.addr + 8, CE_DE, prog.channel_status, last.count)
        )
        if not _byte_multiplexer(device.vaddr):
            return 2
    elif _interrupt_pending(vm, device):
        return 0
    store_csw(vm, make_csw(0, 0, 0, 0, 0), status_only=True)
    return 1


def test_channel(vm, devaddr: int) -> int:
    """TCH: 0 the channel is available, 1 an interruption is pending in it,
    3 no device of this VM is on it (GA22-7000 TEST CHANNEL)."""
    channel = (devaddr >> 8) & 0xF
    on_channel = [d for addr, d in vm.devices.items() if (addr >> 8) & 0xF == channel]
    if not on_channel:
        return 3
    if any(_interrupt_pending(vm, d) for d in on_channel):
        return 1
    return 0


def store_channel_id(vm, devaddr: int) -> int:
    """STIDC: the channel-ID word at X'A8': type (0 byte multiplexer for
    channel 0, block multiplexer for the others), model 0, no logout."""
    channel = (devaddr >> 8) & 0xF
    if not any((addr >> 8) & 0xF == channel for addr in vm.devices):
        return 3
    ctype = CHANNEL_TYPE_BYTE_MULTIPLEXER if channel == 0 else CHANNEL_TYPE_BLOCK_MULTIPLEXER
    vm.cpu.mem[CHANNEL_ID_ADDR : CHANNEL_ID_ADDR + 4] = (ctype << 28).to_bytes(4, "big")
    return 0


#: The I/O instructions by 16-bit operation code (s390/optable.py).
IO_INSTRUCTIONS = {
    0x9C00: start_io_sio,
    0x9C01: start_io_siof,
    0x9D00: test_io,
    0x9D01: clear_io,
    0x9E00: halt_io,
    0x9E01: halt_io,  # HDV: the same for a virtual device without shared control units
    0x9F00: test_channel,
    0xB203: store_channel_id,
}


def start_io(vm, opcode: int, devaddr: int) -> int:
    """Perform the I/O instruction ``opcode`` for ``vm``'s CPU exit; set and return the cc."""
    cc = IO_INSTRUCTIONS[opcode](vm, devaddr & 0xFFFF)
    vm.cpu.set_cc(cc)
    return cc
