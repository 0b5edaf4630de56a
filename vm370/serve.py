"""``vm370 serve``: run the system headless with a TN3270 server.

    vm370 serve [--system DIR] [--host H] [--port P] [--tls-cert F --tls-key F]
                [--forward [BINDADDR:]HOSTPORT=USERID:PORT ...]

Listens on the loopback address (127.0.0.1) unless ``--host`` says otherwise,
on port 3270 unless ``--port`` says otherwise (``--port 0`` picks a free
one).  The line ``VM370 TN3270 SERVER LISTENING ON host:port`` tells where.
The system (a ``vm370.lifecycle.RunningSystem``) runs until SIGINT/SIGTERM
or CP's SHUTDOWN command; a signal shuts it down as SHUTDOWN does (every
user logged off, spool files and minidisks closed, DMKCPI961W SYSTEM
SHUTDOWN COMPLETE), whatever the guests are doing.  One process runs a
system directory at a time (log/system.lock); decks that ``vm370 punch`` or
``vm370 batch`` put into its spool from outside reach the readers.

``--forward 8080=WEBSRV:80`` (repeatable) forwards a host port to a guest
through a LAN's gateway (cp.gateway.forward; docs/lan.md, "Gateway"); the
line ``VM370 FORWARD 127.0.0.1:8080 -> WEBSRV port 80`` says it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    from cp.gateway.spec import add_forward_option
    from cp.tn3270 import DEFAULT_HOST, DEFAULT_PORT

    parser = argparse.ArgumentParser(
        prog="vm370 serve", description="run the system headless with a TN3270 server"
    )
    parser.add_argument("--system", metavar="DIR", help="system directory (default ~/.vm370)")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, loopback only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free port)",
    )
    parser.add_argument("--tls-cert", metavar="FILE", help="TLS certificate (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", help="TLS private key (PEM)")
    parser.add_argument(
        "--more-seconds",
        type=float,
        default=60.0,
        help="seconds before a MORE... screen is cleared (default 60)",
    )
    add_safeguard_options(parser)
    add_forward_option(parser)
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
    parser.add_argument(
        "--logon-timeout",
        type=float,
        default=LOGON_TIMEOUT_SECONDS,
        help="seconds a display may stay at the logon screen "
        f"(default {LOGON_TIMEOUT_SECONDS:g}; 0: no limit)",
    )
    parser.add_argument(
        "--max-pending",
        type=int,
        default=MAX_PENDING_PER_ADDRESS,
        help="connections not logged on one client address may hold "
        f"(default {MAX_PENDING_PER_ADDRESS}; 0: no limit)",
    )
    parser.add_argument(
        "--password-limit",
        type=int,
        default=policy.limit,
        help=f"wrong LOGON (or LINK) passwords that disable a user id (default {policy.limit})",
    )
    parser.add_argument(
        "--lockout-minutes",
        type=float,
        default=policy.lockout_seconds / 60,
        help=f"how long (default {policy.lockout_seconds / 60:g})",
    )


def safeguards_of(args):
    """The System's Safeguards from the command line."""
    from cp.security import GuessPolicy, Safeguards

    seconds = args.lockout_minutes * 60
    return Safeguards(
        logon=GuessPolicy(limit=args.password_limit, lockout_seconds=seconds),
        link=GuessPolicy(limit=args.password_limit, lockout_seconds=seconds),
    )


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
    from cp.tn3270 import TN3270Server
    from vm370.lifecycle import RunningSystem, default_users, start_or_explain

    running = RunningSystem(args.system, safeguards=safeguards_of(args))
    system = start_or_explain(running)
    if system is None:
        return 1
    if running.first_start:
        print(f"A new system was created in {running.sysdir}. Its users:")
        for userid, password in default_users(system):
            print(f"    LOGON {userid:<9} password {password}")
    # Before anything awaits: a gateway --forward starts hears the guests
    # the system autologged announce themselves.
    if not await forwards_or_explain(system, getattr(args, "forward", [])):
        running.close()
        return 1
    server = TN3270Server(
        system,
        args.host,
        args.port,
        ssl_context=context,
        more_seconds=args.more_seconds,
        logon_timeout=args.logon_timeout or None,
        max_pending_per_address=args.max_pending or None,
    )
    try:
        port = await server.start()
    except OSError as why:
        print(
            f"vm370 serve: cannot listen on {args.host}:{args.port}: {why.strerror or why}",
            file=sys.stderr,
        )
        running.close()
        return 1
    scheme = "TLS " if context else ""
    print(f"VM370 TN3270 {scheme}SERVER LISTENING ON {args.host}:{port}", flush=True)
    await running.wait()
    await server.close()
    running.shutdown(print)
    running.close()
    await end_remaining_tasks(TASK_GRACE_SECONDS)
    print("VM370 TN3270 SERVER ENDED", flush=True)
    if exit_guard:
        exit_even_if_stuck(EXIT_GRACE_SECONDS)
    return 0


async def forwards_or_explain(system, specs) -> bool:
    """Start the ``--forward`` port forwards; False after writing to stderr
    why one cannot listen (the system is not to run half forwarded)."""
    from cp.gateway.forward import open_forwards

    errors = await open_forwards(system, specs, say=lambda line: print(line, flush=True))
    for line in errors:
        print(line, file=sys.stderr)
    return not errors


#: After the shutdown: seconds the guests' cancelled tasks get to end, and
#: seconds after which the process ends even if one of them does not.
TASK_GRACE_SECONDS = 5.0
EXIT_GRACE_SECONDS = 10.0


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
