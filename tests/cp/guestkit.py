"""Helpers for tests that IPL a standalone S/370 program (assembled with
s390.asm) from the virtual reader of a logged-on user and drive it with CP
commands (BEGIN, TRACE, ADSTOP, DISPLAY) from a line terminal."""
from __future__ import annotations

import asyncio

from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from s390.ebcdic import to_ebcdic
from tests.cp.cpkit import command, logon, make_system

GUEST_DIRECT = """\
USER GUEST GUESTPW 1M 2M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
"""


def ipl_deck(source: str) -> list[bytes]:
    assert all(len(x) <= 71 for x in source.splitlines()), "column 72 would make a continuation"
    result = assemble(source)
    assert result.rc == 0, "\n".join(result.listing)
    return build_ipl_deck([result.deck]).cards


def card(text: str) -> bytes:
    return to_ebcdic(text.ljust(80))


def ipled(tmp_path, source: str, data=(), direct: str = GUEST_DIRECT):
    """A system whose GUEST has ``source`` IPLed with STOP (BEGIN starts it);
    returns (system, vm, terminal, session)."""
    system = make_system(tmp_path, direct)
    deck = ipl_deck(source) + [card(t) for t in data]
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck], owner="GUEST")
    terminal, session = logon(system, "GUEST")
    command(session, terminal, "IPL 00C STOP")
    return system, system.find_user("GUEST"), terminal, session


async def wait_stopped(vm, timeout: float = 10.0) -> None:
    """Until CP has the VM (CP READ): a disabled wait, a TRACE or ADSTOP stop."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while vm.running and loop.time() < end:
        await asyncio.sleep(0.001)
    assert not vm.running, "the guest did not stop"


def machine_state(vm, skip=()) -> dict:
    """What a program computed: PSW, registers, storage (minus ``skip``
    ranges, e.g. the interval timer at X'50' that counts real time)."""
    cpu = vm.cpu
    mem = bytearray(cpu.mem)
    for start, end in skip:
        mem[start:end] = bytes(end - start)
    return {"psw": cpu.get_psw().hex(), "gpr": list(cpu.gpr), "fpr": list(cpu.fpr),
            "mem": bytes(mem)}
