"""Random bytes run as a program end in program checks, waits or exits:
never a crash, a hang past the budget, or a Python exception."""

import random

import pytest

from s390 import lowcore as lc

BUDGET = 2_000


def fuzz_cpu(mod, rng, ec):
    cpu = mod.CPU(storage_size=1 << 16)
    cpu.interval_timer_on = rng.random() < 0.5
    cpu.mem[:] = bytes(rng.getrandbits(8) for _ in range(1 << 16))
    for r in range(16):
        cpu.gpr[r] = rng.getrandbits(32)
    for r in range(4):
        cpu.fpr[r] = rng.getrandbits(64)
    for r in range(16):
        if rng.random() < 0.3:
            cpu.cr[r] = rng.getrandbits(32)
    for b in range(len(cpu.keys)):
        cpu.keys[b] = rng.getrandbits(8) & 0xFE
    # The new PSWs stay random too: interruption loops must be caught.
    psw = bytearray(rng.getrandbits(8) for _ in range(8))
    if ec:
        psw[1] |= 0x08
    psw[4:8] = (rng.randrange(0, 1 << 16) & ~1).to_bytes(4, "big")
    cpu.load_psw(bytes(psw))
    return cpu


def drive(mod, cpu):
    """Run slices like CP would: handle exits by resuming."""
    total = 0
    for _ in range(20):
        before = cpu.instructions
        reason = cpu.run(BUDGET)
        assert cpu.instructions - before <= BUDGET
        total += cpu.instructions - before
        if reason in (mod.EXIT_DISABLED_WAIT, mod.EXIT_PGM_LOOP):
            return reason
        if reason == mod.EXIT_WAIT:
            cpu.post_io_interrupt(0x00E, bytes(8))
        if reason in (mod.EXIT_IO, mod.EXIT_DIAG):
            cpu.set_cc(3)
    return reason


@pytest.mark.parametrize("seed", range(40))
def test_random_programs_never_crash(cpu_module, seed):
    rng = random.Random(seed)
    cpu = fuzz_cpu(cpu_module, rng, ec=bool(seed & 1))
    reason = drive(cpu_module, cpu)
    assert reason in cpu_module.EXIT_NAMES
    assert len(cpu.get_psw()) == 8


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(40, 1040))
def test_random_programs_never_crash_many(cpu_module, seed):
    rng = random.Random(seed)
    cpu = fuzz_cpu(cpu_module, rng, ec=bool(seed & 1))
    assert drive(cpu_module, cpu) in cpu_module.EXIT_NAMES


@pytest.mark.parametrize("seed", range(20))
def test_random_instruction_streams_with_sane_low_core(cpu_module, seed):
    # random code, but program/SVC new PSWs that resume at the code: many
    # instructions with their exceptions, each taken as a real interruption
    rng = random.Random(1000 + seed)
    cpu = cpu_module.CPU(storage_size=1 << 16)
    cpu.interval_timer_on = False
    code = bytes(rng.getrandbits(8) for _ in range(0x4000))
    cpu.mem[0x1000:0x5000] = code
    resume = bytes.fromhex("0000000000001000")
    for slot in (lc.PROGRAM_NEW_PSW, lc.SVC_NEW_PSW, lc.EXTERNAL_NEW_PSW, lc.IO_NEW_PSW):
        cpu.mem[slot : slot + 8] = resume
    for r in range(16):
        cpu.gpr[r] = rng.choice([0, 0x1000, 0x2000, rng.getrandbits(32), rng.getrandbits(12)])
    cpu.load_psw(resume)
    reason = drive(cpu_module, cpu)
    assert reason in cpu_module.EXIT_NAMES


def _both_builds():
    from tests.s390.conftest import BUILDS

    mods = {p.id: p.values[0] for p in BUILDS}
    return mods.get("compiled"), mods["pure"]


def _random_machine(mod, seed):
    rng = random.Random(5000 + seed)
    cpu = mod.CPU(storage_size=1 << 16)
    cpu.interval_timer_on = bool(seed & 2)
    cpu.mem[:] = bytes(rng.getrandbits(8) for _ in range(1 << 16))
    resume = bytes.fromhex("0000000000001000" if seed & 1 else "0008000000001000")
    # each interruption handler is one LPSW of its old PSW: execution goes on
    # after the instruction that caused it
    handlers = (
        (lc.PROGRAM_NEW_PSW, lc.PROGRAM_OLD_PSW),
        (lc.SVC_NEW_PSW, lc.SVC_OLD_PSW),
        (lc.EXTERNAL_NEW_PSW, lc.EXTERNAL_OLD_PSW),
        (lc.IO_NEW_PSW, lc.IO_OLD_PSW),
    )
    for i, (new, old) in enumerate(handlers):
        at = 0x900 + 8 * i
        cpu.mem[new : new + 8] = at.to_bytes(8, "big")
        cpu.mem[at : at + 4] = (0x82000000 | old).to_bytes(4, "big")
    for r in range(16):
        cpu.gpr[r] = rng.choice([0, 0x1000, 0x2000, 0xFFFF, rng.getrandbits(32)])
    for r in range(4):
        cpu.fpr[r] = rng.getrandbits(64)
    cpu.load_psw(resume)
    return cpu


def _state(cpu):
    return (
        bytes(cpu.mem),
        bytes(cpu.keys),
        list(cpu.gpr),
        list(cpu.fpr),
        list(cpu.cr),
        cpu.get_psw(),
        cpu.instructions,
        cpu.exit_code,
    )


COMPILED, PURE = _both_builds()

if COMPILED is not None:

    @pytest.mark.parametrize("seed", range(16))
    def test_compiled_and_pure_builds_agree(seed):
        # the same random instruction stream on both builds: every register,
        # storage byte, key, PSW and exit must be identical
        a, b = _random_machine(COMPILED, seed), _random_machine(PURE, seed)
        for _ in range(10):
            ra, rb = a.run(1000), b.run(1000)
            assert ra == rb
            assert _state(a) == _state(b)
            if ra in (COMPILED.EXIT_DISABLED_WAIT, COMPILED.EXIT_PGM_LOOP):
                break
            if ra in (COMPILED.EXIT_IO, COMPILED.EXIT_DIAG):
                a.set_cc(1)
                b.set_cc(1)
