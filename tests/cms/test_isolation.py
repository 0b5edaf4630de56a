"""CMS's own work runs in its virtual machine's time, on the real CP.

An EXEC 1 loop, a REXX loop or a long command of one user must not freeze or
starve the others; it is charged to its VM as virtual CPU time, stands still
while CP holds the VM (PA1), and obeys HX/HI/HT/RT at once.  A batch job
over its /SET TIME is cancelled and the next job runs.
"""

import asyncio
import faulthandler

import pytest

from tests.cms.cmskit import User, make_cms_system, settle, users_direct

EXEC1_LOOP = ["&X = 0", "-TOP", "&X = &X + 1", "&GOTO -TOP"]
REXX_LOOP = ["/* */", "do forever", "  x = 1", "end"]
REXX_COUNTER = ["/* */", "do i = 1", "  if i // 2000 = 0 then say 'AT' i", "end"]


@pytest.fixture(autouse=True)
def watchdog():
    """A frozen event loop cannot fail a test by itself (no timeout can fire):
    dump the stacks and end the run instead of hanging CI forever."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


async def write_exec(user, name, lines):
    await user.type(f"ERASE {name} EXEC A")
    for line in lines:
        await user.type(f"EXECIO 1 DISKW {name} EXEC A1 0 V 80 (STRING {line}")


async def logged_on(system, userid):
    user = User(system, userid, userid)
    await user.cms()
    return user


async def start_and_run(user, command, seconds=0.3):
    """Type a command that does not end, and let it run a while."""
    user.session.enter(command)
    await asyncio.sleep(seconds)


async def attention(user, line):
    """ENTER with no input while RUNNING (the attention), then the immediate command."""
    user.session.enter("")
    await asyncio.sleep(0.05)
    start = len(user.terminal.lines)
    user.session.enter(line)
    return start


async def others_answered_then_hx(alice, bob, answers=1):
    """BOB's CP QUERY TIME is answered while ALICE's EXEC runs; then HX ends
    the EXEC and ALICE's CMS takes commands again."""
    for _ in range(answers):
        out = await bob.type("CP QUERY TIME", timeout=10)
        assert any(x.startswith("TIME IS") for x in out)
    start = await attention(alice, "HX")
    out = await alice.wait(start, "CMS", timeout=10)
    assert out[-1] == "CMS"
    out = await alice.type("QUERY CMSLEVEL")
    assert out[-1].startswith("Ready;")


@pytest.mark.parametrize("language", ["EXEC1", "REXX"])
async def test_a_looping_exec_leaves_other_users_answered_and_hx_ends_it(system, language):
    alice, bob = await logged_on(system, "ALICE"), await logged_on(system, "BOB")
    await write_exec(alice, "SPIN", EXEC1_LOOP if language == "EXEC1" else REXX_LOOP)
    await start_and_run(alice, "SPIN")
    await others_answered_then_hx(alice, bob, answers=3)


async def test_the_loop_is_charged_to_its_vm_as_virtual_cpu_time(system):
    alice = await logged_on(system, "ALICE")
    await logged_on(system, "BOB")
    vm_alice, vm_bob = system.find_user("ALICE"), system.find_user("BOB")
    await write_exec(alice, "SPIN", REXX_LOOP)
    before_alice, before_bob = vm_alice.account.virtual_us, vm_bob.account.virtual_us
    await start_and_run(alice, "SPIN", seconds=0.6)
    used_alice = vm_alice.account.virtual_us - before_alice
    used_bob = vm_bob.account.virtual_us - before_bob
    assert used_alice > 100_000  # most of the 0.6 s went to the loop
    assert used_bob < used_alice // 10
    out = await alice.type("#CP QUERY TIME", until="CONNECT=", timeout=10)
    virtcpu = [x for x in out if x.startswith("CONNECT=")][0].split("VIRTCPU=")[1].split()[0]
    minutes, seconds = virtcpu.split(":")
    assert int(minutes) * 60 + float(seconds) >= 0.1
    start = await attention(alice, "HX")
    await alice.wait(start, "CMS")


async def test_pa1_stops_the_exec_until_begin(system):
    alice = await logged_on(system, "ALICE")
    vm = system.find_user("ALICE")
    await write_exec(alice, "COUNT", REXX_COUNTER)
    await start_and_run(alice, "COUNT", seconds=0.3)
    alice.session.attention()  # PA1: CP READ, the VM stops
    await asyncio.sleep(0.1)
    shown, charged = len(alice.terminal.lines), vm.account.virtual_us
    await asyncio.sleep(0.4)
    assert len(alice.terminal.lines) == shown  # the EXEC said nothing more
    assert vm.account.virtual_us - charged < 5000  # and used no CPU (CP's checks aside)
    start = len(alice.terminal.lines)
    alice.session.enter("BEGIN")
    await asyncio.sleep(0.3)
    assert any(x.startswith("AT ") for x in alice.terminal.lines[start:])
    start = await attention(alice, "HX")
    await alice.wait(start, "CMS")


async def test_ht_and_rt_halt_and_resume_the_typing_of_a_running_exec(system):
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "COUNT", REXX_COUNTER)
    await start_and_run(alice, "COUNT", seconds=0.2)
    await attention(alice, "HT")
    await asyncio.sleep(0.1)
    shown = len(alice.terminal.lines)
    await asyncio.sleep(0.3)
    assert len(alice.terminal.lines) == shown
    await attention(alice, "RT")
    await asyncio.sleep(0.3)
    assert any(x.startswith("AT ") for x in alice.terminal.lines[shown:])
    start = await attention(alice, "HX")
    await alice.wait(start, "CMS")


async def test_hi_halts_the_exec_and_ts_traces_it(system):
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "COUNT", REXX_COUNTER)
    await start_and_run(alice, "COUNT", seconds=0.2)
    start = await attention(alice, "TS")
    await asyncio.sleep(0.2)
    traced = alice.terminal.lines[start:]
    assert any("*-*" in x for x in traced)  # TRACE R: each clause is shown
    await attention(alice, "TE")
    start = await attention(alice, "HI")
    out = await alice.wait(start, "Ready(")
    assert any("Error 4 running COUNT EXEC" in x for x in out)


async def test_display_psw_shows_the_cms_nucleus_psw_while_an_exec_runs(system):
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "SPIN", REXX_LOOP)
    await start_and_run(alice, "SPIN", seconds=0.2)
    alice.session.attention()
    await asyncio.sleep(0.1)
    start = len(alice.terminal.lines)
    alice.session.enter("DISPLAY PSW")
    await asyncio.sleep(0.1)
    psw = [x for x in alice.terminal.lines[start:] if x.startswith("PSW")]
    assert psw and "FF000000" in psw[0]  # enabled for I/O and external, in the nucleus
    alice.session.enter("BEGIN")
    start = await attention(alice, "HX")
    await alice.wait(start, "CMS")
    start = len(alice.terminal.lines)
    alice.session.enter("CP DISPLAY PSW")  # CMS runs the command: the nucleus PSW
    out = await alice.wait(start, "Ready")
    assert "FF000000" in [x for x in out if x.startswith("PSW")][0]


async def test_eight_looping_users_leave_a_ninth_answered(tmp_path):
    """Eight users loop (four in REXX, four in EXEC 1); the ninth still gets
    each CP QUERY TIME answered.  How fast is the isolation benchmark's
    business (bench/isolation.py), not a test's."""
    system = make_cms_system(tmp_path, users_direct(9))
    try:
        await eight_loopers_and_a_ninth(system)
    finally:
        system.shutdown()


async def eight_loopers_and_a_ninth(system):
    users = [await logged_on(system, f"USER{n:02d}") for n in range(1, 10)]
    for n, user in enumerate(users[:8]):
        await write_exec(user, "SPIN", REXX_LOOP if n % 2 else EXEC1_LOOP)
        user.session.enter("SPIN")
    await asyncio.sleep(0.3)
    for _ in range(5):
        out = await users[8].type("CP QUERY TIME", timeout=10)
        assert any(x.startswith("TIME IS") for x in out)
    for user in users[:8]:
        assert system.find_user(user.userid).account.virtual_us > 0
        start = await attention(user, "HX")
        await user.wait(start, "CMS")


async def test_a_loop_deep_in_recursion_still_yields_and_hx_ends_it(system):
    """Deep REXX calls run on fresh thread stacks; their clauses are still
    safe points, and HX reaches them."""
    alice, bob = await logged_on(system, "ALICE"), await logged_on(system, "BOB")
    await write_exec(
        alice,
        "DEEP",
        [
            "/* */",
            "call r 0",
            "exit",
            "r: procedure; arg n",
            "if n < 500 then call r n + 1",
            "do forever; nop; end",
        ],
    )
    await start_and_run(alice, "DEEP", seconds=0.5)
    await others_answered_then_hx(alice, bob)


async def test_set_time_cancels_a_looping_rexx_job_and_the_next_job_runs(system):
    """CMSBATCH: /SET TIME 1 cancels a REXX ``do forever``; the next job runs."""
    from s390.ebcdic import card, from_ebcdic

    outputs = []

    def arrived(sf):
        if sf.origin == "CMSBATCH" and sf.type == "PRT":
            outputs.append(sf)

    system.spool.arrival_hooks.append(arrived)
    if system.find_user("CMSBATCH") is None:
        system.logon("CMSBATCH", None)
    deck = [
        "/JOB ALICE 101 LOOPER",
        "/SET TIME 1",
        "EXECIO 1 DISKW SPIN EXEC A1 0 V 80 (STRING /* */ do forever; nop; end",
        "SPIN",
        "/*",
        "/JOB BOB 102 NEXT",
        "QUERY CMSLEVEL",
        "/*",
    ]
    system.spool.add_closed(
        "SYSTEM",
        "PUN",
        [(0x01, card(line)) for line in deck],
        owner="CMSBATCH",
        cls="A",
        name="BATCH",
        ftype="JOB",
    )
    for _ in range(3000):
        if len(outputs) >= 2:
            break
        await asyncio.sleep(0.01)
    printed = [
        [from_ebcdic(data).rstrip() for _, data in system.spool.records(sf)] for sf in outputs
    ]
    assert len(printed) == 2
    first, second = printed
    assert "JOB CANCELLED: TIME LIMIT EXCEEDED" in first
    assert first[-1] == "JOB 'LOOPER' ENDED, RETURN CODE 12"
    assert second[-1] == "JOB 'NEXT' ENDED, RETURN CODE 0"


async def test_ipl_of_a_deck_typed_in_cms_runs_the_deck_not_cms(system):
    """CMS leaves the machine to the new guest: the nucleus's PSW must not
    overwrite the PSW the IPL loaded as CMS ends."""
    from pathlib import Path

    alice = await logged_on(system, "ALICE")
    cards = Path(__file__).parents[2].joinpath("decks", "hello.deck").read_bytes()
    system.spool.add_closed(
        "SYSTEM",
        "PUN",
        [(0x01, cards[i : i + 80]) for i in range(0, len(cards), 80)],
        owner="ALICE",
        cls="A",
        name="HELLO",
        ftype="DECK",
    )
    start = len(alice.terminal.lines)
    alice.session.enter("CP IPL 00C")
    out = await alice.wait(start, "HELLO FROM A STANDALONE S/370 PROGRAM")
    assert not any("PROGRAM INTERRUPT LOOP" in x for x in out)


async def test_an_exec_flooding_a_3270_waits_while_its_output_is_held(system):
    """Lines CMS itself writes (a REXX loop saying lines) stop the VM behind
    MORE..., as a program's output does: the queue stays near a screenful."""
    from cp import ds3270 as ds
    from tests.cp.screenkit import Display

    writer = await logged_on(system, "ALICE")
    await write_exec(writer, "FLOOD", ["/* */", "do i = 1", "  say 'LINE' i", "end"])
    await writer.type("CP LOGOFF", until="LOGOFF AT")
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await settle(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await settle(lambda: vm.console.read_pending)
    d.type("FLOOD")
    await settle(lambda: d.console.hold == "MORE...")
    await asyncio.sleep(0.3)
    charged = vm.account.virtual_us
    await asyncio.sleep(0.3)
    assert vm.account.virtual_us - charged < 5000  # the VM waits for its output
    assert len(d.console.pending) <= d.console.out_rows * 4
    last = d.console.pending[-1]
    d.key(ds.AID_CLEAR)  # shown: the EXEC goes on
    await settle(lambda: d.console.pending and d.console.pending[-1] != last)
    d.type("HX")  # typed at MORE...: the VM takes the attention
    await settle(lambda: vm.console.read_pending)
    for _ in range(10):  # the lines already written come first
        if "CMS" in d.text().split():
            break
        d.key(ds.AID_CLEAR)
        await asyncio.sleep(0.05)
    assert "CMS" in d.text().split()
