"""Host port forwards: a host TCP port whose connections reach a guest.

``vm370 serve --forward [bindaddr:]HOSTPORT=USERID:PORT`` (and the console's
``--forward``, and ``VMLAN FORWARD lanname ...`` in system.config) makes the
host listen on bindaddr:HOSTPORT (127.0.0.1 unless a bind address is given:
the host's other users are the only ones who can reach it).  For each
connection the router of the LAN opens a TCP connection from its own stack
to USERID's guest and relays both ways (cp.gateway.relay).  The guest is
found as the TCP/IP plan says (decision 4): the NIC USERID owns on a LAN
with a gateway, and the IPv4 address that NIC last announced.  When the
user is not logged on, has no NIC there, has announced no address, or its
port refuses, the host connection is closed and a line goes to the system
log.  What the host client sends is relayed as it is: the guest's server
answers whatever it is.

Connections are bounded: at most ``limit`` (default ``MAX_ACTIVE``) at a
time per forward; one past that is closed at once and counted.
"""

from __future__ import annotations

import asyncio
import os

from cp.gateway.ftp import FTP_CONTROL_PORT, FtpControl
from cp.gateway.relay import open_guest_connection, relay
from cp.gateway.spec import ForwardSpec

MAX_ACTIVE = 16
#: Seconds a connection to the guest may take to be established.
GUEST_CONNECT_SECONDS = 15.0
#: Failures logged one by one per forward; the rest are only counted.
LOG_LIMIT = 20


class Forward:
    """One forward.  ``gateways()`` lists the gateways it may use (the LAN's
    for a forward that names one, else every LAN's with a gateway)."""

    def __init__(self, spec: ForwardSpec, gateways, log, limit: int = MAX_ACTIVE):
        self.spec = spec
        self.gateways = gateways
        self.log = log
        self.limit = limit
        self.server: asyncio.AbstractServer | None = None
        self.port = spec.port
        self.active = self.total = self.over_limit = self.failed = 0
        self._tasks: set[asyncio.Task] = set()

    @property
    def name(self) -> str:
        host = f"[{self.spec.bind}]" if ":" in self.spec.bind else self.spec.bind
        return f"{host}:{self.port}"

    def describe(self) -> str:
        return f"{self.name} -> {self.spec.userid} port {self.spec.guest_port}"

    async def start(self) -> int:
        """Listen; returns the port (raises OSError when the host refuses)."""
        self.server = await asyncio.start_server(self._client, self.spec.bind, self.spec.port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for task in list(self._tasks):
            task.cancel()

    def status_line(self) -> str:
        return (
            f"  Forward {self.describe()}  Active: {self.active}  Total: {self.total}  "
            f"Failed: {self.failed}  Over limit: {self.over_limit}"
        )

    # -- one host connection --------------------------------------------------------

    async def _client(self, reader, writer) -> None:
        if self.active >= self.limit:
            self.over_limit += 1
            for gateway in self.gateways()[:1]:
                gateway.counters["forward_over_limit"] += 1
            self._note(f"{self.active} CONNECTIONS ACTIVE, ONE MORE CLOSED", self.over_limit)
            writer.transport.abort()
            return
        self.active += 1
        self.total += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            # The forward or the system is closing.  Not raised on: asyncio's
            # server would report a cancelled connection task on stderr.
            writer.transport.abort()
        except Exception as err:  # never a traceback from a host client
            self.failed += 1
            self._note(f"RELAY ENDED: {type(err).__name__}", self.failed)
            writer.transport.abort()
        finally:
            self.active -= 1
            self._tasks.discard(task)

    async def _serve(self, reader, writer) -> None:
        gateway, address, why = await self._find_guest()
        if address is None:
            self.failed += 1
            if gateway is not None:
                gateway.counters["forward_no_guest"] += 1
            self._note(f"{self.spec.userid} {why}; CONNECTION CLOSED", self.failed)
            writer.close()
            return
        sock, error = await open_guest_connection(
            gateway, address, self.spec.guest_port, GUEST_CONNECT_SECONDS
        )
        if error:
            self.failed += 1
            gateway.counters["forward_refused"] += 1
            self._note(
                f"{self.spec.userid} AT {address} PORT {self.spec.guest_port}: {error}; "
                "CONNECTION CLOSED",
                self.failed,
            )
            writer.close()
            return
        gateway.counters["forwarded"] += 1
        control = None
        if self.spec.guest_port == FTP_CONTROL_PORT:  # the FTP ALG (cp.gateway.ftp)
            control = FtpControl(gateway, address, writer)
        await relay(gateway, sock, reader, writer, control)

    async def _find_guest(self):
        """(gateway, address, why not) for the forward's user id; a NIC that
        announced its address before the gateway started is looked for."""
        gateways = self.gateways()
        if not gateways:
            return None, None, "IS NOT REACHABLE: NO LAN HAS A GATEWAY"
        for attempt in range(2):
            why = ""
            for gateway in gateways:
                address, why = gateway.guest_address(self.spec.userid)
                if address is not None:
                    return gateway, address, ""
            if attempt == 0:
                for gateway in gateways:
                    await gateway.discover(self.spec.userid)
        return gateways[0], None, why

    def _note(self, text: str, count: int) -> None:
        if count <= LOG_LIMIT:
            self.log(f"GATEWAY FORWARD {self.name}: {text}")


def os_reason(err: OSError) -> str:
    """The system's words for an OSError (asyncio wraps bind errors in longer text)."""
    return os.strerror(err.errno) if err.errno else str(err)


async def open_forwards(system, specs, say=print) -> list[str]:
    """Start the forwards of the command line (``vm370 serve --forward``,
    ``vm370 --forward``) on ``system``; returns the error lines (empty: all
    listen).  When no LAN has a gateway, the SYSTEM LAN LOCALNET (the TCP/IP
    plan's default LAN), if defined, gets one at its default address."""
    lans = system.lans
    errors: list[str] = []
    if specs and not lans.gateways():
        lan = lans.find("SYSTEM", "LOCALNET")
        if lan is not None:
            lans.start_gateway(lan, None)
            say(f"GATEWAY FOR LAN SYSTEM LOCALNET STARTED AT {lan.gateway.describe()}")
        else:
            say("vm370: no LAN has a gateway yet (DEFINE LAN ... GATEWAY or VMLAN GATEWAY)")
    for spec in specs:
        forward = lans.add_forward(spec)
        try:
            await forward.start()
        except OSError as err:
            lans.remove_forward(forward)
            errors.append(f"vm370: cannot listen on {forward.name}: {os_reason(err)}")
            continue
        say(f"VM370 FORWARD {forward.describe()}")
    return errors
