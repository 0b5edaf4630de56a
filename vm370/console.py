"""``vm370``: start the system and open the Textual 3270 console.

    vm370 [--system DIR] [--model 2|3|4|5] [--forward [BINDADDR:]HOSTPORT=USERID:PORT ...]

The system is a ``vm370.lifecycle.RunningSystem`` (the system directory and
its lock, the standard System, SIGINT/SIGTERM shutting it down as CP's
SHUTDOWN does); ``tui.app.ConsoleApp`` attaches to it and paints.  On first
start the default system directory is created and the user ids and
passwords it holds are shown.  ``--forward`` forwards a host port to a
guest through a LAN's gateway, as ``vm370 serve --forward`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    from cp.gateway.spec import add_forward_option

    parser = argparse.ArgumentParser(prog="vm370", description=__doc__.splitlines()[0])
    parser.add_argument("--system", metavar="DIR", help="system directory (default ~/.vm370)")
    parser.add_argument(
        "--model",
        type=int,
        choices=(2, 3, 4, 5),
        default=2,
        help="3270 model of the console screens (default 2: 24x80)",
    )
    add_forward_option(parser)
    return parser.parse_args(argv)


async def run_console(args: argparse.Namespace) -> int:
    """Start the system, run the console on it until either ends, shut down."""
    from tui.app import ConsoleApp
    from vm370.lifecycle import RunningSystem, default_users, start_or_explain
    from vm370.serve import forwards_or_explain

    running = RunningSystem(args.system)
    system = start_or_explain(running)
    if system is None:
        return 1
    if not await forwards_or_explain(system, args.forward):
        running.close()
        return 1
    try:
        app = ConsoleApp(
            system,
            lifecycle=running,
            model=args.model,
            welcome=default_users(system) if running.first_start else None,
            sysdir=str(running.sysdir),
        )
        await app.run_async()
    finally:
        running.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run_console(parse_args(list(sys.argv[1:] if argv is None else argv))))
