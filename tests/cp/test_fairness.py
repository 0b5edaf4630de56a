"""The dispatcher keeps an interactive VM responsive while another VM loops."""
import statistics

from cp.bench_fairness import (
    DIRECT,
    ECHO_PROGRAM,
    LOOP_PROGRAM,
    echo_latency,
    measure,
    start,
)
from cp.directory import parse
from cp.system import System
from tests.cp.cpkit import settle


async def test_echo_latency_with_a_looping_vm(tmp_path):
    system = System(tmp_path, directory=parse(DIRECT))
    terminal, session = start(system, "ECHOER", ECHO_PROGRAM)
    await settle(0.05)
    start(system, "LOOPER", LOOP_PROGRAM)
    await settle(0.05)
    looper = system.find_user("LOOPER")
    before = looper.cpu.instructions
    latencies = await echo_latency(terminal, session, 40)
    assert looper.cpu.instructions - before > 1_000_000     # the looper really ran meanwhile
    assert statistics.median(latencies) < 0.05                # answers within a few slices
    assert system.dispatcher.slices > 50


async def test_share_gives_more_instructions(tmp_path):
    system = System(tmp_path, directory=parse(DIRECT))
    start(system, "LOOPER", LOOP_PROGRAM)
    start(system, "LOOPER2", LOOP_PROGRAM)
    one, two = system.find_user("LOOPER"), system.find_user("LOOPER2")
    two.share = 300
    await settle(0.05)
    a, b = one.cpu.instructions, two.cpu.instructions
    await settle(0.3)
    ratio = (two.cpu.instructions - b) / (one.cpu.instructions - a)
    assert 2.0 < ratio < 4.5


async def test_measure_reports_figures():
    lines = await measure(10, 20000)
    assert lines[1].startswith("echo, alone") and "median" in lines[2]
    assert lines[3].endswith("million instructions/s")


async def test_a_waiting_vm_costs_almost_nothing(tmp_path):
    """An enabled wait with nothing to come: a handful of slices, no instructions."""
    from tests.cp.guestkit import EXT_PROGRAM
    system = System(tmp_path, directory=parse(DIRECT))
    terminal, session = start(system, "LOOPER", EXT_PROGRAM)
    vm = system.find_user("LOOPER")
    await settle(0.1)
    slices, count = system.dispatcher.slices, vm.cpu.instructions
    await settle(1.0)
    assert vm.running                                  # still waiting, enabled
    assert system.dispatcher.slices - slices <= 6      # polls back off to MAX_WAIT_POLL
    assert vm.cpu.instructions == count
