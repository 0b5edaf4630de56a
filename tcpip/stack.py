"""One host's TCP/IP stack on one Ethernet interface.

The stack is a pure protocol engine: frames come in through ``input()``,
go out through the ``send_frame`` callable it was given, and time is what
the ``clock`` callable says; ``poll()`` runs the timers that are due.  It
starts no threads, does no I/O and keeps no global state, so any number of
stacks live in one process (one per guest, one for CP's gateway).

Everything it holds is bounded: sockets (``MAX_SOCKETS``), TCP connections
(``MAX_CONNECTIONS``, each with 64 KiB buffers), the ARP cache and its
queues, socket receive queues.
"""

from __future__ import annotations

import time
import zlib
from collections import deque

from . import arp, ethernet, fragments, icmp, ip, tcp, tcp_socket, udp
from .errors import SocketError

MAX_SOCKETS = 64
#: TCP connections of every state, with or without a socket (TIME-WAIT, orphans).
MAX_CONNECTIONS = 256
ICMP_ERRORS_PER_SECOND = 50
EPHEMERAL_FIRST = 49152  # RFC 6335 6: the dynamic ports
EPHEMERAL_LAST = 65535
KINDS = ("STREAM", "DGRAM", "RAW_ICMP")
COUNTERS = (
    "frames_in",
    "frames_out",
    "frames_out_failed",
    "bytes_in",
    "bytes_out",
    "arp_in",
    "arp_out",
    "arp_conflicts",
    "ip_in",
    "ip_out",
    "icmp_in",
    "icmp_out",
    "icmp_echo_answered",
    "icmp_errors_limited",
    "udp_in",
    "udp_out",
    "tcp_in",
    "tcp_out",
    "dropped_malformed",
    "dropped_checksum",
    "dropped_not_ours",
    "dropped_no_socket",
    "dropped_fragments",
    "dropped_unsupported",
    "dropped_queue_full",
    "dropped_no_route",
    "dropped_arp_failed",
    "dropped_arp_queue",
    "syn_dropped_backlog",
    "syn_dropped_limit",
    "tcp_active_opens",
    "tcp_passive_opens",
    "tcp_connect_failures",
    "tcp_retransmits",
    "tcp_fast_retransmits",
    "tcp_timeouts",
    "tcp_resets_sent",
    "tcp_resets_received",
    "tcp_resets_unread",
    "tcp_time_wait_recycled",
    "tcp_out_of_order",
    "tcp_dropped_out_of_order",
    "tcp_duplicate_segments",
    "input_errors",
    "ip_fragments_in",
    "ip_fragments_out",
    "ip_reassembled",
    "dropped_reassembly_timeout",
)


class Stack:
    def __init__(
        self,
        mac: bytes,
        address: str,
        netmask: str = "255.255.255.0",
        gateway: str | None = None,
        send_frame=None,
        clock=None,
        name: str = "",
        router: bool = False,
    ):
        """A host ``address``/``netmask`` with MAC ``mac``; frames go to
        ``send_frame(bytes)``; ``clock()`` gives seconds (time.monotonic if None).

        ``router``: the stack is a LAN's gateway; a datagram sent to its MAC
        for an address that is not its own gets ICMP host unreachable
        (RFC 1812 4.3.2.3, 5.2.7.1) instead of a silent drop."""
        if len(mac) != 6 or ethernet.is_group(mac):
            raise ValueError("mac must be 6 bytes, individual (not group)")
        if send_frame is None:
            raise ValueError("send_frame is required")
        self.mac = bytes(mac)
        self._address = ip.aton(address)
        self._netmask = ip.aton(netmask)
        self._gateway = ip.aton(gateway) if gateway else None
        self._mask_value = ip.to_int(self._netmask)
        self._network_value = ip.to_int(self._address) & self._mask_value
        host_bits = ~self._mask_value & 0xFFFFFFFF
        # A /32 has no broadcast address of its own.
        self._subnet_broadcast = (
            (self._network_value | host_bits).to_bytes(4, "big")
            if host_bits
            else ip.LIMITED_BROADCAST
        )
        self.name = name
        self.router = router
        self._send_frame_out = send_frame
        self.clock = clock if clock is not None else time.monotonic
        self.counters: dict[str, int] = dict.fromkeys(COUNTERS, 0)
        self._reassembly = fragments.Reassembly(self.counters)
        self._arp = arp.Arp(
            self.mac, self._address, self._frame_out, self.counters, self._host_unreachable
        )
        self._sockets: dict[int, object] = {}
        self._bound: dict[tuple[str, int], object] = {}  # (kind, port) -> socket
        self._any_port: dict[str, object] = {}  # kind -> the gateway's catch-all socket
        self.connections_by_key: dict[tuple, tcp.Connection] = {}
        self.max_connections = MAX_CONNECTIONS
        self._ident = 0
        self._next_ephemeral = EPHEMERAL_FIRST + zlib.crc32(self.mac) % 1000
        self._loopback: deque[bytes] = deque()
        self._icmp_second, self._icmp_sent = 0, 0
        self._looping = False
        self.last_input_error: str | None = None  # what input_errors last counted
        self.last_output_error: str | None = None  # what frames_out_failed last counted

    # -- configuration -----------------------------------------------------
    @property
    def address(self) -> str:
        return ip.ntoa(self._address)

    @property
    def netmask(self) -> str:
        return ip.ntoa(self._netmask)

    @property
    def gateway(self) -> str | None:
        return ip.ntoa(self._gateway) if self._gateway else None

    def __repr__(self) -> str:
        return f"<Stack {self.name} {self.address} {ethernet.mac_text(self.mac)}>"

    # -- the interface ---------------------------------------------------------
    def input(self, frame: bytes) -> None:
        """Take one received Ethernet frame.  Never raises: what is not for us,
        malformed or unsupported is dropped and counted."""
        try:
            self._input(frame)
        except Exception as exc:  # a fault of the engine must not take the caller down
            self.counters["input_errors"] += 1
            self.last_input_error = f"{type(exc).__name__}: {exc}"
        self._run_loopback()

    def poll(self) -> float | None:
        """Run the timers due now; seconds until the next one, None when none is set.

        Datagrams sent to our own address are delivered here too; 0.0 means
        some are waiting (poll again)."""
        self._run_loopback()
        now = self.clock()
        deadlines = [self._arp.poll(now), self._reassembly.poll(now)]
        for connection in list(self.connections_by_key.values()):
            deadlines.append(connection.on_timer(now))
        self._run_loopback()
        if self._loopback:
            return 0.0
        deadlines = [d for d in deadlines if d is not None]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - now)

    def announce(self) -> None:
        """A gratuitous ARP for our address (RFC 5227 3); call once at start."""
        self._arp.announce()

    def close(self) -> None:
        """The host goes away (LOGOFF, the LAN detached): every connection is reset
        so its peer knows at once (RFC 9293 3.10.4 ABORT), every socket closed."""
        for connection in list(self.connections_by_key.values()):
            connection.reset("ECONNABORTED")
        for sock in list(self._sockets.values()):
            sock.close()
        self._loopback.clear()

    def arp_table(self) -> list[tuple[str, bytes]]:
        return [(ip.ntoa(a), mac) for a, mac in self._arp.table(self.clock())]

    def connections(self) -> list[dict]:
        """Every socket and TCP connection, for NETSTAT."""
        rows = []
        listed = set()
        for descriptor in sorted(self._sockets):
            sock = self._sockets[descriptor]
            row = self._socket_row(sock)
            if row is not None:
                rows.append(row)
            listed.add(id(getattr(sock, "connection", None)))
        for connection in self.connections_by_key.values():
            if id(connection) not in listed:
                rows.append(connection.row(None))
        return rows

    def _socket_row(self, sock) -> dict | None:
        if sock.kind == "STREAM":
            return sock.row()
        if sock.kind == "DGRAM" and sock.local is not None:
            return {
                "proto": "UDP",
                "local": self._name_of(sock.local),
                "remote": self._name_of(sock.peer) if sock.peer else None,
                "state": "UDP",
                "sent": sock.sent,
                "received": sock.received,
                "descriptor": sock.descriptor,
            }
        return None

    # -- sockets ---------------------------------------------------------------
    def socket(self, kind: str = "STREAM"):
        kind = str(kind).upper()
        classes = {
            "STREAM": tcp_socket.StreamSocket,
            "DGRAM": udp.DatagramSocket,
            "RAW_ICMP": icmp.RawIcmpSocket,
        }
        if kind not in classes:
            raise SocketError("EPROTONOSUPPORT")
        return self._new_socket(classes[kind])

    def _new_socket(self, cls):
        descriptor = next((d for d in range(MAX_SOCKETS) if d not in self._sockets), None)
        if descriptor is None:
            raise SocketError("EMFILE")
        sock = cls(self, descriptor)
        self._sockets[descriptor] = sock
        return sock

    def _release(self, sock) -> None:
        """Free a closed socket's descriptor and port."""
        self._sockets.pop(sock.descriptor, None)
        if sock.local is not None and self._bound.get((sock.kind, sock.local[1])) is sock:
            del self._bound[(sock.kind, sock.local[1])]
        if self._any_port.get(sock.kind) is sock:
            del self._any_port[sock.kind]

    def _release_port(self, sock) -> None:
        if sock.local is not None and self._bound.get((sock.kind, sock.local[1])) is sock:
            del self._bound[(sock.kind, sock.local[1])]
        sock.local = None

    def _parse_address(
        self, address, allow_any: bool = False, allow_port_zero: bool = False
    ) -> tuple[bytes, int]:
        """(4 bytes, port) from a caller's (dotted address, port); EINVAL if malformed."""
        try:
            text, port = address
            packed = ip.aton(text)
            port = int(port)
        except (TypeError, ValueError):
            raise SocketError("EINVAL") from None
        if not 0 <= port <= 0xFFFF or (port == 0 and not allow_port_zero and not allow_any):
            raise SocketError("EINVAL")
        if packed == ip.ANY and not allow_any:
            raise SocketError("EADDRNOTAVAIL")
        return packed, port

    def _name_of(self, local) -> tuple[str, int]:
        if local is None:
            return ("0.0.0.0", 0)
        return ip.ntoa(local[0]), local[1]

    def _bind(self, sock, address, any_port: bool = False) -> None:
        packed, port = self._parse_address(address, allow_any=True)
        if packed not in (ip.ANY, self._address):
            raise SocketError("EADDRNOTAVAIL")
        if any_port:
            if sock.kind in self._any_port:
                raise SocketError("EADDRINUSE")
            self._any_port[sock.kind] = sock
            sock.local = (packed, 0)
            return
        sock.ephemeral = port == 0
        if port == 0:
            port = self._ephemeral_port(sock.kind)
        elif self._port_in_use(sock, port):
            raise SocketError("EADDRINUSE")
        self._bound[(sock.kind, port)] = sock
        sock.local = (packed, port)

    def _port_in_use(self, sock, port: int) -> bool:
        if (sock.kind, port) in self._bound:
            return True
        if sock.kind != "STREAM" or sock.options.get("SO_REUSEADDR"):
            return False
        # A port a connection still uses (TIME-WAIT, an orphan) needs SO_REUSEADDR.
        return any(key[1] == port for key in self.connections_by_key)

    def _ephemeral_port(self, kind: str) -> int:
        span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1
        used = {key[1] for key in self.connections_by_key} if kind == "STREAM" else set()
        for _ in range(span):
            port = self._next_ephemeral
            self._next_ephemeral = EPHEMERAL_FIRST + (port + 1 - EPHEMERAL_FIRST) % span
            if (kind, port) not in self._bound and port not in used:
                return port
        raise SocketError("EADDRNOTAVAIL")

    # -- output ----------------------------------------------------------------
    def _frame_out(self, frame: bytes) -> None:
        """Hand a frame to the interface.  A frame the interface fails to take is
        a lost frame (TCP sends it again): counted, never an exception in the
        middle of a protocol's bookkeeping."""
        try:
            self._send_frame_out(frame)
        except Exception as exc:
            self.counters["frames_out_failed"] += 1
            self.last_output_error = f"{type(exc).__name__}: {exc}"
            return
        self.counters["frames_out"] += 1
        self.counters["bytes_out"] += len(frame)

    def next_hop(self, destination: bytes) -> bytes | None:
        """Where a datagram for ``destination`` goes on the LAN (RFC 1122 3.3.1.1):
        itself when on our subnet, else the gateway; None when there is no route."""
        if self._on_subnet(destination) or destination == ip.LIMITED_BROADCAST:
            return destination
        return self._gateway

    def _on_subnet(self, address: bytes) -> bool:
        return ip.to_int(address) & self._mask_value == self._network_value

    def _is_broadcast(self, address: bytes) -> bool:
        """The limited broadcast or our subnet's (RFC 1122 3.2.1.3)."""
        return address == ip.LIMITED_BROADCAST or address == self._subnet_broadcast

    def _send_ip(self, destination: bytes, protocol: int, payload) -> None:
        """Send an IP datagram; SocketError ENETUNREACH when there is no route."""
        hop = self.next_hop(destination)
        if hop is None:
            self.counters["dropped_no_route"] += 1
            raise SocketError("ENETUNREACH")
        self._ident += 1
        packet = ip.build(self._address, destination, protocol, payload, self._ident)
        self.counters["ip_out"] += 1
        self.counters[_OUT_COUNTER[protocol]] += 1
        if destination == self._address:
            # Datagrams to ourselves are delivered by the next input() or poll()
            # (which then returns 0.0), never inside the call that sent them.
            self._loopback.append(packet)
            return
        packets = ip.fragment(packet, ethernet.MTU)
        if len(packets) > 1:
            self.counters["ip_fragments_out"] += len(packets)
        if self._is_broadcast(destination):
            for piece in packets:
                self._frame_out(
                    ethernet.build(ethernet.BROADCAST, self.mac, ethernet.TYPE_IPV4, piece)
                )
            return
        self._arp.send_ip(hop, packets, self.clock())

    def _send_udp(self, source_port: int, destination: tuple[bytes, int], data: bytes) -> None:
        self._send_ip(destination[0], ip.PROTO_UDP, udp.build(source_port, destination[1], data))

    def _send_icmp(self, destination: bytes, message: bytes) -> None:
        try:
            self._send_ip(destination, ip.PROTO_ICMP, message)
        except SocketError:
            pass  # no route back: nothing to tell

    def _send_unreachable(self, code: int, datagram: ip.Datagram) -> None:
        """Destination unreachable about ``datagram`` (RFC 1122 3.2.2): never about
        an ICMP error, and at most ``ICMP_ERRORS_PER_SECOND`` (RFC 1812 4.3.2.8)."""
        if datagram.fragment_offset or (
            datagram.protocol == ip.PROTO_ICMP
            and (not datagram.payload or datagram.payload[0] in icmp.ERROR_TYPES)
        ):
            return  # RFC 1122 3.2.2: not about ICMP errors nor about later fragments
        second = int(self.clock())
        if second != self._icmp_second:
            self._icmp_second, self._icmp_sent = second, 0
        if self._icmp_sent >= ICMP_ERRORS_PER_SECOND:
            self.counters["icmp_errors_limited"] += 1
            return
        self._icmp_sent += 1
        self._send_icmp(datagram.source, icmp.unreachable(code, datagram))

    def _run_loopback(self) -> None:
        """Deliver datagrams we sent to ourselves, outside the call that sent them."""
        if self._looping:
            return
        self._looping = True
        try:
            while self._loopback:
                packet = self._loopback.popleft()
                self._input(
                    ethernet.build(self.mac, self.mac, ethernet.TYPE_IPV4, packet), loopback=True
                )
        except Exception as exc:
            self.counters["input_errors"] += 1
            self.last_input_error = f"{type(exc).__name__}: {exc}"
        finally:
            self._looping = False

    def _host_unreachable(self, address: bytes) -> None:
        """ARP gave up on ``address``: connections still opening through it fail."""
        for connection in list(self.connections_by_key.values()):
            if self.next_hop(connection.remote[0]) == address:
                connection.unreachable("EHOSTUNREACH")

    # -- input -----------------------------------------------------------------
    def _input(self, frame, loopback: bool = False) -> None:
        if not loopback:
            self.counters["frames_in"] += 1
            self.counters["bytes_in"] += len(frame)
        parsed = ethernet.parse(frame)
        if parsed is None:
            self.counters["dropped_malformed"] += 1
            return
        destination, source, ether_type, payload = parsed
        if destination != self.mac and destination != ethernet.BROADCAST:
            self.counters["dropped_not_ours"] += 1
            return
        if source == self.mac and not loopback:
            self.counters["dropped_not_ours"] += 1  # our own frame echoed back
            return
        if ether_type == ethernet.TYPE_ARP:
            self.counters["arp_in"] += 1
            self._arp.input(payload, self.clock())
        elif ether_type == ethernet.TYPE_IPV4:
            self._ip_input(payload, destination == ethernet.BROADCAST)
        else:
            self.counters["dropped_unsupported"] += 1

    def _ip_input(self, payload, link_broadcast: bool) -> None:
        self.counters["ip_in"] += 1
        datagram = ip.parse(payload)
        if isinstance(datagram, str):
            self.counters[datagram] += 1
            return
        broadcast = self._is_broadcast(datagram.destination)
        if datagram.destination != self._address and not broadcast:
            self.counters["dropped_not_ours"] += 1
            if self.router and not link_broadcast:
                self._send_unreachable(icmp.CODE_HOST_UNREACHABLE, datagram)
            return
        if datagram.is_fragment:
            datagram = self._reassembly.add(datagram, self.clock())
            if datagram is None:
                return  # more pieces to come (or the datagram was thrown away)
        handler = {
            ip.PROTO_ICMP: self._icmp_input,
            ip.PROTO_UDP: self._udp_input,
            ip.PROTO_TCP: self._tcp_input,
        }.get(datagram.protocol)
        if handler is None:
            self.counters["dropped_unsupported"] += 1
            if not broadcast:  # RFC 1122 3.2.2.1: protocol unreachable
                self._send_unreachable(icmp.CODE_PROTOCOL_UNREACHABLE, datagram)
            return
        handler(datagram, broadcast)

    def _icmp_input(self, datagram: ip.Datagram, broadcast: bool) -> None:
        self.counters["icmp_in"] += 1
        message = icmp.parse(datagram)
        if isinstance(message, str):
            self.counters[message] += 1
            return
        if message.type == icmp.ECHO_REQUEST:
            if not broadcast:  # RFC 1122 3.2.2.6: MAY ignore broadcast echo; we do
                self.counters["icmp_echo_answered"] += 1
                self._send_icmp(datagram.source, icmp.echo_reply(message))
            return
        raw = bytes(datagram.payload)
        for sock in list(self._sockets.values()):
            if sock.kind == "RAW_ICMP":
                sock.deliver(raw, datagram.source, self.counters)
        if message.type == icmp.UNREACHABLE:
            self._unreachable_arrived(message)

    def _unreachable_arrived(self, message) -> None:
        """Destination unreachable for something we sent (RFC 1122 3.2.2.1, 4.2.3.9)."""
        quote = icmp.quoted(message)
        if quote is None:
            return
        source, sport, destination, dport, protocol = quote
        if source != self._address:
            return
        if protocol == ip.PROTO_TCP:
            connection = self.connections_by_key.get((source, sport, destination, dport))
            if connection is not None:
                connection.icmp_unreachable(message.code)
        elif protocol == ip.PROTO_UDP and message.code == icmp.CODE_PORT_UNREACHABLE:
            sock = self._bound.get(("DGRAM", sport))
            if sock is not None and sock.peer == (destination, dport):
                sock.refused()

    def _udp_input(self, datagram: ip.Datagram, broadcast: bool) -> None:
        self.counters["udp_in"] += 1
        parsed = udp.parse(datagram)
        if isinstance(parsed, str):
            self.counters[parsed] += 1
            return
        source_port, destination_port, data = parsed
        sock = self._bound.get(("DGRAM", destination_port)) or self._any_port.get("DGRAM")
        if sock is None:
            self.counters["dropped_no_socket"] += 1
            if not broadcast:  # RFC 1122 3.2.2.1 (never for broadcasts, 3.2.2)
                self._send_unreachable(icmp.CODE_PORT_UNREACHABLE, datagram)
            return
        sock.deliver(
            data,
            (datagram.source, source_port),
            (datagram.destination, destination_port),
            self.counters,
        )

    def _tcp_input(self, datagram: ip.Datagram, broadcast: bool) -> None:
        self.counters["tcp_in"] += 1
        if broadcast:  # RFC 1122 4.2.3.10: TCP ignores broadcast segments
            self.counters["dropped_not_ours"] += 1
            return
        segment = tcp.parse(datagram)
        if isinstance(segment, str):
            self.counters[segment] += 1
            return
        tcp.demultiplex(self, segment)


_OUT_COUNTER = {ip.PROTO_ICMP: "icmp_out", ip.PROTO_UDP: "udp_out", ip.PROTO_TCP: "tcp_out"}
