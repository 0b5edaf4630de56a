"""Gateway benchmark: TCP throughput through CP's gateway, in MB/s.

    python -m bench.gateway [--megabytes N]

* host -> guest: a host client writes N MB to a port forward
  (``--forward 0=ALICE:9``); the gateway's stack relays them to a listener
  of a guest-side tcpip.Stack on ALICE's NIC, which reads and discards them.
* guest -> host: the guest-side stack connects to the gateway's address
  10.0.0.1, port P (NAT to 127.0.0.1:P), and writes N MB to a host asyncio
  server that discards them.

Both stacks run in one event loop with the LAN between them, as in the
system (the guest-side stack is driven here directly, not by a CMS guest,
so the numbers are the gateway's and the engine's, not CMS's).

Then the same two ways with real CMS guests (the REXX Sockets EXECs of
tests/cms/netkit.py: BOB's server checks every byte, ALICE's client sends
64 KiB SOCKET('Send') calls to GATEWAY, the host checks every byte).

Host time, from the first byte written to the last one read (for CMS:
to the server's Ready); a number of this run, not a promise.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from cp.gateway.spec import ForwardSpec
from cp.system import System
from cp.terminal import LineTerminal

DIRECTORY = """\
USER MAINT MAINTPW 1M 16M ABCDEFG
 CONSOLE 009 3215
USER ALICE ALICEPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM BENCH
"""
CHUNK = 65536


class GuestSide:
    """A tcpip.Stack on ALICE's NIC, fed from the NIC's queue."""

    def __init__(self, vm, address: str):
        from tcpip import Stack

        self.nic = vm.devices[0x500].nic
        self.loop = asyncio.get_running_loop()
        self.stack = Stack(
            mac=self.nic.mac,
            address=address,
            netmask="255.255.255.0",
            gateway="10.0.0.1",
            send_frame=self.nic.send,
            clock=time.monotonic,
            name=vm.userid,
        )
        self.timer = None
        self.changed = asyncio.Event()
        self.nic.on_arrival = lambda: self.loop.call_soon(self.pump)
        self.stack.announce()

    def pump(self) -> None:
        while self.nic.queue:
            self.stack.input(self.nic.queue.popleft())
        delay = self.stack.poll()
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.loop.call_later(max(delay, 0.001), self.pump) if delay else None
        self.changed.set()

    async def turn(self) -> None:
        self.changed.clear()
        try:
            await asyncio.wait_for(self.changed.wait(), 0.05)
        except TimeoutError:
            self.pump()


async def sink(guest: GuestSide, listener, total: int) -> None:
    from tcpip import SocketError

    while True:
        try:
            sock = listener.accept()
            break
        except SocketError:
            await guest.turn()
    got = 0
    while got < total:
        try:
            data = sock.recv(CHUNK)
        except SocketError:
            await guest.turn()
            continue
        guest.pump()
        if not data:
            break
        got += len(data)
    sock.close()


async def host_to_guest(system, guest: GuestSide, total: int) -> float:
    listener = guest.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 9))
    listener.listen(4)
    forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, "ALICE", 9))
    await forward.start()
    reading = asyncio.create_task(sink(guest, listener, total))
    start = time.perf_counter()
    _, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    block = b"x" * CHUNK
    for _ in range(total // CHUNK):
        writer.write(block)
        await writer.drain()
    await reading
    elapsed = time.perf_counter() - start
    writer.close()
    return elapsed


async def guest_to_host(guest: GuestSide, total: int) -> float:
    from tcpip import SocketError

    done = asyncio.get_running_loop().create_future()

    async def discard(reader, writer):
        got = 0
        while got < total and (data := await reader.read(CHUNK)):
            got += len(data)
        done.set_result(time.perf_counter())
        writer.close()

    server = await asyncio.start_server(discard, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sock = guest.stack.socket("STREAM")
    start = time.perf_counter()
    sock.connect(("10.0.0.1", port))
    guest.pump()
    block, sent = b"y" * CHUNK, 0
    while sent < total:
        try:
            sent += sock.send(block[: total - sent])
            guest.pump()
        except SocketError:
            await guest.turn()
    end = await done
    sock.close()
    server.close()
    return end - start


async def run(megabytes: int) -> None:
    total = megabytes * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "user.direct").write_text(DIRECTORY)
        (path / "user.direct").chmod(0o600)
        system = System(path)
        system.lans.define("SYSTEM", "BENCH", gateway="10.0.0.1/24")
        terminal = LineTerminal()
        system.connect(terminal).enter("LOGON ALICE ALICEPW")
        guest = GuestSide(system.find_user("ALICE"), "10.0.0.11")
        for name, measure in (
            ("host -> guest (port forward)", lambda: host_to_guest(system, guest, total)),
            ("guest -> host (NAT)", lambda: guest_to_host(guest, total)),
        ):
            seconds = await measure()
            print(f"{name:30} {megabytes} MB in {seconds:6.2f} s: {megabytes / seconds:7.2f} MB/s")
        counters = system.lans.find("SYSTEM", "BENCH").gateway.stack.counters
        print("gateway stack:", ", ".join(f"{k}={v}" for k, v in sorted(counters.items()) if v))
        system.shutdown()


async def run_cms(megabytes: int) -> None:
    """Host -> a CMS REXX server through a forward, a CMS REXX client -> host through NAT."""
    from tests.cms.cmskit import make_cms_system
    from tests.cms.netkit import CLIENT_EXEC, NET_DIRECT, SERVER_EXEC, logged_on, write_exec

    pattern = bytes(range(256))
    total = megabytes * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "system.config").write_text(
            "DEFINE LAN LOCALNET OWNERID SYSTEM TYPE QDIO\nVMLAN GATEWAY LOCALNET\n"
        )
        (path / "system.config").chmod(0o600)
        system = make_cms_system(path, NET_DIRECT)
        bob = await logged_on(system, "BOB")
        await write_exec(bob, "SERVER", SERVER_EXEC)
        start = len(bob.lines)
        bob.session.enter("SERVER 5000")
        await bob.wait(start, "WAITING")
        forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, "BOB", 5000))
        await forward.start()
        began = time.perf_counter()
        _, writer = await asyncio.open_connection("127.0.0.1", forward.port)
        for _ in range(total // (len(pattern) * 256)):
            writer.write(pattern * 256)
            await writer.drain()
        writer.write_eof()
        done = await bob.wait(start, "Ready", timeout=600)
        seconds = time.perf_counter() - began
        writer.close()
        checked = [x for x in done if x.startswith("RECEIVED")]
        print(
            f"{'host -> CMS REXX server':30} {megabytes} MB in {seconds:6.2f} s: "
            f"{megabytes / seconds:7.2f} MB/s ({checked[0] if checked else 'NOT RECEIVED'})"
        )
        got = bytearray()
        ended = asyncio.get_running_loop().create_future()

        async def take(reader, writer):
            while data := await reader.read(65536):
                got.extend(data)
            ended.set_result(time.perf_counter())
            writer.close()

        server = await asyncio.start_server(take, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        alice = await logged_on(system, "ALICE")
        await write_exec(alice, "CLIENT", CLIENT_EXEC)
        began = time.perf_counter()
        await alice.type(f"CLIENT GATEWAY {port} {megabytes * 16}", timeout=600)
        seconds = await asyncio.wait_for(ended, 600) - began
        intact = bytes(got) == pattern * (total // len(pattern))
        print(
            f"{'CMS REXX client -> host':30} {megabytes} MB in {seconds:6.2f} s: "
            f"{megabytes / seconds:7.2f} MB/s ({'intact' if intact else 'DAMAGED'})"
        )
        server.close()
        system.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gateway", description=__doc__)
    parser.add_argument("--megabytes", type=int, default=8, help="MB each way (default 8)")
    parser.add_argument(
        "--cms-megabytes",
        type=int,
        default=2,
        help="MB each way with CMS guests (default 2; 0: skip)",
    )
    args = parser.parse_args(argv)
    asyncio.run(run(args.megabytes))
    if args.cms_megabytes:
        asyncio.run(run_cms(args.cms_megabytes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
