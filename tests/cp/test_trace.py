"""TRACE and ADSTOP on a running S/370 guest."""

from s390.exits import TRACE_BRANCH, TRACE_INSTRUCTION, TRACE_INTERRUPTIONS, TRACE_PROGRAM
from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import COPY_PROGRAM, EXT_PROGRAM, card, ipl_deck, wait_stopped
from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT

#: Calls SVC 12 once, then counts R2 down from 3 with BCT, then stops with address 0.
SVC_PROGRAM = """\
SVCS     CSECT
         BALR  12,0
         USING *,12
         MVC   96(8,0),SVCNEW          SVC new PSW at X'60'
         LA    2,3
         SVC   12
AGAIN    LA    3,7(3)
         BCT   2,AGAIN
         LPSW  ENDPSW
SVCH     LPSW  32(0)                   back to the SVC old PSW
         DS    0D
SVCNEW   DC    X'00000000',A(SVCH)
ENDPSW   DC    X'00020000',X'00000000'
         END   SVCS
"""
# Addresses once loaded at X'1000': SVC at X'100C', AGAIN at X'100E', BCT at X'1012'.


async def ipled(tmp_path, source, data=()):
    system = make_system(tmp_path, GUEST_DIRECT)
    deck = ipl_deck(source) + [card(t) for t in data]
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    terminal, session = logon(system, "GUEST")
    command(session, terminal, "IPL 00C STOP")
    return system, system.find_user("GUEST"), terminal, session


async def test_trace_svc_run(tmp_path):
    system, vm, t, s = await ipled(tmp_path, SVC_PROGRAM)
    command(s, t, "TRACE SVC RUN")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines == [
        "SVC    AT 00100C 0A0C         SVC   12",
        "DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 80000000'",
    ]


async def test_trace_branch_norun_stops_at_each_branch(tmp_path):
    system, vm, t, s = await ipled(tmp_path, SVC_PROGRAM)
    command(s, t, "TRACE BRANCH")
    t.take()
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    # BRANCH traces the VM's interruptions too: the SVC first, then the LPSW
    # back is not a branch; the BCT is.
    assert next(line for line in t.take() if line.startswith("SVC")).startswith("SVC    AT 00100C")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    first = [line for line in t.take() if line.startswith("BRANCH")]
    assert len(first) == 1 and first[0].startswith("BRANCH AT 001012")
    assert first[0].endswith("==> 00100E") and t.status == "CP READ"
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert [line for line in t.take() if line.startswith("BRANCH")][0].endswith("==> 00100E")
    command(s, t, "TRACE END")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines[-1].endswith("'00020000 80000000'")


async def test_adstop(tmp_path):
    system, vm, t, s = await ipled(tmp_path, SVC_PROGRAM)
    command(s, t, "ADSTOP 1012")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines[-1] == "ADSTOP AT 001012"
    assert command(s, t, "D PSW")[0].endswith("001012")
    assert command(s, t, "D G2") == ["GPR  2 = 00000003"]
    import asyncio

    await asyncio.sleep(1.0)  # in CP READ: no CPU time
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines[-1].endswith("'00020000 80000000'")  # one-shot: not stopped again
    assert vm.account.total_us < 900_000


async def test_trace_sio_run_reports_io(tmp_path):
    system, vm, t, s = await ipled(tmp_path, COPY_PROGRAM, ["ONE CARD"])
    command(s, t, "TRACE SIO CCW RUN")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    io = [line for line in t.lines if line.startswith("I/O")]
    assert io[0].startswith("I/O    AT ") and " SIO   009 CC 0 CAW " in io[0]
    assert any(" SIO   00C CC 0" in line for line in io)
    assert t.lines[-1].endswith("'00020000 80000100'")


def test_trace_operands(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    t, s = logon(system, "GUEST")
    assert command(s, t, "TRACE BOGUS") == ["DMKCFM003E INVALID OPTION - BOGUS"]
    assert command(s, t, "TRACE") == ["DMKCFM026E OPERAND MISSING OR INVALID"]
    assert command(s, t, "TRACE ALL PRINTER RUN") == ["TRACE STARTED"]
    assert (
        system.find_user("GUEST").cpu.trace
        == TRACE_INSTRUCTION | TRACE_BRANCH | TRACE_INTERRUPTIONS
    )
    assert command(s, t, "TRACE END") == ["TRACE ENDED"]
    assert system.find_user("GUEST").cpu.trace == 0


def test_trace_operands_add_up_and_off_ends_some(tmp_path):
    from cp.trace import TraceMode

    system = make_system(tmp_path, GUEST_DIRECT)
    t, s = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    for spelling in ("I/O", "IO"):
        assert command(s, t, f"TRACE {spelling}") == ["TRACE STARTED"]
        assert vm.trace == {"IO": TraceMode("TERMINAL", False)}
        command(s, t, "TRACE END")
    command(s, t, "TRACE SVC RUN")
    assert command(s, t, "TRACE PROG") == []  # tracing goes on: no response
    command(s, t, "TRACE BR PRINTER")  # PRINTER: RUN is assumed
    assert vm.trace == {
        "SVC": TraceMode("TERMINAL", True),
        "PROGRAM": TraceMode("TERMINAL", False),
        "BRANCH": TraceMode("PRINTER", True),
    }
    assert command(s, t, "TRACE SVC BRANCH OFF") == []
    assert vm.trace == {"PROGRAM": TraceMode("TERMINAL", False)}
    assert vm.cpu.trace == TRACE_PROGRAM
    assert command(s, t, "TRACE PROGRAM OFF") == ["TRACE ENDED"]
    assert command(s, t, "TRACE RUN") == ["DMKCFM026E OPERAND MISSING OR INVALID"]
    assert command(s, t, "TRACE P") == ["DMKCFM003E INVALID OPTION - P"]


async def test_external_command_interrupts_the_guest(tmp_path):
    import asyncio

    system, vm, t, s = await ipled(tmp_path, EXT_PROGRAM)
    command(s, t, "BEGIN")
    await asyncio.sleep(0.05)
    assert vm.running  # waiting, enabled
    command(s, t, "#CP EXTERNAL")
    await wait_stopped(vm)
    assert t.lines[-1].endswith("'00020000 80000000'")
    assert bytes(vm.cpu.mem[0x1A:0x1C]) == b"\x00\x40"  # external old PSW: code X'0040'


async def test_ready_presents_device_end(tmp_path):
    system, vm, t, s = await ipled(tmp_path, EXT_PROGRAM)
    assert command(s, t, "READY 00C") == []
    assert vm.cpu.io_queue and vm.cpu.io_queue[-1][0] == 0x00C
    assert vm.cpu.io_queue[-1][1][4] == 0x04  # unit status: device end
    assert command(s, t, "READY 0777") == ["DMKCFM040E DEV 777 DOES NOT EXIST"]
    assert command(s, t, "RESET 00C") == []


#: Waits for an I/O interruption from the console; the I/O new PSW stops it at 0.
ATTN_PROGRAM = """\
ATTNW    CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW
         LPSW  WAITPSW
         DS    0D
IONEW    DC    X'00020000',X'00000000'
WAITPSW  DC    X'80020000',X'00000000'
         END   ATTNW
"""


async def test_enter_while_running_gives_a_3215_attention(tmp_path):
    import asyncio

    system, vm, t, s = await ipled(tmp_path, ATTN_PROGRAM)
    command(s, t, "BEGIN")
    await asyncio.sleep(0.05)
    assert vm.running and t.status == "RUNNING"
    s.enter("")  # ENTER with nothing typed
    await wait_stopped(vm)
    assert bytes(vm.cpu.mem[0x3A:0x3C]) == b"\x00\x09"  # I/O old PSW: device 009
    assert vm.cpu.mem[0x44] & 0x80  # CSW unit status: attention


async def test_request_command(tmp_path):
    import asyncio

    system, vm, t, s = await ipled(tmp_path, ATTN_PROGRAM)
    command(s, t, "BEGIN")
    await asyncio.sleep(0.05)
    command(s, t, "#CP REQUEST")
    await wait_stopped(vm)
    assert vm.cpu.mem[0x44] & 0x80


async def test_notready_device_answers_intervention_required(tmp_path):
    from tests.cp.guestkit import LIST_PROGRAM

    system, vm, t, s = await ipled(tmp_path, LIST_PROGRAM.replace("&ADDR", "000000"), ["A CARD"])
    command(s, t, "NOTREADY 00E")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines[-1].endswith("'00020000 80000BAC'")  # the guest's SIO failure path
    assert vm.cpu.mem[0x44] == 0x02  # unit check
    assert vm.devices[0x00E].sense[0] == 0x40  # intervention required
    command(s, t, "READY 00E")
    assert vm.cpu.io_queue[-1][0] == 0x00E and vm.cpu.io_queue[-1][1][4] == 0x04


#: Privileged instructions among unprivileged ones: SSM, ISK, SIO (a console
#: write), LPSW; the rest is not privileged.
PRIV_PROGRAM = """\
PRIVS    CSECT
         BALR  12,0
         USING *,12
         LA    2,1
         SSM   MASK
         LA    3,2
         LA    5,2048
         ISK   4,5
         AR    2,3
         MVC   72(4,0),CAW
         SIO   X'009'
         LPSW  STOP
         DS    0D
STOP     DC    X'00020000',X'00000000'
CAW      DC    A(CCW)
         DS    0D
CCW      DC    X'09',AL3(TEXT),X'20',X'00',AL2(2)
TEXT     DC    C'HI'
MASK     DC    X'00'
         END   PRIVS
"""


async def test_trace_priv_run_shows_only_privileged_instructions(tmp_path):
    system, vm, t, s = await ipled(tmp_path, PRIV_PROGRAM)
    command(s, t, "TRACE PRIV RUN")
    t.take()
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    traced = [line for line in t.lines if line.startswith("PRIV")]
    assert [line.split()[4] for line in traced] == ["SSM", "ISK", "SIO", "LPSW"]
    assert traced[0].startswith("PRIV   AT 001006 ")
    assert "HI" in t.lines
    assert t.lines[-1].endswith("'00020000 80000000'")


async def test_trace_priv_norun_stops_after_each_privileged_instruction(tmp_path):
    system, vm, t, s = await ipled(tmp_path, PRIV_PROGRAM)
    command(s, t, "TRACE PRIV")
    t.take()
    seen, shown = [], []
    for _ in range(3):
        command(s, t, "BEGIN")
        await wait_stopped(vm)
        lines = t.take()
        seen += [line.split()[4] for line in lines if line.startswith("PRIV")]
        shown += lines
        assert t.status == "CP READ"
    assert seen == ["SSM", "ISK", "SIO"]
    assert "HI" in shown  # the traced SIO was performed
    assert command(s, t, "D G2") == ["GPR  2 = 00000003"]  # stopped right after SIO: AR ran
    command(s, t, "TRACE END")
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert t.lines[-1].endswith("'00020000 80000000'")


#: 400 taken branches in a row, more than the CPU's trace ring holds.
LOOP_PROGRAM = """\
LOOPS    CSECT
         BALR  12,0
         USING *,12
         LA    2,401
AGAIN    LA    3,1(3)
         BCT   2,AGAIN
         LPSW  ENDPSW
         DS    0D
ENDPSW   DC    X'00020000',X'00000000'
         END   LOOPS
"""


async def test_trace_run_loses_no_record(tmp_path):
    system, vm, t, s = await ipled(tmp_path, LOOP_PROGRAM)
    command(s, t, "TRACE BRANCH RUN")
    t.take()
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert sum(line.startswith("BRANCH AT 00100A") for line in t.lines) == 400


async def test_a_branch_to_itself_is_not_traced(tmp_path):
    """TRACE does not detect a branch to the instruction itself (CP
    Command Reference, TRACE, note 5): a BCT on itself runs without lines."""
    system, vm, t, s = await ipled(
        tmp_path,
        LOOP_PROGRAM.replace(
            "AGAIN    LA    3,1(3)\n         BCT   2,AGAIN", "AGAIN    BCT   2,AGAIN"
        ),
    )
    command(s, t, "TRACE BRANCH")
    t.take()
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert not any(line.startswith("BRANCH") for line in t.lines)
    assert t.lines[-1].endswith("'00020000 80000000'")


async def test_ipl_system_reset_and_define_storage_remove_the_adstop(tmp_path):
    """An address stop is removed by an IPL or SYSTEM RESET (CP Command
    Reference, ADSTOP); TRACE goes on with a machine DEFINE STORAGE made."""
    system, vm, t, s = await ipled(tmp_path, SVC_PROGRAM)
    for reset in ("IPL 00C STOP", "SYSTEM RESET", "DEFINE STORAGE 1M"):
        command(s, t, "ADSTOP 1012")
        command(s, t, reset)
        assert vm.adstop is None and vm.cpu.adstop == -1, reset
    command(s, t, "TRACE SVC")
    command(s, t, "DEFINE STORAGE 2M")
    assert vm.cpu.trace and vm.cpu.trace_stop


async def test_trace_printer_goes_to_the_lowest_printer(tmp_path):
    """TRACE ... PRINTER writes to the virtual printer with the lowest
    address (a second printer defined at 00B keeps the trace apart)."""
    system, vm, t, s = await ipled(tmp_path, SVC_PROGRAM)
    assert command(s, t, "DEFINE PRINTER 00B") == ["PRT 00B DEFINED"]
    assert command(s, t, "TRACE SVC PRINTER") == ["TRACE STARTED"]
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    assert not any(line.startswith("SVC") for line in t.lines)  # RUN assumed, nothing shown
    from s390.ebcdic import from_ebcdic

    printer = vm.devices[0x00B]
    written = [from_ebcdic(data).strip() for _, data in printer.file.data]
    assert written and written[0].startswith("SVC    AT 00100C")


#: DIAGNOSE X'08' (CP QUERY TIME), then SSM: both privileged.
DIAG8_PROGRAM = """\
DIAG8    CSECT
         BALR  12,0
         USING *,12
         LA    2,CMD
         LA    4,L'CMD
         DIAG  2,4,X'0008'
         SSM   MASK
         LPSW  STOP
         DS    0D
STOP     DC    X'00020000',X'00000000'
CMD      DC    C'QUERY TIME'
MASK     DC    X'00'
         END   DIAG8
"""


async def test_traced_diagnose_8_does_not_stop_the_vm(tmp_path):
    """TRACE ... NORUN has no effect on a DIAGNOSE X'008' (CP Command
    Reference, TRACE): the VM stops at the SSM after it, not at the DIAG."""
    system, vm, t, s = await ipled(tmp_path, DIAG8_PROGRAM)
    command(s, t, "TRACE PRIV")
    t.take()
    command(s, t, "BEGIN")
    await wait_stopped(vm)
    traced = [line.split()[4] for line in t.lines if line.startswith("PRIV")]
    assert traced == ["DIAG", "SSM"]
    assert t.status == "CP READ"
