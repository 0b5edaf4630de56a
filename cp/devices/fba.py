"""FBA minidisks: the IBM 3370 Direct Access Storage as a virtual device.

Commands (IBM 3370 Direct Access Storage Description, GA26-1657; the FBA
channel program is DEFINE EXTENT, LOCATE, then READ or WRITE)::

    X'63' DEFINE EXTENT  16 bytes: mask(1) reserved(1) block size(2)
                         extent offset(4): device block of the extent's block 0
                         first block(4) last block(4): relative, inclusive
    X'43' LOCATE         8 bytes: operation(1) replication(1) block count(2)
                         first block(4), relative to the extent
                         operations: X'01' write, X'05' write and check,
                         X'02' read replicated, X'06' read
    X'41' WRITE          block count x 512 bytes
    X'42' READ           block count x 512 bytes
    X'02' READ IPL       block 0, with an implied extent of the whole device
                         (read only) for the LOCATE/READ CCWs the IPL record chains
    X'64' READ DEVICE CHARACTERISTICS  32 bytes
    X'03' no-operation   X'04' SENSE (24 bytes)   X'E4' SENSE ID

Errors end with unit check; sense byte 0 command reject for a bad sequence
or parameter, byte 1 X'40' file protected for a block outside the extent or
a write that the extent mask or a read-only link inhibits.
"""

from __future__ import annotations

from cp.channel import CE_DE, Outcome
from cp.devices.base import Device
from cp.minidisk import BLOCK_SIZE, Minidisk

MASK_INHIBIT_WRITE = 0x40  # DEFINE EXTENT mask bits 0-1 = 01: writes inhibited
SENSE1_FILE_PROTECTED = 0x40
LOCATE_WRITE = {0x01, 0x05}
LOCATE_READ = {0x02, 0x06}

# 3370 geometry for READ DEVICE CHARACTERISTICS: 62 blocks a track,
# 12 tracks an access position.
BLOCKS_PER_TRACK = 62
BLOCKS_PER_CYLINDER = 744


class FBADisk(Device):
    devtype = "3370"
    devclass = "DASD"
    type_code = 0x3370
    cu_type = 0x3880
    cu_model = 1
    sense_length = 24
    COMMANDS = {
        0x63: "define_extent",
        0x43: "locate",
        0x41: "write",
        0x42: "read",
        0x02: "read_ipl",
        0x64: "characteristics",
        0x03: "nop",
    }

    def __init__(
        self,
        vaddr: int,
        vm,
        minidisk: Minidisk | None = None,
        path=None,
        read_only: bool = False,
        **options,
    ):
        super().__init__(vaddr, vm, **options)
        self.disk = minidisk if minidisk is not None else Minidisk(path, read_only=read_only)
        self.read_only = read_only or self.disk.read_only
        self.extent = None  # (mask, offset, first, last) after DEFINE EXTENT
        self.located = None  # [operation, blocks left, next device block]

    @property
    def blocks(self) -> int:
        return self.disk.blocks

    @property
    def block_size(self) -> int:
        return BLOCK_SIZE

    # -- service interface (CMS block I/O) --------------------------------------------
    def read_blocks(self, block: int, count: int = 1) -> bytes:
        return self.disk.read_blocks(block, count)

    def write_blocks(self, block: int, data: bytes) -> None:
        self.disk.write_blocks(block, data)

    # -- channel commands ---------------------------------------------------------------
    def begin(self) -> None:
        """A new channel program: DEFINE EXTENT must come again."""
        self.extent, self.located = None, None

    def _protected(self) -> Outcome:
        return self.unit_check(bytes([0, SENSE1_FILE_PROTECTED]))

    def define_extent(self, command: int, data: bytes, count: int) -> Outcome:
        if len(data) < 16:
            return self.reject()
        mask = data[0]
        block_size = int.from_bytes(data[2:4], "big")
        offset, first, last = (int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12))
        if block_size != BLOCK_SIZE or first > last or offset + last >= self.disk.blocks:
            return self.reject()
        self.extent, self.located = (mask, offset, first, last), None
        return Outcome(CE_DE, wanted=16)

    def locate(self, command: int, data: bytes, count: int) -> Outcome:
        if self.extent is None or len(data) < 8:
            return self.reject()
        operation, blocks = data[0], int.from_bytes(data[2:4], "big")
        first = int.from_bytes(data[4:8], "big")
        mask, offset, low, high = self.extent
        if operation not in LOCATE_WRITE | LOCATE_READ or blocks == 0:
            return self.reject()
        if first < low or first + blocks - 1 > high:
            return self._protected()
        if operation in LOCATE_WRITE and (self.read_only or mask & 0xC0 == MASK_INHIBIT_WRITE):
            return self._protected()
        self.located = [operation, blocks, offset + first]
        return Outcome(CE_DE, wanted=8)

    def _located(self, wanted: set[int]):
        if self.located is None or self.located[0] not in wanted or self.located[1] == 0:
            return None
        return self.located

    def read(self, command: int, data, count: int) -> Outcome:
        located = self._located(LOCATE_READ)
        if located is None:
            return self.reject()
        blocks = min(located[1], max(1, -(-count // BLOCK_SIZE)))
        data = self.disk.read_blocks(located[2], blocks)
        located[1] -= blocks
        located[2] += blocks
        return Outcome(CE_DE, data=data)

    def write(self, command: int, data: bytes, count: int) -> Outcome:
        located = self._located(LOCATE_WRITE)
        if located is None:
            return self.reject()
        blocks = min(located[1], max(1, -(-len(data) // BLOCK_SIZE)))
        image = data[: blocks * BLOCK_SIZE].ljust(blocks * BLOCK_SIZE, b"\0")
        self.disk.write_blocks(located[2], image)
        located[1] -= blocks
        located[2] += blocks
        return Outcome(CE_DE, wanted=blocks * BLOCK_SIZE)

    def read_ipl(self, command: int, data, count: int) -> Outcome:
        """READ IPL (initial program loading from the disk): block 0."""
        self.extent = (MASK_INHIBIT_WRITE, 0, 0, self.disk.blocks - 1)
        self.located = [0x06, 0, 1]
        return Outcome(CE_DE, data=self.disk.read_blocks(0))

    def characteristics(self, command: int, data, count: int) -> Outcome:
        """READ DEVICE CHARACTERISTICS: modes, features, class X'21' (FBA), unit
        type, block size, blocks per track and access position, total blocks."""
        rdc = (
            bytes([0x30, 0x08, 0x21, 0x01])
            + BLOCK_SIZE.to_bytes(2, "big")
            + BLOCKS_PER_TRACK.to_bytes(4, "big")
            + BLOCKS_PER_CYLINDER.to_bytes(4, "big")
            + self.disk.blocks.to_bytes(4, "big")
            + bytes(4)
            + bytes(10)
        )
        return Outcome(CE_DE, data=rdc[:32])

    def detach(self) -> None:
        super().detach()
        self.disk.close()

    def query_line(self) -> str:
        mode = "R/O" if self.read_only else "R/W"
        cylinders = self.cylinders
        size = f"{cylinders:6d} CYL" if cylinders else f"{self.disk.blocks:6d} BLK"
        return f"DASD {self.vaddr:03X} {self.devtype} {mode} {size}"
