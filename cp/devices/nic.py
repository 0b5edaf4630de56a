"""The simulated NIC as a channel device: a 3088-class LAN Channel Station.

The guest drives its NIC the way S/370 code drives an IBM 8232 or 3172 in LCS
mode (and Hercules' LCS emulation): every subchannel of the NIC (``DEVICES
n`` consecutive addresses) takes these commands (docs/lan.md has the full
subset):

* WRITE (X'01'): the data is an LCS block, one or more frames, each with a
  4-byte LCS header ``offset(2) type(1) adapter(1)`` where ``offset`` is the
  offset of the next header from the start of the block; a header with
  offset 0 ends the block.  Type X'01' is an Ethernet frame, sent to the LAN;
  type X'00' is an LCS command (STARTUP, SHUTDOWN, STRTLAN, STOPLAN, LANSTAT)
  answered with a reply frame the next READ returns.  The whole block is
  checked first: a frame shorter than an Ethernet header, longer than the
  LAN's MFS, an offset that does not move forward inside the block or an
  unknown frame type sends nothing and ends with unit check, sense byte 0
  X'08' (data check) and byte 1 saying which (X'01' short, X'02' over the
  MFS, X'04' bad offset chain, X'08' unknown type).
* READ (X'02'): the waiting frames as an LCS block, as many as fit in the
  count, then the 2-byte zero offset; the residual count says how much was
  not used.  A first frame longer than the count is cut (incorrect length
  unless SLI).  Nothing waiting: channel end, device end, unit exception
  and no data.
* When a frame arrives at an empty queue the NIC's first subchannel
  presents attention: the guest's cue to READ.
* X'03' no-operation, X'04' sense, X'E4' sense ID (3088).
* A NIC that is not coupled to a LAN answers READ and WRITE like an adapter
  without a cable: unit check, intervention required.
"""

from __future__ import annotations

import struct

from cp import channel
from cp.channel import (
    ATTENTION,
    CE_DE,
    SENSE_INTERVENTION_REQUIRED,
    UNIT_EXCEPTION,
    Outcome,
)
from cp.devices.base import Device

WRITE_CMD, READ_CMD = 0x01, 0x02
LCS_HEADER = struct.Struct(">HBB")
FRAME_ETHERNET, FRAME_COMMAND = 0x01, 0x00
SENSE_DATA_CHECK = 0x08
#: Sense byte 1 of a refused WRITE.
WHY_SHORT, WHY_OVERSIZE, WHY_OFFSET, WHY_TYPE = 0x01, 0x02, 0x04, 0x08
WHY = {"short": WHY_SHORT, "oversize": WHY_OVERSIZE}

#: LCS command codes (the subset answered) and the LANSTAT reply layout.
LCS_STRTLAN, LCS_STOPLAN, LCS_LANSTAT, LCS_STARTUP, LCS_SHUTDOWN = 0x01, 0x02, 0x04, 0x07, 0x08
LCS_COMMANDS = {LCS_STRTLAN, LCS_STOPLAN, LCS_LANSTAT, LCS_STARTUP, LCS_SHUTDOWN}
LCS_CMD_HEADER = struct.Struct(
    ">BBHHBB"
)  # code, initiator, sequence, return code, lan type, adapter
LCS_CMD_LENGTH = 20  # the command area a reply carries


class NicDevice(Device):
    """One subchannel of a simulated NIC (cp.lan.Nic holds the NIC itself)."""

    devtype = "3088"
    devclass = "NIC"
    type_code = 0x3088
    model = 0x60  # the 3088 model an LCS adapter reports
    cu_type = 0x3088
    cu_model = 0x60
    sense_length = 2
    COMMANDS = {WRITE_CMD: "write", READ_CMD: "read", 0x03: "nop"}

    def __init__(self, vaddr: int, vm, nic=None, **options):
        super().__init__(vaddr, vm, **options)
        self.nic = nic

    # -- WRITE ----------------------------------------------------------------
    def write(self, command: int, data, count: int) -> Outcome:
        nic = self.nic
        if nic is None or nic.lan is None:
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        block = bytes(data or b"")
        frames, why = split_block(block)
        if why is None:
            for kind, frame in frames:
                if kind == FRAME_ETHERNET:
                    refused = nic.check_frame(frame)
                    if refused:
                        why = WHY[refused]
                        break
        if why is not None:
            nic.stats.refused += 1
            return self.unit_check(bytes([SENSE_DATA_CHECK, why]))
        for kind, frame in frames:
            if kind == FRAME_ETHERNET:
                nic.send(frame)
            else:
                self._command(frame)
        return Outcome(CE_DE)

    def _command(self, area: bytes) -> None:
        """An LCS command: the reply (return code 0) waits for the next READ."""
        code = LCS_CMD_HEADER.unpack_from(area.ljust(LCS_CMD_HEADER.size, b"\0"))[0]
        reply = bytearray(area[:LCS_CMD_LENGTH].ljust(LCS_CMD_LENGTH, b"\0"))
        reply[4:6] = b"\0\0"  # return code 0
        if code == LCS_LANSTAT:
            reply += bytes(10) + self.nic.mac  # LANSTAT: the adapter's MAC address
        # The reply waits for the next READ; no attention, which would come
        # before the WRITE's own ending status.
        self.nic.queue.append(_CommandReply(bytes(reply)))

    # -- READ -----------------------------------------------------------------
    def read(self, command: int, data, count: int) -> Outcome:
        nic = self.nic
        if nic is None or nic.lan is None and not nic.queue:
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        if not nic.queue:
            return Outcome(CE_DE | UNIT_EXCEPTION, data=b"")
        block = bytearray()
        while nic.queue:
            frame = nic.queue[0]
            kind = FRAME_COMMAND if isinstance(frame, _CommandReply) else FRAME_ETHERNET
            length = LCS_HEADER.size + len(frame)
            if block and len(block) + length + 2 > count:
                break
            nic.queue.popleft()
            block += LCS_HEADER.pack(len(block) + length, kind, 0) + bytes(frame)
        block += b"\0\0"
        return Outcome(CE_DE, data=bytes(block))

    # -- CP -------------------------------------------------------------------
    def arrival(self) -> None:
        """A frame reached the NIC's empty queue: attention on this subchannel."""
        channel.signal(self, ATTENTION)

    def detach(self) -> None:
        nic = self.nic
        super().detach()
        if nic is not None and nic.vaddr == self.vaddr:
            lans = getattr(self.vm.system, "lans", None)
            if lans is not None:
                lans.forget_nic(nic)
            for vaddr in range(nic.vaddr + 1, nic.vaddr + nic.device_count):
                other = self.vm.devices.get(vaddr)
                if isinstance(other, NicDevice) and other.nic is nic:
                    self.vm.devices.pop(vaddr, None)
                    other.nic = None
                    Device.detach(other)
            # The NIC and its first subchannel point at each other (the
            # arrival callback): broken here, so a logged-off VM is freed
            # by reference counting, not left to the cycle collector.
            nic.on_arrival = None
            self.nic = None

    def query_line(self) -> str:
        nic = self.nic
        if nic is None:
            return f"NIC  {self.vaddr:03X} ON DEV {self.vaddr:03X}"
        return f"NIC  {self.vaddr:04X} {lan_state(nic)}"


class _CommandReply(bytes):
    """An LCS command reply waiting in a NIC's receive queue."""


def lan_state(nic) -> str:
    if nic.lan is None:
        return "NOT COUPLED"
    return f"COUPLED TO LAN {nic.lan.owner} {nic.lan.name}"


def split_block(block: bytes) -> tuple[list[tuple[int, bytes]], int | None]:
    """The frames of an LCS block: [(type, frame)], and why it is bad (None if good)."""
    frames, pos = [], 0
    while pos + 2 <= len(block):
        offset = int.from_bytes(block[pos : pos + 2], "big")
        if offset == 0:
            return frames, None
        if offset <= pos + LCS_HEADER.size or offset > len(block):
            return frames, WHY_OFFSET
        kind = block[pos + 2]
        if kind not in (FRAME_ETHERNET, FRAME_COMMAND):
            return frames, WHY_TYPE
        body = block[pos + LCS_HEADER.size : offset]
        if kind == FRAME_COMMAND and (not body or body[0] not in LCS_COMMANDS):
            return frames, WHY_TYPE
        frames.append((kind, body))
        pos = offset
    if frames and pos == len(block):
        return frames, None  # the last frame ends the block exactly
    return frames, (WHY_OFFSET if block else WHY_SHORT)
