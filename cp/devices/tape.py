"""The 3420 magnetic tape drive (IBM 3803/3420 Magnetic Tape Subsystems
Description, GA32-0021), its volume a host file in AWS tape format.

AWS format (the AWSTAPE format of the P/390 and Hercules): every block is
preceded by a 6-byte header, little-endian halfwords: the length of this
chunk, the length of the previous chunk, then flag byte 1 (X'80' start of a
block, X'20' end of a block, X'40' tapemark) and flag byte 2 (zero).  A
tapemark is a header with length 0 and flag X'40'.

Commands::

    X'01' WRITE            X'02' READ             X'0C' READ BACKWARD
    X'1F' WRITE TAPEMARK   X'07' REWIND           X'0F' REWIND UNLOAD
    X'37' FORWARD SPACE BLOCK (FSR)    X'3F' FORWARD SPACE FILE (FSF)
    X'27' BACKSPACE BLOCK (BSR)        X'2F' BACKSPACE FILE (BSF)
    X'17' ERASE GAP        X'03' NO-OP            X'04' SENSE (24 bytes)
    X'C3' X'CB' X'D3' X'DB' mode sets (9-track density): accepted

A READ or FSR that meets a tapemark ends with unit exception, the tape past
the mark; FSF stops past the next mark, BSF before the previous one.  A
READ past the last block written is unit check, data check (blank tape).
WRITE and WRITE TAPEMARK erase everything after the block they write, as on
a real tape, and are written to the host file at once.  A volume attached
read-only, or a host file that is read-only, is file protected: a write is
unit check, command reject, with the file-protect bit in sense byte 1.
After REWIND UNLOAD the drive is not ready until the volume is attached again.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from cp.channel import CE_DE, SENSE_COMMAND_REJECT, UNIT_EXCEPTION, Outcome
from cp.devices.base import Device

AWS_HEADER = struct.Struct("<HHBB")
FLAG_BOR, FLAG_TAPEMARK, FLAG_EOR = 0x80, 0x40, 0x20
MAX_CHUNK = 0xFFFF

SENSE0_DATA_CHECK = 0x08
SENSE1_LOAD_POINT = 0x08  # sense byte 1 bit 4: the tape is at load point
SENSE1_FILE_PROTECTED = 0x02  # sense byte 1 bit 6: no write ring

#: A tapemark in the list of blocks.
TAPEMARK = None


class AWSError(ValueError):
    """The host file is not in AWS tape format."""


def read_aws(data: bytes) -> list[bytes | None]:
    """The blocks (None for a tapemark) of an AWS tape image."""
    return scan_aws(data)[0]


def scan_aws(data: bytes) -> tuple[list[bytes | None], list[int]]:
    """The blocks of an AWS image and the byte offset where each begins."""
    blocks: list[bytes | None] = []
    offsets: list[int] = []
    pos, current, start = 0, b"", None
    while pos < len(data):
        if pos + AWS_HEADER.size > len(data):
            raise AWSError(f"a header is cut short at byte {pos}")
        length, _, flags, _ = AWS_HEADER.unpack_from(data, pos)
        if start is None:
            start = pos
        pos += AWS_HEADER.size
        if flags & FLAG_TAPEMARK:
            blocks.append(TAPEMARK)
            offsets.append(start)
            start = None
            continue
        if pos + length > len(data):
            raise AWSError(f"a block is cut short at byte {pos}")
        current += data[pos : pos + length]
        pos += length
        if flags & FLAG_EOR:
            blocks.append(current)
            offsets.append(start)
            current, start = b"", None
    return blocks, offsets


def last_chunk_length(block: bytes | None) -> int:
    """The length of the last AWS chunk of a block (a header's "previous" field)."""
    if not block:
        return 0
    return len(block) - MAX_CHUNK * ((len(block) - 1) // MAX_CHUNK)


def write_aws(blocks: list[bytes | None], previous: int = 0) -> bytes:
    """The AWS image of ``blocks``; ``previous`` is the length of the chunk
    before the first (0 at the load point)."""
    out = bytearray()
    for block in blocks:
        if block is TAPEMARK:
            out += AWS_HEADER.pack(0, previous, FLAG_TAPEMARK, 0)
            previous = 0
            continue
        chunks = [block[i : i + MAX_CHUNK] for i in range(0, len(block), MAX_CHUNK)] or [b""]
        for n, chunk in enumerate(chunks):
            flags = (FLAG_BOR if n == 0 else 0) | (FLAG_EOR if n == len(chunks) - 1 else 0)
            out += AWS_HEADER.pack(len(chunk), previous, flags, 0) + chunk
            previous = len(chunk)
    return bytes(out)


class TapeVolume:
    """A mounted AWS volume: its blocks, and the host file they live in.
    A write goes straight to the file: it is cut at the block written (the
    rest of a tape is erased by writing) and the new block appended."""

    def __init__(self, path, read_only: bool = False):
        self.path = Path(path)
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(b"")
        self.read_only = read_only or not os.access(self.path, os.W_OK)
        self.fd = os.open(self.path, os.O_RDONLY if self.read_only else os.O_RDWR)
        data = self.path.read_bytes()
        self.blocks, self.offsets = scan_aws(data)
        self.end = len(data)

    def write(self, position: int, block: bytes | None) -> None:
        """Write ``block`` as block number ``position``; what followed is gone."""
        offset = self.offsets[position] if position < len(self.blocks) else self.end
        previous = last_chunk_length(self.blocks[position - 1]) if position else 0
        data = write_aws([block], previous)
        os.ftruncate(self.fd, offset)
        os.pwrite(self.fd, data, offset)
        os.fdatasync(self.fd)
        del self.blocks[position:], self.offsets[position:]
        self.blocks.append(block)
        self.offsets.append(offset)
        self.end = offset + len(data)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Tape3420(Device):
    devtype = "3420"
    devclass = "TAPE"
    type_code = 0x3420
    model = 6
    cu_type = 0x3803
    cu_model = 2
    sense_length = 24
    COMMANDS = {
        0x01: "write",
        0x02: "read",
        0x0C: "read_backward",
        0x1F: "write_tapemark",
        0x07: "rewind",
        0x0F: "rewind_unload",
        0x37: "forward_block",
        0x3F: "forward_file",
        0x27: "back_block",
        0x2F: "back_file",
        0x17: "nop",
        0x03: "nop",
        0xC3: "nop",
        0xCB: "nop",
        0xD3: "nop",
        0xDB: "nop",
    }

    def __init__(
        self,
        vaddr: int,
        vm,
        volume: TapeVolume | None = None,
        path=None,
        read_only: bool = False,
        raddr: int | None = None,
        **options,
    ):
        super().__init__(vaddr, vm, **options)
        self.volume = volume if volume is not None else TapeVolume(path, read_only)
        self.read_only = self.volume.read_only
        self.raddr = raddr if raddr is not None else vaddr
        self.position = 0  # index of the next block in volume.blocks

    # -- sense -----------------------------------------------------------------
    def status_sense(self, byte0: int = 0) -> bytes:
        byte1 = (SENSE1_LOAD_POINT if self.position == 0 else 0) | (
            SENSE1_FILE_PROTECTED if self.read_only else 0
        )
        return bytes([byte0, byte1])

    def execute(self, command: int, data: bytes | None, count: int) -> Outcome:
        outcome = super().execute(command, data, count)
        if command == 0x04 and outcome.data is not None and not any(outcome.data[:2]):
            # A SENSE with nothing pending still tells load point and file protect.
            sense = self.status_sense().ljust(self.sense_length, b"\0")
            outcome = Outcome(outcome.status, data=sense)
        return outcome

    def check(self, byte0: int) -> Outcome:
        return self.unit_check(self.status_sense(byte0))

    # -- data ------------------------------------------------------------------
    def read(self, command: int, data, count: int) -> Outcome:
        blocks = self.volume.blocks
        if self.position >= len(blocks):
            return self.check(SENSE0_DATA_CHECK)  # blank tape past the last block
        block = blocks[self.position]
        self.position += 1
        if block is TAPEMARK:
            return Outcome(CE_DE | UNIT_EXCEPTION)
        return Outcome(CE_DE, data=block)

    def read_backward(self, command: int, data, count: int) -> Outcome:
        """READ BACKWARD: the block before the tape, its bytes in reverse order."""
        if self.position == 0:
            return self.check(SENSE_COMMAND_REJECT)
        self.position -= 1
        block = self.volume.blocks[self.position]
        if block is TAPEMARK:
            return Outcome(CE_DE | UNIT_EXCEPTION)
        return Outcome(CE_DE, data=block[::-1])

    def write(self, command: int, data, count: int) -> Outcome:
        if self.read_only:
            return self.check(SENSE_COMMAND_REJECT)
        if not data:
            return self.reject()
        self._record(bytes(data))
        return Outcome(CE_DE)

    def write_tapemark(self, command: int, data, count: int) -> Outcome:
        if self.read_only:
            return self.check(SENSE_COMMAND_REJECT)
        self._record(TAPEMARK)
        return Outcome(CE_DE, immediate=True)

    def _record(self, block: bytes | None) -> None:
        """Write at the tape's position: what followed is erased."""
        self.volume.write(self.position, block)
        self.position += 1

    # -- motion ----------------------------------------------------------------
    def rewind(self, command: int, data, count: int) -> Outcome:
        self.position = 0
        return Outcome(CE_DE, immediate=True)

    def rewind_unload(self, command: int, data, count: int) -> Outcome:
        self.position = 0
        self.not_ready = True
        return Outcome(CE_DE, immediate=True)

    def forward_block(self, command: int, data, count: int) -> Outcome:
        blocks = self.volume.blocks
        if self.position >= len(blocks):
            return self.check(SENSE0_DATA_CHECK)
        self.position += 1
        if blocks[self.position - 1] is TAPEMARK:
            return Outcome(CE_DE | UNIT_EXCEPTION, immediate=True)
        return Outcome(CE_DE, immediate=True)

    def back_block(self, command: int, data, count: int) -> Outcome:
        if self.position == 0:
            return self.check(0)  # at load point: nothing to back over
        self.position -= 1
        if self.volume.blocks[self.position] is TAPEMARK:
            return Outcome(CE_DE | UNIT_EXCEPTION, immediate=True)
        return Outcome(CE_DE, immediate=True)

    def forward_file(self, command: int, data, count: int) -> Outcome:
        blocks = self.volume.blocks
        while self.position < len(blocks):
            self.position += 1
            if blocks[self.position - 1] is TAPEMARK:
                return Outcome(CE_DE, immediate=True)
        return self.check(SENSE0_DATA_CHECK)

    def back_file(self, command: int, data, count: int) -> Outcome:
        blocks = self.volume.blocks
        while self.position > 0:
            self.position -= 1
            if blocks[self.position] is TAPEMARK:
                return Outcome(CE_DE, immediate=True)
        return self.check(0)  # reached load point

    # -- CP --------------------------------------------------------------------
    released = None  # set by ATTACH: gives the real drive back

    def detach(self) -> None:
        """DETACH, LOGOFF: the drive goes back to CP's free drives."""
        super().detach()
        self.volume.close()
        if self.released is not None:
            self.released()
            self.released = None

    def query_line(self) -> str:
        mode = "R/O" if self.read_only else "R/W"
        return f"TAPE {self.vaddr:03X} ON DEV {self.raddr:03X} {self.devtype} {mode}"
