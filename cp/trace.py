"""TRACE: the events a virtual machine traces, how the CPU records them,
and the lines CP shows for them (VM/370 CP Command Reference for General
Users, TRACE).

``vm.trace`` maps each traced event to its ``TraceMode`` (output and
RUN/NORUN).  SVC, INSTRUCT, BRANCH, PROGRAM, EXTERNAL, PRIV and I/O are
recorded by the CPU (s390.cpu's TRACE_* record kinds, set here from the
events); SIO, CCW and CSW by CP at each I/O instruction.  The dispatcher
reports new records after each stop of the CPU (``report_new_records``) and
each I/O instruction (``report_io_trace``); a line shown with NORUN stops
the VM in CP READ once the traced event is complete.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from s390.disasm import decode
from s390.ebcdic import to_ebcdic
from s390.exits import (
    EXIT_DIAG,
    TRACE_BRANCH,
    TRACE_EXTERNAL,
    TRACE_INSTRUCTION,
    TRACE_INTERRUPTIONS,
    TRACE_IO,
    TRACE_PROGRAM,
    TRACE_SVC,
)
from s390.optable import lookup

#: DIAGNOSE X'008' (a CP command): traced, it never stops the VM (TRACE,
#: RUN/NORUN: NORUN has no effect for it).
DIAG_CP_COMMAND = 0x008

#: TRACE events and their minimum abbreviations (VM/370 CP Command Reference
#: for General Users, TRACE).  ``IO`` is the I/O operand, also typed ``I/O``.
TRACE_EVENTS = (
    ("SVC", 3),
    ("IO", 2),
    ("PROGRAM", 4),
    ("EXTERNAL", 3),
    ("PRIV", 4),
    ("SIO", 3),
    ("CCW", 3),
    ("BRANCH", 2),
    ("INSTRUCT", 4),
    ("CSW", 3),
)
TRACE_EVENT_NAMES = tuple(name for name, _ in TRACE_EVENTS)

#: The CPU's trace records (s390.cpu TRACE_* bits) each event asks for.
#: BRANCH and INSTRUCT trace the VM's interruptions too (the reference:
#: "traces virtual machine interrupts, PSW instructions, and successful
#: branches"); PRIV uses the instruction records and shows only the
#: privileged ones (s390.optable's privileged flag); I/O the I/O interruptions.
CPU_TRACE_BITS = {
    "INSTRUCT": TRACE_INSTRUCTION | TRACE_INTERRUPTIONS,
    "BRANCH": TRACE_BRANCH | TRACE_INTERRUPTIONS,
    "SVC": TRACE_SVC,
    "PROGRAM": TRACE_PROGRAM,
    "EXTERNAL": TRACE_EXTERNAL,
    "IO": TRACE_IO,
    "PRIV": TRACE_INSTRUCTION,
}
CPU_TRACE_LABELS = {
    TRACE_INSTRUCTION: "INSTR",
    TRACE_BRANCH: "BRANCH",
    TRACE_SVC: "SVC",
    TRACE_PROGRAM: "PROG",
    TRACE_EXTERNAL: "EXT",
    TRACE_IO: "IO INT",
}
#: The events that show a CPU record of each kind, the first one set decides
#: how the line goes out (its output and RUN/NORUN).
RECORD_EVENTS = {
    TRACE_INSTRUCTION: ("INSTRUCT", "PRIV"),
    TRACE_BRANCH: ("BRANCH", "INSTRUCT"),
    TRACE_SVC: ("SVC", "BRANCH", "INSTRUCT"),
    TRACE_PROGRAM: ("PROGRAM", "BRANCH", "INSTRUCT"),
    TRACE_EXTERNAL: ("EXTERNAL", "BRANCH", "INSTRUCT"),
    TRACE_IO: ("IO", "BRANCH", "INSTRUCT"),
}
#: TRACE events CP sees itself, at the I/O instruction exits.
IO_TRACE_EVENTS = ("SIO", "CCW", "CSW")


@dataclass(frozen=True)
class TraceMode:
    """How the lines of one traced event go out: to the terminal, the
    virtual printer or both, and whether the VM runs on (RUN) or stops in
    CP READ after each line (NORUN).  Output to the printer only never
    stops the VM (the reference: with PRINTER, RUN is assumed)."""

    output: str = "TERMINAL"
    run: bool = False

    @property
    def stops(self) -> bool:
        return not self.run and self.output != "PRINTER"


#: TRACE output operands and their minimum abbreviations.
TRACE_OUTPUTS = (("PRINTER", 4), ("TERMINAL", 4), ("BOTH", 4))


def set_trace(vm, modes: dict) -> None:
    """The VM traces ``modes`` (event -> TraceMode) from now on."""
    vm.trace = modes
    cpu = vm.cpu
    cpu.trace = functools.reduce(operator.or_, (CPU_TRACE_BITS.get(name, 0) for name in modes), 0)
    cpu.trace_stop = bool(cpu.trace)  # CP sees each record; with RUN it lets the VM go on
    vm.trace_seen = cpu.trace_count


def end_trace(vm) -> None:
    set_trace(vm, {})


def trace_mode(vm, candidates) -> TraceMode | None:
    """The mode of the first of ``candidates`` the VM traces."""
    return next((vm.trace[name] for name in candidates if name in vm.trace), None)


def trace_line(vm, text: str, mode: TraceMode) -> None:
    """One trace line to the terminal and/or the virtual printer (TRACE ... PRINTER)."""
    if mode.output in ("TERMINAL", "BOTH"):
        vm.console.write_line(text)
    printer = trace_printer(vm)
    if mode.output in ("PRINTER", "BOTH") and printer is not None:
        printer.write_record(to_ebcdic(text))


def trace_printer(vm):
    """The virtual printer TRACE writes to: the one with the lowest address
    (the reference: define a printer below 00E to keep trace output apart
    from the program's own), or None."""
    printers = [(vaddr, device) for vaddr, device in vm.devices.items() if device.devclass == "PRT"]
    return min(printers, key=lambda pair: pair[0])[1] if printers else None


def report_cpu_trace(vm) -> tuple[int, int, bool]:
    """Show the trace records the CPU made since the last report; returns
    (records made, lines shown, whether a line shown stops the VM): TRACE
    PRIV without INSTRUCT passes over the records of instructions that are
    not privileged."""
    cpu = vm.cpu
    new = cpu.trace_count - vm.trace_seen
    if new <= 0:
        return 0, 0, False
    vm.trace_seen = cpu.trace_count
    shown, stop = 0, False
    for record in cpu.trace_records()[-new:]:
        shown_as = trace_record_line(vm, *record)
        if shown_as is not None:
            line, mode = shown_as
            trace_line(vm, line, mode)
            shown += 1
            stop = stop or mode.stops
    return new, shown, stop


def is_privileged(data: bytes) -> bool:
    """Whether the instruction in ``data`` is privileged (s390.optable)."""
    op = lookup(data[0], data[1] if len(data) > 1 else 0)
    return op is not None and op.privileged


def trace_record_line(vm, kind, from_ia, to_ia, ilc, data, code) -> tuple[str, TraceMode] | None:
    """The TRACE line of one CPU trace record and how it goes out, or None
    when it is not wanted: a branch to itself is not detected by TRACE
    (the reference, TRACE note 5), PRIV shows privileged instructions only."""
    mode = trace_mode(vm, RECORD_EVENTS.get(kind, ()))
    if mode is None or (kind == TRACE_BRANCH and to_ia == from_ia):
        return None
    line = record_text(vm, kind, from_ia, to_ia, data, code)
    return (line, mode) if line is not None else None


def record_text(vm, kind, from_ia, to_ia, data, code) -> str | None:
    """The text of a trace line: the event, its address, the instruction
    (or interruption code, device) and where control went."""
    label = CPU_TRACE_LABELS.get(kind, "TRACE")
    if kind == TRACE_INSTRUCTION and "INSTRUCT" not in vm.trace:
        if not is_privileged(data):
            return None
        label = "PRIV"
    if kind == TRACE_EXTERNAL:  # external interruption: its code
        return f"{label:<6} AT {from_ia:06X} CODE {code:04X} ==> {to_ia:06X}"
    if kind == TRACE_IO:  # I/O interruption: the device
        return f"{label:<6} AT {from_ia:06X} DEV {code:03X} ==> {to_ia:06X}"
    length, text = decode(data)
    line = f"{label:<6} AT {from_ia:06X} {data[:length].hex().upper():<12} {text}"
    if kind == TRACE_PROGRAM:
        line += f" CODE {code:04X} ==> {to_ia:06X}"
    elif kind == TRACE_BRANCH:
        line += f" ==> {to_ia:06X}"
    return line


def io_mnemonic(opcode: int) -> str:
    """The mnemonic of the I/O instruction whose first two bytes are ``opcode`` (s390.optable)."""
    op = lookup(opcode >> 8, opcode & 0xFF)
    return op.mnemonic if op is not None else "I/O"


def report_io_trace(vm, opcode: int, devaddr: int, cc: int, address: int) -> bool:
    """TRACE SIO/CCW/CSW: one line per I/O instruction, with CAW and CSW;
    True when the line stops the VM (NORUN)."""
    events = vm.trace.keys()
    mode = trace_mode(vm, IO_TRACE_EVENTS)
    if mode is None:
        return False
    mem = vm.cpu.mem
    line = f"I/O    AT {address:06X} {io_mnemonic(opcode):<5} {devaddr:03X} CC {cc}"
    if "CCW" in events and opcode in (0x9C00, 0x9C01):
        caw = int.from_bytes(mem[0x48:0x4C], "big") & 0xFFFFFF
        if caw + 8 <= len(mem):
            line += f" CAW {caw:06X} CCW {bytes(mem[caw : caw + 8]).hex().upper()}"
    if cc == 1 or "CSW" in events:
        line += f" CSW {bytes(mem[0x40:0x48]).hex().upper()}"
    trace_line(vm, line, mode)
    return mode.stops


def report_new_records(vm, traced_before: int) -> tuple[int, bool]:
    """After the CPU stopped: show the TRACE lines of the records it made
    since ``traced_before``; how many lines, and whether one of them stops
    the VM (NORUN)."""
    if not vm.trace or vm.cpu.trace_count == traced_before:
        return 0, False
    return report_cpu_trace(vm)[1:]


def stops_after_exit(vm, trace_stop: bool) -> bool:
    """Whether the traced lines just shown stop the VM once the traced
    instruction's own exit is performed: not for DIAGNOSE X'008' (the CP
    Command Reference, TRACE: NORUN has no effect for it)."""
    cpu = vm.cpu
    if cpu.stop_exit == EXIT_DIAG and cpu.exit_addr == DIAG_CP_COMMAND:
        return False
    return trace_stop
