"""CP's enabled-wait handling never spins: whatever the CPU says about its
timers, a wait sleeps for a real interval and the guest's time moves on."""

from __future__ import annotations

import asyncio

import pytest

from tests.cp.cpkit import logon, make_system


@pytest.fixture
def system(tmp_path):
    return make_system(tmp_path)


class DueButNotTakenCPU:
    """A CPU whose timer is 'due' (distance 0) although the interruption is
    not taken: the case that made the old wait loop spin with timeout 0."""

    def __init__(self):
        self.advanced = []

    def next_timer_event(self) -> int:
        return 0

    def advance_time(self, ticks: int) -> None:
        self.advanced.append(ticks)


async def test_a_timer_due_but_not_taken_still_waits_and_moves_time(system):
    logon(system, "ALICE")
    vm = system.find_user("ALICE")
    vm.cpu = fake = DueButNotTakenCPU()
    timeouts = []
    real_wait = vm.wait_for_wakeup

    async def recording_wait(timeout):
        timeouts.append(timeout)
        return await real_wait(timeout)

    vm.wait_for_wakeup = recording_wait
    await system.dispatcher.wait_state(vm, 0.01)
    assert timeouts == [0.01]  # the poll interval, not a zero-length sleep
    assert fake.advanced and fake.advanced[0] >= 1


async def test_random_timer_guests_never_make_cp_wait_for_nothing(system):
    # The timer fuzz's machines (random PSWs, CR0 masks, timer values, new
    # PSWs) run as real S/370 guests under the dispatcher: every enabled wait
    # CP sleeps through is a real interval, never a zero-length turn.
    import s390.cpu as cpu_mod
    from tests.s390.cpukit import PROGRAM, random_machine

    logon(system, "ALICE")
    vm = system.find_user("ALICE")
    timeouts = []
    real_wait = vm.wait_for_wakeup

    async def recording_wait(timeout):
        timeouts.append(timeout)
        return await real_wait(min(timeout, 0.001))  # keep the test short

    vm.wait_for_wakeup = recording_wait
    for seed in range(40):
        template = random_machine(cpu_mod, seed)
        system.dispatcher.stop_guest(vm)
        vm.cpu.reset(clear=True)
        vm.cpu.mem[0 : len(template.mem)] = bytes(template.mem)
        vm.cpu.interval_timer_on = template.interval_timer_on
        vm.cpu.load_psw(PROGRAM.to_bytes(8, "big"))
        vm.ipled = "00C"
        vm.running = True
        system.dispatcher.start_s370(vm)
        for _ in range(20):
            await asyncio.sleep(0)
    system.dispatcher.stop_guest(vm)
    assert timeouts and min(timeouts) > 0
