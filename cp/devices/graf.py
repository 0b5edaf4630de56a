"""A virtual 3270 display station (GRAF), basic: the 3270 channel commands
on a screen buffer (IBM 3270 Information Display System Data Stream
Programmer's Reference, GA23-0059).

    X'01' WRITE  X'05' ERASE/WRITE  X'0D' ERASE/WRITE ALTERNATE  X'11' WSF
    X'02' READ BUFFER   X'06' READ MODIFIED   X'0B' SELECT / X'03' NOP
    X'04' SENSE   X'E4' SENSE ID

The device keeps the last outbound data stream (``screen``) and the inbound
record a terminal gave (``enter(record)``: AID, cursor address and modified
fields, which also presents attention).  No terminal is dialled to it yet:
without one, a read ends with unit check, intervention required.
"""

from __future__ import annotations

from cp import channel
from cp.channel import ATTENTION, CE_DE, SENSE_INTERVENTION_REQUIRED, Outcome
from cp.devices.base import Device


class Graf3270(Device):
    devtype = "3270"
    devclass = "GRAF"
    type_code = 0x3278
    model = 2
    cu_type = 0x3274
    COMMANDS = {
        0x01: "write",
        0x05: "erase_write",
        0x0D: "erase_write",
        0x11: "write",
        0x02: "read",
        0x06: "read",
        0x0B: "nop",
        0x03: "nop",
    }

    def __init__(self, vaddr: int, vm, **options):
        super().__init__(vaddr, vm, **options)
        self.screen = bytearray()  # outbound data since the last erase
        self.inbound: bytes | None = None
        self.dialed = None  # a terminal (set by DIAL), or None

    def erase_write(self, command: int, data: bytes, count: int) -> Outcome:
        self.screen = bytearray(data)
        return Outcome(CE_DE)

    def write(self, command: int, data: bytes, count: int) -> Outcome:
        self.screen += data
        return Outcome(CE_DE)

    def read(self, command: int, data, count: int) -> Outcome:
        if self.inbound is None:
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        record, self.inbound = self.inbound, None
        return Outcome(CE_DE, data=record)

    def enter(self, record: bytes) -> None:
        """A terminal sent an inbound record (an AID key): attention to the VM."""
        self.inbound = bytes(record)
        channel.signal(self, ATTENTION)

    def query_line(self) -> str:
        return f"GRAF {self.vaddr:03X} ON DEV {self.vaddr:03X} 3278"
