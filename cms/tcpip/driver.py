"""The NIC driver of CMS TCP/IP: Ethernet frames through a 3088 LAN Channel Station.

CMS drives its NIC the way an S/370 program drives an LCS adapter
(docs/lan.md, "The NIC as a channel device"), one channel command at a time
through ``services.channel_io``:

* WRITE (X'01') sends an LCS block: each frame behind a 4-byte header
  ``offset(2) type(1) adapter(1)`` (offset of the next header from the start
  of the block; type X'01' Ethernet, X'00' an LCS command), then a zero
  offset.
* READ (X'02') returns the waiting frames as such a block, or ends with
  unit exception when nothing waits; the driver READs until then.
* The adapter presents attention when a frame reaches its empty queue; the
  driver clears it (as TEST I/O would) before it READs, so the attention of
  the next frame wakes the VM again.
* At start the driver issues the LCS commands STARTUP and LANSTAT; LANSTAT's
  reply carries the adapter's MAC address.

The NIC itself is found with CP's QUERY NIC (DIAGNOSE X'08'), as a CMS
program finds its devices: the adapter address and the LAN it is coupled to.
"""

from __future__ import annotations

import struct

from cms.tcpip.config import NetworkError
from cp.errors import DeviceError

WRITE, READ = 0x01, 0x02
UNIT_CHECK, UNIT_EXCEPTION = 0x02, 0x01
LCS_HEADER = struct.Struct(">HBB")
FRAME_COMMAND, FRAME_ETHERNET = 0x00, 0x01
LCS_STARTUP, LCS_LANSTAT = 0x07, 0x04
LCS_COMMAND_LENGTH = 20
LANSTAT_MAC_OFFSET = 30  # the 20-byte command area, 10 bytes, then the MAC
READ_COUNT = 0xFFFF  # a CCW's largest count
SENSE_INTERVENTION_REQUIRED = 0x40


def find_nic(services, wanted: int | None = None) -> tuple[int, str | None]:
    """(vaddr, "owner name" of its LAN or None) of the VM's first NIC, or of
    NIC ``wanted``; NetworkError when there is none."""
    _, lines = services.cp_command("QUERY NIC")
    nics: list[tuple[int, str | None]] = []
    for line in lines:
        words = line.split()
        if len(words) >= 2 and words[0] == "Adapter":
            nics.append((int(words[1], 16), None))
        elif nics and "LAN:" in words:
            at = words.index("LAN:")
            lan = " ".join(words[at + 1 : at + 3])
            nics[-1] = (nics[-1][0], None if lan.startswith("*") else lan)
    for vaddr, lan in nics:
        if wanted is None or vaddr == wanted:
            return vaddr, lan
    if wanted is not None:
        raise NetworkError(f"NIC {wanted:04X} does not exist (CP QUERY NIC)", 40)
    raise NetworkError(
        "No NIC is defined for this virtual machine (NICDEF in the directory, or CP DEFINE NIC)",
        40,
    )


def lcs_block(frames: list[tuple[int, bytes]]) -> bytes:
    """An LCS block of (type, frame) pairs, ended by a zero offset."""
    block = bytearray()
    for kind, frame in frames:
        block += LCS_HEADER.pack(len(block) + LCS_HEADER.size + len(frame), kind, 0) + frame
    return bytes(block + b"\0\0")


def split_block(block: bytes) -> list[tuple[int, bytes]]:
    """The (type, frame) pairs of a block READ returned (a bad chain ends it)."""
    frames, pos = [], 0
    while pos + LCS_HEADER.size <= len(block):
        offset, kind, _ = LCS_HEADER.unpack_from(block, pos)
        if offset <= pos + LCS_HEADER.size or offset > len(block):
            break
        frames.append((kind, bytes(block[pos + LCS_HEADER.size : offset])))
        pos = offset
    return frames


class NicDriver:
    """One NIC of the VM, driven through channel_io."""

    def __init__(self, services, vaddr: int):
        self.services = services
        self.vaddr = vaddr
        self.mac = b""
        self.backlog: list[bytes] = []  # Ethernet frames read while starting
        self.errors = 0  # WRITEs and READs the adapter refused (not coupled, detached)

    def start(self) -> bytes:
        """STARTUP and LANSTAT: the adapter's MAC address."""
        for code in (LCS_STARTUP, LCS_LANSTAT):
            area = struct.pack(">BBHHBB", code, 0, 0, 0, 0, 0).ljust(LCS_COMMAND_LENGTH, b"\0")
            self._write(lcs_block([(FRAME_COMMAND, area)]))
        for kind, frame in self._read_all():
            if kind == FRAME_COMMAND and frame[:1] == bytes([LCS_LANSTAT]):
                self.mac = frame[LANSTAT_MAC_OFFSET : LANSTAT_MAC_OFFSET + 6]
            elif kind == FRAME_ETHERNET:
                self.backlog.append(frame)
        if len(self.mac) != 6:
            raise NetworkError(f"NIC {self.vaddr:04X} did not tell its MAC address (LANSTAT)", 100)
        return self.mac

    def send(self, frame: bytes) -> None:
        """One Ethernet frame to the LAN (a refused WRITE is counted: the
        frame is lost as on a cable, TCP retransmits)."""
        self._write(lcs_block([(FRAME_ETHERNET, bytes(frame))]))

    def receive(self) -> list[bytes]:
        """Every Ethernet frame waiting at the adapter (its attention cleared)."""
        while self.services.withdraw_interruption(self.vaddr) is not None:
            pass
        frames, self.backlog = self.backlog, []
        frames += [frame for kind, frame in self._read_all() if kind == FRAME_ETHERNET]
        return frames

    def _write(self, block: bytes) -> None:
        try:
            result = self.services.channel_io(self.vaddr, WRITE, block, len(block))
        except DeviceError:
            self.errors += 1
            return
        if result.status & UNIT_CHECK:
            self.errors += 1

    def _read_all(self) -> list[tuple[int, bytes]]:
        """READ until unit exception (nothing waiting) or unit check."""
        frames = []
        while True:
            try:
                result = self.services.channel_io(self.vaddr, READ, b"", READ_COUNT)
            except DeviceError:
                self.errors += 1
                return frames
            if result.status & UNIT_CHECK:
                self.errors += 1
                return frames
            if result.status & UNIT_EXCEPTION or not result.data:
                return frames
            frames += split_block(result.data)
