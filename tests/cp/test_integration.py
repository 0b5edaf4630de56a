"""Where CP meets the spool, the 3270 console and CMS: each through a logged-on
user, the way the user sees it."""

from __future__ import annotations

import asyncio

import pytest

from s390.ebcdic import card, from_ebcdic
from tests.cp.cpkit import command, logon, make_system


@pytest.fixture
def system(tmp_path):
    return make_system(tmp_path)


# -- QUERY READER/PRINTER/PUNCH/FILES reach the spool from CP's QUERY -----------


def test_query_rdr_all_lists_the_users_reader_files(system):
    t, s = logon(system, "ALICE")
    sf = system.spool.add_closed(
        "BOB", "PUN", [(0x01, card("HELLO"))], owner="ALICE", cls="A", name="GREET", ftype="DATA"
    )
    out = command(s, t, "QUERY RDR ALL")
    assert out[0].startswith("ORIGINID FILE CLASS RECDS  CPY HOLD DATE")
    assert out[1].startswith(f"BOB      {sf.spoolid:04d} A PUN 00000001 01 NONE")
    assert "GREET    DATA" in out[1]
    assert command(s, t, "Q R") == [
        "ORIGINID FILE CLASS RECDS  CPY HOLD",
        f"BOB      {sf.spoolid:04d} A PUN 00000001 01 NONE",
    ]
    assert command(s, t, "QUERY PRINTER") == ["NO PRT FILES"]
    assert command(s, t, "QUERY FILES") == ["FILES: 001 RDR,  NO PRT,  NO PUN"]


def test_query_rdr_through_diagnose_08_response_buffer(system):
    t, s = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    assert vm.services.cp_command("QUERY READER") == (0, ["NO RDR FILES"])
    assert vm.services.cp_command("QUERY PUNCH BADWORD") == (
        3,
        ["DMKCSP003E INVALID OPTION - BADWORD"],
    )


def test_query_userid_still_answers_for_a_user(system):
    t, s = logon(system, "ALICE")
    logon(system, "BOB")
    assert command(s, t, "QUERY BOB")[0].startswith("BOB      - ")


# -- console spooling of CP's and the guest's lines, TERM and NOTERM -----------


def _console_file(system, userid):
    [sf] = [f for f in system.spool.reader_files(userid) if f.type == "CON"]
    return [from_ebcdic(data).rstrip() for _, data in system.spool.records(sf)]


def test_spool_console_collects_cp_responses_and_typed_commands(system):
    t, s = logon(system, "ALICE")
    command(s, t, "SPOOL CONSOLE START TO ALICE")
    shown = command(s, t, "QUERY TIME")
    assert shown[0].startswith("TIME IS")
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    lines = _console_file(system, "ALICE")
    assert lines[0] == "QUERY TIME"
    assert lines[1] == shown[0] and lines[2] == shown[1]


def test_spool_console_noterm_hides_cp_lines_but_not_messages(system):
    t, s = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    command(s, t, "SPOOL CONSOLE START NOTERM TO ALICE")
    assert command(s, t, "QUERY TIME") == []  # spooled, not shown
    t.take()
    command(sb, tb, "MSG ALICE LUNCH?")
    assert any("LUNCH?" in line for line in t.take())  # a message still rings through
    command(s, t, "SPOOL CONSOLE TERM")
    assert command(s, t, "QUERY TIME")[0].startswith("TIME IS")
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    lines = _console_file(system, "ALICE")
    assert lines.count("QUERY TIME") == 2
    assert sum(line.startswith("TIME IS") for line in lines) == 2
    assert any("LUNCH?" in line for line in lines)


# -- the dispatcher's enabled wait ----------------------------------------------


class WaitingCPU:
    """Stands for a CPU in an enabled wait whose interval timer is due in
    ``seconds``: records how far CP advanced its clocks."""

    def __init__(self, seconds: float):
        from cp.dispatcher import TOD_PER_SECOND
        from s390.cpu import TOD_PER_TICK

        self.ticks_per_second = TOD_PER_SECOND // TOD_PER_TICK
        self.event = int(seconds * self.ticks_per_second)
        self.advanced = []

    def next_timer_event(self) -> int:
        return self.event

    def advance_time(self, ticks: int) -> None:
        self.advanced.append(ticks)


async def test_an_early_wakeup_advances_the_clock_only_by_the_time_that_passed(system):
    t, s = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    vm.cpu = fake = WaitingCPU(0.4)
    asyncio.get_running_loop().call_later(0.02, vm.wake)
    await system.dispatcher.wait_state(vm, 0.5)
    [ticks] = fake.advanced
    assert ticks < fake.event // 2  # about 0.02 s, not the 0.4 s interval


async def test_a_wait_that_runs_out_makes_the_timer_due(system):
    t, s = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    vm.cpu = fake = WaitingCPU(0.03)
    await system.dispatcher.wait_state(vm, 0.5)
    assert fake.advanced[0] >= fake.event


# -- SET PFnn keeps IMMED/DELAYED; PF12 is RETRIEVE; QUERY PF ----------------------


def test_query_pf_shows_the_retrieve_default_and_each_mode(system):
    t, s = logon(system, "ALICE")
    assert command(s, t, "QUERY PF") == ["PF12 RETRIEVE"]
    assert command(s, t, "SET PF03 DELAYED QUERY TIME") == []
    assert command(s, t, "SET PF4 LOGOFF") == []
    assert command(s, t, "QUERY PF") == [
        "PF03 DELAYED QUERY TIME",
        "PF04 IMMED LOGOFF",
        "PF12 RETRIEVE",
    ]
    assert command(s, t, "QUERY PF05") == ["PF05 UNDEFINED"]
    assert command(s, t, "SET PF12") == []
    assert command(s, t, "QUERY PF12") == ["PF12 UNDEFINED"]
    assert command(s, t, "SET PF25 X") == ["DMKCFM003E INVALID OPTION - PF25"]


async def test_pf_keys_on_a_3270_act_as_set(system):
    from cp import ds3270 as ds
    from tests.cp.screenkit import Display

    d = Display(system)
    d.logon("ALICE", "ALICEPW")
    d.type("SET PF05 DELAYED QUERY NAMES")
    d.type("SET PF06 IMMED QUERY TIME")
    d.key(ds.AID_PF[6])
    assert "TIME IS" in d.text()
    d.key(ds.AID_PF[5])
    assert d.screen.row_text(22).startswith("QUERY NAMES")  # waiting in the input area
    assert "ALICE    - L0C1" not in d.text()
    d.key(ds.AID_PF[12])  # RETRIEVE: the last line entered (by PF06)
    assert d.screen.row_text(22).rstrip() == "QUERY TIME"
    d.key(ds.AID_PF[12])
    assert d.screen.row_text(22).startswith("SET PF06 IMMED QUERY TIME")


# -- DIAG X'58' full-screen read (CCW X'2A') -------------------------------------------

#: Writes a screen, waits for the user's attention, reads what was entered
#: (already there: the read ends at once), then reads again and waits for the
#: user.  CSWs and data are kept at fixed addresses; it stops with a wait PSW 0.
FULLSCREEN_PROGRAM = """\
FS       CSECT
         BALR  12,0
         USING *,12
         MVC   X'78'(8,0),IONEW1
         LA    2,WCCW
         LA    3,X'009'
         DIAG  2,3,X'0058'               full-screen write
         LPSW  WAIT                      until the user presses a key
ATTN     MVC   X'300'(8,0),X'40'         CSW of the attention
         MVC   X'78'(8,0),IONEW2
         LA    2,RCCW1
         LA    3,X'009'
         DIAG  2,3,X'0058'               read what the user entered
         LPSW  WAIT
READ1    MVC   X'308'(8,0),X'40'
         MVC   X'78'(8,0),IONEW3
         LA    2,RCCW2
         LA    3,X'009'
         DIAG  2,3,X'0058'               read again: nothing there yet
         LPSW  WAIT
READ2    MVC   X'310'(8,0),X'40'
         LPSW  STOP
         DS    0D
WAIT     DC    X'80020000',X'00000000'
STOP     DC    X'00020000',X'00000000'
IONEW1   DC    X'00000000',A(ATTN)
IONEW2   DC    X'00000000',A(READ1)
IONEW3   DC    X'00000000',A(READ2)
WCCW     DC    X'29',AL3(SCREEN),X'20',X'00',AL2(SCREENL)
RCCW1    DC    X'2A',AL3(X'2000'),X'20',X'00',AL2(100)
RCCW2    DC    X'2A',AL3(X'2100'),X'20',X'00',AL2(100)
SCREEN   DC    X'F5C3114040',C'NAME?'
SCREENL  EQU   *-SCREEN
         END   FS
"""


async def _until(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition() and loop.time() < end:
        await asyncio.sleep(0.01)
    assert condition()


async def test_fullscreen_read_after_attention_and_while_waiting(tmp_path):
    from s390.ebcdic import to_ebcdic
    from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT
    from tests.cp.guestkit import ipl_deck, wait_stopped

    system = make_system(tmp_path, GUEST_DIRECT)
    system.spool.add_closed(
        "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(FULLSCREEN_PROGRAM)], owner="GUEST"
    )
    terminal, session = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    command(session, terminal, "IPL 00C")
    await _until(lambda: terminal.screens)
    assert terminal.screens == [bytes.fromhex("F5C3114040") + to_ebcdic("NAME?")]
    first = b"\x7d\x40\x40\x11\x40\x40" + to_ebcdic("ALICE")
    session.fullscreen_input(first)  # ENTER: the guest is told
    await _until(lambda: vm.cpu.mem[0x308:0x310] != bytes(8))
    mem = vm.cpu.mem
    assert mem[0x304] == 0x80  # attention
    assert mem[0x30C] == 0x0C  # channel end, device end
    assert int.from_bytes(mem[0x30E:0x310], "big") == 100 - len(first)  # residual count
    assert bytes(mem[0x2000 : 0x2000 + len(first)]) == first
    await asyncio.sleep(0.05)
    assert vm.running and mem[0x310:0x318] == bytes(8)  # the second read waits
    second = b"\xf3\x40\x40"  # PF3, nothing modified
    session.fullscreen_input(second)
    await wait_stopped(vm)
    assert terminal.lines[-1].endswith("'00020000 80000000'")  # wait PSW, address 0
    assert mem[0x314] == 0x0C and bytes(mem[0x2100:0x2103]) == second


# -- the system's name; TERMINAL MORE n m -------------------------------------------------


async def test_system_name_on_the_logon_screen_and_in_query_userid(tmp_path):
    from tests.cp.screenkit import Display

    system = make_system(tmp_path, name="ZVMSYS1")
    d = Display(system)
    assert "VM/370 ONLINE--SYSTEM ZVMSYS1" in d.text()
    t, s = logon(system, "ALICE")
    assert command(s, t, "QUERY USERID") == ["ALICE    AT ZVMSYS1"]


async def test_terminal_more_sets_how_long_more_waits(system):
    from tests.cp.screenkit import Display, settle

    t, s = logon(system, "ALICE")
    assert command(s, t, "TERMINAL MORE 1 2") == []
    assert command(s, t, "QUERY TERMINAL")[1].endswith(", MORE 001 002")
    assert command(s, t, "TERMINAL MORE 1") == ["DMKCFM026E OPERAND MISSING OR INVALID"]
    assert command(s, t, "TERMINAL MORE 1 X") == ["DMKCFM003E INVALID OPTION - X"]
    d = Display(system, more_seconds=3600)
    d.logon("BOB", "BOBPW")
    d.type("TERMINAL MORE 0 0")
    for n in range(1, 25):
        d.type(f"SET PF{n:02d} IMMED QUERY TIME")
    d.type("QUERY PF")
    await settle(lambda: "PF24 IMMED QUERY TIME" in d.text())  # cleared at once, not in an hour
    assert d.status() == "CP READ"


# -- the standard system's start: system disks, CMSBATCH autologged, spool recovery ----------

START_DIRECT = """\
USER MAINT CPCMS 4M 16M ABCDEFG
 CONSOLE 009 3215
 MDISK 190 3370 0 4000 VMSRES RR ALL
 MDISK 19E 3370 4000 2000 VMSRES RR ALL
USER CMSBATCH BATCH 4M 16M G
 IPL CMS PARM BATCH
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 5000 1000 VMPK01 MR
USER ALICE ALICE 4M 16M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
"""


async def test_make_system_installs_the_system_disks_and_autologs_cmsbatch(tmp_path):
    from cms.fs import Disk
    from cp.minidisk import Minidisk
    from vm370.boot import ImageBlocks
    from vm370.boot import make_system as standard_system

    (tmp_path / "user.direct").write_text(START_DIRECT)
    system = standard_system(tmp_path, logon_delay=0.0)
    try:
        with Minidisk(tmp_path / "disks" / "MAINT.190.img", read_only=True) as image:
            assert Disk.open(ImageBlocks(image)).lookup("CMSLIB", "MACLIB") is not None
        batch = system.find_user("CMSBATCH")
        assert batch is not None and batch.session is None  # disconnected
        assert "AUTOLOG CMSBATCH" in (tmp_path / "log" / "system.log").read_text()
        printed = []
        system.spool.arrival_hooks.append(
            lambda sf: printed.append(sf) if sf.origin == "CMSBATCH" and sf.type == "PRT" else None
        )
        job = ["/JOB ALICE 1 HELLO", "Q CMSLEVEL", "/*"]
        system.spool.add_closed(
            "ALICE", "PUN", [(0x01, card(line)) for line in job], owner="CMSBATCH", cls="A"
        )
        await _until(lambda: printed, timeout=20.0)
        lines = [from_ebcdic(d).rstrip() for _, d in system.spool.records(printed[0])]
        assert lines[-1] == "JOB 'HELLO' ENDED, RETURN CODE 0"
    finally:
        system.shutdown()


def test_a_system_built_outside_the_event_loop_autologs_nobody(tmp_path):
    from vm370.boot import make_system as standard_system

    (tmp_path / "user.direct").write_text(START_DIRECT)
    system = standard_system(tmp_path, logon_delay=0.0)
    assert system.users == {}


def test_spool_recovery_is_logged_at_start(tmp_path):
    spool_files = tmp_path / "spool" / "files"
    make_system(tmp_path)
    spool_files.mkdir(parents=True, exist_ok=True)
    (spool_files / "0042.open").write_bytes(b"")  # open at a crash
    make_system(tmp_path)
    log = (tmp_path / "log" / "system.log").read_text()
    assert "SPOOL RECOVERY: SPOOL FILE 0042 OPEN AT SYSTEM FAILURE, DISCARDED" in log


# -- a guest that IPLs, resets or logs off ends its own task --------------------------------


async def test_a_guest_issuing_ipl_logoff_or_system_reset_stops_running(tmp_path):
    events = []

    async def first(services, parm):
        events.append(f"first {parm}")
        services.cp_command(parm)  # as CMS does for CP IPL / LOGOFF / SYSTEM RESET
        await asyncio.sleep(0)
        events.append("first went on")

    async def second(services, parm):
        events.append("second")
        await services.read_line()

    system = make_system(tmp_path, named_systems={"FIRST": first, "SECOND": second})
    t, s = logon(system, "ALICE")
    assert system.find_user("ALICE") is not None
    for request in ("IPL SECOND", "SYSTEM RESET", "LOGOFF"):
        if system.find_user("ALICE") is None:
            t, s = logon(system, "ALICE")
            assert system.find_user("ALICE") is not None
        events.clear()
        command(s, t, f"IPL FIRST PARM {request}")
        await asyncio.sleep(0.05)
        assert "first went on" not in events, request
    assert system.find_user("ALICE") is None


# -- SPECIAL vaddr CTCA userid couples at logon -----------------------------------------------

CTCA_DIRECT = """\
USER ALICE ALICEPW 1M 2M G
 CONSOLE 009 3215
 SPECIAL 500 CTCA BOB
USER BOB BOBPW 1M 2M G
 CONSOLE 009 3215
 SPECIAL 600 CTCA ALICE
USER CAROL CAROLPW 1M 2M G
 CONSOLE 009 3215
 SPECIAL 700 CTCA ALICE
"""


def test_special_ctca_with_a_userid_couples_when_both_are_logged_on(tmp_path):
    system = make_system(tmp_path, CTCA_DIRECT)
    ta, sa = logon(system, "ALICE")
    assert command(sa, ta, "QUERY VIRTUAL 500") == ["CTCA 500 ON DEV 500 UNCOUPLED"]
    tb, sb = logon(system, "BOB")
    assert "CTCA 600 COUPLE TO ALICE 500" in tb.lines
    assert "CTCA 500 COUPLE BY BOB 600" in ta.lines
    assert command(sa, ta, "QUERY VIRTUAL 500") == ["CTCA 500 COUPLED TO BOB      600"]
    tc, sc = logon(system, "CAROL")  # ALICE's adapter is taken, and names BOB
    assert command(sc, tc, "QUERY VIRTUAL 700") == ["CTCA 700 ON DEV 700 UNCOUPLED"]


async def test_cp_query_rdr_all_from_cms(tmp_path):
    from cp.terminal import LineTerminal
    from vm370.boot import make_system as standard_system

    direct = START_DIRECT.replace(
        "USER ALICE ALICE 4M 16M G\n",
        "USER ALICE ALICE 4M 16M G\n IPL CMS\n LINK MAINT 190 190 RR\n"
        " MDISK 191 3370 7000 500 VMPK01 MR\n",
    )
    (tmp_path / "user.direct").write_text(direct)
    system = standard_system(tmp_path, logon_delay=0.0)
    try:
        sf = system.spool.add_closed(
            "CMSBATCH",
            "PUN",
            [(0x01, card("DATA"))],
            owner="ALICE",
            cls="A",
            hold="USER",
            name="HELD",
            ftype="FILE",
        )
        terminal = LineTerminal()
        session = system.connect(terminal)
        session.enter("LOGON ALICE ALICE")
        await _until(lambda: any(x.startswith("VM/370 CMS") for x in terminal.lines), 20.0)
        session.enter("ACCESS (NOPROF")
        await _until(lambda: any(x.startswith("Ready") for x in terminal.lines), 20.0)
        start = len(terminal.lines)
        session.enter("CP QUERY RDR ALL")
        await _until(lambda: any(x.startswith("Ready") for x in terminal.lines[start:]), 20.0)
        shown = terminal.lines[start:]
        assert shown[0].startswith("ORIGINID FILE CLASS RECDS  CPY HOLD DATE")
        assert shown[1].startswith(f"CMSBATCH {sf.spoolid:04d} A PUN 00000001 01 USER")
        assert ready_code_is_zero(shown)
    finally:
        system.shutdown()


def ready_code_is_zero(lines) -> bool:
    return [x for x in lines if x.startswith("Ready")][-1].split(";")[0] == "Ready"


def test_system_reset_ends_an_outstanding_fullscreen_read(tmp_path):
    from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT

    system = make_system(tmp_path, GUEST_DIRECT)
    t, s = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    vm.console.request_fullscreen_read(lambda data: pytest.fail("delivered to a reset guest"))
    command(s, t, "SYSTEM RESET")
    assert vm.console.fullscreen_callback is None
    s.fullscreen_input(b"\x7d\x40\x40")  # kept for the next guest's read
    assert vm.console.fullscreen_pending == b"\x7d\x40\x40"


def test_a_console_statement_naming_a_3270_gives_the_vm_its_3215_console(tmp_path):
    system = make_system(tmp_path, "USER DAVE DAVEPW 1M 2M G\n CONSOLE 01F 3278\n")
    t, s = logon(system, "DAVE")
    # ON DEV names the real console: the user's terminal
    assert command(s, t, "QUERY VIRTUAL CONS") == [f"CONS 01F ON DEV {t.address} 3215"]
    command(s, t, "SPOOL CONSOLE START TO DAVE")
    command(s, t, "QUERY USERID")
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    assert _console_file(system, "DAVE")[:2] == ["QUERY USERID", "DAVE     AT VM370"]


async def test_fullscreen_guest_on_a_3270_display(tmp_path):
    from cp import ds3270 as ds
    from s390.ebcdic import to_ebcdic
    from tests.cp.guestkit import DISK_GUEST_DIRECT as GUEST_DIRECT
    from tests.cp.guestkit import ipl_deck, wait_stopped
    from tests.cp.screenkit import Display

    system = make_system(tmp_path, GUEST_DIRECT)
    system.spool.add_closed(
        "OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(FULLSCREEN_PROGRAM)], owner="GUEST"
    )
    d = Display(system)
    d.logon("GUEST", "GUESTPW")
    vm = system.find_user("GUEST")
    d.type("IPL 00C")
    await _until(lambda: d.text().startswith("NAME?"))  # the guest's own screen
    d.screen.type_text("BOB")
    d.console.receive(d.screen.aid(ds.AID_ENTER))
    await _until(lambda: vm.cpu.mem[0x308:0x310] != bytes(8))
    assert to_ebcdic("BOB") in bytes(vm.cpu.mem[0x2000:0x2064])  # the modified field
    d.key(ds.AID_PF[3])
    await wait_stopped(vm)
    assert vm.cpu.mem[0x2100] == ds.AID_PF[3]
