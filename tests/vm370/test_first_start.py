"""Whatever touches a system directory first (``vm370 init``, ``vm370
punch``), the first start formats every minidisk that was never written;
a minidisk image truncated on the host is brought back to its size."""

import subprocess
import sys

from cms.errors import CMSError
from cms.fs import Disk
from cp.minidisk import Minidisk
from cp.sysdir import minidisk_path, read_directory
from vm370.boot import ImageBlocks, make_system


def cms_label(sysdir, owner, vaddr):
    """The CMS volume label of a minidisk image, or None when it is not a CMS disk."""
    with Minidisk(minidisk_path(sysdir, owner, vaddr)) as disk:
        try:
            return Disk.open(ImageBlocks(disk), "A").label.volid
        except CMSError:
            return None


def vm370(*args):
    return subprocess.run(
        [sys.executable, "-m", "vm370", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_then_punch_then_first_start_formats_every_new_minidisk(tmp_path):
    sysdir = tmp_path / "sys"
    assert vm370("init", "--system", str(sysdir)).returncode == 0
    deck = tmp_path / "hello.deck"
    deck.write_text("HELLO ALICE\n")
    punched = vm370("punch", str(deck), "--to", "ALICE", "--system", str(sysdir))
    assert punched.returncode == 0, punched.stderr
    assert not list((sysdir / "disks").glob("*.img"))  # punch made no minidisk
    system = make_system(sysdir, logon_delay=0.0)
    try:
        directory = read_directory(sysdir)
        user_disks = [
            (e.userid, m.vaddr)
            for e in directory
            for m in e.mdisks
            if (e.userid, m.vaddr) not in (("MAINT", 0x190), ("MAINT", 0x19E))
        ]
        assert ("ALICE", 0x191) in user_disks
        unformatted = [d for d in user_disks if cms_label(sysdir, *d) is None]
        assert unformatted == []
        [sf] = system.spool.reader_files("ALICE")
        assert sf.records == 1
    finally:
        system.shutdown()


def test_a_minidisk_image_left_unformatted_by_an_earlier_start_is_formatted(tmp_path):
    from cp.sysdir import complete, init

    sysdir = tmp_path / "sys"
    init(sysdir)
    complete(sysdir)  # images made, nothing formatted (as an old punch did)
    assert cms_label(sysdir, "ALICE", 0x191) is None
    make_system(sysdir, logon_delay=0.0).shutdown()
    assert cms_label(sysdir, "ALICE", 0x191) == "ALI191"


def test_a_truncated_minidisk_image_is_extended_and_reported(tmp_path):
    sysdir = tmp_path / "sys"
    make_system(sysdir, logon_delay=0.0).shutdown()
    image = minidisk_path(sysdir, "BOB", 0x191)
    size = image.stat().st_size
    with open(image, "r+b") as f:
        f.truncate(size // 3)
    system = make_system(sysdir, logon_delay=0.0)
    system.shutdown()
    assert image.stat().st_size == size
    log = (sysdir / "log" / "system.log").read_text()
    assert f"MINIDISK BOB 191 IMAGE WAS {size // 3} BYTES, NOT {size}" in log
    assert cms_label(sysdir, "ALICE", 0x191) is not None  # nobody else's disk touched
