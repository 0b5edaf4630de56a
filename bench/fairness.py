"""Fairness benchmark: how fast an interactive VM answers while another VM loops.

    python -m bench.fairness [--samples N] [--slice INSTRUCTIONS]

Two S/370 guests are IPLed from their virtual readers on one System:

* ECHOER reads a console line (3215 READ) and writes it back, for ever;
* LOOPER loops for ever over a few register, storage and branch
  instructions (a VM that never waits).

The figure is the latency from the user's ENTER (a terminal callback on the
event loop, as a TN3270 or Textual console delivers it) to the echoed line
on the terminal, measured first with ECHOER alone, then with LOOPER
spinning, together with the instructions per second LOOPER got meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from cp.directory import parse
from cp.system import System
from cp.terminal import LineTerminal

ECHO_PROGRAM = """\
ECHO     CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW
LOOP     LA    3,CCWREAD
         BAL   14,DOIO
         LA    3,CCWWRITE
         BAL   14,DOIO
         B     LOOP
DOIO     ST    3,72(0)
         SIO   9(0)
         LPSW  WAITPSW
AFTERIO  BR    14
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
CCWREAD  CCW   X'0A',LINE,X'20',40
CCWWRITE CCW   X'09',LINE,X'20',40
LINE     DC    CL40' '
         END   ECHO
"""

#: A loop that never waits, with a mix of register, storage and branch work.
LOOP_PROGRAM = """\
SPIN     CSECT
         BALR  12,0
         USING *,12
LOOP     LA    3,1(3)
         ST    3,COUNT
         L     4,COUNT
         AR    4,3
         MVC   BUF(8),BUF+8
         CLC   BUF(4),BUF+4
         B     LOOP
COUNT    DS    F
BUF      DC    XL16'00'
         END   SPIN
"""

DIRECT = """\
USER ECHOER PW 1M 1M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
USER LOOPER PW 1M 1M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
USER LOOPER2 PW 1M 1M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
"""


def deck(source: str) -> list[bytes]:
    # The assembler is loaded only when a deck is built (a benchmark run), not with the module.
    from s390.asm import assemble
    from s390.asm.ipldeck import build_ipl_deck

    result = assemble(source)
    if result.rc:
        raise RuntimeError("\n".join(result.listing))
    return build_ipl_deck([result.deck]).cards


def start(system: System, userid: str, source: str):
    """Log ``userid`` on, put the program's IPL deck in its reader and IPL it."""
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in deck(source)], owner=userid)
    terminal = LineTerminal()
    session = system.connect(terminal)
    session.enter(f"LOGON {userid} PW")
    session.enter("IPL 00C")
    return terminal, session


async def echo_latency(terminal, session, samples: int) -> list[float]:
    """Seconds from ENTER (a loop callback) to the echoed line, ``samples`` times."""
    return [seconds for seconds, _ in await echo_rounds(terminal, session, samples)]


async def echo_rounds(terminal, session, samples: int, looper=None) -> list[tuple[float, int]]:
    """(seconds, instructions ``looper`` ran meanwhile) from ENTER (a loop
    callback) to the echoed line, ``samples`` times: the instructions are
    what another VM got while the interactive one waited for its answer."""
    loop = asyncio.get_running_loop()
    rounds = []
    for i in range(samples):
        text = f"PING {i:05d}"  # same length: a short read leaves old bytes behind
        seen = len(terminal.lines)
        started = time.perf_counter()
        before = looper.cpu.instructions if looper is not None else 0
        loop.call_soon(session.enter, text)
        while not any(line.rstrip() == text for line in terminal.lines[seen:]):
            await asyncio.sleep(0)
        ran = looper.cpu.instructions - before if looper is not None else 0
        rounds.append((time.perf_counter() - started, ran))
        await asyncio.sleep(0.002)
    return rounds


def summary(name: str, latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (
        f"{name:<24} median {statistics.median(ms):7.3f} ms   p95 {p95:7.3f} ms"
        f"   max {ms[-1]:7.3f} ms"
    )


async def measure(samples: int, slice_budget: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="vm370-bench-") as tmp:
        system = System(Path(tmp), directory=parse(DIRECT))
        system.dispatcher.slice_budget = slice_budget
        terminal, session = start(system, "ECHOER", ECHO_PROGRAM)
        await asyncio.sleep(0.05)
        alone = await echo_latency(terminal, session, samples)
        start(system, "LOOPER", LOOP_PROGRAM)
        await asyncio.sleep(0.05)
        looper = system.find_user("LOOPER")
        before, t0 = looper.cpu.instructions, time.perf_counter()
        busy = await echo_latency(terminal, session, samples)
        rate = (looper.cpu.instructions - before) / (time.perf_counter() - t0)
        system.shutdown()
    return [
        f"slice {slice_budget} instructions, {samples} samples each",
        summary("echo, alone", alone),
        summary("echo, with a looping VM", busy),
        f"{'looping VM meanwhile':<24} {rate / 1e6:7.2f} million instructions/s",
    ]


async def two_loopers(seconds: float, threaded: bool, slice_budget: int) -> float:
    """Instructions per second of two looping VMs together (threaded: cpu.run
    in worker threads, which only helps if the CPU releases the GIL)."""
    with tempfile.TemporaryDirectory(prefix="vm370-bench-") as tmp:
        system = System(Path(tmp), directory=parse(DIRECT))
        system.dispatcher.threaded = threaded
        system.dispatcher.slice_budget = slice_budget
        start(system, "LOOPER", LOOP_PROGRAM)
        start(system, "LOOPER2", LOOP_PROGRAM)
        vms = [system.find_user("LOOPER"), system.find_user("LOOPER2")]
        await asyncio.sleep(0.05)
        before, t0 = sum(vm.cpu.instructions for vm in vms), time.perf_counter()
        await asyncio.sleep(seconds)
        rate = (sum(vm.cpu.instructions for vm in vms) - before) / (time.perf_counter() - t0)
        system.shutdown()
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fairness", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--slice", type=int, default=20000, help="dispatcher slice in instructions")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="also compare two looping VMs with and without worker threads",
    )
    args = parser.parse_args(argv)
    for line in asyncio.run(measure(args.samples, args.slice)):
        print(line)
    if args.threads:
        for threaded in (False, True):
            rate = asyncio.run(two_loopers(1.0, threaded, args.slice))
            mode = "worker threads" if threaded else "event loop only"
            print(f"two looping VMs, {mode:<15} {rate / 1e6:7.2f} million instructions/s together")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
