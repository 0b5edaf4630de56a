"""``python -m bench.users [--users 200] [--burst 50] [--idle 5]``: many users.

Logs ``--burst`` users on at once (each LOGON starts CMS from the
directory's IPL CMS) and times until every one shows CMS's IPL banner (then at VM READ); then
logs the rest on, up to ``--users``, all left idle at CMS's VM READ.
Reports the burst's time, the process's resident memory (and per idle user,
beyond the memory of the system with nobody logged on), and the host CPU
the whole idle system uses over ``--idle`` seconds, as a percentage of one
core.  Everything runs in this process on CP's own event loop, as
``vm370 serve`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.kit import cms_directory
from cp.terminal import LineTerminal
from vm370.boot import install_system_disks, make_system


def direct(users: int) -> str:
    return cms_directory([f"U{n:04d}" for n in range(users)], 20)


def resident_bytes() -> int:
    """VmRSS of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def logon(system, userid: str) -> LineTerminal:
    terminal = LineTerminal()
    session = system.connect(terminal)
    session.enter(f"LOGON {userid} {userid}")
    return terminal


async def until_ready(terminals: list[LineTerminal], timeout: float) -> None:
    """Until every terminal shows CMS's IPL banner (CMS then waits at VM READ)."""
    deadline = time.perf_counter() + timeout
    while True:
        waiting = sum(
            1 for t in terminals if not any(line.startswith("VM/370 CMS") for line in t.lines)
        )
        if not waiting:
            return
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{waiting} users not at VM READ after {timeout} s")
        await asyncio.sleep(0.01)


async def measure(users: int, burst: int, idle: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="vm370-users-") as tmp:
        path = Path(tmp)
        (path / "user.direct").write_text(direct(users))
        (path / "user.direct").chmod(0o600)
        system = make_system(path, logon_delay=0.0)
        install_system_disks(system)
        try:
            await asyncio.sleep(0.2)
            base = resident_bytes()
            started = time.perf_counter()
            terminals = [logon(system, f"U{n:04d}") for n in range(burst)]
            await until_ready(terminals, 300)
            burst_seconds = time.perf_counter() - started
            terminals += [logon(system, f"U{n:04d}") for n in range(burst, users)]
            await until_ready(terminals, 600)
            await asyncio.sleep(1.0)  # let everything settle at VM READ
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await asyncio.sleep(idle)
            idle_share = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
            memory = resident_bytes()
        finally:
            system.shutdown()
    return {
        "burst": burst_seconds,
        "memory": memory,
        "base": base,
        "per_user": (memory - base) / users,
        "idle": idle_share,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.users", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--idle", type=float, default=5.0)
    args = parser.parse_args(argv)
    row = asyncio.run(measure(args.users, min(args.burst, args.users), args.idle))
    print(f"LOGON of {args.burst} users at once, to CMS at VM READ: {row['burst']:.2f} s")
    print(
        f"{args.users} users idle at VM READ: resident memory {row['memory'] / 2**20:.0f} MiB "
        f"({row['per_user'] / 2**20:.2f} MiB per user beyond the empty system's "
        f"{row['base'] / 2**20:.0f} MiB)"
    )
    print(f"idle system host CPU: {row['idle'] * 100:.2f}% of one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
