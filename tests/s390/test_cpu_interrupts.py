"""Interruptions, PSW handling, wait states, storage keys and run() exits
(GA22-7000 chapters 3, 4 and 6).  New PSWs are disabled waits so that an
interruption ends the run and the old PSW can be read."""

import pytest

from s390 import lowcore as lc

WAIT = "0002000000000000"  # disabled wait, BC mode
LOOP = "47F0C000"  # BC 15,0(12): loop on itself (R12 = X'1000')


def new_psws(extra=None):
    data = {
        lc.PROGRAM_NEW_PSW: WAIT,
        lc.SVC_NEW_PSW: WAIT,
        lc.EXTERNAL_NEW_PSW: WAIT,
        lc.IO_NEW_PSW: WAIT,
        lc.RESTART_NEW_PSW: WAIT,
    }
    data.update(extra or {})
    return data


def psw_at(res, addr):
    return res.mem(addr, 8).hex().upper()


# ------------------------------------------------------------ program interruptions
def test_program_interruption_bc_mode(run, cpu_module):
    res = run("0000", data=new_psws(), intercept=False)
    assert res.reason == cpu_module.EXIT_DISABLED_WAIT
    # code 0001 in bits 16-31, ILC 1, CC 0, address of the next instruction
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0000000140001002"
    assert res.cpu.get_psw().hex().upper().startswith("00020000")


def test_program_interruption_ec_mode(run, cpu_module):
    # EC-mode PSW (bit 12): ILC and code go to X'8C'-X'8F', not into the PSW
    res = run("1B55 0000", data=new_psws(), intercept=False, psw="0008000000001000")
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0008000000001004"
    assert res.mem(0x8C, 4) == bytes.fromhex("00020001")


def test_program_interruption_keeps_key_mask_and_problem_state(run):
    # key 3, problem state, CC 2, program mask 5: all kept in the old PSW
    res = run("0000", data=new_psws(), intercept=False, psw="0031000025001000")
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0031000165001002"


def test_program_interruption_loop_is_detected(run, cpu_module):
    # the program new PSW points at an invalid opcode itself
    res = run("0000", data={lc.PROGRAM_NEW_PSW: "0000000000001000"}, intercept=False)
    assert res.reason == cpu_module.EXIT_PGM_LOOP
    assert res.cpu.exit_code == 1


def test_program_intercept_leaves_psw_unswapped(run, cpu_module):
    res = run("0000", data=new_psws())
    assert res.reason == cpu_module.EXIT_PROGRAM
    assert (res.code, res.ilc, res.cpu.ia) == (1, 1, 0x1002)
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0" * 16


def test_intercepted_program_check_is_traced(cpu_module):
    """CP TRACE PROGRAM sees a program check CP (or CMS) intercepts: one
    record with the instruction, the code and the old PSW's address."""
    from tests.s390.conftest import make_cpu

    # SR 4,4; LA 5,100; D 4,X'20'(0): fixed-point divide by the zero at X'20'
    cpu = make_cpu(cpu_module, "1B44 41500064 5D400020", data=new_psws())
    cpu.trace = cpu_module.TRACE_PROGRAM
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 9
    [record] = cpu.trace_records()
    assert record[0] == cpu_module.TRACE_PROGRAM and record[5] == 9
    assert record[1:3] == (0x1006, 0x100A) and record[4][:4] == bytes.fromhex("5D400020")


def test_early_exception_for_invalid_ec_psw(run):
    # LPSW of an EC PSW with bit 0 on: specification, ILC 0, the invalid PSW stored unchanged
    res = run(
        "8200D000", regs={13: 0x2000}, data=new_psws({0x2000: "8008000000001000"}), intercept=False
    )
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "8008000000001000"
    assert res.mem(0x8C, 4) == bytes.fromhex("00000006")


def test_odd_instruction_address_from_lpsw(run):
    # not an early exception in S/370: recognised at instruction fetch (ILC 2)
    res = run(
        "8200D000", regs={13: 0x2000}, data=new_psws({0x2000: "0000000000001001"}), intercept=False
    )
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0000000680001005"


def test_branch_to_odd_address(run):
    res = run("07F1", regs={1: 0x1301}, data=new_psws(), intercept=False)
    old = psw_at(res, lc.PROGRAM_OLD_PSW)
    assert old[4:8] == "0006" and old.endswith("1305")


def test_instruction_fetch_addressing(run):
    res = run("07F1", regs={1: 0xF00000}, data=new_psws(), intercept=False)
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0000000580F00004"


@pytest.mark.parametrize("code", ["82000F00", "9C00000E", "83000000", "8000D000", "B2020F00"])
def test_privileged_operation_in_problem_state(run, cpu_module, code):
    res = run(code, psw="0001000000001000")
    assert res.reason == cpu_module.EXIT_PROGRAM and res.code == 2


# ------------------------------------------------------------ supervisor call
def test_svc_interruption_bc_and_ec(run):
    res = run("0A05", data=new_psws(), intercept=False)
    assert psw_at(res, lc.SVC_OLD_PSW) == "0000000540001002"
    res = run("0AFF", data=new_psws(), intercept=False, psw="0008000000001000")
    assert psw_at(res, lc.SVC_OLD_PSW) == "0008000000001002"
    assert res.mem(0x88, 4) == bytes.fromhex("000200FF")


def test_svc_under_execute_has_ilc_2(run):
    # EX 0,X'08'(12) of SVC 7
    res = run("4400C008 00000000 0A07", regs={12: 0x1000}, data=new_psws(), intercept=False)
    assert psw_at(res, lc.SVC_OLD_PSW) == "0000000780001004"


def test_svc_intercept(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "0ACA", data=new_psws(), intercept=False)
    cpu.set_svc_intercept(0xCA)
    assert cpu.run(100) == cpu_module.EXIT_SVC
    assert cpu.exit_addr == 0xCA and cpu.ia == 0x1002
    assert bytes(cpu.mem[0x20:0x28]) == bytes(8)  # no swap
    cpu.set_svc_intercept(0xCA, False)
    cpu.ia = 0x1000
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT


# ------------------------------------------------------------ external
def looping_cpu(cpu_module, psw, data=None, **kw):
    from tests.s390.conftest import make_cpu

    d = new_psws()
    d.update(data or {})
    return make_cpu(cpu_module, LOOP, regs={12: 0x1000}, data=d, psw=psw, intercept=False, **kw)


def test_interrupt_key_external_interruption(cpu_module):
    cpu = looping_cpu(cpu_module, "0100000000001000")  # external mask on
    assert cpu.run(50) == cpu_module.EXIT_BUDGET
    cpu.post_external(0x0040)
    assert cpu.run(50) == cpu_module.EXIT_DISABLED_WAIT
    # code X'0040'; the ILC (unpredictable for external) is the last instruction's
    assert bytes(cpu.mem[0x18:0x20]).hex().upper() == "0100004080001000"


def test_external_interruption_waits_for_the_mask(cpu_module):
    cpu = looping_cpu(cpu_module, "0000000000001000")  # external mask off
    cpu.post_external(0x0040)
    assert cpu.run(100) == cpu_module.EXIT_BUDGET
    cpu.cr[0] = 0  # CR0 bit 25 off: still not taken
    cpu.sysmask = 0x01
    assert cpu.run(100) == cpu_module.EXIT_BUDGET
    cpu.cr[0] = 0x40  # interrupt-key subclass mask on
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT


def test_external_ec_mode_stores_code_at_86(cpu_module):
    cpu = looping_cpu(cpu_module, "0108000000001000")
    cpu.post_external(0x1201)
    cpu.cr[0] = 0x00004000  # emergency-signal mask (bit 17)
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x84:0x88]) == bytes.fromhex("00001201")


def test_post_external_rejects_unknown_codes(cpu_module):
    cpu = looping_cpu(cpu_module, "0000000000001000")
    with pytest.raises(ValueError):
        cpu.post_external(0x1004)  # the clock comparator is not posted


def test_clock_comparator(cpu_module):
    # STCK 0(13); L 3,4(13); AL 3,8(13) (+100 instructions of TOD); ST 3,4(13)
    # SCKC 0(13); LCTL 0,0,12(13) (CR0 bit 20); SSM 16(13) (external mask); loop
    code = "B205D000 5830D004 5E30D008 5030D004 B206D000 B700D00C 8000D010" + LOOP
    from tests.s390.conftest import make_cpu

    data = new_psws(
        {0x2008: "%08X" % (100 * cpu_module.TOD_PER_TICK), 0x200C: "00000800", 0x2010: "01"}
    )
    cpu = make_cpu(
        cpu_module, code, end="", regs={12: 0x101C, 13: 0x2000}, data=data, intercept=False
    )
    assert cpu.run(10_000) == cpu_module.EXIT_DISABLED_WAIT
    old = bytes(cpu.mem[0x18:0x20]).hex().upper()
    assert old[4:8] == "1004"
    assert 100 <= cpu.instructions <= 110


def test_cpu_timer(cpu_module):
    # SPT 0(13) = 50 instructions; LCTL CR0 bit 21; SSM; loop
    code = "B208D000 B700D00C 8000D010" + LOOP
    from tests.s390.conftest import make_cpu

    data = new_psws(
        {0x2000: "%016X" % (50 * cpu_module.TOD_PER_TICK), 0x200C: "00000400", 0x2010: "01"}
    )
    cpu = make_cpu(
        cpu_module, code, end="", regs={12: 0x100C, 13: 0x2000}, data=data, intercept=False
    )
    assert cpu.run(10_000) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x18:0x20]).hex().upper()[4:8] == "1005"
    assert 50 <= cpu.instructions <= 60


def test_interval_timer(cpu_module):
    # the timer at X'50' counts down (bit 31 = 1/76800 s); going negative is X'0080'
    cpu = looping_cpu(cpu_module, "0100000000001000", data={0x50: "00000001"})
    cpu.interval_timer_on = True
    assert cpu.run(1_000_000) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x18:0x20]).hex().upper()[4:8] == "0080"
    assert int.from_bytes(cpu.mem[0x50:0x54], "big") >> 31 == 1
    # two units of 2500/3 instructions passed (to 0, then to -1)
    assert 1600 <= cpu.instructions <= 1700 + cpu_module.TIMER_CHECK


def test_enabled_wait_then_timer_by_advance_time(cpu_module):
    # enabled wait for the clock comparator: run() returns EXIT_WAIT; CP lets time pass
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "", end="", data=new_psws(), psw="0102000000001000", intercept=False)
    cpu.cr[0] = 0x800
    cpu.ckc = 10_000 * cpu_module.TOD_PER_TICK
    assert cpu.run(100) == cpu_module.EXIT_WAIT
    ticks = cpu.next_timer_event()
    assert 9_990 <= ticks <= 10_001
    cpu.advance_time(ticks)
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x18:0x20]).hex().upper()[4:8] == "1004"
    assert cpu.instructions == 0


# ------------------------------------------------------------ I/O
@pytest.mark.parametrize(
    "sysmask,cr2,dev,taken",
    [
        ("80", None, 0x00E, True),  # channel 0: PSW bit 0
        ("40", None, 0x00E, False),
        ("40", None, 0x190, True),  # channel 1: PSW bit 1
        ("02", 0x01000000, 0x70E, True),  # channel 7: PSW bit 6 and CR2 bit 7
        ("02", 0xFE000000, 0x70E, False),
        ("FC", None, 0x70E, False),
    ],
)
def test_io_interruption_masks_bc_mode(cpu_module, sysmask, cr2, dev, taken):
    cpu = looping_cpu(cpu_module, sysmask + "00000000001000")
    if cr2 is not None:
        cpu.cr[2] = cr2
    cpu.post_io_interrupt(dev, bytes.fromhex("0000200008000000"))
    reason = cpu.run(100)
    if not taken:
        assert reason == cpu_module.EXIT_BUDGET
        return
    assert reason == cpu_module.EXIT_DISABLED_WAIT
    # taken before any instruction ran: ILC 0
    assert bytes(cpu.mem[0x38:0x40]).hex().upper() == sysmask + "00%04X00001000" % dev
    assert bytes(cpu.mem[0x40:0x48]) == bytes.fromhex("0000200008000000")


def test_io_interruption_ec_mode(cpu_module):
    cpu = looping_cpu(cpu_module, "0208000000001000")
    cpu.post_io_interrupt(0x191, bytes(8))
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x38:0x40]).hex().upper() == "0208000000001000"
    assert bytes(cpu.mem[0xB8:0xBC]) == bytes.fromhex("00000191")


def test_enabled_and_disabled_wait(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "", end="", data=new_psws(), psw="8002000000001000", intercept=False)
    assert cpu.run(100) == cpu_module.EXIT_WAIT
    assert cpu.wait
    cpu.post_io_interrupt(0x00C, bytes(8))
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x38:0x40]).hex().upper() == "8002000C00001000"


def test_restart_interruption(cpu_module):
    cpu = looping_cpu(cpu_module, "0000000000001000")
    cpu.restart()
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[0x08:0x10]).hex().upper() == "0000000000001000"


# ------------------------------------------------------------ run() exits
def test_io_instruction_exit(run, cpu_module):
    res = run("9C00000E 41100001")
    assert res.reason == cpu_module.EXIT_IO
    assert (res.cpu.exit_opcode, res.cpu.exit_addr, res.cpu.ia) == (0x9C00, 0x00E, 0x1004)
    res.cpu.set_cc(1)
    assert res.cpu.run(100) == cpu_module.EXIT_DIAG and res.cc == 1 and res.r(1) == 1


@pytest.mark.parametrize(
    "code,opcode",
    [
        ("9C01", 0x9C01),
        ("9D00", 0x9D00),
        ("9D01", 0x9D01),
        ("9E00", 0x9E00),
        ("9E01", 0x9E01),
        ("9F00", 0x9F00),
        ("B203", 0xB203),
    ],
)
def test_every_io_instruction_exits(run, cpu_module, code, opcode):
    res = run(code + "D004", regs={13: 0x0100})
    assert res.reason == cpu_module.EXIT_IO
    assert (res.cpu.exit_opcode, res.cpu.exit_addr) == (opcode, 0x104)


def test_diagnose_exit(run, cpu_module):
    res = run("8312D008", regs={13: 0x10})
    assert res.reason == cpu_module.EXIT_DIAG
    assert (res.cpu.exit_r1, res.cpu.exit_r3, res.cpu.exit_addr, res.cpu.ia) == (1, 2, 0x18, 0x1004)


def test_budget_stop_and_adstop(cpu_module):
    cpu = looping_cpu(cpu_module, "0000000000001000")
    assert cpu.run(1000) == cpu_module.EXIT_BUDGET and cpu.instructions == 1000
    cpu.request_stop()
    assert cpu.run(1000) == cpu_module.EXIT_STOP and cpu.instructions == 1000
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "1B11 41110001 41110001 41110001", data=new_psws())
    cpu.adstop = 0x100A
    assert cpu.run(1000) == cpu_module.EXIT_STOP
    assert cpu.ia == 0x100A and cpu.gpr[1] == 2


def test_branch_trace(cpu_module):
    from tests.s390.conftest import make_cpu

    # LA 3,3; loop BCT 3,4(12); SVC 1
    cpu = make_cpu(
        cpu_module, "41300003 4630C004 0A01", regs={12: 0x1000}, data=new_psws(), intercept=False
    )
    cpu.trace = cpu_module.TRACE_BRANCH | cpu_module.TRACE_SVC
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    records = cpu.trace_records()
    kinds = [r[0] for r in records]
    assert kinds == [cpu_module.TRACE_BRANCH, cpu_module.TRACE_BRANCH, cpu_module.TRACE_SVC]
    assert records[0][1:3] == (0x1004, 0x1004)
    assert records[0][4][:4] == bytes.fromhex("4630C004")


# ------------------------------------------------------------ storage keys
def keyed(mod, code, key_byte, psw, **kw):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(mod, code, regs={13: 0x2000}, psw=psw, **kw)
    cpu.keys[0x2000 >> 11] = key_byte
    return cpu


@pytest.mark.parametrize(
    "psw_key,storage_key,store_ok,fetch_ok",
    [
        (0, 0x20, True, True),  # key 0 matches everything
        (2, 0x20, True, True),
        (3, 0x20, False, True),  # store protected, fetch allowed
        (3, 0x28, False, False),  # fetch protection bit on
        (2, 0x28, True, True),
    ],
)
def test_key_controlled_protection(cpu_module, psw_key, storage_key, store_ok, fetch_ok):
    psw = "00%X0000000001000" % psw_key
    cpu = keyed(cpu_module, "5020D000", storage_key, psw, data={0x2000: "11111111"})
    cpu.gpr[2] = 0x22222222
    reason = cpu.run(10)
    if store_ok:
        assert reason == cpu_module.EXIT_DIAG
        assert bytes(cpu.mem[0x2000:0x2004]) == bytes.fromhex("22222222")
    else:
        assert (reason, cpu.exit_code) == (cpu_module.EXIT_PROGRAM, 4)
        assert bytes(cpu.mem[0x2000:0x2004]) == bytes.fromhex("11111111")
    cpu = keyed(cpu_module, "5820D000", storage_key, psw, data={0x2000: "11111111"})
    reason = cpu.run(10)
    assert (reason == cpu_module.EXIT_DIAG) == fetch_ok
    assert cpu.gpr[2] == (0x11111111 if fetch_ok else 0)


def test_instruction_fetch_protection(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "1B11", psw="0030000000001000")
    cpu.keys[0x1000 >> 11] = 0x28
    assert cpu.run(10) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 4


def test_reference_and_change_bits(run):
    # ST into X'2000' sets reference and change; L from X'2800' only reference
    res = run("5020D000 5820D800", regs={13: 0x2000})
    assert res.cpu.keys[0x2000 >> 11] & 0x06 == 0x06
    assert res.cpu.keys[0x2800 >> 11] & 0x06 == 0x04


def test_interruption_loop_without_instructions_returns(cpu_module):
    # the external new PSW enables the clock comparator condition that is still
    # pending: real hardware would take it forever; run() gives the slice back
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(
        cpu_module,
        "0700",
        end=LOOP,
        regs={12: 0x1000},
        data={0x58: "0100000000001000"},
        psw="0100000000001000",
        intercept=False,
    )
    cpu.cr[0] = 0x800
    cpu.ckc = 0  # the TOD clock passes it after one instruction
    assert cpu.run(1000) == cpu_module.EXIT_BUDGET
    assert cpu.instructions == 1
    assert bytes(cpu.mem[0x18:0x20]).hex().upper() == "0100100440001000"


def test_trace_program_and_io_interruptions_and_stop(cpu_module):
    from tests.s390.conftest import make_cpu

    # X'1000': operation exception; program new PSW continues at X'1010': a loop
    cpu = make_cpu(
        cpu_module,
        "0000",
        end="",
        regs={12: 0x1010},
        data={lc.PROGRAM_NEW_PSW: "8000000000001010", lc.IO_NEW_PSW: WAIT, 0x1010: LOOP},
        intercept=False,
    )
    cpu.trace = cpu_module.TRACE_PROGRAM | cpu_module.TRACE_IO
    cpu.trace_stop = True
    assert cpu.run(100) == cpu_module.EXIT_STOP  # stopped after the traced event
    kind, frm, to, ilc, inst, code = cpu.trace_records()[-1]
    assert (kind, frm, to, ilc, code) == (cpu_module.TRACE_PROGRAM, 0x1000, 0x1010, 1, 1)
    assert inst[:2] == b"\0\0"
    cpu.trace_stop = False
    cpu.post_io_interrupt(0x00C, bytes(8))
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    kind, frm, to, ilc, inst, code = cpu.trace_records()[-1]
    assert (kind, frm, code) == (cpu_module.TRACE_IO, 0x1010, 0x00C)


def test_trace_privileged_instructions(cpu_module):
    from tests.s390.conftest import make_cpu

    # LR 1,2; SSM 0(13); STCK 8(13); STCKC 16(13); LR 3,4
    cpu = make_cpu(cpu_module, "1812 8000D000 B205D008 B207D010 1834", regs={13: 0x2000})
    cpu.trace = cpu_module.TRACE_PRIVILEGED
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    traced = [(r[0], r[1]) for r in cpu.trace_records()]
    # SSM and STCKC are privileged, STCK is not; DIAGNOSE (the end) is, too
    assert traced == [
        (cpu_module.TRACE_PRIVILEGED, 0x1002),
        (cpu_module.TRACE_PRIVILEGED, 0x100A),
        (cpu_module.TRACE_PRIVILEGED, 0x1010),
    ]


# ------------------------------------------------- a trace stop keeps the exit
@pytest.mark.parametrize(
    "code, exit_name, opcode, addr",
    [
        ("9C000009", "EXIT_IO", 0x9C00, 0x009),  # SIO X'009'
        ("83120024", "EXIT_DIAG", 0x83, 0x024),  # DIAG 1,2,X'24'
    ],
)
def test_trace_stop_on_an_exit_instruction_keeps_the_exit(
    cpu_module, code, exit_name, opcode, addr
):
    from tests.s390.conftest import make_cpu

    # LR 1,2; the I/O instruction or DIAGNOSE; LR 3,4; DIAGNOSE (the end)
    cpu = make_cpu(cpu_module, "1812 " + code + " 1834")
    cpu.trace = cpu_module.TRACE_PRIVILEGED
    cpu.trace_stop = True
    assert cpu.run(100) == cpu_module.EXIT_STOP
    assert cpu.stop_exit == getattr(cpu_module, exit_name)
    assert cpu.trace_records()[-1][1] == 0x1002
    assert cpu.ia == 0x1006  # past the instruction: performed once
    assert (cpu.exit_addr & 0xFFFF) == addr
    if opcode == 0x9C00:
        assert cpu.exit_opcode == opcode
    cpu.trace_stop = False
    assert cpu.run(100) == cpu_module.EXIT_DIAG  # on to the end, nothing executed twice
    assert cpu.stop_exit == 0 and cpu.ia == 0x100C


def test_trace_stop_on_an_intercepted_svc_keeps_the_svc_exit(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "0A0C")  # SVC 12, intercepted
    cpu.set_svc_intercept(12)
    cpu.trace = cpu_module.TRACE_SVC
    cpu.trace_stop = True
    assert cpu.run(100) == cpu_module.EXIT_STOP
    assert (cpu.stop_exit, cpu.exit_addr, cpu.ia) == (cpu_module.EXIT_SVC, 12, 0x1002)


def test_trace_stop_without_an_exit_leaves_stop_exit_zero(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "1812 1834")  # LR 1,2; LR 3,4
    cpu.trace = cpu_module.TRACE_INSTRUCTION
    cpu.trace_stop = True
    assert cpu.run(100) == cpu_module.EXIT_STOP
    assert cpu.stop_exit == 0 and cpu.ia == 0x1002


# -------------------------------------------- the channel's view of the queue
def test_withdraw_io_interrupt_returns_the_csw_of_that_device_only(cpu_module):
    cpu = cpu_module.CPU(storage_size=1 << 16)
    cpu.post_io_interrupt(0x009, bytes.fromhex("0000100000000000"))
    cpu.post_io_interrupt(0x00C, bytes.fromhex("0000200004000000"))
    cpu.post_io_interrupt(0x009, bytes.fromhex("0000300008000000"))
    assert cpu.io_interrupt_pending(0x00C) and cpu.io_interrupt_pending(0x009)
    assert not cpu.io_interrupt_pending(0x00E)
    assert cpu.withdraw_io_interrupt(0x00E) is None
    assert cpu.withdraw_io_interrupt(0x009) == bytes.fromhex("0000100000000000")  # oldest first
    assert cpu.withdraw_io_interrupt(0x009) == bytes.fromhex("0000300008000000")
    assert not cpu.io_interrupt_pending(0x009) and cpu.withdraw_io_interrupt(0x009) is None
    assert cpu.io_queue == [(0x00C, bytes.fromhex("0000200004000000"))]


def test_a_withdrawn_io_interrupt_is_not_taken(cpu_module):
    from tests.s390.conftest import make_cpu

    # BC mode, channel 0 enabled, waiting; the I/O new PSW is a disabled wait
    cpu = make_cpu(
        cpu_module, "", end="", data={lc.IO_NEW_PSW: WAIT}, psw="FE02000000001000", intercept=False
    )
    cpu.post_io_interrupt(0x00C, bytes.fromhex("0000000004000000"))
    assert cpu.withdraw_io_interrupt(0x00C) is not None
    assert cpu.run(100) == cpu_module.EXIT_WAIT  # nothing left to end the wait
    cpu.post_io_interrupt(0x00C, bytes.fromhex("0000000004000000"))
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    assert bytes(cpu.mem[lc.CSW : lc.CSW + 8]).hex() == "0000000004000000"


# ------------------------------------------ the BC interruption-code field
def test_lpsw_keeps_the_bc_interruption_code_in_the_wait_psw(cpu_module):
    from tests.s390.conftest import make_cpu

    # LPSW X'300' of a disabled wait with code X'BEEF' (PoO 4: LPSW
    # replaces the whole PSW; only an interruption stores a new code)
    cpu = make_cpu(cpu_module, "82000300", data={0x300: "0002BEEF00000ABC"})
    assert cpu.run(10) == cpu_module.EXIT_DISABLED_WAIT
    assert cpu.get_psw().hex().upper() == "0002BEEF80000ABC"
    cpu.load_psw(cpu.get_psw())  # CP's round trip keeps it
    assert cpu.get_psw()[2:4] == b"\xbe\xef"


def test_an_interruption_stores_its_own_code_over_the_loaded_one(run):
    # the current PSW carries X'1234'; the operation exception's old PSW shows 0001
    res = run("0000", end="", data=new_psws(), psw="0000123400001000", intercept=False)
    assert psw_at(res, lc.PROGRAM_OLD_PSW) == "0000000140001002"


# ------------------------------------------- masks changed by LPSW, SSM, STOSM
# The run loop stays in its fast path across a PSW or system mask that keeps
# or narrows the masks; one that unmasks a pending interruption must still
# take it before the next instruction (PoO 6, "Interruption Action").
MASK_DATA = {
    0x1100: "0000000000001008",  # disabled PSW to X'1008'
    0x1108: "01",
}  # system mask: external enabled


@pytest.mark.parametrize(
    "enable",
    [
        "8000C108",  # SSM   X'108'(12)
        "AD01C110",
    ],
)  # STOSM X'110'(12),X'01'
def test_unmasking_takes_the_pending_interruption_at_once(cpu_module, enable):
    from tests.s390.conftest import make_cpu

    # LPSW X'100'(12) (masks stay off) ; LA 1,9 (skipped) ; LA 1,1 ; enable ; LA 1,5
    cpu = make_cpu(
        cpu_module,
        "8200C100 41100009 41100001 " + enable + " 41100005",
        regs={12: 0x1000},
        data=new_psws(MASK_DATA),
        intercept=False,
    )
    cpu.post_external(0x40)
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    old = bytes(cpu.mem[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8])
    assert cpu.gpr[1] == 1  # LA 1,5 never ran
    assert old[2:4] == b"\x00\x40" and old[5:8] == b"\x00\x10\x10"


def test_lpsw_that_unmasks_takes_the_pending_interruption_first(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(
        cpu_module,
        "8200C100 41100009 41100001",
        regs={12: 0x1000},
        data=new_psws({0x1100: "0100000000001008"}),
        intercept=False,
    )
    cpu.post_external(0x40)
    assert cpu.run(100) == cpu_module.EXIT_DISABLED_WAIT
    old = bytes(cpu.mem[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8])
    assert cpu.gpr[1] == 0 and old[5:8] == b"\x00\x10\x08"


def test_narrowing_mask_runs_on_with_the_interruption_pending(cpu_module):
    from tests.s390.conftest import make_cpu

    # enabled for external: LA 1,1 ; STNSM X'110'(12),X'00' ; LA 2,1(1) ; the
    # interruption posted meanwhile stays pending: the program ends at its DIAGNOSE
    cpu = make_cpu(
        cpu_module,
        "41100001 AC00C110 41201001",
        regs={12: 0x1000},
        data=new_psws(),
        intercept=False,
    )
    cpu.load_psw(bytes.fromhex("0100000000001000"))
    assert cpu.run(2) == cpu_module.EXIT_BUDGET  # LA, STNSM
    cpu.post_external(0x40)
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    assert cpu.gpr[2] == 2 and cpu.mem[0x1110] == 0x01 and cpu.sysmask == 0
