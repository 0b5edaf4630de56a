"""FBA minidisk images: blocks, bounds, read-only, durability across kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from cp.minidisk import Minidisk, MinidiskError, create_image


def test_new_image_is_zero_blocks_of_512_bytes(tmp_path):
    disk = Minidisk.create(tmp_path / "a.img", 100)
    assert disk.blocks == 100 and disk.block_size == 512
    assert disk.read_blocks(99) == bytes(512)
    assert (tmp_path / "a.img").stat().st_size == 100 * 512


def test_blocks_written_read_back_and_survive_reopening(tmp_path):
    path = create_image(tmp_path / "b.img", 10)
    with Minidisk(path) as disk:
        disk.write_blocks(3, b"\xc1" * 512 + b"\xc2" * 512)
    with Minidisk(path) as disk:
        assert disk.read_blocks(3, 2) == b"\xc1" * 512 + b"\xc2" * 512
        assert disk.read_blocks(2) == bytes(512)


@pytest.mark.parametrize("block,count", [(-1, 1), (10, 1), (9, 2)])
def test_blocks_outside_the_disk_are_refused(tmp_path, block, count):
    disk = Minidisk.create(tmp_path / "c.img", 10)
    with pytest.raises(MinidiskError):
        disk.read_blocks(block, count)
    with pytest.raises(MinidiskError):
        disk.write_blocks(block, bytes(512 * count))


def test_partial_block_write_is_refused(tmp_path):
    disk = Minidisk.create(tmp_path / "d.img", 4)
    with pytest.raises(MinidiskError):
        disk.write_blocks(0, b"short")


def test_read_only_disk_refuses_writes_and_format(tmp_path):
    path = create_image(tmp_path / "e.img", 4)
    disk = Minidisk(path, read_only=True)
    with pytest.raises(MinidiskError):
        disk.write_blocks(0, bytes(512))
    with pytest.raises(MinidiskError):
        disk.format()


def test_format_zeroes_every_block(tmp_path):
    disk = Minidisk.create(tmp_path / "f.img", 8)
    disk.write_blocks(5, b"\xff" * 512)
    disk.format()
    assert disk.read_blocks(0, 8) == bytes(8 * 512)


def test_missing_image_and_empty_size_are_errors(tmp_path):
    with pytest.raises(MinidiskError):
        Minidisk(tmp_path / "nope.img")
    with pytest.raises(MinidiskError):
        create_image(tmp_path / "zero.img", 0)


WRITER = textwrap.dedent("""
    import sys
    from cp.minidisk import Minidisk
    disk = Minidisk(sys.argv[1])
    n = 0
    while True:
        block = n % disk.blocks
        disk.write_blocks(block, n.to_bytes(4, "big") * 128)
        print(n, flush=True)          # reported written
        n += 1
""")


def test_every_block_reported_written_survives_kill_9(tmp_path):
    path = create_image(tmp_path / "g.img", 64)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    reported = []
    for line in proc.stdout:
        reported.append(int(line))
        if len(reported) == 150:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Minidisk(path) as disk:
        latest = {}
        for n in reported:
            latest[n % disk.blocks] = n
        for block, n in latest.items():
            got = int.from_bytes(disk.read_blocks(block)[:4], "big")
            # the block holds the last reported value, or a later one that was
            # written but not yet reported when the process died
            assert got >= n and got % disk.blocks == block
            assert disk.read_blocks(block) == got.to_bytes(4, "big") * 128
