"""Memory soak: users log on, DEFINE STORAGE 16M, IPL CMS and log off, over
and over, on one System with CMS; the resident set size before and after
tells whether logged-off virtual machines are freed.

    python -m bench.soak [--cycles 500] [--users 10] [--storage 16M] [--system DIR]

The users (SOAK01, SOAK02, ...) are added to the default directory of a new
system directory (a temporary one unless --system is given) and work at the
same time, each through its own line terminal, as many people at their
terminals would.  The baseline RSS is taken after one warm-up cycle per user
(CMS's modules and caches loaded); the figures after the run are taken with
nobody but the autologged CMSBATCH logged on, first as left by reference
counting, then after a full cycle collection: the two should be equal.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from pathlib import Path

PAGE = 4096


def rss_mb() -> float:
    """This process's resident set size in megabytes (/proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / (1 << 20)


def soak_directory(users: int) -> str:
    """The default directory plus ``users`` CMS users with small A-disks."""
    from cp.sysdir import embedded_directory_text

    text = embedded_directory_text().rstrip("\n") + "\n"
    for n in range(1, users + 1):
        userid = f"SOAK{n:02d}"
        text += (
            f"USER {userid} {userid} 4M 16M G\n IPL CMS\n CONSOLE 009 3215\n"
            " SPOOL 00C 2540 READER *\n SPOOL 00D 2540 PUNCH A\n SPOOL 00E 1403 A\n"
            " LINK MAINT 190 190 RR\n LINK MAINT 19E 19E RR\n"
            f" MDISK 191 3370 {30000 + 200 * n} 200 VMPK01 MR\n"
        )
    return text


async def until(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the soak's user did not get there in time")
        await asyncio.sleep(0.005)


async def one_cycle(system, userid: str, storage: str) -> None:
    """LOGON (the directory's IPL CMS), DEFINE STORAGE, IPL CMS, LOGOFF."""
    from cp.terminal import LineTerminal

    terminal = LineTerminal()
    session = system.connect(terminal)
    session.enter(f"LOGON {userid} {userid}")
    await until(lambda: terminal.status == "VM READ")
    session.enter(f"CP DEFINE STORAGE {storage}")
    await until(lambda: terminal.status == "CP READ")
    session.enter("IPL CMS")
    await until(lambda: terminal.status == "VM READ")
    session.enter("CP LOGOFF")
    await until(lambda: system.find_user(userid) is None)


async def user_cycles(system, userid: str, cycles: int, storage: str) -> None:
    for _ in range(cycles):
        await one_cycle(system, userid, storage)


def live_machines() -> int:
    from cp.vm import VirtualMachine

    return sum(1 for o in gc.get_objects() if type(o) is VirtualMachine)


async def soak(sysdir: Path, cycles: int, users: int, storage: str) -> dict:
    from vm370.boot import make_system

    sysdir.mkdir(parents=True, exist_ok=True)
    if not (sysdir / "user.direct").exists():
        (sysdir / "user.direct").write_text(soak_directory(users))
    system = make_system(sysdir, logon_delay=0.0)
    userids = [f"SOAK{n:02d}" for n in range(1, users + 1)]
    await asyncio.gather(*(one_cycle(system, u, storage) for u in userids))  # warm-up
    await asyncio.sleep(0.1)
    before = rss_mb()
    started = time.monotonic()
    per_user, extra = divmod(cycles, users)
    await asyncio.gather(
        *(user_cycles(system, u, per_user + (i < extra), storage) for i, u in enumerate(userids))
    )
    seconds = time.monotonic() - started
    await asyncio.sleep(0.1)
    after = rss_mb()
    machines = live_machines()
    logged_on = sorted(system.users)
    gc.collect()
    after_gc = rss_mb()
    system.shutdown()
    return {
        "cycles": cycles,
        "users": users,
        "storage": storage,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "rss_after_gc_mb": round(after_gc, 1),
        "live_vms_after": machines,
        "logged_on_after": logged_on,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--cycles", type=int, default=500, help="LOGON..LOGOFF cycles in all")
    parser.add_argument("--users", type=int, default=10, help="users working at once (max 99)")
    parser.add_argument("--storage", default="16M", help="DEFINE STORAGE size (default 16M)")
    parser.add_argument(
        "--system", metavar="DIR", help="system directory (default: a new temporary one)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 99:
        parser.error("--users must be between 1 and 99")
    with tempfile.TemporaryDirectory(prefix="vm370-soak-") as tmp:
        sysdir = Path(args.system) if args.system else Path(tmp) / "sys"
        result = asyncio.run(soak(sysdir, args.cycles, args.users, args.storage))
    print(
        f"{result['cycles']} cycles of LOGON, DEFINE STORAGE {result['storage']}, IPL CMS, LOGOFF"
        f" by {result['users']} users in {result['seconds']} s"
    )
    print(
        f"RSS before: {result['rss_before_mb']} MB   after: {result['rss_after_mb']} MB"
        f"   after a full gc: {result['rss_after_gc_mb']} MB"
    )
    print(
        f"VirtualMachine objects alive after the run: {result['live_vms_after']}"
        f" (logged on: {', '.join(result['logged_on_after']) or 'nobody'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
