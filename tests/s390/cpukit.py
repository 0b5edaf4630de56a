"""Helpers shared by the CPU tests: a random machine running a timer program."""

from __future__ import annotations

import os
import random

from s390 import lowcore as lc

SENTINEL = b"\xff" * 8  # no stored old PSW looks like this (interruption code FFFF)


PROGRAM = 0x200


CKC_AT, CR0_AT, WAIT_AT, CPT_AT = 0x300, 0x308, 0x310, 0x320


EXTERNAL_MASK = 0x01  # PSW bit 7


def random_wait_psw(rng) -> bytes:
    psw = bytearray(8)
    psw[0] = rng.choice([0x00, EXTERNAL_MASK, 0xFF, 0xFE, rng.getrandbits(8)])
    ec = rng.random() < 0.5
    psw[1] = (0x08 if ec else 0) | (0x02 if rng.random() < 0.85 else 0) | (rng.getrandbits(4) << 4)
    psw[4:8] = (PROGRAM + 0x40).to_bytes(4, "big")
    return bytes(psw)


def random_new_psw(rng, wait: bytes) -> bytes:
    return rng.choice(
        [
            wait,  # back into the same enabled wait
            bytes.fromhex("000200000000EEEE"),  # a disabled wait
            PROGRAM.to_bytes(8, "big"),  # rerun the program: set timers, wait
            random_wait_psw(rng),
            bytes(rng.getrandbits(8) for _ in range(8)),  # garbage: specification exceptions
        ]
    )


def random_cr0(rng) -> int:
    cr0 = rng.getrandbits(32) if rng.random() < 0.3 else 0
    for bit_mask in (0x800, 0x400, 0x80):  # clock comparator, CPU timer, interval timer
        if rng.random() < 0.5:
            cr0 |= bit_mask
    return cr0


def random_timer64(rng) -> int:
    return rng.choice(
        [
            0,
            1,
            0xFFFFFFFFFFFFFFFF,
            0x7FFFFFFFFFFFFFFF,
            0x8000000000000000,
            rng.getrandbits(64),
            rng.getrandbits(20),
            rng.getrandbits(40),
        ]
    )


def random_machine(mod, seed: int):
    rng = random.Random(seed)
    cpu = mod.CPU(storage_size=1 << 16)
    cpu.interval_timer_on = rng.random() < 0.7
    m = cpu.mem
    wait = random_wait_psw(rng)
    m[lc.INTERVAL_TIMER : lc.INTERVAL_TIMER + 4] = rng.choice(
        [0, 0xFFFFFF00, 0x80000000, 0x7FFFFFFF, rng.getrandbits(32), rng.getrandbits(12)]
    ).to_bytes(4, "big")
    for slot in (lc.EXTERNAL_NEW_PSW, lc.PROGRAM_NEW_PSW, lc.SVC_NEW_PSW, lc.IO_NEW_PSW):
        m[slot : slot + 8] = random_new_psw(rng, wait)
    m[lc.EXTERNAL_OLD_PSW : lc.EXTERNAL_OLD_PSW + 8] = SENTINEL
    m[CKC_AT : CKC_AT + 8] = random_timer64(rng).to_bytes(8, "big")
    m[CPT_AT : CPT_AT + 8] = random_timer64(rng).to_bytes(8, "big")
    m[CR0_AT : CR0_AT + 4] = random_cr0(rng).to_bytes(4, "big")
    m[WAIT_AT : WAIT_AT + 8] = wait
    # SCKC X'300'; SPT X'320'; LCTL 0,0,X'308'; LPSW X'310'
    code = bytes.fromhex("B2060300 B2080320 B7000308 82000310".replace(" ", ""))
    m[PROGRAM : PROGRAM + len(code)] = code
    m[PROGRAM + 0x40 : PROGRAM + 0x44] = bytes.fromhex("47F00200")  # BC 15,X'200' if not a wait
    cpu.load_psw(PROGRAM.to_bytes(8, "big"))
    return cpu


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
