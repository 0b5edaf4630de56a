"""Tape drive throughput: write N blocks to an AWS volume through the 3420's
channel commands, rewind, read them back.  Each WRITE is durable (fdatasync)
before it ends, as on a real drive.

    python -m bench.tape [blocks] [block-size]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from cp.devices.tape import Tape3420, TapeVolume

WRITE, READ, REWIND = 0x01, 0x02, 0x07


def run(blocks: int, size: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        drive = Tape3420(0x181, None, volume=TapeVolume(Path(tmp) / "bench.aws"))
        data = bytes(range(256)) * (size // 256 + 1)
        data = data[:size]
        start = time.perf_counter()
        for _ in range(blocks):
            drive.execute(WRITE, data, size)
        written = time.perf_counter() - start
        drive.execute(REWIND, None, 1)
        start = time.perf_counter()
        for _ in range(blocks):
            drive.execute(READ, None, size)
        read = time.perf_counter() - start
        drive.detach()
    return written, read


def main(argv: list[str]) -> None:
    blocks = int(argv[0]) if argv else 2000
    size = int(argv[1]) if len(argv) > 1 else 800
    written, read = run(blocks, size)
    print(
        f"{blocks} blocks of {size} bytes: write {blocks / written:,.0f} blocks/s, "
        f"read {blocks / read:,.0f} blocks/s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
