"""Where Hercules 3.13 departs from GA22-7000, the corpus leaves the case
out (gen.py) and these tests hold our CPU to the Principles of Operation
instead (DISAGREEMENTS.md, section "Hercules deviates"). Both builds run."""

import pytest

from s390.cpu import EXIT_DIAG
from tests.s390.conftest import BUILDS, make_cpu

DATA_BLOCK = 0x1800


@pytest.mark.parametrize("ec", [0, 1], ids=["BC", "EC"])
@pytest.mark.parametrize("key,cc", [(0x10, 0), (0x12, 1), (0x14, 2), (0x16, 3)])
def test_rrb_condition_code_is_reference_and_change_bit(cpu_module, key, cc, ec):
    """RESET REFERENCE BIT (PoO 10): CC 0 R=0 C=0, 1 R=0 C=1, 2 R=1 C=0,
    3 R=1 C=1; the reference bit is then zero. Hercules 3.13 sets CC 3
    whatever the key holds (its own ISK shows the bits it read)."""
    cpu = make_cpu(
        cpu_module,
        "08 7E"  # SSK 7,14
        "B213 E000"  # RRB 0(14)
        "09 8E",  # ISK 8,14 (EC mode shows R and C)
        regs={7: key, 14: DATA_BLOCK},
        psw="00%s0000 00001000" % ("08" if ec else "00"),
    )
    assert cpu.run(100) == EXIT_DIAG
    assert cpu.cc == cc
    assert cpu.gpr[8] & 0xFF == (key & 0xFA if ec else key & 0xF8)


@pytest.mark.parametrize("order", [0x0D, 0x0E, 0x12, 0x15])
def test_sigp_orders_beyond_the_s370_set_are_invalid(run, order):
    """S/370 SIGNAL PROCESSOR orders are X'01'-X'0C' (PoO 10): any other
    code to an operational CPU is CC 1 with status bit 30, invalid order
    (X'00000002') in R1. Hercules 3.13 treats X'0D'/X'0E' as the ESA/390
    set-prefix/store-status-at-address orders (status X'00000200',
    incorrect state) and X'12'-X'16' as ESA orders that end in a program
    interruption with a zero old PSW."""
    r = run(
        "AE27 0%03X" % order,  # SIGP 2,7,order
        regs={2: 0x12345678, 7: 0},
    )
    assert r.reason == EXIT_DIAG
    assert r.cc == 1
    assert r.r(2) == 0x00000002


@pytest.mark.parametrize("mod", [p.values[0] for p in BUILDS], ids=[p.id for p in BUILDS])
def test_cpu_timer_wraps_from_maximum_negative_to_positive(mod):
    """The CPU timer is a 64-bit binary counter (PoO 4, "CPU Timer"): set to
    X'8000000000000000' it goes positive at the next decrement, and a
    positive timer ends the interruption condition (the programming note
    names wrapping as one way it ends). Enabling afterwards gives no
    CPU-timer interruption."""
    cpu = make_cpu(
        mod,
        "B7 00 0200"  # LCTL 0,0,X'200'  CR0 bit 21
        "B208 0208"  # SPT X'208'
        + "0700"
        * 20  # time passes, disabled
        + "AC FF 0210"  # STNSM X'210',X'FF'  (stores the mask)
        "AD 01 0210"  # STOSM X'210',X'01'  external on
        "0700",
        data={
            0x200: "00000400 00000000",
            0x208: "80000000 00000000",
            0x58: "00020000 00000E58",
        },  # external new PSW: a wait
        intercept=False,
    )
    assert cpu.run(1000) == EXIT_DIAG
    assert cpu.get_psw()[:2] == bytes.fromhex("0100")


@pytest.mark.parametrize(
    "target,problem,code",
    [
        ("0812", 1, 0x02),  # SSK 1,2 in problem state: privileged operation
        ("0000", 0, 0x01),  # X'00': operation
        ("C10000000000", 0, 0x01),  # X'C1' (6 bytes): operation
    ],
    ids=["SSK-privileged", "op00", "opC1"],
)
def test_ilc_of_an_exception_in_the_target_of_execute_is_2(cpu_module, target, problem, code):
    """PoO 6, "Instruction-Length Code": whenever an instruction is executed
    by means of EXECUTE, ILC 2 (the length of EXECUTE) is set. Hercules 3.13
    stores the length of the target (1 or 3) for program interruptions
    (it gets SVC under EXECUTE right, which the corpus compares)."""
    cpu = make_cpu(
        cpu_module,
        "4400 0400",  # EX 0,X'400'
        data={0x400: target, 0x68: "00020000 00000BAD"},
        psw="000%d0000 00001000" % problem,
        intercept=False,
    )
    cpu.run(100)
    old = bytes(cpu.mem[0x28:0x30])
    assert int.from_bytes(old[2:4], "big") == code
    assert old[4] >> 6 == 2
    assert int.from_bytes(old[5:8], "big") == 0x1004
