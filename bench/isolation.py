"""Isolation: how fast does CP answer one user while N others loop?

    python -m bench.isolation                       # N = 1, 4, 8; 40 samples each
    python -m bench.isolation --users 8 --samples 100 --kinds REXX EXEC1

For each kind of loop (a REXX ``do forever``, an EXEC 1 ``&GOTO`` loop, an
S/370 ``B *`` IPLed from the reader, and the same program under ``TRACE
BRANCH RUN``) and each N, N users start the loop and one more user, at CMS's
VM READ, types ``CP QUERY TIME`` again and again.  The response time is from
ENTER to the ``TIME IS`` line on that user's terminal, measured inside the
process on CP's own event loop (a TN3270 client adds the network's time).
The report gives the median and the 95th percentile in milliseconds and the
virtual CPU the loopers were charged, per kind and N.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.kit import cms_directory
from cp.terminal import LineTerminal
from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from vm370.boot import make_system

KINDS = ("REXX", "EXEC1", "S370", "TRACE")
EXECS = {
    "REXX": ["/* */", "do forever", "  x = 1", "end"],
    "EXEC1": ["&X = 0", "-TOP", "&X = &X + 1", "&GOTO -TOP"],
}
LOOP_SOURCE = """\
LOOP     CSECT
         BALR  12,0
         USING *,12
TOP      LA    1,1(1)
         B     TOP
         END   LOOP
"""


def direct(users: int) -> str:
    return cms_directory([f"USER{n:02d}" for n in range(users + 1)], 200)


class TimedTerminal(LineTerminal):
    """A line terminal that wakes a waiter when a line starting with ``awaited`` arrives."""

    def __init__(self):
        super().__init__()
        self.awaited: tuple[str, asyncio.Future] | None = None

    def put_line(self, text: str, alarm: bool = False) -> None:
        if len(self.lines) > 2000:
            del self.lines[:1000]  # loopers' trace output is not kept
        super().put_line(text, alarm)
        if self.awaited is not None and text.startswith(self.awaited[0]):
            prefix, future = self.awaited
            self.awaited = None
            if not future.done():
                future.set_result(time.perf_counter())


class User:
    def __init__(self, system, userid: str):
        self.terminal = TimedTerminal()
        self.session = system.connect(self.terminal)
        self.userid = userid
        self.session.enter(f"LOGON {userid} {userid}")

    async def type(self, line: str, until: str = "Ready", timeout: float = 30.0) -> float:
        future = asyncio.get_running_loop().create_future()
        self.terminal.awaited = (until, future)
        started = time.perf_counter()
        self.session.enter(line)
        return (await asyncio.wait_for(future, timeout)) - started

    async def cms(self) -> None:
        deadline = time.perf_counter() + 30
        while not any(x.startswith("VM/370 CMS") for x in self.terminal.lines):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.userid}: CMS did not start")
            await asyncio.sleep(0.01)
        await self.type("ACCESS (NOPROF")


async def start_loop(system, user: User, kind: str, deck: list[bytes]) -> None:
    if kind in EXECS:
        await user.type("ERASE SPIN EXEC A")
        for line in EXECS[kind]:
            await user.type(f"EXECIO 1 DISKW SPIN EXEC A1 0 V 80 (STRING {line}")
        user.session.enter("SPIN")
        return
    system.spool.add_closed(
        "SYSTEM",
        "PUN",
        [(0x01, c) for c in deck],
        owner=user.userid,
        cls="A",
        name="LOOP",
        ftype="DECK",
    )
    if kind == "TRACE":
        await user.type("CP TRACE BRANCH RUN")
    user.session.enter("CP IPL 00C CLEAR")


async def measure(kind: str, loopers: int, samples: int, deck) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "user.direct").write_text(direct(loopers))
        (path / "user.direct").chmod(0o600)
        system = make_system(path, logon_delay=0.0)
        try:
            users = [User(system, f"USER{n:02d}") for n in range(loopers + 1)]
            for user in users:
                await user.cms()
            for user in users[1:]:
                await start_loop(system, user, kind, deck)
            await asyncio.sleep(0.5)
            before = sum(system.find_user(u.userid).account.virtual_us for u in users[1:])
            started = time.perf_counter()
            times = []
            for _ in range(samples):
                times.append(await users[0].type("CP QUERY TIME", until="TIME IS") * 1000)
                await asyncio.sleep(0.01)
            elapsed = time.perf_counter() - started
            used = sum(system.find_user(u.userid).account.virtual_us for u in users[1:]) - before
        finally:
            system.shutdown()
    times.sort()
    return {
        "kind": kind,
        "n": loopers,
        "median": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "share": used / 1e6 / elapsed,
    }


def loop_deck() -> list[bytes]:
    return build_ipl_deck([assemble(LOOP_SOURCE).deck]).cards


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.isolation", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    args = parser.parse_args(argv)
    deck = loop_deck()
    print(f"{'loop':6} {'N':>3} {'median ms':>10} {'p95 ms':>8} {'loopers CPU s/s':>16}")
    for kind in args.kinds:
        for n in args.users:
            row = asyncio.run(measure(kind, n, args.samples, deck))
            print(
                f"{row['kind']:6} {row['n']:3d} {row['median']:10.2f} {row['p95']:8.2f} "
                f"{row['share']:16.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
