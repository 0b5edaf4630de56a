"""XEDIT through a real TN3270 client: s3270 against ``vm370 serve``.  A
file made with the command line, a prefix command and typing in the data
area, then FILE; its bytes are read from the minidisk image afterwards."""

import pytest

from cms.fs import Disk
from cp.minidisk import Minidisk
from s390.ebcdic import from_ebcdic
from tests.cp.s3270kit import S3270
from tests.cp.servekit import start_serve, stop_serve

pytestmark = pytest.mark.tool("s3270")


def enter(c, text=""):
    c.do("Clear()") if text is None else None
    if text:
        c.do(f'String("{text}")')
    c.do("Enter()")
    c.do("Wait(20,Unlock)")


def command_line(c):
    rows = c.screen()
    row = next(i for i, line in enumerate(rows) if line.startswith(" ====>"))
    c.do(f"MoveCursor({row},7)")
    c.do("EraseEOF()")


def row_of(c, text):
    return next(i for i, line in enumerate(c.screen()) if line[6:].rstrip() == text)


def test_xedit_over_tn3270_makes_a_file_byte_for_byte(tmp_path):
    proc, port, _ = start_serve(tmp_path)
    c = S3270()
    try:
        c.do(f"Connect(127.0.0.1:{port})")
        c.do("Wait(10,InputField)")
        c.wait_text("VM/370 ONLINE")
        enter(c, "logon alice alice")
        c.wait_text("VM/370 CMS", 30)
        c.do("Clear()")
        c.do("Wait(10,Unlock)")
        enter(c, "access (noprof")
        c.wait_text("Ready", 20)
        c.do("Clear()")
        c.do("Wait(10,Unlock)")
        enter(c, "xedit tn data a")
        c.wait_text("X E D I T", 20)
        for text in ("input hello from s3270", "input second line", "top"):
            command_line(c)
            enter(c, text)
        c.wait_text("second line")
        c.do(f"MoveCursor({row_of(c, 'hello from s3270')},0)")
        enter(c, "a")  # prefix: add a line; the cursor is on it
        enter(c, "typed in the data area")
        command_line(c)
        enter(c, "change /hello/HELLO/ *")
        c.wait_text("occurrence(s) changed")
        command_line(c)
        enter(c, "file")
        c.wait_text("Ready", 20)
    finally:
        c.close()
        stop_serve(proc)
    with Minidisk(tmp_path / "sys" / "disks" / "ALICE.191.img", read_only=True) as disk:

        class Blocks:
            blocks = disk.blocks

            def read(self, block, count=1):
                return bytes(disk.read_blocks(block, count))

        records = Disk.open(Blocks()).read_file("TN", "DATA")
    assert [from_ebcdic(r).rstrip() for r in records] == [
        "HELLO from s3270",
        "typed in the data area",
        "second line",
    ]
    assert all(len(r) == 80 for r in records)
