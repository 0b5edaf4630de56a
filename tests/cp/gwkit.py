"""Helpers for the gateway tests: a guest-side TCP/IP stack on a logged-on
VM's NIC, driven by the test as a CMS guest's stack would be (frames from
the NIC's receive queue into ``stack.input``, the stack's frames out through
the NIC, its timers on the event loop), and small host servers.
"""

from __future__ import annotations

import asyncio
import time

from tcpip import SocketError, Stack
from tests.cp.cpkit import command, logon, make_system

GATEWAY_DIRECT = """\
USER OPERATOR OPERATORPW 1M 2M AB
 CONSOLE 009 3215
USER MAINT MAINTPW 1M 16M ABCDEFG
 CONSOLE 009 3215
USER ALICE ALICEPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN
USER BOB BOBPW 1M 4M G
 CONSOLE 009 3215
 NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN
USER CAROL CAROLPW 1M 4M G
 CONSOLE 009 3215
"""

ADDRESS = {"ALICE": "10.0.0.11", "BOB": "10.0.0.12"}


class GuestStack:
    """A tcpip.Stack on the NIC at ``vaddr`` of a logged-on VM."""

    def __init__(self, vm, address: str, vaddr: int = 0x500, gateway: str | None = "10.0.0.1"):
        self.nic = vm.devices[vaddr].nic
        self.loop = asyncio.get_running_loop()
        self.stack = Stack(
            mac=self.nic.mac,
            address=address,
            netmask="255.255.255.0",
            gateway=gateway,
            send_frame=self._send,
            clock=time.monotonic,
            name=vm.userid,
        )
        self.refused = 0
        self._timer = None
        self._scheduled = False
        self.nic.on_arrival = self._arrival  # the test takes the frames, not a channel program
        self.stack.announce()
        self.pump()

    def _send(self, frame: bytes) -> None:
        if self.nic.check_frame(frame) is not None:
            self.refused += 1
            return
        self.nic.send(frame)

    def _arrival(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self.loop.call_soon(self.pump)

    def pump(self) -> None:
        """Every waiting frame into the stack, then its timers."""
        self._scheduled = False
        while self.nic.queue:
            self.stack.input(self.nic.queue.popleft())
        delay = self.stack.poll()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if delay is not None:
            self._timer = self.loop.call_later(max(delay, 0.001), self.pump)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    async def until(self, predicate, timeout: float = 15.0) -> bool:
        """Pump until ``predicate()`` holds (True) or ``timeout`` passes (False)."""
        end = self.loop.time() + timeout
        while self.loop.time() < end:
            self.pump()
            if predicate():
                return True
            await asyncio.sleep(0.002)
        return predicate()

    # -- blocking-style helpers over the non-blocking sockets ----------------------

    async def connect(self, address: tuple[str, int]):
        sock = self.stack.socket("STREAM")
        sock.connect(address)
        await self.until(lambda: sock.state == "ESTABLISHED" or sock.error is not None)
        return sock

    async def send_all(self, sock, data: bytes) -> None:
        while data:
            try:
                sent = sock.send(data)
            except SocketError as err:
                if err.errno != "EWOULDBLOCK":
                    raise
                sent = 0
            data = data[sent:]
            self.pump()
            if data:
                await self.until(sock.writable, 15.0)

    async def recv_some(self, sock, n: int = 65536) -> bytes:
        """At least one byte, or b"" at the end; raises SocketError on reset."""
        while True:
            try:
                data = sock.recv(n)
                self.pump()
                return data
            except SocketError as err:
                if err.errno != "EWOULDBLOCK":
                    raise
            if not await self.until(sock.readable, 15.0):
                raise TimeoutError("nothing arrived")

    async def recv_exactly(self, sock, n: int) -> bytes:
        data = b""
        while len(data) < n:
            more = await self.recv_some(sock, n - len(data))
            if not more:
                break
            data += more
        return data

    async def accept(self, listener):
        while True:
            try:
                return listener.accept()
            except SocketError as err:
                if err.errno != "EWOULDBLOCK":
                    raise
            if not await self.until(listener.readable, 15.0):
                raise TimeoutError("no connection came")


def gateway_system(path, config: str = ""):
    """A System with the SYSTEM LAN GLAN and its gateway at 10.0.0.1/24,
    MAINT logged on (system.maint = (terminal, session))."""
    if config:
        (path / "system.config").write_text(config)
    system = make_system(path, GATEWAY_DIRECT)
    system.maint = logon(system, "MAINT")
    answer = maint(system, "DEFINE LAN GLAN OWNERID SYSTEM GATEWAY")
    assert answer == [
        "LAN SYSTEM GLAN is created",
        "LAN SYSTEM GLAN gateway is started at 10.0.0.1/24",
    ], answer
    return system


def maint(system, line: str) -> list[str]:
    return command(*reversed(system.maint), line)


async def guest(system, userid: str) -> GuestStack:
    """Log ``userid`` on and start its guest-side stack; the gateway learns its address."""
    logon(system, userid)
    stack = GuestStack(system.find_user(userid), ADDRESS[userid])
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    await stack.until(lambda: gateway.guest_address(userid)[0] is not None)
    return stack


async def echo_server():
    """An asyncio TCP echo server on 127.0.0.1 (any port); returns (server, port, seen)
    where ``seen`` collects what each connection received, and b"<EOF>" at its end."""
    seen: list[bytes] = []

    async def echo(reader, writer):
        try:
            while data := await reader.read(65536):
                seen.append(data)
                writer.write(data)
                await writer.drain()
            seen.append(b"<EOF>")
        except ConnectionError:
            seen.append(b"<RESET>")
        except asyncio.CancelledError:
            pass  # the loop is closing: not worth a report on stderr
        finally:
            writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], seen


class UdpEcho(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(b"ECHO " + data, addr)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
