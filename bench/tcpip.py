"""CMS TCP/IP benchmark: REXX Sockets throughput and PING round trips between
two CMS users on one guest LAN, on the real CP.

    python -m bench.tcpip [--megabytes N] [--pings K]

A client EXEC sends N MB (64 KiB SOCKET('Send') calls) to a server EXEC that
checks every byte (tests/cms/netkit.py has both); the time is from the
client's command to the server's Ready.  Then PING BOB K times from ALICE:
the average of the response times PING shows.  Host time, not guest time;
a number of this run on this machine, not a promise.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from tests.cms.netkit import CLIENT_EXEC, SERVER_EXEC, logged_on, make_net_system, write_exec


async def run(megabytes: int, pings: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        system = make_net_system(Path(folder))
        alice = await logged_on(system, "ALICE")
        bob = await logged_on(system, "BOB")
        await write_exec(alice, "CLIENT", CLIENT_EXEC)
        await write_exec(bob, "SERVER", SERVER_EXEC)
        start = len(bob.lines)
        bob.session.enter("SERVER 5000")
        await bob.wait(start, "WAITING")
        began = time.perf_counter()
        await alice.type(f"CLIENT BOB 5000 {megabytes * 16}", timeout=600)
        done = await bob.wait(start, "Ready", timeout=600)
        seconds = time.perf_counter() - began
        received = [x for x in done if x.startswith("RECEIVED")]
        print(
            f"REXX Sockets: {megabytes} MB in {seconds:.2f} s = "
            f"{megabytes / seconds:.2f} MB/s ({received[0] if received else 'NOT RECEIVED'})"
        )
        out = await alice.type(f"PING BOB {pings}", timeout=600)
        times = [float(x.split(" took ")[1].split()[0]) for x in out if " took " in x]
        if times:
            print(
                f"PING: {len(times)}/{pings} responses, average {sum(times) / len(times) * 1000:.2f} ms, "
                f"max {max(times) * 1000:.2f} ms"
            )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=4)
    parser.add_argument("--pings", type=int, default=20)
    args = parser.parse_args(argv)
    asyncio.run(run(args.megabytes, args.pings))


if __name__ == "__main__":
    main()
