"""The narrow interface every virtual device offers the channel (cp.channel).

A device answers one command at a time::

    outcome = device.execute(command, data, count)

and keeps its sense bytes for the SENSE command (X'04').  Each device class
declares its commands in one table, ``COMMANDS = {code: "method"}``; a code
not in the table is rejected the way real control units do it: unit check
with "command reject" in sense byte 0.  SENSE (X'04') and SENSE ID (X'E4')
are answered here for all devices, and a device CP made not ready (NOTREADY)
answers everything but SENSE with unit check, intervention required.
"""

from __future__ import annotations

from typing import ClassVar

from cp.channel import (
    CE_DE,
    SENSE_COMMAND_REJECT,
    SENSE_INTERVENTION_REQUIRED,
    UNIT_CHECK,
    Outcome,
)


class Device:
    """Base class of the virtual devices of a VM.  Every attribute CP reads
    of a device is declared here (QUERY, DIAGNOSE X'24', the guest services'
    DeviceInfo): a device class overrides what is its own."""

    devtype = ""  # the device type as QUERY and DIAG X'24' show it, e.g. "3215"
    devclass = ""  # CONS RDR PUN PRT DASD CTCA GRAF TIMER
    blocks = 0  # a disk's 512-byte blocks (cp.devices.fba)
    block_size = 0  # a disk's block size
    read_only = False  # a disk or tape CP lets the guest only read
    temporary = False  # a T-disk (DEFINE Tdddd, cp.tdisk): QUERY ALLOC counts it
    cylinders = 0  # a T-disk defined in cylinders: QUERY VIRTUAL shows them
    type_code = 0  # SENSE ID: device type and model
    model = 0
    cu_type = 0  # SENSE ID: control unit type and model
    cu_model = 0
    sense_length = 1  # bytes returned by a basic SENSE
    COMMANDS: ClassVar[dict[int, str]] = {}

    def __init__(self, vaddr: int, vm, **options):
        self.vaddr = vaddr
        self.vm = vm
        self.active_program = None  # cp.channel.ChannelProgram while a command waits
        self.sense = bytes(self.sense_length)
        self.operational = True
        #: Not ready (CP NOTREADY, an unloaded tape): a start is answered with
        #: unit check, intervention required, until READY (cp.channel).
        self.not_ready = False

    # -- the channel's one call ------------------------------------------------
    def execute(self, command: int, data: bytes | None, count: int) -> Outcome:
        if command == 0x04:
            if self.not_ready:  # the sense bytes say why: intervention required
                self.intervention_required()
            sense, self.sense = self.sense, bytes(self.sense_length)
            return Outcome(CE_DE, data=sense)
        self.sense = bytes(self.sense_length)
        if self.not_ready:
            return Outcome(CE_DE | self.intervention_required())
        if command == 0xE4:
            return Outcome(CE_DE, data=self.sense_id())
        method = self.COMMANDS.get(command)
        if method is None:
            return self.reject()
        return getattr(self, method)(command, data, count)

    def sense_id(self) -> bytes:
        """SENSE ID data: X'FF', control unit type/model, device type/model."""
        return (
            b"\xff"
            + self.cu_type.to_bytes(2, "big")
            + bytes([self.cu_model])
            + self.type_code.to_bytes(2, "big")
            + bytes([self.model])
        )

    def intervention_required(self) -> int:
        """A not-ready device refuses: sense byte 0 intervention required;
        the unit status it answers with (unit check)."""
        self.sense = bytes([SENSE_INTERVENTION_REQUIRED]).ljust(self.sense_length, b"\0")
        return UNIT_CHECK

    def unit_check(self, sense: bytes) -> Outcome:
        """End the command with unit check and these sense bytes."""
        self.sense = sense.ljust(self.sense_length, b"\0")
        return Outcome(CE_DE | UNIT_CHECK)

    def reject(self) -> Outcome:
        return self.unit_check(bytes([SENSE_COMMAND_REJECT]))

    def nop(self, command: int, data, count: int) -> Outcome:
        """Control no-operation: ends at once without data (an immediate command)."""
        return Outcome(CE_DE, immediate=True)

    # -- CP's calls ----------------------------------------------------------------
    def begin(self) -> None:
        """SIO/SIOF start a new channel program on this device."""

    def halt(self) -> None:
        """HIO/CLRIO ended a waiting command; undo what the wait set up."""

    def reset(self) -> None:
        """System reset: no program, no sense."""
        if self.active_program is not None:
            self.halt()
        self.active_program = None
        self.sense = bytes(self.sense_length)

    def detach(self) -> None:
        """The device leaves the VM (DETACH)."""
        self.reset()
        self.operational = False

    def logoff(self) -> None:
        """The VM logs off: close what the device has open, then detach."""
        self.detach()

    def query_line(self) -> str:
        """The QUERY VIRTUAL line for this device."""
        return f"{self.devclass:<4} {self.vaddr:03X} ON DEV {self.vaddr:03X}"
