"""Timers, masks and waits in every combination end: no guest can make the
bare-metal runner (or CP, which uses the same next_timer_event/advance_time
pair) spin without time passing.

Each case builds low core from a seeded random generator: a wait PSW (BC or
EC, external mask on or off, wait bit mostly on), CR0 with random subclass
masks, random clock comparator, CPU timer and interval timer values, random
new PSWs (enabled waits among them), then runs SCKC, SPT, LCTL 0 and LPSW.
The run is driven through ``python -m s390 run``'s own loop with a CPU proxy
that counts the loop's turns: a case that does not end within its budget
fails by count, not by wall-clock time.
"""

import json
import os
import subprocess
import sys

import pytest

from s390 import __main__ as runner
from s390 import lowcore as lc
from tests.s390.conftest import BUILDS
from tests.s390.cpukit import (
    ROOT,
    SENTINEL,
    random_machine,
)

BUDGET = 2_000
#: run_until_done charges at least one unit of the budget to every turn
MAX_TURNS = BUDGET + 2


class TurnLimitExceeded(AssertionError):
    pass


class CountingCPU:
    """The CPU as the runner sees it, with every run() call counted."""

    def __init__(self, cpu, turns: int):
        self._cpu, self.turns_left = cpu, turns

    def run(self, budget):
        self.turns_left -= 1
        if self.turns_left < 0:
            raise TurnLimitExceeded("the runner went on past its budget")
        return self._cpu.run(budget)

    def __getattr__(self, name):
        return getattr(self._cpu, name)


def run_case(mod, seed: int) -> int:
    cpu = CountingCPU(random_machine(mod, seed), MAX_TURNS)
    reason = runner.run_until_done(mod, cpu, BUDGET)
    assert reason in mod.EXIT_NAMES
    return reason


def check_wait_invariant(mod, seed: int) -> None:
    """Whenever run() ends in an enabled wait, next_timer_event() says either
    "never" (-1) or a positive distance, and letting exactly that much time
    pass makes the CPU take an external interruption."""
    cpu = random_machine(mod, seed)
    for _ in range(50):
        reason = cpu.run(500)
        if reason != mod.EXIT_WAIT:
            if reason == mod.EXIT_BUDGET:
                continue
            return
        event = cpu.next_timer_event()
        assert event != 0, "a timer reported due in an enabled wait but not taken"
        if event < 0:
            return
        cpu.mem[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8] = SENTINEL
        cpu.advance_time(event)
        cpu.run(1)
        stored = bytes(cpu.mem[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8])
        assert stored != SENTINEL, f"no interruption after the {event} ticks the CPU asked for"


DEFAULT_SEEDS = range(300)
SLOW_SEEDS = range(300, 5300)


@pytest.mark.parametrize("chunk", range(0, len(DEFAULT_SEEDS), 50))
def test_random_timer_programs_end_within_the_budget(cpu_module, chunk):
    for seed in DEFAULT_SEEDS[chunk : chunk + 50]:
        run_case(cpu_module, seed)


@pytest.mark.parametrize("chunk", range(0, len(DEFAULT_SEEDS), 50))
def test_an_enabled_wait_is_never_due_without_an_interruption(cpu_module, chunk):
    for seed in DEFAULT_SEEDS[chunk : chunk + 50]:
        check_wait_invariant(cpu_module, seed)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(SLOW_SEEDS.start, SLOW_SEEDS.stop, 250))
def test_many_random_timer_programs_end(chunk):
    """The many seeds run on the first build (the compiled one where it is
    built): the pure-Python build is the same source and runs the default
    seeds above, at twenty times the cost per seed."""
    cpu_module = BUILDS[0].values[0]
    for seed in range(chunk, chunk + 250):
        run_case(cpu_module, seed)
        check_wait_invariant(cpu_module, seed)


# -- the cases that hung, as a user runs them ---------------------------------------


def wait_image(interval_timer: bytes, cr0: bytes) -> bytes:
    img = bytearray(0x400)
    img[0x50:0x54] = interval_timer
    img[0x58:0x60] = bytes.fromhex("000200000000EEEE")  # external new PSW: disabled wait
    img[0x308:0x30C] = cr0
    img[0x310:0x318] = bytes.fromhex("0102000000000000")  # enabled wait, external mask on
    img[0x200:0x208] = bytes.fromhex("B7000308 82000310".replace(" ", ""))
    return bytes(img)


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_wait_on_an_interval_timer_already_negative_ends(tmp_path, pure):
    # Negative already: no interruption until it has run through the positive
    # range and goes negative again (PoO "Interval Timer"); the runner lets that
    # virtual time pass instead of calling the timer due for ever.
    f = tmp_path / "neg.bin"
    f.write_bytes(wait_image(bytes.fromhex("FFFFFF00"), bytes.fromhex("00000080")))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "s390",
            "run",
            "--image",
            f"{f}@0",
            "--psw",
            "0000000000000200",
            "--max-instructions",
            "2000",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        env=dict(os.environ, VM370_PURE=pure),
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["reason"] == "disabled-wait" and result["psw"].endswith("EEEE")


def test_a_clock_comparator_the_tod_clock_cannot_pass_is_never_due(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "", end="", psw="0102000000001000", intercept=False)
    cpu.cr[0] = 0x800
    cpu.ckc = 0xFFFFFFFFFFFFFFFF
    assert cpu.run(100) == cpu_module.EXIT_WAIT
    assert cpu.next_timer_event() == -1


def test_masked_timers_are_not_due(cpu_module):
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(cpu_module, "", end="", psw="0102000000001000", intercept=False)
    cpu.cr[0] = 0  # every subclass mask off
    cpu.ckc = 0  # TOD > comparator already
    cpu.mem[0x50:0x54] = bytes.fromhex("80000000")
    assert cpu.run(100) == cpu_module.EXIT_WAIT
    assert cpu.next_timer_event() == -1


def test_an_interruption_loop_through_a_wait_psw_is_charged_per_interruption(cpu_module):
    # External new PSW: an enabled wait that enables the CPU timer, which is
    # negative: each interruption loads a PSW that takes the next at once,
    # and no instruction ever runs.  The runner charges each burst of
    # interruptions, so the run ends after budget / INTERRUPT_BURST turns.
    from tests.s390.conftest import make_cpu

    cpu = make_cpu(
        cpu_module,
        "",
        end="",
        intercept=False,
        psw="0102000000001000",
        data={lc.EXTERNAL_NEW_PSW: "0102000000001000"},
    )
    cpu.cr[0] = 0x400
    cpu.mem[0x900:0x908] = bytes.fromhex("FFFFFFFFFFFFFF00")
    cpu.mem[0x1000:0x1008] = bytes.fromhex("B2080900 82000910")  # SPT X'900'; LPSW X'910'
    cpu.mem[0x910:0x918] = bytes.fromhex("0102000000001000")
    cpu.load_psw(bytes.fromhex("0000000000001000"))
    turns = BUDGET // cpu_module.INTERRUPT_BURST + 2
    counted = CountingCPU(cpu, turns)
    assert runner.run_until_done(cpu_module, counted, BUDGET) == cpu_module.EXIT_BUDGET
    assert cpu.instructions == 2
