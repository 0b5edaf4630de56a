"""CP control of a running guest: speed untraced and traced, and how fast
CP's stops take hold.

    python -m bench.trace_control [--seconds S]

An S/370 guest (a loop of LA and a taken branch) is IPLed from the virtual
reader of a user at a line terminal, then measured:

* untraced: guest instructions per second (the dispatcher's own cost);
* TRACE BRANCH RUN: trace lines per second on a line terminal;
* PA1 while traced: instructions the guest executes after the break (0 is
  the goal: the VM is in CP READ before its next slice);
* 3270 output held: instructions executed and lines queued while the
  console shows MORE... (0 and at most a screenful are the goal).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from cp import ds3270 as ds
from cp.console3270 import Console3270
from cp.system import System
from cp.terminal import LineTerminal
from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from tui.screen import Screen

DIRECT = "USER GUEST GUESTPW 1M 2M G\n CONSOLE 009 3215\n SPOOL 00C 2540 READER *\n"
LOOP = """\
LOOPS    CSECT
         BALR  12,0
         USING *,12
AGAIN    LA    3,1(3)
         B     AGAIN
         END   LOOPS
"""


def guest(path: Path) -> System:
    (path / "user.direct").write_text(DIRECT)
    system = System(path, logon_delay=0.0)
    cards = build_ipl_deck([assemble(LOOP).deck]).cards
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in cards], owner="GUEST")
    return system


async def line_user(path: Path):
    system = guest(path)
    terminal = LineTerminal()
    session = system.connect(terminal)
    session.enter("LOGON GUEST GUESTPW")
    session.enter("IPL 00C STOP")
    return system, terminal, session, system.find_user("GUEST")


async def untraced(path: Path, seconds: float) -> float:
    system, _, session, vm = await line_user(path)
    session.enter("BEGIN")
    await asyncio.sleep(0.2)
    start, t0 = vm.cpu.instructions, time.perf_counter()
    await asyncio.sleep(seconds)
    rate = (vm.cpu.instructions - start) / (time.perf_counter() - t0)
    system.shutdown()
    return rate


async def traced(path: Path, seconds: float) -> tuple[float, int]:
    system, terminal, session, vm = await line_user(path)
    session.enter("TRACE BRANCH RUN")
    session.enter("BEGIN")
    await asyncio.sleep(0.2)
    start, t0 = len(terminal.lines), time.perf_counter()
    await asyncio.sleep(seconds)
    rate = (len(terminal.lines) - start) / (time.perf_counter() - t0)
    session.attention()
    stopped_at = vm.cpu.instructions
    await asyncio.sleep(0.5)
    after = vm.cpu.instructions - stopped_at
    system.shutdown()
    return rate, after


async def held_3270(path: Path) -> tuple[int, int]:
    system = guest(path)
    screen = Screen(model=2)

    def show(record):
        reply = screen.process(record)
        if reply:
            console.receive(reply)

    def enter(text):
        screen.home()
        screen.erase_eof()
        screen.type_text(text)
        console.receive(screen.aid(ds.AID_ENTER))

    console = Console3270(system, show, size=ds.MODEL_SIZES[2], address="B01")
    console.start()
    enter("LOGON GUEST GUESTPW")
    console.receive(screen.aid(ds.AID_CLEAR))
    for line in ("IPL 00C STOP", "TRACE BRANCH RUN", "BEGIN"):
        enter(line)
    vm = system.find_user("GUEST")
    while console.hold is None:
        await asyncio.sleep(0.01)
    start = vm.cpu.instructions
    await asyncio.sleep(1.0)
    result = vm.cpu.instructions - start, len(console.pending)
    system.shutdown()
    return result


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("a", "b", "c"):
            (base / name).mkdir()
        rate = await untraced(base / "a", seconds)
        print(f"untraced guest:            {rate / 1e6:8.2f} M instructions/s")
        lines, after = await traced(base / "b", seconds)
        print(f"TRACE BRANCH RUN:          {lines:8.0f} trace lines/s (line terminal)")
        print(f"after PA1:                 {after:8d} instructions executed")
        ran, queued = await held_3270(base / "c")
        print(f"3270 in MORE... for 1 s:   {ran:8d} instructions, {queued} lines queued")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    asyncio.run(main(parser.parse_args().seconds))
