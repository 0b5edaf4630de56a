"""The FTP application-level gateway of a port forward to a guest's port 21.

FTP names addresses inside its control connection (RFC 959 4.1.2: PASV's
``227`` reply and the PORT command carry ``h1,h2,h3,h4,p1,p2``; RFC 2428:
EPSV's ``229 (|||port|)``).  Behind a forward the host's client would read
the guest's LAN address in FTPSERVE's 227 (10.0.0.21), which the host
cannot reach.  As NAT routers do (RFC 3022 4.1, RFC 2663 the "ALG"), the
gateway reads the forward's control connection line by line:

* guest -> host: ``227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`` that
  names the guest's own address gets instead the host address the client
  connected to and a fresh host port; the gateway listens there for one
  connection (``DATA_SECONDS``), from the control connection's client only
  (RFC 2577: no one else takes the data), and relays it to the guest's
  address, port p1*256+p2.  ``229 Entering Extended Passive Mode
  (|||port|)`` gets the fresh port the same way.  A 227 naming another
  address is passed on as it is: data goes to the control connection's
  guest or nowhere (no FTP bounce through the gateway).
* host -> guest: ``PORT h1,h2,h3,h4,p1,p2`` from a client on the host's
  loopback that names its own address gets the gateway's address instead
  (same port): the guest's data connection to the gateway is then NATed to
  127.0.0.1, that port (cp.gateway.relay), where the client listens.

Every other line passes unchanged.  A line is held until its end (LF)
arrives, at most ``MAX_LINE`` bytes; a longer one is passed on as it came.
The host side of a passive relay is IPv4 only (a 227 has no room for
another address family): a client that reached a forward over IPv6 gets
227 replies as they are (an IPv4-mapped address counts as IPv4).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket

from cp.gateway.relay import open_guest_connection, relay

FTP_CONTROL_PORT = 21
#: Seconds the gateway waits for the client's passive data connection
#: (FTPSERVE waits 60 s for it on the guest side).
DATA_SECONDS = 30.0
#: Seconds the connection to the guest's data port may take.
GUEST_DATA_CONNECT_SECONDS = 15.0
#: The longest control line held back while its end has not arrived.
MAX_LINE = 4096

PASSIVE_REPLY = re.compile(
    rb"^227[ -].*?(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})"
)
EXTENDED_PASSIVE_REPLY = re.compile(rb"^229[ -].*?\(([!-~])\1\1(\d{1,5})\1\)")
PORT_COMMAND = re.compile(
    rb"^(PORT[ ]+)(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})", re.IGNORECASE
)


class Lines:
    """A byte stream cut into lines: ``feed`` returns what may be passed on
    (whole lines, or a piece past MAX_LINE), the rest waits for its end."""

    def __init__(self):
        self.pending = b""

    def feed(self, data: bytes) -> list[bytes]:
        self.pending += data
        lines = []
        while (end := self.pending.find(b"\n")) >= 0:
            lines.append(self.pending[: end + 1])
            self.pending = self.pending[end + 1 :]
        if len(self.pending) > MAX_LINE:
            lines.append(self.pending)
            self.pending = b""
        return lines

    def take(self) -> bytes:
        rest, self.pending = self.pending, b""
        return rest


class FtpControl:
    """The FTP gateway of one forwarded control connection: ``gateway`` the
    router, ``guest`` the guest's address, ``writer`` the host side's
    asyncio stream (its socket says which host address the client used)."""

    def __init__(self, gateway, guest: str, writer):
        self.gateway = gateway
        self.guest = guest
        self.host_ip = _address(writer.get_extra_info("sockname"))
        self.client_ip = _address(writer.get_extra_info("peername"))
        self._replies = Lines()
        self._commands = Lines()
        #: The data listener waiting for the client (one at a time, as the server's).
        self._waiting: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()

    # -- the relay's hooks ---------------------------------------------------------

    def from_guest(self, data: bytes) -> bytes:
        return b"".join(self._reply(line) for line in self._replies.feed(data))

    def end_from_guest(self) -> bytes:
        return self._replies.take()

    def from_host(self, data: bytes) -> bytes:
        return b"".join(self._command(line) for line in self._commands.feed(data))

    def end_from_host(self) -> bytes:
        return self._commands.take()

    def close(self) -> None:
        """The control connection ended: a data listener still waiting goes
        (data relays already running finish on their own)."""
        if self._waiting is not None:
            self._waiting.cancel()
            self._waiting = None

    # -- rewriting -------------------------------------------------------------------

    def _reply(self, line: bytes) -> bytes:
        found = PASSIVE_REPLY.match(line)
        if found:
            numbers = [int(n) for n in found.groups()]
            named = ".".join(str(n) for n in numbers[:4])
            if named != self.guest or not _is_ipv4(self.host_ip) or max(numbers) > 255:
                return line
            port = self._listen(numbers[4] * 256 + numbers[5])
            if port is None:
                return line
            text = ",".join(self.host_ip.split(".") + [str(port >> 8), str(port & 0xFF)])
            return line[: found.start(1)] + text.encode() + line[found.end(6) :]
        found = EXTENDED_PASSIVE_REPLY.match(line)
        if found and 0 < int(found.group(2)) < 65536:
            port = self._listen(int(found.group(2)))
            if port is None:
                return line
            return line[: found.start(2)] + str(port).encode() + line[found.end(2) :]
        return line

    def _command(self, line: bytes) -> bytes:
        found = PORT_COMMAND.match(line)
        if not found or not _is_loopback(self.client_ip):
            return line
        numbers = [int(n) for n in found.groups()[1:]]
        if ".".join(str(n) for n in numbers[:4]) != self.client_ip or max(numbers) > 255:
            return line
        address = ",".join(self.gateway.address.split(".") + [str(n) for n in numbers[4:]])
        return found.group(1) + address.encode() + line[found.end(7) :]

    # -- passive data connections -------------------------------------------------------

    def _listen(self, guest_port: int) -> int | None:
        """A host listener for the client's data connection to ``guest_port``
        of the guest: its port, or None when the host gives none."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((self.host_ip, 0))
            listener.listen(1)
            listener.setblocking(False)
        except OSError:
            listener.close()
            return None
        self.close()  # a new PASV: the server dropped its previous listener too
        task = asyncio.get_running_loop().create_task(self._data(listener, guest_port))
        self._waiting = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.gateway.counters["ftp_passive"] += 1
        return listener.getsockname()[1]

    async def _data(self, listener: socket.socket, guest_port: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                connection, peer = await asyncio.wait_for(loop.sock_accept(listener), DATA_SECONDS)
                if peer[0] == self.client_ip:
                    break
                connection.close()  # RFC 2577: only the control connection's client
                self.gateway.counters["ftp_data_refused"] += 1
        except (TimeoutError, OSError):
            return
        finally:
            listener.close()
            if self._waiting is asyncio.current_task():
                self._waiting = None
        try:
            await self._relay_data(connection, guest_port)
        except asyncio.CancelledError:
            connection.close()
            raise
        except Exception as err:  # never a traceback from a client's data connection
            connection.close()
            self.gateway.counters["relay_errors"] += 1
            self.gateway.note(f"FTP DATA RELAY ENDED: {type(err).__name__}", "relay_errors")

    async def _relay_data(self, connection: socket.socket, guest_port: int) -> None:
        gateway = self.gateway
        sock, error = await open_guest_connection(
            gateway, self.guest, guest_port, GUEST_DATA_CONNECT_SECONDS
        )
        if sock is None:
            gateway.counters["ftp_data_refused"] += 1
            gateway.note(
                f"FTP DATA CONNECTION TO {self.guest} PORT {guest_port}: {error}",
                "ftp_data_refused",
            )
            connection.close()
            return
        gateway.counters["ftp_data_relayed"] += 1
        reader, writer = await asyncio.open_connection(sock=connection)
        await relay(gateway, sock, reader, writer)


def _address(name) -> str:
    """The address of a socket name; an IPv4-mapped IPv6 one (a dual-stack
    forward on ``::``) as the IPv4 address it is."""
    if not name:
        return ""
    try:
        address = ipaddress.ip_address(name[0])
    except ValueError:
        return str(name[0])
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def _is_ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def _is_loopback(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False
