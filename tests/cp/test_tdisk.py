"""DEFINE Tdddd temporary disks: the operand forms VM/370 takes, their size,
and that nothing of them is left once detached."""

import pytest

from tests.cp.cpkit import command, logon, make_system


@pytest.fixture
def system(tmp_path):
    sysm = make_system(tmp_path)
    yield sysm
    sysm.shutdown()


def test_fba_and_ckd_temporary_disks_in_every_operand_order(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "DEFINE T3370 AS 1A0 BLK 200") == ["DASD 1A0 DEFINED"]
    assert command(s, t, "DEFINE T3370 1A1 BLK 100") == ["DASD 1A1 DEFINED"]
    assert command(s, t, "DEFINE T3370 1A2 50") == ["DASD 1A2 DEFINED"]
    assert command(s, t, "DEFINE T3330 AS 1A3 CYL 2") == ["DASD 1A3 DEFINED"]
    assert command(s, t, "DEFINE T3350 1A4 1") == ["DASD 1A4 DEFINED"]
    vm = system.find_user("ALICE")
    assert [vm.services.device_info(a).blocks for a in (0x1A0, 0x1A1, 0x1A2, 0x1A3, 0x1A4)] == [
        200,
        100,
        50,
        2 * 494,
        1050,
    ]
    assert vm.services.device_info(0x1A3).devtype == "3330"
    out = command(s, t, "QUERY VIRTUAL 1A3")
    assert out == ["DASD 1A3 3330 R/W      2 CYL"]
    assert command(s, t, "QUERY VIRTUAL 1A0") == ["DASD 1A0 3370 R/W    200 BLK"]
    assert not list(system.path.glob("disks/$TDSK$*"))


def test_bad_temporary_disk_operands(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "DEFINE T3330 AS 1A0 BLK 5") == ["DMKCFM003E INVALID OPTION - BLK"]
    assert command(s, t, "DEFINE T3370 AS 1A0 CYL 5") == ["DMKCFM003E INVALID OPTION - CYL"]
    assert command(s, t, "DEFINE T3370 AS") == ["DMKDEF022E VADDR MISSING OR INVALID"]
    assert command(s, t, "DEFINE T3370 AS XYZ99 BLK 5") == ["DMKDEF022E VADDR MISSING OR INVALID"]
    assert command(s, t, "DEFINE T3370 AS 1A0 BLK") == ["DMKCFM026E OPERAND MISSING OR INVALID"]
    assert command(s, t, "DEFINE T3370 AS 1A0 BLK 0") == ["DMKCFM003E INVALID OPTION - 0"]
    assert command(s, t, "DEFINE T3370 AS 1A0 BLK 5 6") == ["DMKCFM003E INVALID OPTION - 6"]
    command(s, t, "DEFINE T3370 AS 1A0 BLK 5")
    assert command(s, t, "DEFINE T3330 1A0 CYL 1") == ["DMKDEF092E DEV 1A0 ALREADY DEFINED"]
