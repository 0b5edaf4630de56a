"""DISPLAY and STORE in every form the VM/370 CP Command Reference lists:
storage in hex (L) and with EBCDIC (T), ranges, lengths, END, keys (K),
general (G), floating-point (Y) and control (X) registers numbered in
decimal, PSW, CAW, CSW, and the answers to bad operands."""

import pytest

from tests.cp.cpkit import command, logon, make_system


@pytest.fixture
def user(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "ALICE")
    yield system.find_user("ALICE"), t, s
    system.shutdown()


def test_storage_forms(user):
    vm, t, s = user
    assert command(s, t, "STORE L2000 C8C5D3D3 D6") == ["STORE COMPLETE"]
    hello = "002000  C8C5D3D3 D6" + " " * 26 + "*HELLO           *"
    assert command(s, t, "D T2000.5") == [hello]
    hell = "002000  C8C5D3D3" + " " * 29 + "*HELL            *"
    assert command(s, t, "D T2000-2003") == [hell]
    assert command(s, t, "D L2000.8") == ["002000  C8C5D3D3 D6000000"]
    assert command(s, t, "DISPLAY 2000") == ["002000  C8C5D3D3"]
    out = command(s, t, "D T2000-END")
    assert len(out) == (len(vm.cpu.mem) - 0x2000) // 16
    assert out[-1].startswith(f"{len(vm.cpu.mem) - 16:06X}")
    assert command(s, t, "D 2004 T2000.2") == [
        "002000           D6000000",
        "002000  C8C5                                 *HE              *",
    ]


def test_register_forms_with_decimal_numbers(user):
    vm, t, s = user
    assert command(s, t, "STORE G12 0000ABCD 1 2 3") == ["STORE COMPLETE"]
    assert list(vm.cpu.gpr[12:16]) == [0xABCD, 1, 2, 3]
    assert command(s, t, "D G12") == ["GPR 12 = 0000ABCD"]
    assert command(s, t, "D GC") == ["GPR 12 = 0000ABCD"]
    assert command(s, t, "D G10-END") == [
        "GPR 10 = 00000000 00000000 0000ABCD 00000001",
        "GPR 14 = 00000002 00000003",
    ]
    assert command(s, t, "D G13.2") == ["GPR 13 = 00000001 00000002"]
    assert len(command(s, t, "D G")) == 4
    assert command(s, t, "STORE Y2 4110000000000000") == ["STORE COMPLETE"]
    assert vm.cpu.fpr[1] == 0x4110000000000000
    assert command(s, t, "D Y2") == ["FPR  2 = 4110000000000000"]
    fprs = ["0000000000000000", "4110000000000000", "0000000000000000", "0000000000000000"]
    assert command(s, t, "D Y") == ["FPR  0 = " + " ".join(fprs)]
    assert command(s, t, "STORE X15 00000200") == ["STORE COMPLETE"]
    assert command(s, t, "D X15") == ["CR  15 = 00000200"]


def test_psw_caw_csw_and_keys(user):
    vm, t, s = user
    command(s, t, "STORE PSW 00040000 00002000")
    assert command(s, t, "D PSW") == ["PSW = 00040000 00002000"]
    command(s, t, "STORE PSW 00003000")  # one word: the instruction address half
    assert command(s, t, "D PSW") == ["PSW = 00040000 00003000"]
    command(s, t, "STORE 48 00001000 0000 1234 0000 0000")
    assert command(s, t, "D CAW") == ["CAW = 00001000"]
    command(s, t, "STORE 40 00002008 0C000000")
    assert command(s, t, "D CSW") == ["CSW = 00002008 0C000000"]
    vm.cpu.keys[2] = 0xE0
    assert command(s, t, "D K1000-17FF") == ["KEY 001000 = E0"]


@pytest.mark.parametrize(
    "line, answer",
    [
        ("D G16", "DMKCFM003E INVALID OPTION - 16"),
        ("D G9-3", "DMKCFM003E INVALID OPTION - 9-3"),
        ("D Y1", "DMKCFM003E INVALID OPTION - 1"),
        ("D X1G", "DMKCFM003E INVALID OPTION - 1G"),
        ("D TZZ", "DMKCFM004E INVALID HEXLOC - ZZ"),
        ("D T200000", "DMKCDB160E HEXLOC 200000 EXCEEDS STORAGE"),
        ("STORE G1 XYZ", "DMKCDB005E INVALID HEXDATA - XYZ"),
        ("STORE G1 123456789", "DMKCDB005E INVALID HEXDATA - 0123456789"),
        ("STORE G1", "DMKCFM026E OPERAND MISSING OR INVALID"),
        ("STORE PSW 1 2 3", "DMKCFM026E OPERAND MISSING OR INVALID"),
        ("STORE FFFFF 0102", "DMKCDB160E HEXLOC 100001 EXCEEDS STORAGE"),
    ],
)
def test_bad_operands(user, line, answer):
    _, t, s = user
    assert command(s, t, line) == [answer]
