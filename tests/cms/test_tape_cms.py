"""CMS TAPE against a real-device tape drive: the operator ATTACHes a drive
of system.config, the user DUMPs files to it, rewinds, LOADs them back,
and spaces over files; the volume on the host is an AWS tape file."""

import pytest

from cp.devices.tape import read_aws
from tests.cms.cmskit import User, make_cms_system, make_file, ready_code


@pytest.fixture
def system(tmp_path):
    (tmp_path / "system.config").write_text(
        "RDEVICE 580 TAPE FILE tapes/work.aws\nRDEVICE 581 TAPE FILE tapes/ro.aws R/O\n"
    )
    sysm = make_cms_system(tmp_path)
    yield sysm
    sysm.shutdown()


async def alice_with_tape(system, raddr="580"):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    maint = User(system, "MAINT", "CPCMS")
    await maint.wait(0, "LOGON AT")
    out = await maint.type(f"ATTACH {raddr} TO ALICE AS 181", until=f"TAPE {raddr} ATTACHED")
    assert f"TAPE {raddr} ATTACHED TO ALICE 181" in out
    return alice


async def test_dump_rewind_load_round_trip(system, tmp_path):
    alice = await alice_with_tape(system)
    await make_file(alice, "ONE DATA A", ["FIRST FILE", "LINE 2"])
    await make_file(alice, "TWO DATA A", ["SECOND FILE"])
    out = await alice.type("TAPE DUMP * DATA A")
    assert out[:3] == ["DUMPING.....", "ONE      DATA     A1", "TWO      DATA     A1"]
    assert ready_code(out) == "Ready"
    await make_file(alice, "THREE LIST A", ["AFTER THE MARK"])
    await alice.type("TAPE DUMP THREE LIST A")
    blocks = read_aws((tmp_path / "tapes/work.aws").read_bytes())
    assert blocks.count(None) == 2 and blocks[-1] is None
    assert ready_code(await alice.type("TAPE REW")) == "Ready"
    out = await alice.type("TAPE SCAN")
    assert out[:3] == ["SCANNING.....", "ONE      DATA     A1", "TWO      DATA     A1"]
    await alice.type("ERASE * DATA A")
    await alice.type("TAPE REW")
    out = await alice.type("TAPE LOAD TWO")
    assert out[:2] == ["LOADING.....", "TWO      DATA     A1"]
    out = await alice.type("TYPE TWO DATA A")
    assert out[0] == "SECOND FILE"
    out = await alice.type("STATE ONE DATA A")
    assert ready_code(out) == "Ready(00028)"
    out = await alice.type("TAPE LOAD")  # the next file: past the first mark
    assert "THREE    LIST     A1" in out
    await alice.type("TAPE REW")
    await alice.type("TAPE FSF")
    out = await alice.type("TAPE LOAD * * A")
    assert "THREE    LIST     A1" in out
    await alice.type("TAPE REW")
    out = await alice.type("TAPE SKIP ONE DATA")
    assert ready_code(out) == "Ready"
    out = await alice.type("TAPE LOAD")
    assert out[:2] == ["LOADING.....", "TWO      DATA     A1"]


async def test_tape_errors(system):
    alice = await alice_with_tape(system)
    out = await alice.type("TAPE")
    assert "DMSTPE047E NO FUNCTION SPECIFIED" in out and ready_code(out) == "Ready(00024)"
    out = await alice.type("TAPE SPIN")
    assert "DMSTPE014E INVALID FUNCTION 'SPIN'" in out
    out = await alice.type("TAPE REW (TAP2")
    assert "DMSTPE113S TAP2(182) NOT ATTACHED" in out and ready_code(out) == "Ready(00100)"
    out = await alice.type("TAPE REW (BOGUS")
    assert "DMSTPE003E INVALID OPTION 'BOGUS'" in out
    out = await alice.type("TAPE DUMP NOSUCH FILE A")
    assert "DMSTPE002E FILE 'NOSUCH FILE A' NOT FOUND" in out
    out = await alice.type("TAPE FSF 0")
    assert "DMSTPE070E INVALID PARAMETER '0'" in out
    out = await alice.type("TAPE FSF")  # an empty tape
    assert "DMSTPE058E END-OF-FILE OR END-OF-TAPE" in out and ready_code(out) == "Ready(00040)"
    out = await alice.type("TAPE RUN")
    assert ready_code(out) == "Ready"
    out = await alice.type("TAPE REW")
    assert "DMSTPE110S TAP1(181) IS NOT READY" in out


async def test_a_read_only_volume_is_file_protected(system):
    alice = await alice_with_tape(system, "581")
    await make_file(alice, "ONE DATA A", ["X"])
    out = await alice.type("TAPE DUMP ONE DATA A")
    assert "DMSTPE043E TAP1(181) IS FILE PROTECTED" in out and ready_code(out) == "Ready(00036)"
    out = await alice.type("CP DETACH 181")
    assert "TAPE 181 DETACHED" in out


async def test_vol1_label_written_and_read(system, tmp_path):
    alice = await alice_with_tape(system)
    out = await alice.type("TAPE RVOL1")
    assert "DMSTPE044E TAP1(181) IS NOT A LABELED TAPE" in out
    assert ready_code(await alice.type("TAPE WVOL1 WORK01")) == "Ready"
    out = await alice.type("TAPE RVOL1")
    assert "VOL1 WORK01 OWNER ALICE" in out
    label = read_aws((tmp_path / "tapes/work.aws").read_bytes())[0]
    assert len(label) == 80 and label[:10] == "VOL1WORK01".encode("cp037")
    await make_file(alice, "ONE DATA A", ["AFTER THE LABEL"])
    await alice.type("TAPE DUMP ONE DATA A")
    await alice.type("TAPE REW")
    out = await alice.type("TAPE SCAN")
    assert "ONE      DATA     A1" in out and ready_code(out) == "Ready"
    out = await alice.type("TAPE WVOL1 TOOLONG1")
    assert "DMSTPE070E INVALID PARAMETER 'TOOLONG1'" in out
