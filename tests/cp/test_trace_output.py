"""TRACE output can always be stopped: the VM does not run while its 3270
console holds output (MORE..., HOLDING), so the output queue stays bounded;
PA1 gives CP READ; TRACE END (typed in CP READ or as #CP while running)
ends the tracing.  On the 3270 console manager and on a line console."""

import asyncio

from cp import ds3270 as ds
from tests.cp.cpkit import command, logon, make_system
from tests.cp.guestkit import GUEST_DIRECT, ipl_deck
from tests.cp.screenkit import Display

#: A loop for ever: LA, then a branch back (a branch TRACE sees).
LOOP = """\
LOOPS    CSECT
         BALR  12,0
         USING *,12
AGAIN    LA    3,1(3)
         B     AGAIN
         END   LOOPS
"""


def guest_system(tmp_path):
    system = make_system(tmp_path, GUEST_DIRECT)
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in ipl_deck(LOOP)], owner="GUEST")
    return system


async def until(condition, timeout=10.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "condition not met"
        await asyncio.sleep(0.005)


async def test_3270_trace_output_is_bounded_and_pa1_and_trace_end_work(tmp_path):
    system = guest_system(tmp_path)
    d = Display(system)
    d.type("LOGON GUEST GUESTPW")
    vm = system.find_user("GUEST")
    d.key(ds.AID_CLEAR)
    d.type("IPL 00C STOP")
    d.type("TRACE BRANCH RUN")
    d.type("BEGIN")
    await until(lambda: d.console.hold == "MORE...")
    await asyncio.sleep(0.2)
    executed = vm.cpu.instructions
    await asyncio.sleep(0.3)
    assert vm.cpu.instructions == executed  # the VM waits for its output
    assert len(d.console.pending) <= d.console.out_rows + 2
    assert "BRANCH AT 001006" in d.text()
    d.key(ds.AID_PA[2])  # the next screen: the VM runs again
    await until(lambda: vm.cpu.instructions > executed)
    await until(lambda: d.console.hold == "MORE...")
    assert len(d.console.pending) <= d.console.out_rows + 2
    d.key(ds.AID_PA[1])  # break: CP READ
    assert vm.console.cp_mode and not vm.running
    d.type("TRACE END")
    d.key(ds.AID_CLEAR)
    await until(lambda: "TRACE ENDED" in d.text())
    d.key(ds.AID_CLEAR)
    assert d.status() == "CP READ"
    d.type("BEGIN")
    await until(lambda: vm.running and vm.cpu.instructions > executed + 100_000)
    assert not d.console.pending and "BRANCH" not in d.text()
    system.shutdown()


async def test_3270_hash_cp_trace_end_while_the_output_is_held(tmp_path):
    system = guest_system(tmp_path)
    d = Display(system)
    d.type("LOGON GUEST GUESTPW")
    vm = system.find_user("GUEST")
    d.key(ds.AID_CLEAR)
    d.type("IPL 00C STOP")
    d.type("TRACE BRANCH RUN")
    d.type("BEGIN")
    await until(lambda: d.console.hold == "MORE...")
    d.type("#CP TRACE END")
    assert vm.trace == {}
    for _ in range(5):  # what was traced drains, then no more
        d.key(ds.AID_CLEAR)
        await asyncio.sleep(0.05)
    d.key(ds.AID_CLEAR)
    assert not d.console.pending and "BRANCH" not in d.text()
    assert vm.running
    system.shutdown()


async def test_line_console_pa1_and_trace_end_stop_the_trace(tmp_path):
    system = guest_system(tmp_path)
    t, s = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    command(s, t, "IPL 00C STOP")
    command(s, t, "TRACE BRANCH RUN")
    t.take()
    s.enter("BEGIN")
    await until(lambda: len(t.lines) > 200)
    s.attention()  # PA1 / break
    assert t.status == "CP READ" and not vm.running
    shown = len(t.lines)
    await asyncio.sleep(0.2)
    assert len(t.lines) == shown
    assert command(s, t, "TRACE END") == ["TRACE ENDED"]
    s.enter("BEGIN")
    await until(lambda: vm.cpu.instructions > 200_000)
    assert not any(line.startswith("BRANCH") for line in t.lines[shown:])
    system.shutdown()


async def test_line_console_hash_cp_trace_end_while_running(tmp_path):
    system = guest_system(tmp_path)
    t, s = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    command(s, t, "IPL 00C STOP")
    command(s, t, "TRACE BRANCH RUN")
    s.enter("BEGIN")
    await until(lambda: len(t.lines) > 100)
    s.enter("#CP TRACE END")
    assert "TRACE ENDED" in t.lines
    shown = len(t.lines)
    executed = vm.cpu.instructions
    await until(lambda: vm.cpu.instructions > executed + 200_000)
    assert len(t.lines) == shown and vm.running
    system.shutdown()


async def test_a_slice_shows_at_most_a_screenful_of_trace_lines(tmp_path):
    """Between two looks at the terminal's keys CP shows no more trace lines
    than fit in the output area (the slice ends there)."""
    system = guest_system(tmp_path)
    t, s = logon(system, "GUEST")
    vm = system.find_user("GUEST")
    command(s, t, "IPL 00C STOP")
    command(s, t, "TRACE BRANCH RUN")
    t.take()
    slices = system.dispatcher.slices
    s.enter("BEGIN")
    await until(lambda: len(t.lines) > 500)
    s.attention()
    assert len(t.lines) <= (system.dispatcher.slices - slices) * vm.console.output_area()[0]
    system.shutdown()
