"""The dispatcher keeps an interactive VM responsive while another VM loops.
Bounds are counted in instructions and dispatcher slices, never in host
time (a loaded machine slows everything alike); the timings themselves are
``python -m bench.fairness``.  These are the event loop's own rules, so the
systems here keep every slice on the loop (no worker threads; the threaded
dispatcher has its tests in test_threaded_dispatch.py)."""

import statistics

from bench.fairness import (
    DIRECT,
    ECHO_PROGRAM,
    LOOP_PROGRAM,
    echo_rounds,
    measure,
    start,
)
from cp.directory import parse
from cp.system import System
from tests.cp.cpkit import settle
from tests.cp.guestkit import EXT_PROGRAM


def loop_system(tmp_path) -> System:
    """A system whose dispatcher runs every slice on the event loop."""
    system = System(tmp_path, directory=parse(DIRECT))
    system.dispatcher.threaded = False
    return system


async def until_instructions(vm, count: int) -> None:
    """Let the event loop run until ``vm`` has run ``count`` more instructions."""
    target = vm.cpu.instructions + count
    while vm.cpu.instructions < target:
        await settle(0.01)


async def test_an_echo_waits_for_a_few_slices_of_a_looping_vm_not_more(tmp_path):
    system = loop_system(tmp_path)
    terminal, session = start(system, "ECHOER", ECHO_PROGRAM)
    await settle(0.05)
    start(system, "LOOPER", LOOP_PROGRAM)
    looper = system.find_user("LOOPER")
    await until_instructions(looper, 1)
    rounds = await echo_rounds(terminal, session, 40, looper)
    slices = [ran / system.dispatcher.slice_budget for _, ran in rounds]
    assert sum(ran for _, ran in rounds) > 0  # the looper really ran meanwhile
    assert statistics.median(slices) <= 4  # answered within a few slices
    assert max(slices) <= 6


async def test_share_gives_more_instructions(tmp_path):
    system = loop_system(tmp_path)
    start(system, "LOOPER", LOOP_PROGRAM)
    start(system, "LOOPER2", LOOP_PROGRAM)
    one, two = system.find_user("LOOPER"), system.find_user("LOOPER2")
    two.share = 300
    await until_instructions(one, 1)
    a, b = one.cpu.instructions, two.cpu.instructions
    await until_instructions(one, 30 * system.dispatcher.slice_budget)  # 30 slices of SHARE 100
    ratio = (two.cpu.instructions - b) / (one.cpu.instructions - a)
    assert 2.0 < ratio < 4.5


async def test_measure_reports_figures():
    lines = await measure(10, 20000)
    assert lines[1].startswith("echo, alone") and "median" in lines[2]
    assert lines[3].endswith("million instructions/s")


async def test_a_waiting_vm_costs_almost_nothing(tmp_path):
    """An enabled wait with nothing to come: a handful of slices, no instructions."""
    system = System(tmp_path, directory=parse(DIRECT))
    start(system, "LOOPER", EXT_PROGRAM)
    vm = system.find_user("LOOPER")
    await settle(0.1)
    slices, count = system.dispatcher.slices, vm.cpu.instructions
    await settle(1.0)
    assert vm.running  # still waiting, enabled
    assert system.dispatcher.slices - slices <= 6  # polls back off to MAX_WAIT_POLL
    assert vm.cpu.instructions == count
