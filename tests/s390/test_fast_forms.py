"""The run loop's fast forms (``fast_<MNEMONIC>`` in s390/cpu.py) compute
what the full handlers compute.

Each random program runs twice on identical machines: once in the fast loop,
once with an ADSTOP no instruction can reach, which sends every instruction
through step() and the full handler (the CP TRACE / ADSTOP loop).  Registers,
storage, storage keys, the PSW, the instruction count and every exit must
agree.  The programs are mostly instructions that have a fast form, with
operands placed at 2K block ends, at the end of storage, in fetch-protected
and store-protected blocks, and overflowing, so that every reason a fast form
declines is met as well as the ordinary cases."""

import random

import pytest

from s390 import _gen
from s390 import lowcore as lc

SIZE = 1 << 16
CODE = 0x7C0  # the program crosses the 2K block boundary at X'800'
CODE_END = 0xC00
FAST = [op.code for op in _gen.fast_forms()]
# others, among them SSK ISK and RRB (B213), which change what the fast forms
# remembered about a block's key
OTHERS = [0x1C, 0x10, 0x11, 0x44, 0x4E, 0x4F, 0x8A, 0x8B, 0x8C, 0x8D, 0xBF, 0xD4, 0xD6]
OTHERS += [0x08, 0x08, 0x09, 0xB2, 0xB2]
UNREACHABLE = 1 << 40  # an ADSTOP address no instruction address equals


def interesting_address(rng):
    return rng.choice(
        [
            rng.randrange(0x1000, SIZE),
            rng.randrange(0x1000, SIZE),
            (rng.randrange(1, SIZE >> 11) << 11) - rng.randrange(1, 9),  # at a block end
            (rng.randrange(1, SIZE >> 11) << 11) - rng.randrange(1, 9),
            SIZE - rng.randrange(1, 9),  # at the end of storage
            SIZE + rng.randrange(0, 64),  # past it
            rng.getrandbits(32),
        ]
    )


BRANCH_RR = {0x05, 0x06, 0x07, 0x0D}  # BALR BCTR BCR BASR: R2 is 0 or TARGET_REG
BRANCH_RX = {0x45, 0x46, 0x47, 0x4D, 0x86, 0x87}  # BAL BCT BC BAS BXH BXLE
TARGET_REG = 12  # holds the program's address


def instruction(rng):
    """Random bytes of one instruction (a branch's target is patched later)."""
    op = rng.choice(FAST) if rng.random() < 0.85 else rng.choice(OTHERS)
    n = 2 if op < 0x40 else (4 if op < 0xC0 else 6)
    if op == 0x08 or op == 0x09:  # SSK/ISK R1,R2: R2 an address with bits 28-31 zero
        return bytearray([op, (rng.getrandbits(4) << 4) | rng.choice([2, 4, 6])])
    if op == 0xB2:  # RRB D2(B2)
        disp = rng.getrandbits(12)
        return bytearray([0xB2, 0x13, (rng.getrandbits(4) << 4) | (disp >> 8), disp & 0xFF])
    if op in BRANCH_RR:
        r1 = rng.choice([rng.getrandbits(4), 15])
        return bytearray([op, (r1 << 4) | (TARGET_REG if rng.random() < 0.1 else 0)])
    if op in BRANCH_RX:
        r = rng.getrandbits(8) if op in (0x86, 0x87) else rng.getrandbits(4) << 4
        return bytearray([op, r, 0, 0])  # no index, no base: D2 is the target
    fields = [rng.getrandbits(8)]
    if 0x20 <= op < 0x40 or 0x60 <= op < 0x80:  # floating point: mostly registers 0 2 4 6
        r1, r2 = rng.choice([0, 2, 4, 6]), rng.choice([0, 2, 4, 6])
        if rng.random() < 0.9:
            fields = [(r1 << 4) | (r2 if op < 0x40 else rng.getrandbits(4))]
    for _ in range((n - 2) // 2):
        # displacements near block ends, or small ones beside an interesting base
        disp = rng.choice([rng.getrandbits(12), 0x7F8 + rng.randrange(8), rng.randrange(16)])
        fields += [(rng.getrandbits(4) << 4) | (disp >> 8), disp & 0xFF]
    return bytearray([op] + fields)


def program(rng):
    """Instructions from CODE, ending in a branch back to CODE; the RX
    branches go forward to an instruction (the program runs through, then
    again with the registers it left), a few to an odd address."""
    code, starts = [], []
    at = CODE
    while at < CODE_END - 6:
        starts.append(at)
        code.append(instruction(rng))
        at += len(code[-1])
    for start, ins in zip(starts, code):
        if ins[0] in BRANCH_RX:
            target = rng.choice([s for s in starts if s > start] or [CODE])
            target += rng.random() < 0.2  # now and then odd: a specification exception
            ins[2:4] = target.to_bytes(2, "big")
    return b"".join(code) + bytes.fromhex("47F007C0"), starts


def machine(mod, seed):
    rng = random.Random(seed)
    cpu = mod.CPU(storage_size=SIZE)
    cpu.mem[:] = bytes(rng.getrandbits(8) for _ in range(SIZE))
    code, _ = program(rng)
    cpu.mem[CODE : CODE + len(code)] = code
    for r in range(16):
        cpu.gpr[r] = interesting_address(rng) if rng.random() < 0.8 else rng.getrandbits(32)
    cpu.gpr[TARGET_REG] = CODE + (rng.random() < 0.2)  # odd: a specification exception
    for r in (2, 4, 6):  # SSK/ISK block addresses (bits 28-31 zero), now and then
        if rng.random() < 0.5:
            cpu.gpr[r] = rng.randrange(0, SIZE) & ~0xF
    for r in range(4):
        cpu.fpr[r] = rng.getrandbits(64) if rng.random() < 0.7 else rng.getrandbits(8) << 56
    pkey = rng.choice([0, 0, rng.randrange(1, 16)])
    for b in range(len(cpu.keys)):
        key = pkey if rng.random() < 0.6 else rng.randrange(16)
        cpu.keys[b] = (key << 4) | (rng.choice([0, 8]) if rng.random() < 0.3 else 0)
    cpu.keys[CODE >> 11] = pkey << 4
    cpu.keys[CODE_END >> 11] = pkey << 4
    cpu.program_intercept = True  # a program check exits; the run goes on after it
    cpu.interval_timer_on = rng.random() < 0.5
    cpu.cr[0] |= 0x80  # interval-timer subclass
    resume = bytearray(CODE.to_bytes(8, "big"))
    cpu.mem[lc.EXTERNAL_NEW_PSW : lc.EXTERNAL_NEW_PSW + 8] = resume
    cpu.mem[0x50:0x54] = rng.randrange(0, 64).to_bytes(4, "big")
    psw = bytearray(CODE.to_bytes(8, "big"))
    psw[0] = rng.choice([0, 1])  # external interruptions (the interval timer) now and then
    psw[1] = (pkey << 4) | (0x08 if rng.random() < 0.5 else 0)
    cc_pm = (rng.randrange(4) << 4) | rng.choice([0, 8, 0xC])
    if psw[1] & 0x08:
        psw[2] = cc_pm
    else:
        psw[4] = cc_pm
    cpu.load_psw(bytes(psw))
    return cpu


def drive(mod, cpu, total=3000, budget=600):
    """Run like CP, ``total`` instructions: resume after program checks
    and other exits."""
    events = []
    while cpu.instructions < total and len(events) < total:
        reason = cpu.run(budget)
        events.append((reason, cpu.exit_code, cpu.instructions, cpu.get_psw()))
        if reason in (mod.EXIT_DISABLED_WAIT, mod.EXIT_WAIT):
            break
        if reason in (mod.EXIT_IO, mod.EXIT_DIAG):
            cpu.set_cc(3)
    return events


def state(cpu):
    return (
        list(cpu.gpr),
        list(cpu.fpr),
        bytes(cpu.mem),
        bytes(cpu.keys),
        cpu.get_psw(),
        cpu.instructions,
    )


@pytest.mark.parametrize("seed", range(60))
def test_fast_loop_equals_the_full_handlers(cpu_module, seed):
    fast = machine(cpu_module, seed)
    full = machine(cpu_module, seed)
    full.adstop = UNREACHABLE
    assert drive(cpu_module, fast) == drive(cpu_module, full)
    assert state(fast) == state(full)


def test_every_fast_form_is_met(cpu_module):
    """The programs above contain every instruction that has a fast form."""
    seen = set()
    for seed in range(60):
        cpu = machine(cpu_module, seed)
        seen |= set(cpu.mem[CODE:CODE_END])
    assert set(FAST) <= seen


def test_ilc_of_the_last_fast_instruction_reaches_an_interruption(cpu_module):
    """An external interruption after a fast-form instruction stores that
    instruction's ILC in a BC-mode old PSW, as after any other."""
    cpu = cpu_module.CPU(storage_size=SIZE)
    cpu.interval_timer_on = True
    cpu.cr[0] |= 0x80
    cpu.mem[0x50:0x54] = (0).to_bytes(4, "big")  # goes negative at once
    cpu.mem[lc.EXTERNAL_NEW_PSW : lc.EXTERNAL_NEW_PSW + 8] = bytes.fromhex("000200000000EEEE")
    # BALR 14,0 (ILC 1, through step()), then L 1,0(13) ; B *-4 in the fast loop
    cpu.mem[CODE : CODE + 10] = bytes.fromhex("05E05810D00047F007C2")
    cpu.load_psw(bytes([1, 0, 0, 0]) + CODE.to_bytes(4, "big"))
    assert cpu.run(5000) == cpu_module.EXIT_DISABLED_WAIT
    old = bytes(cpu.mem[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8])
    assert old[4] >> 6 == 2  # ILC 2: L and BC are 4 bytes long


@pytest.mark.parametrize(
    "program,data,expected",
    [
        # MVC 1(7,2),0(2): the destination starts inside the source, the first byte spreads
        ("D2062001 2000", "4100000000000000", "4141414141414141"),
        # MVC 0(7,2),1(2): the destination starts before the source, a plain move
        ("D2062000 2001", "0001020304050607", "0102030405060707"),
        # MVC 0(8,2),0(2): onto itself
        ("D2072000 2000", "0001020304050607", "0001020304050607"),
    ],
)
def test_mvc_overlaps_in_the_fast_loop(cpu_module, program, data, expected):
    """MVC moves left to right a byte at a time (PoO 7): the fast form
    agrees for every overlap, after an LR that makes it the second
    instruction of the fetch block (the first goes through step())."""
    from tests.s390.conftest import run_code

    res = run_code(cpu_module, "1800 " + program, regs={2: 0x2000}, data={0x2000: data})
    assert res.mem(0x2000, 8) == bytes.fromhex(expected)


@pytest.mark.parametrize(
    "a,b,cc",
    [
        ("C1C2", "C1C2", 0),
        ("C1C2", "C1C3", 1),
        ("C2", "C1", 2),
        ("00FF", "0100", 1),
        ("80", "7F", 2),
    ],
)
def test_clc_compares_unsigned_in_the_fast_loop(cpu_module, a, b, cc):
    from tests.s390.conftest import run_code

    n = len(a) // 2 - 1
    res = run_code(
        cpu_module,
        f"1800 D5{n:02X}20003000",
        regs={2: 0x2000, 3: 0x3000},
        data={0x2000: a, 0x3000: b},
    )
    assert res.cc == cc


@pytest.mark.parametrize(
    "branch",
    [
        "05EC",  # BALR 14,12
        "061C",  # BCTR 1,12
        "07FC",  # BCR 15,12
        "0DEC",  # BASR 14,12
        "45E0C000",  # BAL 14,0(12)
        "4610C000",  # BCT 1,0(12)
        "47F0C000",  # BC 15,0(12)
        "4DE0C000",  # BAS 14,0(12)
        "8624C000",  # BXH 2,4,0(12)
        "8726C000",  # BXLE 2,6,0(12)
    ],
)
def test_branch_to_an_odd_address_in_the_fast_loop(cpu_module, branch):
    """The branch is taken (PoO 7), then the fetch at the odd address is a
    specification exception (PoO 5): in the fast loop as in the full one."""
    results = []
    for adstop in (-1, UNREACHABLE):
        cpu = cpu_module.CPU(storage_size=SIZE)
        cpu.program_intercept = True
        program = bytes.fromhex("1800" + branch)  # LR 0,0 first: the branch runs fast
        cpu.mem[CODE : CODE + len(program)] = program
        cpu.mem[CODE + 0x10 : CODE + 0x20] = b"\x18" * 16  # LR 1,8 at odd and even addresses
        cpu.gpr[12] = CODE + 0x11  # odd, inside the fetch block
        cpu.gpr[1] = 5  # BCT, BCTR: taken
        cpu.gpr[4], cpu.gpr[5] = 1, 0  # BXH 2,4: 1 > 0, taken
        cpu.gpr[6], cpu.gpr[7] = 1, 5  # BXLE 2,6: 1 <= 5, taken
        cpu.load_psw(CODE.to_bytes(8, "big"))
        cpu.adstop = adstop
        reason = cpu.run(100)
        results.append((reason, cpu.exit_code, cpu.get_psw(), list(cpu.gpr)))
    assert results[0] == results[1]
    assert results[0][:2] == (cpu_module.EXIT_PROGRAM, 6)


def psw_swap_machine(cpu_module, new_psw, handler, problem=False, at=0x3000, block_key=0):
    """A program that calls SVC 5 three times and counts in R1, then loops;
    the SVC new PSW is ``new_psw`` (hex), the handler at ``at`` is
    ``handler`` (hex), the program's block has storage key ``block_key``."""
    cpu = cpu_module.CPU(storage_size=SIZE)
    cpu.program_intercept = True
    # LR 0,0 (through step(): the SVC runs in the fast loop) ; 3 x (SVC 5 ; LA 1,1(1)) ; B CODE
    program = bytes.fromhex(
        "1800 0A05 41101001 0A05 41101001 0A05 41101001 47F007C0".replace(" ", "")
    )
    cpu.mem[CODE : CODE + len(program)] = program
    cpu.mem[at : at + len(bytes.fromhex(handler))] = bytes.fromhex(handler)
    cpu.keys[CODE >> 11] = block_key
    cpu.mem[lc.SVC_NEW_PSW : lc.SVC_NEW_PSW + 8] = bytes.fromhex(new_psw)
    cpu.interval_timer_on = True
    cpu.cr[0] |= 0x80
    cpu.mem[0x50:0x54] = (0).to_bytes(4, "big")  # the interval timer: pending soon
    cpu.mem[lc.EXTERNAL_NEW_PSW : lc.EXTERNAL_NEW_PSW + 8] = bytes.fromhex("000200000000EEEE")
    cpu.load_psw(bytes([0, 0x01 if problem else 0, 0, 0]) + CODE.to_bytes(4, "big"))
    return cpu


HANDLER_IN_BLOCK = CODE + 0x30  # the program's own fetch block
# The handlers begin with LR 0,0: the first instruction of a block goes
# through step(), the LPSW after it runs in the fast loop.


@pytest.mark.parametrize(
    "new_psw,handler,problem,at,block_key",
    [
        ("0000000000003000", "180082000020", False, 0x3000, 0),  # SVC and LPSW back: both fast
        ("0010000000003000", "180082000020", False, 0x3000, 0),  # new PSW key 1: declined
        ("0000000000003001", "180082000020", False, 0x3000, 0),  # odd new address: an exception
        ("0000000000003000", "180082000021", False, 0x3000, 0),  # LPSW operand not aligned
        ("0000000000003000", "180082000020", True, 0x3000, 0),  # back to the problem state
        ("0001000000003000", "180082000020", False, 0x3000, 0),  # problem state: privileged
        ("0000000000003000", "18009601002082000020", False, 0x3000, 0),  # back enabled: timer
        ("0000000000003000", "18009601002182000020", False, 0x3000, 0),  # back in problem state
        ("0000000000003000", "18009602002182000020", False, 0x3000, 0),  # back in a wait
        ("0000000000003000", "18009608002182000020", False, 0x3000, 0),  # EC, invalid: early
        # handler (LR 0,0 ; LPSW) in the program's fetch-protected block, under
        # another key: protection
        (f"00100000{HANDLER_IN_BLOCK:08X}", "180082000020", False, HANDLER_IN_BLOCK, 0x08),
        # an odd new address inside the program's block: specification
        (f"00000000{HANDLER_IN_BLOCK + 1:08X}", "18180082000020", False, HANDLER_IN_BLOCK, 0),
        # LPSW back to the fetch-protected program block under key 1: protection
        ("0000000000003000", "18009610002182000020", False, 0x3000, 0x08),
        # the same from a handler in that block
        (f"00000000{HANDLER_IN_BLOCK:08X}", "18009610002182000020", False, HANDLER_IN_BLOCK, 8),
        # LPSW to an odd address in the handler's block (where LR 1,8 stands):
        # specification
        (f"00000000{HANDLER_IN_BLOCK:08X}", "1818180092F1002782000020", False, HANDLER_IN_BLOCK, 0),
    ],
)
def test_svc_and_lpsw_in_the_fast_loop(cpu_module, new_psw, handler, problem, at, block_key):
    results = []
    for adstop in (-1, UNREACHABLE):
        cpu = psw_swap_machine(cpu_module, new_psw, handler, problem, at, block_key)
        cpu.adstop = adstop
        results.append((drive(cpu_module, cpu, total=2500), state(cpu)))
    assert results[0] == results[1]


def test_intercepted_svc_leaves_the_fast_loop(cpu_module):
    cpu = psw_swap_machine(cpu_module, "0000000000003000", "82000020")
    cpu.set_svc_intercept(5)
    assert cpu.run(100) == cpu_module.EXIT_SVC
    assert cpu.exit_addr == 5 and cpu.instructions == 2


@pytest.mark.parametrize("n", list(range(1, 21)) + [32, 33, 256])
def test_mvc_and_clc_of_every_short_length(cpu_module, n):
    """MVC and CLC in the fast loop against the architecture's definition
    (PoO 7: a byte at a time, left to right; compared as unsigned binary)
    for every distance between the operands, overlapping or not."""
    from tests.s390.conftest import run_code

    rng = random.Random(n)
    source = bytes(rng.getrandbits(8) for _ in range(0x400))
    for distance in sorted({-n - 1, -n, -3, -1, 0, 1, 3, n - 1, n, n + 1}):
        d, s = 0x2180 + distance, 0x2180
        expected = bytearray(source)
        for i in range(n):
            expected[d - 0x2000 + i] = expected[s - 0x2000 + i]
        res = run_code(
            cpu_module,
            f"1800 D2{n - 1:02X}2{d & 0xFFF:03X}2{s & 0xFFF:03X}",
            regs={2: 0x2000},
            data={0x2000: source.hex()},
        )
        assert res.mem(0x2000, 0x400) == bytes(expected), distance
    for i in range(n):  # CLC: the first difference at each position, both ways
        for delta in (1, -1):
            a = bytearray(source[:n])
            b = bytearray(a)
            b[i] = (b[i] + delta) & 0xFF
            res = run_code(
                cpu_module,
                f"1800 D5{n - 1:02X}20003000",
                regs={2: 0x2000, 3: 0x3000},
                data={0x2000: a.hex(), 0x3000: b.hex()},
            )
            assert res.cc == (0 if a == b else (1 if a < b else 2)), (i, delta)


DATA_BLOCK = 0x4000


def key_machine(cpu_module, program, psw_key=1, regs=None, data_key=0x10):
    cpu = cpu_module.CPU(storage_size=SIZE)
    cpu.program_intercept = True
    code = bytes.fromhex(program.replace(" ", ""))
    cpu.mem[0x1000 : 0x1000 + len(code)] = code
    cpu.keys[0x1000 >> 11] = psw_key << 4
    cpu.keys[DATA_BLOCK >> 11] = data_key
    cpu.gpr[13] = DATA_BLOCK
    for r, v in (regs or {}).items():
        cpu.gpr[r] = v
    cpu.load_psw(bytes([0, psw_key << 4, 0, 0]) + (0x1000).to_bytes(4, "big"))
    return cpu


def test_a_store_after_ssk_is_checked_against_the_new_key(cpu_module):
    """ST into a key-1 block (remembered as allowed), SSK gives the block
    key 2, the same ST again: protection (PoO 3, "Key-Controlled Protection")."""
    # LR 0,0 ; ST 1,0(13) ; SSK 3,13 ; LR 0,0 ; ST 1,0(13) ; DIAGNOSE (each LR
    # goes through step(), checking the fetch; the ST after it runs fast)
    cpu = key_machine(cpu_module, "1800 5010D000 083D 1800 5010D000 83000000", regs={3: 0x20})
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM
    assert (cpu.exit_code, cpu.instructions) == (4, 5)


def test_a_fetch_after_ssk_is_checked_against_the_new_key(cpu_module):
    """L from a key-1 block (remembered as allowed for fetching), SSK makes
    it a fetch-protected key-2 block, the same L again: protection.  SSK
    forgets the fetch entry of its block, not only the store entry."""
    # LR 0,0 ; L 1,0(13) ; SSK 3,13 ; LR 0,0 ; L 1,0(13) ; DIAGNOSE
    cpu = key_machine(cpu_module, "1800 5810D000 083D 1800 5810D000 83000000", regs={3: 0x28})
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM
    assert (cpu.exit_code, cpu.instructions) == (4, 5)


def test_ssk_of_another_block_keeps_this_blocks_checks_right(cpu_module):
    """ST into the data block, SSK of another block, ST again: allowed (the
    data block's key is unchanged), and the store lands."""
    # LR 0,0 ; ST 1,0(13) ; SSK 3,4 ; LR 0,0 ; ST 1,4(13) ; DIAGNOSE
    cpu = key_machine(
        cpu_module,
        "1800 5010D000 0834 1800 5010D004 83000000",
        regs={1: 0x12345678, 3: 0x20, 4: DATA_BLOCK + 0x800},
    )
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    assert cpu.mem[DATA_BLOCK : DATA_BLOCK + 8] == bytes.fromhex("1234567812345678")
    assert cpu.keys[(DATA_BLOCK + 0x800) >> 11] & 0xF0 == 0x20


def test_a_fetch_after_rrb_sets_the_reference_bit_again(cpu_module):
    # LR 0,0 ; L 1,0(13) ; RRB 0(13) ; LR 0,0 ; L 1,0(13) ; DIAGNOSE
    cpu = key_machine(cpu_module, "1800 5810D000 B213D000 1800 5810D000 83000000")
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    assert cpu.cc == 2  # RRB: the reference bit was one, the change bit zero
    assert cpu.keys[DATA_BLOCK >> 11] & 0x04  # set again by the second L


def test_a_fetch_under_a_new_psw_key_is_checked_again(cpu_module):
    """L under PSW key 0 from a fetch-protected key-1 block (allowed); SVC to
    a handler with PSW key 2 doing the same L: protection."""
    cpu = key_machine(cpu_module, "1800 5810D000 0A05 83000000", psw_key=0, data_key=0x18)
    cpu.mem[0x3000:0x3006] = bytes.fromhex("18005810D000")  # LR 0,0 ; L 1,0(13)
    cpu.mem[lc.SVC_NEW_PSW : lc.SVC_NEW_PSW + 8] = bytes.fromhex("0020000000003000")
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM
    assert cpu.exit_code == 4 and cpu.get_psw()[1] >> 4 == 2


def test_a_key_cp_sets_between_runs_is_checked(cpu_module):
    """CP (or the CMS loader) may set storage keys while the CPU is stopped:
    the next run checks the fast forms' operands again."""
    # LR 0,0 ; ST 1,0(13) ; DIAGNOSE ; LR 0,0 ; ST 1,0(13) ; DIAGNOSE
    cpu = key_machine(cpu_module, "1800 5010D000 83000000 1800 5010D000 83000000")
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    cpu.keys[DATA_BLOCK >> 11] = 0x20
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM and cpu.exit_code == 4


def test_branches_that_share_a_guess_and_returns_to_two_callers(cpu_module):
    """The compiled loop goes on after a taken branch by the address that
    branch led to last time when it is the same (a guess per branch address,
    256 of them): here the outer and the inner loop's BCT, 512 bytes apart,
    share one guess and replace each other's, and the BR 14 of a routine
    called from two places returns to each in turn.  Every branch must still
    go where it computes, as in the full loop."""
    routine = CODE_END + 0x200
    program = {
        CODE_END: "41200005"  # LA 2,5  the outer count
        "41F0C200"  # LA 15,X'200'(12)  the routine
        "05EF"  # BALR 14,15
        "05EF"  # BALR 14,15  (returns to the next instruction, then here)
        "4620C004"  # BCT 2,4(12)  at X'..0C': the outer loop
        "82000100",  # LPSW X'100'  a disabled wait
        routine: "41300003"  # LA 3,3  the inner count
        "1A41"  # AR 4,1
        "180018001800"  # LR 0,0 three times
        "4630C204"  # BCT 3,X'204'(12)  at X'..0C' + X'200': the inner loop
        "07FE",  # BR 14
    }
    results = []
    for adstop in (-1, UNREACHABLE):
        cpu = cpu_module.CPU(storage_size=SIZE)
        for at, text in program.items():
            cpu.mem[at : at + len(text) // 2] = bytes.fromhex(text)
        cpu.mem[0x100:0x108] = bytes.fromhex("0002000000000000")
        cpu.gpr[12], cpu.gpr[1] = CODE_END, 1
        cpu.load_psw(CODE_END.to_bytes(8, "big"))
        cpu.adstop = adstop
        results.append((cpu.run(10_000), list(cpu.gpr), cpu.instructions))
    assert results[0] == results[1]
    reason, gpr, instructions = results[0]
    assert reason == cpu_module.EXIT_DISABLED_WAIT
    assert gpr[4] == 5 * 2 * 3  # each of the 5 passes called the routine twice
    routine_run = 1 + 3 * 5 + 1  # LA, three passes of five, BR
    assert instructions == 1 + 5 * (1 + 1 + routine_run + 1 + routine_run + 1) + 1


@pytest.mark.parametrize(
    "last, count",
    [
        ("D200D000D008", 1),  # MVC 0(1,13),8(13): six bytes, X'FFFFFA' + 6 wraps to 0
        ("5810D0001800", 2),  # L 1,0(13) at X'FFFFFA', then LR 0,0 at X'FFFFFE'
        ("4110000118001800", 3),  # LA 1,1 ; LR 0,0 ; LR 0,0: four and two bytes
    ],
)
def test_running_off_the_end_of_storage_fetches_at_0_again(cpu_module, last, count):
    """Instructions run in sequence up to the last byte of 16M, where the
    instruction address wraps to 0 (PoO 5, "Instruction Fetching": 24-bit
    addresses wrap).  Block 0 is fetch-protected against the PSW key, so the
    fetch at 0 is a protection exception, with the AR 1,13 there not run: in
    the fast loop as in the full one.  (The compiled loop tests only the
    block's end after an instruction that goes on to the next one; not after
    a six-byte one, whose next address wraps to 0.)"""
    size = 1 << 24
    program = bytes.fromhex("1800" + last)  # LR 0,0 first (step()), the rest fast
    at = size - len(program)
    results = []
    for adstop in (-1, UNREACHABLE):
        cpu = cpu_module.CPU(storage_size=size)
        cpu.program_intercept = True
        cpu.mem[at:size] = program
        cpu.mem[0:8] = bytes.fromhex("1A1D1A1D1A1D1A1D")  # AR 1,13: fast forms
        cpu.keys[0] = 0x28  # key 2, fetch-protected
        cpu.keys[(size - 1) >> 11] = 0x10
        cpu.keys[0x10000 >> 11] = 0x10
        cpu.gpr[13] = 0x10000
        cpu.load_psw(bytes([0, 0x10, 0, 0]) + at.to_bytes(4, "big"))  # key 1
        cpu.adstop = adstop
        reason = cpu.run(100)
        results.append((reason, cpu.exit_code, cpu.instructions, cpu.get_psw(), list(cpu.gpr)))
    assert results[0] == results[1]
    reason, code, instructions, psw, gpr = results[0]
    assert (reason, code) == (cpu_module.EXIT_PROGRAM, 4)
    assert instructions == 1 + count + 1  # the LR, the instructions, the fetch at 0
    assert gpr[1] == (1 if last.startswith("41") else 0)  # AR 1,13 at 0 not run
