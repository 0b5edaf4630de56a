"""The virtual channel-to-channel adapter (CTCA, IBM 3088 in its 370 mode).

Two CTCAs of two virtual machines are coupled (``couple(a, b)``; the COUPLE
command and the directory's SPECIAL ... CTCA userid).  A command on one side
is matched with the complementary command on the other (IBM System/360 and
System/370 Channel-to-Channel Adapter, GA22-6983):

* WRITE (X'01') on one side and READ (X'02') on the other move the data;
  CONTROL (X'07') on one side is matched by SENSE COMMAND BYTE on the other.
* The side that issues its command first waits (its device stays busy); the
  other side gets an attention interruption, issues SENSE COMMAND BYTE
  (X'14') to learn what is waiting, then the matching command, and both
  commands end together with channel end and device end.
* X'03' no-operation, X'04' sense.  An uncoupled adapter is not ready:
  unit check, intervention required.
"""

from __future__ import annotations

from cp import channel
from cp.channel import ATTENTION, CE_DE, SENSE_INTERVENTION_REQUIRED, UNIT_EXCEPTION, Outcome
from cp.devices.base import Device

WRITE_CMD, READ_CMD, CONTROL_CMD, SENSE_CMD_BYTE = 0x01, 0x02, 0x07, 0x14
WRITE_EOF = 0x81  # WEOF on the other side: the reader sees unit exception


class CTCA(Device):
    devtype = "CTCA"
    devclass = "CTCA"
    type_code = 0x3088
    cu_type = 0x3088
    COMMANDS = {
        WRITE_CMD: "transfer",
        READ_CMD: "transfer",
        CONTROL_CMD: "transfer",
        WRITE_EOF: "transfer",
        SENSE_CMD_BYTE: "sense_command_byte",
        0x03: "nop",
    }

    def __init__(self, vaddr: int, vm, **options):
        super().__init__(vaddr, vm, **options)
        self.peer: CTCA | None = None
        self.waiting: tuple[int, bytes | None, int] | None = None  # our pending command

    def transfer(self, command: int, data, count: int) -> Outcome:
        peer = self.peer
        if peer is None:
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        if peer.waiting is not None and _complements(command, peer.waiting[0]):
            return self._complete_with(peer, command, data, count)
        self.waiting = (command, data, count)
        channel.signal(peer, ATTENTION)
        return Outcome(wait=True)

    def _complete_with(self, peer: "CTCA", command: int, data, count: int) -> Outcome:
        """Both sides' commands end; the data goes from the writer to the reader."""
        peer_cmd, peer_data, peer_count = peer.waiting
        peer.waiting = None
        if command == READ_CMD:
            if peer_cmd == WRITE_EOF:
                channel.resume(peer, Outcome(CE_DE))
                return Outcome(CE_DE | UNIT_EXCEPTION)
            moved = peer_data[:count]
            channel.resume(peer, Outcome(CE_DE, wanted=len(moved)))
            return Outcome(CE_DE, data=moved)
        # A WRITE or WRITE EOF meets the peer's READ.
        if command == WRITE_EOF:
            channel.resume(peer, Outcome(CE_DE | UNIT_EXCEPTION))
            return Outcome(CE_DE)
        moved = data[:peer_count]
        channel.resume(peer, Outcome(CE_DE, data=moved))
        return Outcome(CE_DE, wanted=len(moved))

    def sense_command_byte(self, command: int, data, count: int) -> Outcome:
        """The command the other side is waiting with (0 if none); a waiting
        CONTROL ends with it."""
        peer = self.peer
        waiting = peer.waiting if peer is not None else None
        if waiting is not None and waiting[0] == CONTROL_CMD:
            peer.waiting = None
            channel.resume(peer, Outcome(CE_DE))
        return Outcome(CE_DE, data=bytes([waiting[0] if waiting else 0]))

    def halt(self) -> None:
        self.waiting = None

    def detach(self) -> None:
        uncouple(self)
        super().detach()

    def query_line(self) -> str:
        if self.peer is None:
            return f"CTCA {self.vaddr:03X} ON DEV {self.vaddr:03X} UNCOUPLED"
        return f"CTCA {self.vaddr:03X} COUPLED TO {self.peer.vm.userid:<8} {self.peer.vaddr:03X}"


def _complements(command: int, other: int) -> bool:
    """Commands that end together across the adapter."""
    writes = (WRITE_CMD, WRITE_EOF)
    return (command == READ_CMD and other in writes) or (command in writes and other == READ_CMD)


def couple(a: CTCA, b: CTCA) -> None:
    """Connect two adapters; each drops its previous partner (VM/370 COUPLE)."""
    uncouple(a)
    uncouple(b)
    a.peer, b.peer = b, a


def uncouple(device: CTCA) -> None:
    peer, device.peer = device.peer, None
    if peer is not None and peer.peer is device:
        peer.peer = None
        if peer.waiting is not None:
            peer.waiting = None
            channel.resume(peer, peer.unit_check(bytes([SENSE_INTERVENTION_REQUIRED])))
