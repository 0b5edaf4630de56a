"""Control instructions (GA22-7000 chapter 10) in the supervisor state,
monitor call, clocks and timers, and the decimal/floating-point instructions
as the CPU dispatches them to s390/decimal.py and s390/hfp.py."""

import pytest


def test_lpsw_loads_and_checks_alignment(run, cpu_module):
    # LPSW 0(13) of a PSW that continues at X'1008' with CC 3 and key 0
    res = run("8200D000 00000000 1B00", regs={13: 0x2000}, data={0x2000: "0000000030001008"})
    assert res.reason == cpu_module.EXIT_DIAG and res.cpu.ia == 0x100E
    res = run("8200D004", regs={13: 0x2000})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6


def test_ssm_and_special_operation(run, cpu_module):
    res = run("8000D000", regs={13: 0x2000}, data={0x2000: "FE"})
    assert res.cpu.sysmask == 0xFE
    # CR0 bit 1 (SSM suppression): special-operation exception X'13'
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "8000D000", regs={13: 0x2000})
    cpu.cr[0] = 0x40000000
    assert cpu.run(10) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 0x13


def test_store_then_and_or_system_mask(run):
    # STNSM 0(13),X'0F' then STOSM 1(13),X'80'
    res = run("AC0FD000 AD80D001", regs={13: 0x2000}, psw="FF00000000001000")
    assert res.mem(0x2000, 2) == bytes.fromhex("FF0F")
    assert res.cpu.sysmask == 0x8F


def test_load_and_store_control_wrap(run, cpu_module):
    # LCTL 15,1,0(13) loads CR15 CR0 CR1; STCTL 15,0,X'10'(13) stores CR15 CR0
    res = run(
        "B7F1D000 B6F0D010",
        regs={13: 0x2000},
        data={0x2000: "0000000F 000000E0 00000001".replace(" ", "")},
    )
    assert (res.cpu.cr[15], res.cpu.cr[0], res.cpu.cr[1]) == (15, 0xE0, 1)
    assert res.mem(0x2010, 8) == bytes.fromhex("0000000F000000E0")
    res = run("B700D002", regs={13: 0x2000})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6


def test_storage_key_instructions(run, cpu_module):
    # SSK 1,2: key X'3E' from bits 24-30; ISK 3,2 in BC mode inserts the access
    # and fetch-protection bits only (bits 29-31 zero), in EC mode also R and C
    res = run("0812 0932", regs={1: 0xFFFFFF3F, 2: 0x2800, 3: 0x11111111})
    assert res.cpu.keys[0x2800 >> 11] == 0x3E
    assert res.r(3) == 0x11111138
    res = run("0812 0932", regs={1: 0xFFFFFF3F, 2: 0x2800, 3: 0x11111111}, psw="0008000000001000")
    assert res.r(3) == 0x1111113E
    # R2 bits 28-31 must be zero
    res = run("0812", regs={2: 0x2801})
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 6
    # beyond storage: addressing
    res = run("0912", regs={2: 0x10000})
    assert res.code == 5


@pytest.mark.parametrize(
    "key,cc,after", [(0x00, 0, 0x00), (0x02, 1, 0x02), (0x04, 2, 0x00), (0x16, 3, 0x12)]
)
def test_reset_reference_bit(cpu_module, key, cc, after):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "B213D000", regs={13: 0x3000})
    cpu.keys[0x3000 >> 11] = key
    assert cpu.run(10) == cpu_module.EXIT_DIAG
    assert cpu.cc == cc and cpu.keys[0x3000 >> 11] == after


def test_store_cpu_id(run, cpu_module):
    res = run("B202D000", regs={13: 0x2000})
    ident = res.mem(0x2000, 8)
    assert ident[0] == 0xFF  # version X'FF': a virtual machine
    assert ident[6:8] == b"\0\0"
    assert run("B202D004", regs={13: 0x2000}).code == 6


def test_clock_instructions(run, cpu_module):
    # SCK 0(13); STCK 8(13); STCK 16(13)
    res = run("B204D000 B205D008 B205D010", regs={13: 0x2000}, data={0x2000: "8000000000000000"})
    t1 = int.from_bytes(res.mem(0x2008, 8), "big")
    t2 = int.from_bytes(res.mem(0x2010, 8), "big")
    assert 0x8000000000000000 < t1 < t2  # set, running, unique and increasing
    assert t2 - t1 == cpu_module.TOD_PER_TICK
    assert res.cc == 0


def test_clock_comparator_and_cpu_timer_round_trip(run, cpu_module):
    # SCKC 0(13); STCKC 8(13); SPT 16(13); STPT 24(13)
    res = run(
        "B206D000 B207D008 B208D010 B209D018",
        regs={13: 0x2000},
        data={0x2000: "0123456789ABCDEF 0000000000000000 0000000000100000".replace(" ", "")},
    )
    assert res.mem(0x2008, 8) == bytes.fromhex("0123456789ABCDEF")
    timer = int.from_bytes(res.mem(0x2018, 8), "big")
    assert timer == 0x100000 - cpu_module.TOD_PER_TICK  # one instruction later
    for code in ("B206D004", "B207D004", "B208D004", "B209D004", "B204D004"):
        assert run(code, regs={13: 0x2000}).code == 6


def test_signal_processor_single_cpu(run, cpu_module):
    # SIGP 1,2,1 (sense) to CPU 5: not operational
    res = run("AE120001", regs={1: 5, 2: 5})
    assert res.cc == 3 and res.r(1) == 5
    # to this CPU (address 0): accepted
    res = run("AE120001", regs={1: 5, 2: 0})
    assert res.cc == 0 and res.r(1) == 5
    # unassigned order: status "invalid order" stored in R1, CC 1
    res = run("AE120000", regs={1: 5, 2: 0})
    assert res.cc == 1 and res.r(1) == 2
    # emergency signal to itself becomes a pending external interruption
    res = run("AE120003", regs={2: 0})
    res.cpu.cr[0] = 0x4000
    res.cpu.sysmask = 1
    res.cpu.mem[0x58:0x60] = bytes.fromhex("0002000000000000")
    assert res.cpu.run(10) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(res.cpu.mem[0x18:0x20])[2:4] == bytes.fromhex("1201")


def test_purge_tlb(run, cpu_module):
    assert run("B20D0000").reason == cpu_module.EXIT_DIAG


@pytest.mark.parametrize(
    "cr8,taken", [(0x00000000, False), (0x00002000, True), (0x0000DFFF, False)]
)
def test_monitor_call(cpu_module, cr8, taken):
    from tests.s390.conftest import make_cpu

    # MC X'123'(0),2 : class 2 enabled by CR8 bit 18 (EC mode stores class and code)
    cpu = make_cpu(cpu_module, "AF020123", psw="0008000000001000")
    cpu.cr[8] = cr8
    reason = cpu.run(10)
    if not taken:
        assert reason == cpu_module.EXIT_DIAG
        return
    assert (reason, cpu.exit_code) == (cpu_module.EXIT_PROGRAM, 0x40)
    assert cpu.mem[0x95] == 2
    assert bytes(cpu.mem[0x9C:0xA0]) == bytes.fromhex("00000123")


def test_monitor_call_bc_mode_stores_no_class(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "AF020123")
    cpu.cr[8] = 0x2000
    assert cpu.run(10) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 0x40
    assert bytes(cpu.mem[0x94:0xA0]) == bytes(12)


def test_monitor_call_class_over_15(run):
    assert run("AF100000").code == 6


# ------------------------------------------------------------ decimal via the CPU
def test_decimal_add_and_condition_code(run):
    # AP 0(3,13),3(2,13): 12345+ + 678+ = 13023+
    res = run("FA21D000D003", regs={13: 0x2000}, data={0x2000: "12345C678C"})
    assert res.mem(0x2000, 3) == bytes.fromhex("13023C") and res.cc == 2


def test_decimal_overflow_interrupts_with_mask(run, cpu_module):
    # ZAP 0(1,13),2(2,13): 999+ does not fit one byte: CC 3, X'0A' when PSW mask bit 4 on
    res = run("F801D000D002", regs={13: 0x2000}, data={0x2000: "00 00 999C".replace(" ", "")})
    assert res.cc == 3 and res.reason == cpu_module.EXIT_DIAG
    res = run("F801D000D002", regs={13: 0x2000}, data={0x2000: "0000999C"}, psw="0000000004001000")
    assert (res.reason, res.code) == (cpu_module.EXIT_PROGRAM, 0x0A)


def test_decimal_data_exception(run, cpu_module):
    # AP 0(1,13),1(1,13): first operand X'A1' has the invalid digit A
    res = run("FA00D000D001", regs={13: 0x2000}, data={0x2000: "A11C"})
    assert (res.reason, res.code) == (cpu_module.EXIT_PROGRAM, 7)


def test_convert_to_binary_and_decimal(run, cpu_module):
    # CVB 2,0(13); CVD 3,8(13)
    res = run(
        "4F20D000 4E30D008",
        regs={13: 0x2000, 3: (-1234) & 0xFFFFFFFF},
        data={0x2000: "000000000012345D"},
    )
    assert res.r(2) == (-12345) & 0xFFFFFFFF
    assert res.mem(0x2008, 8) == bytes.fromhex("000000000001234D")
    # too big for 32 bits: fixed-point divide after the rightmost 32 bits are
    # placed in R1 (Hercules' S/370 behaviour)
    res = run("4F20D000", regs={13: 0x2000, 2: 7}, data={0x2000: "000002147483648C"})
    assert (res.code, res.r(2)) == (9, 0x80000000)


def test_edit_and_mark(run):
    # EDMK 0(8,13),8(13): fill X'40', six digit selectors take the digits 0 0 0 1 2 3;
    # leading zeros and the comma become fill, significance starts at the 1, whose
    # result address goes to R1 bits 8-31; CC 1: the digits are nonzero and no plus
    # sign was reached to turn the significance indicator off (checked on Hercules)
    res = run(
        "DF07D000D008",
        regs={13: 0x2000, 1: 0xAA000000},
        data={0x2000: "4020206B20212020", 0x2008: "0001234C"},
    )
    assert res.mem(0x2000, 8) == bytes.fromhex("4040404040F1F2F3")
    assert res.cc == 1
    assert res.r(1) == 0xAA002005


def test_pack_unpack(run):
    # PACK 0(3,13),8(5,13); UNPK 16(5,13),0(3,13)
    res = run("F224D000D008 F342D010D000", regs={13: 0x2000}, data={0x2008: "F1F2F3F4C5"})
    assert res.mem(0x2000, 3) == bytes.fromhex("12345C")
    assert res.mem(0x2010, 5) == bytes.fromhex("F1F2F3F4C5")


# ------------------------------------------------------------ floating point via the CPU
def test_float_load_store(run, cpu_module):
    # LE 2,0(13); LD 4,8(13); STE 2,16(13); STD 4,24(13); LDR 6,4; LER 0,2
    res = run(
        "7820D000 6840D008 7020D010 6040D018 2864 3802",
        regs={13: 0x2000},
        data={0x2000: "41100000 00000000 4220000000000001".replace(" ", "")},
    )
    assert res.cpu.fpr[1] >> 32 == 0x41100000
    assert res.cpu.fpr[2] == 0x4220000000000001 == res.cpu.fpr[3]
    assert res.mem(0x2010, 4) == bytes.fromhex("41100000")
    assert res.mem(0x2018, 8) == bytes.fromhex("4220000000000001")
    res = run("7810D000", regs={13: 0x2000})  # LE 1: odd register
    assert (res.reason, res.code) == (cpu_module.EXIT_PROGRAM, 6)


def test_float_add_and_compare(run):
    # LD 0,0(13); AD 0,8(13) (1.0 + 1.0 = 2.0, CC 2); CD 0,16(13) (2.0 vs 2.0: CC 0)
    res = run(
        "6800D000 6A00D008", regs={13: 0x2000}, data={0x2000: "4110000000000000 4110000000000000"}
    )
    assert res.cpu.fpr[0] == 0x4120000000000000 and res.cc == 2
    res = run(
        "6800D000 6900D008", regs={13: 0x2000}, data={0x2000: "4120000000000000 4120000000000000"}
    )
    assert res.cc == 0


def test_float_divide_by_zero(run, cpu_module):
    res = run(
        "6800D000 6D00D008", regs={13: 0x2000}, data={0x2000: "4110000000000000 0000000000000000"}
    )
    assert (res.reason, res.code) == (cpu_module.EXIT_PROGRAM, 0x0F)


def test_ssm_invalid_ec_mask_bits(run, cpu_module):
    # EC mode: SSM of X'FF' sets bits 0 and 2-4, which must be zero: the mask is
    # set, then specification with ILC 2 (as Hercules does)
    res = run("8000D000", regs={13: 0x2000}, data={0x2000: "FF"}, psw="0008000000001000")
    assert (res.reason, res.code, res.ilc) == (cpu_module.EXIT_PROGRAM, 6, 2)
    assert res.cpu.get_psw()[:2] == bytes.fromhex("FF08")


def test_edit_checks_only_the_source_bytes_it_uses(run, cpu_module):
    # ED with 3 digit selectors; the source X'0C' at the last byte of storage
    # supplies one digit and a sign: the second selector would need the next
    # byte, beyond storage -> addressing.  With 1 selector no exception.
    res = run("DE01D000EFFF", regs={13: 0x2000, 14: 0xF000}, data={0x2000: "4020", 0xFFFF: "1C"})
    assert res.reason == cpu_module.EXIT_DIAG
    assert res.mem(0x2000, 2) == bytes.fromhex("40F1")
    res = run("DE02D000EFFF", regs={13: 0x2000, 14: 0xF000}, data={0x2000: "402020", 0xFFFF: "1C"})
    assert (res.reason, res.code) == (cpu_module.EXIT_PROGRAM, 5)
    assert res.mem(0x2000, 3) == bytes.fromhex("402020")  # nothing stored


def test_signal_processor_reports_a_pending_external_call(run, cpu_module):
    # PoO 10 "Status Bits": bit 24 external call pending.  SIGP 1,2,2 twice
    # (the second is precluded by the first), BALR 9,0, SIGP 3,2,1 (sense)
    res = run("AE120002 AE120002 0590 AE320001", regs={1: 0x1111, 2: 0, 3: 0x3333})
    assert res.r(1) == 0x00000080 and (res.r(9) >> 28) & 3 == 1
    assert res.r(3) == 0x00000080 and res.cc == 1
    # no call pending: sense is accepted (CC 0) and leaves R1 alone
    res = run("AE320001 AE120003", regs={2: 0, 3: 0x3333})  # emergency signal is no status
    assert res.cc == 0 and res.r(3) == 0x3333


def test_cpu_timer_wraps_from_maximum_negative_to_positive(cpu_module):
    from tests.s390.conftest import make_cpu

    # PoO 4 "CPU Timer": a 64-bit binary counter; once it has wrapped to
    # positive there is no CPU-timer interruption condition.  SPT 0(13) of
    # X'8000000000000000', STPT 8(13) one instruction later, STOSM 16(13),X'01'
    # (external interruptions on; CR0 bit 21: CPU timer), NOPR; the external
    # new PSW is a disabled wait
    cpu = make_cpu(
        cpu_module,
        "B208D000 B209D008 AD01D010 0700",
        regs={13: 0x2000},
        data={0x2000: "8000000000000000", 0x58: "0002000000000000"},
        intercept=False,
    )
    cpu.cr[0] = 0x400
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    assert bytes(cpu.mem[0x2008:0x2010]).hex() == "%016x" % ((1 << 63) - cpu_module.TOD_PER_TICK)
