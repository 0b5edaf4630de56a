"""The TN3270 / TN3270E server: remote 3270 displays for CP's console.

Each connection negotiates Telnet options (RFC 854/855), then either TN3270E
(RFC 2355: DEVICE-TYPE with an optional CONNECT terminal name, FUNCTIONS, a
5-byte header on every record) or classic TN3270 (RFC 1576: TERMINAL-TYPE,
END-OF-RECORD, BINARY).  Terminal types IBM-3278-n and IBM-3279-n (n = 2..5,
optionally -E) and IBM-DYNAMIC (size learned through a Query) are accepted.
Every display gets its own ``cp.console3270.Console3270``; a dropped
connection hangs the console up, which disconnects the user while the
virtual machine keeps running.

Listens on the loopback address unless told otherwise; TLS when given a
certificate and key.
"""

from __future__ import annotations

import asyncio
import re
import ssl

from cp import ds3270 as ds
from cp.console3270 import Console3270
from cp.security import client_host, peer_address

# Telnet commands (RFC 854) and options.
IAC, DONT, DO, WONT, WILL, SB, SE, EOR = 255, 254, 253, 252, 251, 250, 240, 239
NOP, GA, BREAK, IP = 241, 249, 243, 244  # IP/BREAK: a client's Attn key
OPT_BINARY, OPT_TTYPE, OPT_EOR, OPT_TN3270E = 0, 24, 25, 40
TTYPE_IS, TTYPE_SEND = 0, 1

# TN3270E (RFC 2355 section 8).
E_ASSOCIATE, E_CONNECT, E_DEVICE_TYPE, E_FUNCTIONS, E_IS = 0, 1, 2, 3, 4
E_REASON, E_REJECT, E_REQUEST, E_SEND = 5, 6, 7, 8
E_REASON_DEVICE_IN_USE, E_REASON_INV_NAME = 1, 3
E_REASON_INV_DEVICE_TYPE, E_REASON_UNSUPPORTED_REQ = 4, 7
E_DT_3270_DATA = 0x00
#: TN3270E functions this server performs (none: no BIND images, no
#: responses, no SYSREQ; plain 3270 data).
SUPPORTED_FUNCTIONS: frozenset[int] = frozenset()

TERMINAL_TYPE = re.compile(r"^IBM-(327[89])-([2-5])(-E)?$|^IBM-DYNAMIC$")

#: Longest inbound record kept: a 27x132 screen read in full is under 8 KB.
MAX_RECORD = 32768
MAX_SUBNEGOTIATION = 512

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3270
NEGOTIATION_SECONDS = 10.0
#: A display left at the logon screen (not logged on, no key pressed) this
#: long is told and disconnected.  VM/370 kept a dial-up line at VM/370
#: ONLINE for ever; z/VM has no exact equivalent either (its TCP/IP server
#: has an inactivity timeout for Telnet sessions).  Five minutes.
LOGON_TIMEOUT_SECONDS = 300.0
#: Connections not logged on (negotiating or at the logon screen) that one
#: client address may hold at once; more are refused.
MAX_PENDING_PER_ADDRESS = 8


class TerminalType:
    """What a terminal type name tells the server."""

    def __init__(self, name: str):
        match = TERMINAL_TYPE.match(name.upper())
        if match is None:
            raise ValueError(name)
        self.name = name.upper()
        self.dynamic = self.name == "IBM-DYNAMIC"
        self.model = 2 if self.dynamic else int(match.group(2))
        self.extended = self.dynamic or bool(match.group(3)) or match.group(1) == "3279"
        self.size = ds.MODEL_SIZES[self.model]


def escape_iac(data: bytes) -> bytes:
    return data.replace(b"\xff", b"\xff\xff")


class TelnetParser:
    """Splits the byte stream from a client into Telnet events:
    ("cmd", verb, option), ("sb", bytes) and ("record", bytes) (a 3270
    record ended by IAC EOR, IAC doubling undone)."""

    def __init__(self):
        self.events: list[tuple] = []
        self._record = bytearray()
        self._subneg_bytes = bytearray()
        self._state = "data"
        self._verb = 0
        self.overflowed = False

    def feed(self, data: bytes) -> None:
        for b in data:
            getattr(self, "_in_" + self._state)(b)

    def _in_data(self, b: int) -> None:
        if b == IAC:
            self._state = "iac"
        else:
            self._keep(b)

    def _keep(self, b: int) -> None:
        if len(self._record) < MAX_RECORD:
            self._record.append(b)
        else:
            self.overflowed = True  # a record no 3270 sends: dropped at its EOR

    def _in_iac(self, b: int) -> None:
        self._state = "data"
        if b == IAC:
            self._keep(IAC)
        elif b == EOR:
            if not self.overflowed:
                self.events.append(("record", bytes(self._record)))
            self._record.clear()
            self.overflowed = False
        elif b in (DO, DONT, WILL, WONT):
            self._verb = b
            self._state = "option"
        elif b == SB:
            self._subneg_bytes.clear()
            self._state = "sb"
        elif b in (IP, BREAK):
            self.events.append(("attention",))

    def _in_option(self, b: int) -> None:
        self.events.append(("cmd", self._verb, b))
        self._state = "data"

    def _in_sb(self, b: int) -> None:
        if b == IAC:
            self._state = "sb_iac"
        elif len(self._subneg_bytes) < MAX_SUBNEGOTIATION:
            self._subneg_bytes.append(b)

    def _in_sb_iac(self, b: int) -> None:
        if b == SE:
            self.events.append(("sb", bytes(self._subneg_bytes)))
            self._state = "data"
        else:
            self._subneg_bytes.append(b)
            self._state = "sb"


class NegotiationFailed(Exception):
    pass


class TN3270ERefused(Exception):
    """The client said WONT TN3270E during the TN3270E subnegotiation."""


class Connection:
    """One TN3270(E) client: negotiation, then records to and from its console."""

    def __init__(
        self, server: "TN3270Server", reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.parser = TelnetParser()
        self.tn3270e = False
        self.terminal_type: TerminalType | None = None
        self.device_name: str | None = None
        self.console: Console3270 | None = None
        #: The client's host:port (the system log and the password throttle).
        self.peer = peer_address(writer.get_extra_info("peername"))
        self._early_records: list[bytes] = []

    # -- bytes on the wire ------------------------------------------------------
    def _raw(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    def _command(self, verb: int, option: int) -> None:
        self._raw(bytes([IAC, verb, option]))

    def _subneg(self, body: bytes) -> None:
        self._raw(bytes([IAC, SB]) + escape_iac(body) + bytes([IAC, SE]))

    def send_record(self, record: bytes) -> None:
        """One outbound 3270 record (with the TN3270E header when negotiated)."""
        if self.tn3270e:
            record = bytes([E_DT_3270_DATA, 0, 0, 0, 0]) + record
        self._raw(escape_iac(record) + bytes([IAC, EOR]))

    async def _event(self, timeout: float) -> tuple:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.parser.events:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise NegotiationFailed("timed out")
            try:
                data = await asyncio.wait_for(self.reader.read(4096), remaining)
            except asyncio.TimeoutError:
                raise NegotiationFailed("timed out") from None
            if not data:
                raise ConnectionResetError("client closed the connection")
            self.parser.feed(data)
        return self.parser.events.pop(0)

    async def _answer(self, option: int, timeout: float) -> int:
        """Wait for the client's WILL/WONT/DO/DONT for ``option``; refuse
        anything else it asks for."""
        while True:
            event = await self._event(timeout)
            if event[0] == "cmd" and event[2] == option:
                return event[1]
            self._refuse(event)

    def _refuse(self, event: tuple) -> None:
        if event[0] == "cmd":
            verb, option = event[1], event[2]
            if verb == WILL:
                self._command(DONT, option)
            elif verb == DO:
                self._command(WONT, option)
        elif event[0] == "record":
            self._early_records.append(event[1])

    async def _subnegotiation(self, timeout: float) -> bytes:
        while True:
            event = await self._event(timeout)
            if event[0] == "sb":
                return event[1]
            if event == ("cmd", WONT, OPT_TN3270E):
                raise TN3270ERefused()
            self._refuse(event)

    # -- negotiation ------------------------------------------------------------
    async def negotiate(self, timeout: float = NEGOTIATION_SECONDS) -> None:
        self._command(DO, OPT_TN3270E)
        if await self._answer(OPT_TN3270E, timeout) == WILL:
            try:
                self.tn3270e = await self._tn3270e(timeout)
            except TN3270ERefused:  # RFC 2355: the client may still fall back
                self.server.release_name(self.device_name)
                self.device_name = None
                self.tn3270e = False
        if not self.tn3270e:
            await self._tn3270(timeout)
        if self.terminal_type.dynamic:
            await self._query_size(timeout)

    async def _tn3270e(self, timeout: float) -> bool:
        """RFC 2355: DEVICE-TYPE (with CONNECT) and FUNCTIONS."""
        self._subneg(bytes([OPT_TN3270E, E_SEND, E_DEVICE_TYPE]))
        while True:
            body = await self._subnegotiation(timeout)
            if len(body) < 3 or body[0] != OPT_TN3270E:
                continue
            if body[1] == E_DEVICE_TYPE and body[2] == E_REQUEST:
                if self._device_type_request(body[3:]):
                    break
            else:
                return False
        await self._functions(timeout)
        return True

    async def _functions(self, timeout: float) -> None:
        """RFC 2355 7.2: the server answers FUNCTIONS IS with the client's list
        when it agrees, else FUNCTIONS REQUEST with the subset it supports,
        which the client confirms with FUNCTIONS IS."""
        request = bytes([OPT_TN3270E, E_FUNCTIONS, E_REQUEST])
        for _ in range(4):  # a few rounds at most
            body = await self._subnegotiation(timeout)
            if body[:3] == bytes([OPT_TN3270E, E_FUNCTIONS, E_IS]):
                return
            if body[:3] != request:
                continue
            wanted = body[3:]
            agreed = bytes(f for f in wanted if f in SUPPORTED_FUNCTIONS)
            if agreed == wanted:
                self._subneg(bytes([OPT_TN3270E, E_FUNCTIONS, E_IS]) + agreed)
                return
            self._subneg(request + agreed)
        raise NegotiationFailed("no agreement on TN3270E functions")

    def _device_type_request(self, body: bytes) -> bool:
        type_part, connect, name = body, None, None
        for sep in (E_CONNECT, E_ASSOCIATE):
            if sep in body:
                idx = body.index(sep)
                type_part, connect, name = body[:idx], sep, body[idx + 1 :]
                break
        type_name = type_part.decode("ascii", "replace")
        try:
            self.terminal_type = TerminalType(type_name)
        except ValueError:
            self._reject(E_REASON_INV_DEVICE_TYPE)
            return False
        if connect == E_ASSOCIATE:
            self._reject(E_REASON_UNSUPPORTED_REQ)
            return False
        wanted = name.decode("ascii", "replace").upper() if name else None
        if wanted is not None and not re.fullmatch(r"[A-Z0-9@#$]{1,8}", wanted):
            self._reject(E_REASON_INV_NAME)
            return False
        self.device_name = self.server.claim_name(wanted)
        if self.device_name is None:
            self._reject(E_REASON_DEVICE_IN_USE)
            return False
        self._subneg(
            bytes([OPT_TN3270E, E_DEVICE_TYPE, E_IS])
            + self.terminal_type.name.encode()
            + bytes([E_CONNECT])
            + self.device_name.encode()
        )
        return True

    def _reject(self, reason: int) -> None:
        self._subneg(bytes([OPT_TN3270E, E_DEVICE_TYPE, E_REJECT, E_REASON, reason]))

    async def _tn3270(self, timeout: float) -> None:
        """RFC 1576: TERMINAL-TYPE, then EOR and BINARY both ways."""
        self._command(DO, OPT_TTYPE)
        if await self._answer(OPT_TTYPE, timeout) != WILL:
            raise NegotiationFailed("the client does not send a terminal type")
        self._subneg(bytes([OPT_TTYPE, TTYPE_SEND]))
        while True:
            body = await self._subnegotiation(timeout)
            if len(body) >= 2 and body[0] == OPT_TTYPE and body[1] == TTYPE_IS:
                break
        type_name = body[2:].decode("ascii", "replace")
        try:
            self.terminal_type = TerminalType(type_name)
        except ValueError:
            raise NegotiationFailed(f"terminal type {type_name} is not a 3270") from None
        wanted = {(WILL, OPT_EOR), (DO, OPT_EOR), (WILL, OPT_BINARY), (DO, OPT_BINARY)}
        for verb, option in ((DO, OPT_EOR), (WILL, OPT_EOR), (DO, OPT_BINARY), (WILL, OPT_BINARY)):
            self._command(verb, option)
        while wanted:
            event = await self._event(timeout)
            if event[0] == "cmd" and (event[1], event[2]) in wanted:
                wanted.discard((event[1], event[2]))
            elif event[0] == "cmd" and event[2] in (OPT_EOR, OPT_BINARY):
                raise NegotiationFailed("the client refused EOR or BINARY")
            else:
                self._refuse(event)
        self.device_name = self.server.claim_name(None)

    async def _query_size(self, timeout: float) -> None:
        """IBM-DYNAMIC: ask the display its size with a Read Partition Query."""
        self.send_record(ds.QUERY_REQUEST)
        while True:
            event = await self._event(timeout)
            if event[0] != "record":
                self._refuse(event)
                continue
            record = self._strip_header(event[1])
            if record is None:
                continue
            inbound = ds.parse_inbound(record)
            if inbound.aid == ds.AID_SF:
                size = ds.query_reply_size(inbound)
                if size is not None and size in ds.MODEL_SIZES.values():
                    self.terminal_type.size = size
                self.terminal_type.extended = ds.query_reply_color(inbound)
                return

    def _strip_header(self, record: bytes) -> bytes | None:
        if not self.tn3270e:
            return record
        if len(record) < 5 or record[0] != E_DT_3270_DATA:
            return None
        return record[5:]

    # -- the session --------------------------------------------------------------
    @property
    def logged_on(self) -> bool:
        return self.console is not None and self.console.logged_on_vm is not None

    async def refuse(self, why: str) -> None:
        """Tell the client in plain text (before any negotiation) and close."""
        self._raw(f"\r\nVM370: {why} - CONNECTION CLOSED\r\n".encode("ascii", "replace"))
        await self._close()

    async def run(self) -> None:
        try:
            await self.negotiate(self.server.negotiation_seconds)
        except (NegotiationFailed, ConnectionError, OSError) as why:
            self._raw(f"\r\nVM370: TN3270 NEGOTIATION FAILED: {why}\r\n".encode("ascii", "replace"))
            await self._close()
            return
        self.console = Console3270(
            self.server.system,
            self.send_record,
            size=self.terminal_type.size,
            address=self.device_name,
            more_seconds=self.server.more_seconds,
            logo_seconds=self.server.logo_seconds,
            color=self.terminal_type.extended,
            peer=self.peer,
        )
        self.console.start()
        try:
            await self._read_loop()
        finally:
            self.console.hangup()
            await self._close()

    async def _read_loop(self) -> None:
        for record in self._early_records:
            self._deliver(record)
        self._last_input = asyncio.get_running_loop().time()
        while True:
            for event in self.parser.events:
                if event[0] == "record":
                    self._deliver(event[1])
                elif event[0] == "attention":
                    self.console.attention_key()
                else:
                    self._refuse(event)
            self.parser.events.clear()
            try:
                data = await self._read_before_logon_timeout()
            except (ConnectionError, OSError):
                return
            if not data:
                return
            self.parser.feed(data)

    async def _read_before_logon_timeout(self) -> bytes:
        """The client's next bytes; b"" after telling a display that sat at the
        logon screen (not logged on, no key) for the server's logon_timeout."""
        timeout = self.server.logon_timeout
        loop = asyncio.get_running_loop()
        while True:
            if timeout is None:
                return await self.reader.read(4096)
            left = timeout if self.logged_on else self._last_input + timeout - loop.time()
            if left <= 0:
                self._logon_time_expired()
                return b""
            try:
                data = await asyncio.wait_for(self.reader.read(4096), left)
            except asyncio.TimeoutError:
                continue
            self._last_input = loop.time()
            return data

    def _logon_time_expired(self) -> None:
        seconds = f"{self.server.logon_timeout:g}"
        self.server.system.log(
            f"TN3270 {self.device_name} AT {self.peer} DISCONNECTED: "
            f"NOT LOGGED ON IN {seconds} SECONDS"
        )
        self.console.put_line(
            f"DMKLOG095E LOGON NOT COMPLETED IN {seconds} SECONDS - CONNECTION CLOSED"
        )

    def _deliver(self, record: bytes) -> None:
        payload = self._strip_header(record)
        if payload:
            self.console.receive(payload)

    async def _close(self) -> None:
        self.server.release_name(self.device_name)
        try:
            self.writer.close()
            await self.writer.wait_closed()
        except (ConnectionError, OSError, ssl.SSLError):
            pass


class TN3270Server:
    """Accepts TN3270(E) displays for ``system``; each gets its own logon screen."""

    def __init__(
        self,
        system,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        ssl_context: ssl.SSLContext | None = None,
        more_seconds: float = 60.0,
        negotiation_seconds: float = NEGOTIATION_SECONDS,
        logo_seconds: float = 3.0,
        logon_timeout: float | None = LOGON_TIMEOUT_SECONDS,
        max_pending_per_address: int | None = MAX_PENDING_PER_ADDRESS,
    ):
        self.system = system
        self.logon_timeout = logon_timeout
        self.max_pending_per_address = max_pending_per_address
        self.logo_seconds = logo_seconds
        self.negotiation_seconds = negotiation_seconds
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self.more_seconds = more_seconds
        self.connections: set[Connection] = set()
        self._names: set[str] = set()
        self._next = 0
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> int:
        """Start listening; returns the port (useful with port 0)."""
        self._server = await asyncio.start_server(
            self._accept, self.host, self.port, ssl=self.ssl_context
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def serve_forever(self) -> None:
        await self._server.serve_forever()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            conn.writer.close()  # each read loop then ends by itself
        if self._tasks:
            done, stuck = await asyncio.wait(list(self._tasks), timeout=5)
            for task in stuck:
                task.cancel()
        if self._server is not None:
            await self._server.wait_closed()

    def pending_from(self, host: str) -> int:
        """Connections from ``host`` that are not logged on."""
        return sum(1 for c in self.connections if not c.logged_on and client_host(c.peer) == host)

    async def _accept(self, reader, writer) -> None:
        conn = Connection(self, reader, writer)
        host = client_host(conn.peer)
        pending = self.pending_from(host)
        if self.max_pending_per_address is not None and pending >= self.max_pending_per_address:
            self.system.log(
                f"TN3270 CONNECTION FROM {conn.peer} REFUSED: {pending} "
                "CONNECTIONS NOT LOGGED ON FROM THAT ADDRESS"
            )
            await conn.refuse(f"TOO MANY CONNECTIONS NOT LOGGED ON FROM {host}")
            return
        self.connections.add(conn)
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            await conn.run()
        finally:
            self.connections.discard(conn)
            self._tasks.discard(task)

    # -- terminal names (TN3270E CONNECT, the address CP shows) -------------------
    def claim_name(self, wanted: str | None) -> str | None:
        if wanted is not None:
            if wanted in self._names:
                return None
            self._names.add(wanted)
            return wanted
        while True:
            self._next += 1
            name = f"L{self._next:03X}"
            if name not in self._names:
                self._names.add(name)
                return name

    def release_name(self, name: str | None) -> None:
        self._names.discard(name)


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context
