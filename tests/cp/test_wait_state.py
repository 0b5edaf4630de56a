"""CP's enabled-wait handling never spins: whatever the CPU says about its
timers, a wait sleeps for a real interval and the guest's time moves on."""
from __future__ import annotations

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
    assert timeouts == [0.01]                # the poll interval, not a zero-length sleep
    assert fake.advanced and fake.advanced[0] >= 1

