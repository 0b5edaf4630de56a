"""What a VM/370 programmer does every day with a program CMS runs (LOAD
(START, START, a MODULE) on the real CP: attention and the immediate
commands, CP's ADSTOP, DISPLAY and TRACE while it runs."""

import asyncio

import pytest

from cp import ds3270 as ds
from tests.cms.cmskit import User, make_cms_system, ready_code, settle
from tests.cp.screenkit import Display

#: Loops for ever at X'20002' (loaded at the user area, X'20000').
LOOP = """
LOOP     CSECT
         BALR  12,0
         USING *,12
AGAIN    B     AGAIN
         END   LOOP
"""

#: Counts R3 up 100 times, then returns 0: AGAIN at X'20006', the BCT at
#: X'2000A', SR at X'2000E'.
COUNT = """
COUNT    CSECT
         BALR  12,0
         USING *,12
         LA    2,100
AGAIN    LA    3,1(3)
         BCT   2,AGAIN
         SR    15,15
         BR    14
         END   COUNT
"""

#: Types TICK for ever.
TICKER = """
TICKER   CSECT
         BALR  12,0
         USING *,12
AGAIN    WRTERM 'TICK'
         B     AGAIN
         END   TICKER
"""


@pytest.fixture
async def system(tmp_path):
    sysm = make_cms_system(tmp_path)
    yield sysm
    sysm.shutdown()


async def started(user, name, source, command=None):
    """Assemble ``source`` as ``name`` and start it; returns where its lines begin."""
    await user.cms()
    await user.assemble(name, source)
    start = len(user.lines)
    user.session.enter(command or f"LOAD {name} (START")
    await user.wait(start, "DMSLIO740I")
    return start


async def looping(system):
    alice = User(system, "ALICE", "ALICE")
    await started(alice, "LOOP", LOOP)
    await alice.status("RUNNING")
    await settle(lambda: alice.vm.cpu.ia == 0x20002)  # in the loop, past its BALR
    return alice


async def test_hx_typed_while_a_program_loops_halts_it(system):
    alice = await looping(system)
    out = await alice.type("HX", until="CMS")  # the attention and the line at once
    assert out[-1] == "CMS"
    out = await alice.type("QUERY CMSLEVEL")
    assert ready_code(out) == "Ready"


async def test_hx_after_an_empty_enter_still_halts(system):
    alice = await looping(system)
    alice.session.enter("")  # the attention alone: CMS reads a line
    await alice.status("VM READ")
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"


async def test_hi_ts_te_without_an_exec_are_ignored_not_run_later(system):
    alice = await looping(system)
    for word in ("HI", "TS", "TE"):
        alice.session.enter(word)
        for _ in range(2000):  # CMS has read it
            if not alice.vm.console.typeahead:
                break
            await asyncio.sleep(0.01)
        assert alice.terminal.status == "RUNNING"  # still looping
    out = await alice.type("HX", until="CMS")
    out = await alice.type("QUERY CMSLEVEL")
    assert out[0] == "VM370 CMS Level 1, Service Level 000"  # nothing left over ran
    assert not any(x.startswith("DMSINT") or "UNKNOWN" in x.upper() for x in alice.lines)


async def test_display_psw_shows_the_cms_user_program_psw(system):
    alice = await looping(system)
    out = await alice.type("#CP DISPLAY PSW", until="PSW")
    psw = out[-1].split("=")[1].split()
    # System mask X'FF' (I/O and external enabled), key E, machine checks,
    # problem state, instruction address in the loop.
    assert psw[0][:4] == "FFE5" and psw[1][2:] == "020002"
    await alice.type("HX", until="CMS")


async def test_ht_halts_typing_and_rt_resumes_it(system):
    alice = User(system, "ALICE", "ALICE")
    await started(alice, "TICKER", TICKER)
    await alice.wait(len(alice.lines) - 1, "TICK")
    alice.session.enter("HT")
    for _ in range(2000):
        if not alice.vm.console.typeahead:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    quiet = len(alice.lines)
    await asyncio.sleep(0.3)
    assert len(alice.lines) == quiet  # the program runs, nothing is typed
    start = len(alice.lines)
    alice.session.enter("RT")
    await alice.wait(start, "TICK")
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"


async def test_pa1_gives_cp_read_and_begin_resumes_the_program(system):
    alice = await looping(system)
    alice.session.attention()
    assert alice.terminal.status == "CP READ"
    executed = alice.vm.cpu.instructions
    await asyncio.sleep(0.1)
    assert alice.vm.cpu.instructions == executed  # stopped
    alice.session.enter("BEGIN")
    await alice.status("RUNNING")
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"


async def test_adstop_stops_a_program_cms_runs_and_begin_continues(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.assemble("COUNT", COUNT)
    await alice.type("LOAD COUNT")
    await alice.type("CP ADSTOP 2000E")
    start = len(alice.lines)
    alice.session.enter("START")
    out = await alice.wait(start, "ADSTOP AT")
    assert out[-1] == "ADSTOP AT 02000E"
    await alice.status("CP READ")
    assert alice.vm.cpu.ia == 0x2000E
    assert (await alice.type("DISPLAY G3", until="GPR"))[-1] == "GPR  3 = 00000064"
    out = await alice.type("BEGIN")
    assert ready_code(out) == "Ready"


async def test_adstop_in_a_module(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.assemble("COUNT", COUNT)
    await alice.type("LOAD COUNT")
    await alice.type("GENMOD COUNT")
    await alice.type("CP ADSTOP 2000A")
    start = len(alice.lines)
    alice.session.enter("COUNT")
    assert (await alice.wait(start, "ADSTOP AT"))[-1] == "ADSTOP AT 02000A"
    out = await alice.type("BEGIN")  # one-shot: runs to the end
    assert ready_code(out) == "Ready"


async def test_an_attention_cms_has_answered_does_not_stop_a_later_program(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.assemble("LOOP", LOOP)
    await alice.type("CP REQUEST")  # an attention while CMS runs a command
    start = len(alice.lines)
    alice.session.enter("LOAD LOOP (START")
    await alice.wait(start, "DMSLIO740I")
    await asyncio.sleep(0.2)
    assert alice.terminal.status == "RUNNING"  # not stopped to read an immediate command
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"


async def test_request_while_a_program_runs_is_the_attention(system):
    alice = await looping(system)
    alice.session.enter("#CP REQUEST")
    await alice.status("VM READ")  # CMS reads the immediate command
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"


async def test_store_and_display_while_a_program_runs(system):
    alice = await looping(system)
    out = await alice.type("#CP STORE 20100 C1C2C3C4", until="STORE")
    assert out[-1] == "STORE COMPLETE"
    out = await alice.type("#CP DISPLAY 20100.4", until="020100")
    assert "C1C2C3C4" in out[-1]
    assert alice.terminal.status == "RUNNING"
    await alice.type("HX", until="CMS")


async def test_external_interrupt_key_does_not_break_a_running_program(system):
    alice = await looping(system)
    alice.session.enter("#CP EXTERNAL")
    executed = alice.vm.cpu.instructions
    await asyncio.sleep(0.1)
    assert alice.vm.cpu.instructions > executed and alice.terminal.status == "RUNNING"
    assert alice.vm.cpu.ia in (0x20002, 0x20006)  # still in its loop
    await alice.type("HX", until="CMS")


async def test_hx_typed_at_a_3270_while_a_program_loops(system):
    """On a 3270 under VM the ENTER key is the attention and the line at
    once: HX typed in the input area while RUNNING halts the program."""
    writer = User(system, "ALICE", "ALICE")  # writes the program, logs off
    await writer.cms()
    await writer.assemble("LOOP", LOOP)
    await writer.type("CP LOGOFF", until="LOGOFF AT")
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await settle(lambda: vm.console.read_pending)  # CMS's first read
    d.type("ACCESS (NOPROF")
    await settle(lambda: vm.console.read_pending)
    d.type("LOAD LOOP (START")
    await settle(lambda: d.status() == "RUNNING" and vm.cpu.ia == 0x20002)
    d.type("HX")
    await settle(lambda: "CMS" in d.text().split() and vm.console.read_pending)
    d.key(ds.AID_CLEAR)
    d.type("QUERY CMSLEVEL")
    await settle(lambda: "VM370 CMS Level 1" in d.text())


#: Loops for ever through a taken branch TRACE BRANCH sees (AGAIN at X'20002').
COUNTER = """
COUNTER  CSECT
         BALR  12,0
         USING *,12
AGAIN    LA    3,1(3)
         B     AGAIN
         END   COUNTER
"""


async def test_trace_branch_on_a_cms_program_at_a_3270_can_be_stopped(system):
    writer = User(system, "ALICE", "ALICE")
    await writer.cms()
    await writer.assemble("COUNTER", COUNTER)
    await writer.type("CP LOGOFF", until="LOGOFF AT")
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await settle(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await settle(lambda: vm.console.read_pending)
    d.type("CP TRACE BRANCH RUN")
    await settle(lambda: vm.console.read_pending)
    d.type("LOAD COUNTER (START")
    await settle(lambda: d.console.hold == "MORE...")
    await asyncio.sleep(0.2)
    executed = vm.cpu.instructions
    await asyncio.sleep(0.3)
    assert vm.cpu.instructions == executed  # waits for its output
    assert len(d.console.pending) <= d.console.out_rows + 2
    d.key(ds.AID_PA[1])  # PA1: CP READ
    assert vm.console.cp_mode and not vm.running
    d.type("TRACE END")
    d.key(ds.AID_CLEAR)
    await settle(lambda: "TRACE ENDED" in d.text())
    d.key(ds.AID_CLEAR)
    d.type("BEGIN")
    await settle(lambda: vm.cpu.instructions > executed + 200_000)
    assert not d.console.pending
    d.type("HX")
    await settle(lambda: "CMS" in d.text().split())
