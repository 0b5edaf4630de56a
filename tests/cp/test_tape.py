"""The 3420 tape drive on an AWS volume file, and the operator's ATTACH and
DETACH of the drives system.config names."""

import struct

import pytest

from cp.channel import CE_DE, UNIT_CHECK, UNIT_EXCEPTION
from cp.devices.tape import Tape3420, TapeVolume, read_aws, write_aws
from tests.cp.cpkit import command, logon, make_system

WRITE, READ, READ_BACK, WTM, REW, RUN = 0x01, 0x02, 0x0C, 0x1F, 0x07, 0x0F
FSR, FSF, BSR, BSF, SENSE = 0x37, 0x3F, 0x27, 0x2F, 0x04


def header(length, previous, flags):
    return struct.pack("<HHBB", length, previous, flags, 0)


def test_aws_format_headers_and_tapemarks():
    data = write_aws([b"ABC", None, b"", b"X" * 70000])
    # 6-byte headers: current length, previous length (little endian), flags
    assert data[:9] == header(3, 0, 0xA0) + b"ABC"
    assert data[9:15] == header(0, 3, 0x40)
    assert data[15:21] == header(0, 0, 0xA0)
    assert data[21:27] == header(65535, 0, 0x80)  # a long block in two chunks
    assert data[27 + 65535 : 33 + 65535] == header(70000 - 65535, 65535, 0x20)
    assert read_aws(data) == [b"ABC", None, b"", b"X" * 70000]
    with pytest.raises(ValueError):
        read_aws(header(10, 0, 0xA0) + b"short")


@pytest.fixture
def drive(tmp_path):
    return Tape3420(0x181, None, volume=TapeVolume(tmp_path / "vol.aws"))


def test_write_read_tapemarks_and_spacing(drive, tmp_path):
    for block in (b"ONE", b"TWO"):
        assert drive.execute(WRITE, block, len(block)).status == CE_DE
    drive.execute(WTM, None, 1)
    drive.execute(WRITE, b"THREE", 5)
    drive.execute(WTM, None, 1)
    assert read_aws((tmp_path / "vol.aws").read_bytes()) == [b"ONE", b"TWO", None, b"THREE", None]
    drive.execute(REW, None, 1)
    sense = drive.execute(SENSE, None, 24).data
    assert sense[1] & 0x08  # at load point
    assert drive.execute(READ, None, 80).data == b"ONE"
    assert drive.execute(READ, None, 80).data == b"TWO"
    assert drive.execute(READ, None, 80).status == CE_DE | UNIT_EXCEPTION  # the tapemark
    assert drive.execute(READ, None, 80).data == b"THREE"
    assert drive.execute(BSF, None, 1).status == CE_DE  # back before the first mark
    assert drive.execute(BSR, None, 1).status == CE_DE
    assert drive.execute(READ, None, 80).data == b"TWO"
    drive.execute(REW, None, 1)
    assert drive.execute(FSF, None, 1).status == CE_DE
    assert drive.execute(READ, None, 80).data == b"THREE"
    drive.execute(REW, None, 1)
    assert drive.execute(FSR, None, 1).status == CE_DE
    assert drive.execute(FSR, None, 1).status == CE_DE
    assert drive.execute(FSR, None, 1).status == CE_DE | UNIT_EXCEPTION
    assert drive.execute(READ_BACK, None, 80).status == CE_DE | UNIT_EXCEPTION
    assert drive.execute(READ_BACK, None, 80).data == b"OWT"
    # writing in the middle erases what followed
    drive.execute(REW, None, 1)
    drive.execute(FSR, None, 1)
    drive.execute(WRITE, b"NEW", 3)
    assert read_aws((tmp_path / "vol.aws").read_bytes()) == [b"ONE", b"NEW"]
    assert drive.execute(READ, None, 80).status == CE_DE | UNIT_CHECK  # blank tape
    assert drive.execute(SENSE, None, 24).data[0] == 0x08  # data check
    drive.execute(REW, None, 1)
    assert drive.execute(BSR, None, 1).status == CE_DE | UNIT_CHECK  # at load point


def test_file_protect_and_rewind_unload(tmp_path):
    (tmp_path / "ro.aws").write_bytes(write_aws([b"DATA"]))
    drive = Tape3420(0x181, None, volume=TapeVolume(tmp_path / "ro.aws", read_only=True))
    assert drive.execute(WRITE, b"X", 1).status == CE_DE | UNIT_CHECK
    sense = drive.execute(SENSE, None, 24).data
    assert sense[0] == 0x80 and sense[1] & 0x02  # command reject, file protected
    assert drive.execute(READ, None, 80).data == b"DATA"
    drive.execute(RUN, None, 1)
    assert drive.execute(READ, None, 80).status == CE_DE | UNIT_CHECK
    assert drive.execute(SENSE, None, 24).data[0] == 0x40  # intervention required


CONFIG = """\
* the tape drives
RDEVICE 580 TAPE FILE tapes/vol1.aws
RDEVICE 581 3420 FILE tapes/ro.aws R/O
"""


@pytest.fixture
def system(tmp_path):
    (tmp_path / "system.config").write_text(CONFIG)
    sysm = make_system(tmp_path)
    yield sysm
    sysm.shutdown()


def test_attach_detach_and_queries(system, tmp_path):
    ta, sa = logon(system, "ALICE")
    to, so = logon(system, "OPERATOR")
    assert command(so, to, "QUERY TAPES") == ["TAPE 580 FREE", "TAPE 581 FREE"]
    ta.take()
    assert command(so, to, "ATTACH 580 TO ALICE AS 181") == ["TAPE 580 ATTACHED TO ALICE 181"]
    assert ta.take() == ["TAPE 181 ATTACHED"]
    assert (tmp_path / "tapes/vol1.aws").exists()
    assert command(sa, ta, "QUERY VIRTUAL 181") == ["TAPE 181 ON DEV 580 3420 R/W"]
    assert command(so, to, "QUERY TAPES") == ["TAPE 580 ATTACHED TO ALICE    181", "TAPE 581 FREE"]
    assert command(so, to, "ATTACH 580 ALICE 182") == ["DMKATT124E DEV 580 ATTACHED TO ALICE"]
    assert command(sa, ta, "DETACH 181") == ["TAPE 181 DETACHED"]
    assert command(so, to, "QUERY TAPES")[0] == "TAPE 580 FREE"
    command(so, to, "ATTACH 581 ALICE 181")
    assert command(sa, ta, "QUERY VIRTUAL TAPE") == ["TAPE 181 ON DEV 581 3420 R/O"]
    assert command(so, to, "DETACH 581 FROM ALICE") == ["TAPE 581 DETACHED ALICE"]
    assert "TAPE 181 DETACHED BY OPERATOR" in ta.take()
    command(so, to, "ATTACH 580 ALICE 181")
    command(sa, ta, "LOGOFF")
    assert command(so, to, "QUERY TAPES")[0] == "TAPE 580 FREE"


def test_attach_refusals(system):
    ta, sa = logon(system, "ALICE")
    to, so = logon(system, "OPERATOR")
    assert command(sa, ta, "ATTACH 580 ALICE 181") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    assert command(sa, ta, "QUERY TAPES") == ["DMKCFM003E INVALID OPTION - TAPES"]
    assert command(so, to, "ATTACH 590 ALICE 181") == ["DMKATT040E DEV 590 DOES NOT EXIST"]
    assert command(so, to, "ATTACH 580 BOB 181") == ["DMKATT045E BOB NOT LOGGED ON"]
    assert command(so, to, "ATTACH 580 ALICE 009") == ["DMKATT092E DEV 009 ALREADY DEFINED"]
    assert command(so, to, "ATTACH 580 ALICE") == ["DMKCFM026E OPERAND MISSING OR INVALID"]
    assert command(so, to, "ATTACH XYZQQ ALICE 181") == ["DMKATT021E RADDR MISSING OR INVALID"]
    assert command(so, to, "ATTACH 580 ALICE GGGGG") == ["DMKATT022E VADDR MISSING OR INVALID"]
    assert command(so, to, "DETACH 580 FROM ALICE") == ["DMKVDD040E DEV 580 NOT ATTACHED TO ALICE"]


def test_queries_of_the_real_system(system):
    ta, sa = logon(system, "ALICE")
    to, so = logon(system, "OPERATOR")
    out = command(sa, ta, "QUERY CPLEVEL")
    assert out[0] == "VM/370 RELEASE 6, SERVICE LEVEL 0000" and out[1].startswith("IPL AT ")
    assert command(sa, ta, "QUERY DASD") == ["DMKCFM003E INVALID OPTION - DASD"]
    out = command(so, to, "QUERY DASD")
    assert out[0] == "DASD 130 SYSRES 000 MDISKS IN USE"
    assert out[1] == "DASD 131 USRVOL 001 MDISKS IN USE"  # ALICE's 191
    command(sa, ta, "DEFINE T3370 AS 1A0 BLK 100")
    assert command(so, to, "QUERY ALLOC")[0] == "TDISK      100 BLK IN USE,   1 DISKS"
    assert command(sa, ta, "QUERY VIRTUAL CONSOLE") == [f"CONS 009 ON DEV {ta.address} 3215"]
    command(sa, ta, "SPOOL CONSOLE START NOTERM")
    console = system.find_user("ALICE").devices[0x009]
    assert console.query_line() == f"CONS 009 ON DEV {ta.address} 3215 CL T START NOTERM"
    command(sa, ta, "SPOOL CONSOLE STOP TERM")


def test_block_by_block_writes_give_the_same_image_as_one_write(tmp_path):
    blocks = [b"A" * 70000, None, b"BB", None, b"C" * 65535, b"D"]
    drive = Tape3420(0x181, None, volume=TapeVolume(tmp_path / "inc.aws"))
    for block in blocks:
        if block is None:
            drive.execute(WTM, None, 1)
        else:
            drive.execute(WRITE, block, len(block))
    assert (tmp_path / "inc.aws").read_bytes() == write_aws(blocks)
    # rewriting from the middle cuts the file there and appends
    drive.execute(REW, None, 1)
    drive.execute(FSF, None, 1)
    drive.execute(WRITE, b"NEW", 3)
    assert (tmp_path / "inc.aws").read_bytes() == write_aws([b"A" * 70000, None, b"NEW"])
    drive.detach()
    assert TapeVolume(tmp_path / "inc.aws").blocks == [b"A" * 70000, None, b"NEW"]


def test_attach_to_oneself_and_a_bad_config_line(tmp_path):
    (tmp_path / "system.config").write_text("RDEVICE 580 TAPE FILE vol.aws\n")
    system = make_system(tmp_path)
    to, so = logon(system, "OPERATOR")
    assert command(so, to, "ATTACH 580 * 181") == ["TAPE 181 ATTACHED"]
    assert command(so, to, "QUERY VIRTUAL 181") == ["TAPE 181 ON DEV 580 3420 R/W"]
    assert command(so, to, "DETACH 181") == ["TAPE 181 DETACHED"]
    system.shutdown()

    other = tmp_path / "other"
    other.mkdir()
    (other / "system.config").write_text("RDEVICE 580 DISK FILE vol.aws\n")
    system = make_system(other)
    to, so = logon(system, "OPERATOR")
    assert command(so, to, "ATTACH 580 * 181") == ["DMKATT040E DEV 580 DOES NOT EXIST"]
    assert command(so, to, "QUERY TAPES") == ["NO TAPES"]
    log = "\n".join(p.read_text() for p in (other / "log").glob("*"))
    assert "SYSTEM.CONFIG line 1: RDEVICE raddr TAPE FILE path [R/O]" in log
    system.shutdown()
