"""``vm370 serve``: run the system headless with a TN3270 server.

    vm370 serve [--system DIR] [--host H] [--port P] [--tls-cert F --tls-key F]

Listens on the loopback address (127.0.0.1) unless ``--host`` says otherwise,
on port 3270 unless ``--port`` says otherwise (``--port 0`` picks a free
one).  The line ``VM370 TN3270 SERVER LISTENING ON host:port`` tells where.
The system runs until SIGINT/SIGTERM or CP's SHUTDOWN command; a signal
shuts it down as SHUTDOWN does (every user logged off, spool files and
minidisks closed, DMKCPI961W SYSTEM SHUTDOWN COMPLETE), whatever the guests
are doing.  One process runs a system
directory at a time (log/system.lock); decks that ``vm370 punch`` or
``vm370 batch`` put into its spool from outside reach the readers.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import signal
import ssl
import sys
from pathlib import Path

SHUTDOWN_POLL_SECONDS = 0.5


def default_users(system) -> list[tuple[str, str]]:
    """(userid, password) of the directory users whose password is written in
    the clear: what a new user needs to log on the first time."""
    from cp.passwords import is_hashed
    users = getattr(getattr(system, "directory", None), "users", {}) or {}
    return [(u.userid, u.password) for u in users.values()
            if not u.nolog and not is_hashed(u.password)]


LOCK_FILE = Path("log") / "system.lock"


class SystemRunning(Exception):
    """Another process runs the system in this directory; the text says which."""


def claim_system_dir(sysdir: Path):
    """Hold the system directory for this process (an exclusive lock on
    log/system.lock, released when the process ends): two processes on one
    directory would write the same minidisk images.  Returns the open lock
    file to keep; raises SystemRunning with the other process's id."""
    import fcntl
    import os

    from cp.security import open_private, private_dir
    path = sysdir / LOCK_FILE
    private_dir(path.parent)
    handle = os.fdopen(open_private(path, os.O_RDWR | os.O_CREAT | os.O_APPEND), "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise SystemRunning(f"the system in {sysdir} is already running (process {owner})") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def start_services(system) -> None:
    """What the entry points add to vm370.boot.make_system (which installs
    the CMS system disks and autologs CMSBATCH): decks another process puts
    into the spool are announced to their receivers."""
    announce_outside_files(system)


def announce_outside_files(system) -> None:
    """Files another process puts into the spool (``vm370 punch`` into a
    running system) arrive as a punched file does: a waiting reader is told
    (the spool's arrival hooks) and the receiver gets CP's RDR FILE message,
    whoever's rescan finds them first."""
    from cp.devices.unitrecord import arrival_notice

    def tell_receiver(sf) -> None:
        if sf.queue == "RDR":
            system.notify(sf.owner, arrival_notice(sf))
    system.spool.outside_hooks.append(tell_receiver)


def pick_up_outside_files(system) -> None:
    """Look for files another process put into the spool (see above), and
    clear away what one that died while writing left (Spool.sweep_orphans)."""
    spool = getattr(system, "spool", None)
    if spool is not None:
        spool.sweep_orphans()
        spool.rescan()


def open_system(make_system, sysdir: Path):
    """(system, lock): the system on ``sysdir`` with its services started and
    the directory's lock, which the caller keeps while the system runs; or
    (None, None) after printing why it cannot start (a refused USER DIRECT
    shows its DMKDIR messages; a directory another process runs is named)."""
    from cp.directory import DirectoryError
    lock = None
    try:
        lock = claim_system_dir(sysdir)
        system = make_system(sysdir)
        start_services(system)
        return system, lock
    except DirectoryError as err:
        for line in err.errors:
            print(line, file=sys.stderr)
    except SystemRunning as err:
        print(f"vm370: {err}", file=sys.stderr)
    except OSError as err:
        print(f"vm370: cannot use the system directory {sysdir}: {err.strerror or err}",
              file=sys.stderr)
    if lock is not None:
        lock.close()
    return None, None


def parse_args(argv: list[str]) -> argparse.Namespace:
    from cp.tn3270 import DEFAULT_HOST, DEFAULT_PORT
    parser = argparse.ArgumentParser(prog="vm370 serve",
                                     description="run the system headless with a TN3270 server")
    parser.add_argument("--system", metavar="DIR", help="system directory (default ~/.vm370)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}, loopback only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free port)")
    parser.add_argument("--tls-cert", metavar="FILE", help="TLS certificate (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", help="TLS private key (PEM)")
    parser.add_argument("--more-seconds", type=float, default=60.0,
                        help="seconds before a MORE... screen is cleared (default 60)")
    add_safeguard_options(parser)
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if not 0 <= args.port <= 65535:
        parser.error(f"port {args.port} is not between 0 and 65535")
    return args


def add_safeguard_options(parser: argparse.ArgumentParser) -> None:
    """The options against password guessing and idle logon screens (cp.security)."""
    from cp.security import GuessPolicy
    from cp.tn3270 import LOGON_TIMEOUT_SECONDS, MAX_PENDING_PER_ADDRESS
    policy = GuessPolicy()
    parser.add_argument("--logon-timeout", type=float, default=LOGON_TIMEOUT_SECONDS,
                        help="seconds a display may stay at the logon screen "
                             f"(default {LOGON_TIMEOUT_SECONDS:g}; 0: no limit)")
    parser.add_argument("--max-pending", type=int, default=MAX_PENDING_PER_ADDRESS,
                        help="connections not logged on one client address may hold "
                             f"(default {MAX_PENDING_PER_ADDRESS}; 0: no limit)")
    parser.add_argument("--password-limit", type=int, default=policy.limit,
                        help="wrong LOGON (or LINK) passwords that disable a user id "
                             f"(default {policy.limit})")
    parser.add_argument("--lockout-minutes", type=float, default=policy.lockout_seconds / 60,
                        help=f"how long (default {policy.lockout_seconds / 60:g})")


def safeguards_of(args):
    """The System's Safeguards from the command line."""
    from cp.security import GuessPolicy, Safeguards
    seconds = args.lockout_minutes * 60
    return Safeguards(logon=GuessPolicy(limit=args.password_limit, lockout_seconds=seconds),
                      link=GuessPolicy(limit=args.password_limit, lockout_seconds=seconds))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    from cp.tn3270 import tls_context
    context = None
    if args.tls_cert:
        try:
            context = tls_context(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as why:
            print(f"vm370 serve: cannot use the TLS certificate and key: {why}", file=sys.stderr)
            return 1
    try:
        return asyncio.run(serve(args, context, exit_guard=True))
    except KeyboardInterrupt:
        return 0


async def serve(args: argparse.Namespace, context, exit_guard: bool = False) -> int:
    """Run the system and its TN3270 server until a signal or SHUTDOWN.
    ``exit_guard`` is for the ``vm370 serve`` process itself (main): it ends
    the process should a task hold it after the shutdown.  Code that runs
    serve inside a larger process leaves it off."""
    from cp.sysdir import DIRECTORY_FILE, default_path
    from cp.tn3270 import TN3270Server
    from vm370.boot import make_system
    sysdir = Path(args.system) if args.system else default_path()
    first_start = not (sysdir / DIRECTORY_FILE).exists()
    system, lock = open_system(functools.partial(make_system, safeguards=safeguards_of(args)),
                               sysdir)
    if system is None:
        return 1
    if first_start:
        print(f"A new system was created in {sysdir}. Its users:")
        for userid, password in default_users(system):
            print(f"    LOGON {userid:<9} password {password}")
    server = TN3270Server(system, args.host, args.port, ssl_context=context,
                          more_seconds=args.more_seconds,
                          logon_timeout=args.logon_timeout or None,
                          max_pending_per_address=args.max_pending or None)
    try:
        port = await server.start()
    except OSError as why:
        print(f"vm370 serve: cannot listen on {args.host}:{args.port}: {why.strerror or why}",
              file=sys.stderr)
        system.shutdown()
        lock.close()
        return 1
    scheme = "TLS " if context else ""
    stop = asyncio.Event()
    signals = install_shutdown_signals(asyncio.get_running_loop(), stop)
    print(f"VM370 TN3270 {scheme}SERVER LISTENING ON {args.host}:{port}", flush=True)
    while not stop.is_set() and not getattr(system, "shut_down", False):
        pick_up_outside_files(system)
        try:
            await asyncio.wait_for(stop.wait(), SHUTDOWN_POLL_SECONDS)
        except TimeoutError:
            pass
    await server.close()
    shut_down_system(system, print, signals[0] if signals else None)
    lock.close()
    await end_remaining_tasks(TASK_GRACE_SECONDS)
    print("VM370 TN3270 SERVER ENDED", flush=True)
    if exit_guard:
        exit_even_if_stuck(EXIT_GRACE_SECONDS)
    return 0


#: After the shutdown: seconds the guests' cancelled tasks get to end, and
#: seconds after which the process ends even if one of them does not.
TASK_GRACE_SECONDS = 5.0
EXIT_GRACE_SECONDS = 10.0


def install_shutdown_signals(loop, stop: asyncio.Event) -> list[str]:
    """SIGINT and SIGTERM shut the system down, through the event loop (the
    dispatcher gives it a turn between every two guest slices, so a guest
    in a loop does not keep the signal out).  Returns the list the names of
    the signals received are appended to."""
    received: list[str] = []

    def on_signal(sig: signal.Signals) -> None:
        received.append(sig.name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
        except (NotImplementedError, RuntimeError):    # not the main thread / no signals
            pass
    return received


def shut_down_system(system, say, why: str | None = None) -> None:
    """End the system as the operator's SHUTDOWN does, unless it has ended
    already: every user logged off (spool files and minidisks closed), the
    spool closed, and the operator's messages (DMKCKP960I, DMKCPI961W) told
    through ``say``."""
    if system.shut_down:
        return
    if why:
        system.log(f"{why} RECEIVED")
    system.shutdown(announce=say)


async def end_remaining_tasks(grace: float) -> None:
    """Cancel what still runs on the loop (guests' tasks the shutdown
    cancelled, terminal sessions) and give it ``grace`` seconds to end."""
    current = asyncio.current_task()
    others = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in others:
        task.cancel()
    if others:
        await asyncio.wait(others, timeout=grace)


def exit_even_if_stuck(grace: float) -> None:
    """The system is shut down and its files are closed; should a task that
    ignores cancellation hold the process at asyncio's exit, end it anyway
    after ``grace`` seconds (a daemon timer: a normal exit does not wait)."""
    import os
    import threading
    sys.stdout.flush()
    timer = threading.Timer(grace, os._exit, args=(0,))
    timer.daemon = True
    timer.start()
