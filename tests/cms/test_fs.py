"""The CMS file system on an in-memory FBA disk (docs/cms-disk-format.md)."""

from pathlib import Path

import pytest

from cms.errors import CMSError
from cms.fs import (
    BLOCK_SIZE,
    LABEL_BLOCK,
    Disk,
    Label,
    MemoryBlockDevice,
    tree_level,
    tree_overhead,
)
from s390.ebcdic import to_ebcdic


def rec(text, n=80):
    return to_ebcdic(text.ljust(n))


@pytest.fixture
def disk():
    return Disk.format(MemoryBlockDevice(200), "USR191", "A")


def test_format_writes_a_label_that_reads_back(disk):
    again = Disk.open(disk.device)
    assert again.label.volid == "USR191"
    assert again.label.total_blocks == 200
    assert again.files == {}


def test_fixed_file_round_trips_through_a_reopen(disk):
    disk.write_file("PROFILE", "EXEC", [rec("/* hi */"), rec("SAY 'X'")])
    again = Disk.open(disk.device)
    assert again.read_file("PROFILE", "EXEC") == [rec("/* hi */"), rec("SAY 'X'")]
    fst = again.lookup("PROFILE", "EXEC")
    assert (fst.recfm, fst.lrecl, fst.records) == ("F", 80, 2)


def test_variable_records_keep_their_lengths(disk):
    records = [b"A", b"", b"\xc2" * 300, b"\xc3" * 7]
    disk.write_file("DATA", "FILE", records, recfm="V")
    assert Disk.open(disk.device).read_file("DATA", "FILE") == records
    assert disk.lookup("DATA", "FILE").lrecl == 300


def test_fixed_records_are_padded_with_blanks(disk):
    disk.write_file("SHORT", "DATA", [b"\xc1"], lrecl=10)
    assert disk.read_file("SHORT", "DATA") == [b"\xc1" + b"\x40" * 9]


def test_large_file_uses_two_levels_of_pointer_blocks():
    disk = Disk.format(MemoryBlockDevice(400), "BIG", "A")
    records = [rec(f"LINE {i}") for i in range(2000)]  # 160000 bytes, 313 blocks
    disk.write_file("BIG", "FILE", records)
    fst = disk.lookup("BIG", "FILE")
    assert fst.level == 2
    assert Disk.open(disk.device).read_file("BIG", "FILE") == records


def test_tree_shapes():
    assert [tree_level(n) for n in (1, 2, 128, 129)] == [0, 1, 1, 2]
    assert [tree_overhead(n) for n in (1, 2, 128, 129)] == [0, 1, 1, 3]


def test_replace_frees_the_old_blocks(disk):
    disk.write_file("A", "B", [rec("x")] * 50)
    used_big = disk.label.blocks_used
    disk.write_file("A", "B", [rec("y")])
    assert disk.label.blocks_used < used_big
    assert Disk.open(disk.device).read_file("A", "B") == [rec("y")]


def test_erase_and_not_found(disk):
    disk.write_file("GONE", "SOON", [rec("x")])
    disk.erase("GONE", "SOON")
    with pytest.raises(CMSError) as err:
        disk.read_file("GONE", "SOON")
    assert err.value.rc == 28
    assert err.value.message("TYP") == "DMSTYP002E FILE 'GONE SOON A' NOT FOUND"
    assert Disk.open(disk.device).lookup("GONE", "SOON") is None


def test_rename_keeps_data_and_refuses_an_existing_target(disk):
    disk.write_file("OLD", "NAME", [rec("data")])
    disk.write_file("OTHER", "FILE", [rec("o")])
    disk.rename("OLD", "NAME", "NEW", "NAME")
    assert Disk.open(disk.device).read_file("NEW", "NAME") == [rec("data")]
    with pytest.raises(CMSError) as err:
        disk.rename("NEW", "NAME", "OTHER", "FILE")
    assert err.value.number == 24 and err.value.rc == 28


@pytest.mark.parametrize("fn", ["TOOLONGNAME", "BAD!", "", "lower"])
def test_bad_fileid_is_refused_with_rc_20(disk, fn):
    with pytest.raises(CMSError) as err:
        disk.write_file(fn, "DATA", [rec("x")])
    assert err.value.rc == 20 and err.value.number == 62


def test_disk_full_leaves_the_disk_unchanged():
    disk = Disk.format(MemoryBlockDevice(20), "SMALL", "A")
    disk.write_file("KEEP", "ME", [rec("k")])
    before = bytes(disk.device.data)
    with pytest.raises(CMSError) as err:
        disk.write_file("HUGE", "FILE", [rec("x")] * 200)
    assert err.value.rc == 13
    assert err.value.message("CPY").startswith("DMSCPY105S ERROR 13 WRITING FILE 'HUGE FILE A'")
    assert bytes(disk.device.data) == before
    assert Disk.open(disk.device).read_file("KEEP", "ME") == [rec("k")]


def test_a_full_disk_can_still_erase():
    disk = Disk.format(MemoryBlockDevice(24), "SMALL", "A")
    n = 0
    with pytest.raises(CMSError):
        while True:
            disk.write_file(f"F{n}", "DATA", [rec("x")] * 6)
            n += 1
    disk.erase("F0", "DATA")
    disk.write_file("AGAIN", "DATA", [rec("x")] * 6)


def test_read_only_disk_refuses_writes_with_rc_36(disk):
    disk.write_file("SHARED", "FILE", [rec("s")])
    dev = MemoryBlockDevice(200, read_only=True)
    dev.data[:] = disk.device.data
    ro = Disk.open(dev, "B")
    assert ro.read_file("SHARED", "FILE") == [rec("s")]
    for action in (
        lambda: ro.write_file("X", "Y", [rec("x")]),
        lambda: ro.erase("SHARED", "FILE"),
        lambda: ro.rename("SHARED", "FILE", "X", "Y"),
    ):
        with pytest.raises(CMSError) as err:
            action()
        assert err.value.rc == 36
        assert err.value.text == "DISK 'B' IS READ/ONLY"


def test_unformatted_disk_is_reported():
    with pytest.raises(CMSError) as err:
        Disk.open(MemoryBlockDevice(50), "C")
    assert err.value.rc == 100


class CrashingDevice(MemoryBlockDevice):
    """Stops accepting writes after ``limit`` of them (a killed process)."""

    def __init__(self, blocks, limit):
        super().__init__(blocks)
        self.limit = limit

    def write(self, block, data):
        if self.writes >= self.limit:
            raise SystemExit("crash")
        super().write(block, data)


@pytest.mark.parametrize("crash_after", range(0, 40, 3))
def test_crash_in_mid_write_leaves_the_old_directory(crash_after):
    dev = CrashingDevice(100, limit=10**9)
    disk = Disk.format(dev, "CRASH", "A")
    disk.write_file("FIRST", "FILE", [rec("one")] * 20)
    disk.write_file("SECOND", "FILE", [rec("two")])
    committed = bytes(dev.data[LABEL_BLOCK * BLOCK_SIZE : (LABEL_BLOCK + 1) * BLOCK_SIZE])
    dev.limit = dev.writes + crash_after
    try:
        disk.write_file("FIRST", "FILE", [rec("new")] * 30)
    except SystemExit:
        pass
    after = Disk.open(dev)
    label_now = bytes(dev.data[BLOCK_SIZE : 2 * BLOCK_SIZE])
    if label_now == committed:
        assert after.read_file("FIRST", "FILE") == [rec("one")] * 20
    else:
        assert after.read_file("FIRST", "FILE") == [rec("new")] * 30
    assert after.read_file("SECOND", "FILE") == [rec("two")]
    # The allocation map still describes exactly the blocks in use.
    in_use = {0, 1}
    for fst in after.files.values():
        in_use.update(fst.tree_blocks)
    in_use.update(after._meta_blocks)
    assert {b for b in range(100) if after.used[b]} == in_use


def test_label_with_a_bad_checksum_is_not_accepted(disk):
    raw = bytearray(disk.device.read(LABEL_BLOCK))
    raw[30] ^= 0xFF
    assert Label.unpack(bytes(raw)) is None


def test_many_files_grow_the_directory_past_one_block(disk):
    for i in range(30):
        disk.write_file(f"F{i}", "DATA", [rec(str(i))])
    again = Disk.open(disk.device)
    assert len(again.files) == 30
    assert again.read_file("F29", "DATA") == [rec("29")]


# ---------------------------------------------------------------- property test

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.sampled_from(["A", "B", "C", "D", "E"])
OPS = st.lists(
    st.tuples(st.sampled_from(["write", "erase", "rename"]), NAMES, NAMES, st.integers(0, 60)),
    min_size=1,
    max_size=25,
)


def check_consistent(dev):
    """Every file reads back, and the map marks exactly the blocks in use."""
    disk = Disk.open(dev)
    in_use = {0, 1} | set(disk._meta_blocks)
    for fst in disk.files.values():
        assert len(disk.read_file(fst.fn, fst.ft)) == fst.records
        assert not in_use & set(fst.tree_blocks)  # no block in two places
        in_use |= set(fst.tree_blocks)
    assert {b for b in range(dev.blocks) if disk.used[b]} == in_use
    return disk


@settings(max_examples=60, deadline=None)
@given(OPS, st.integers(0, 200))
def test_any_sequence_of_changes_cut_by_a_crash_leaves_a_consistent_disk(ops, crash_at):
    dev = CrashingDevice(64, limit=10**9)
    disk = Disk.format(dev, "PROP", "A")
    model: dict = {}
    dev.limit = dev.writes + crash_at
    try:
        for op, name, other, size in ops:
            try:
                if op == "write":
                    records = [rec(f"{name}{i}") for i in range(size)]
                    disk.write_file(name, "F", records)
                    model[name] = records
                elif op == "erase" and name in model:
                    disk.erase(name, "F")
                    del model[name]
                elif op == "rename" and name in model and other not in model:
                    disk.rename(name, "F", other, "F")
                    model[other] = model.pop(name)
            except CMSError as err:
                assert err.rc == 13  # only a full disk may refuse
    except SystemExit:
        pass  # the crash
    after = check_consistent(dev)
    if dev.writes < dev.limit:  # no crash: the model is exact
        assert {fn: after.read_file(fn, "F") for (fn, _) in after.files} == model


# ---------------------------------------------------------------- kill -9 on a real image

WRITER = """
import sys
from cms.fs import Disk
from cp.minidisk import Minidisk
from s390.ebcdic import card
from vm370.boot import ImageBlocks
with Minidisk(sys.argv[1]) as image:
    disk = Disk.open(ImageBlocks(image))
    n = 0
    while True:
        n += 1
        disk.write_file(f"F{n % 7}", "DATA", [card(f"GEN {n} REC {i}") for i in range(n % 40 + 1)])
        if n % 5 == 0:
            disk.erase(f"F{(n + 3) % 7}", "DATA") if disk.lookup(f"F{(n + 3) % 7}", "DATA") else None
        print(n, flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.013, 0.05, 0.11, 0.23, 0.37])
def test_kill_9_while_writing_leaves_a_consistent_disk(tmp_path, delay):
    import os
    import signal
    import subprocess
    import sys
    import time

    from cp.minidisk import Minidisk, create_image
    from vm370.boot import ImageBlocks

    image = tmp_path / "disk.img"
    create_image(image, 400)
    with Minidisk(image) as m:
        Disk.format(ImageBlocks(m), "KILL")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(image)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout.readline()  # it is writing; now let it run, then kill it
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Minidisk(image) as m:
        dev = ImageBlocks(m)
        disk = check_consistent(dev)
        for fst in disk.files.values():
            records = disk.read_file(fst.fn, fst.ft)
            generation = records[0].decode("cp037").split()[1]
            assert all(r.decode("cp037").split()[1] == generation for r in records)
