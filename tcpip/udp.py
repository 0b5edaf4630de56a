"""UDP (RFC 768) datagram sockets.

A datagram larger than 1472 bytes (1500 less the IP and UDP headers) goes out
in IP fragments; past 65507 bytes (the largest IP datagram less the headers)
sendto fails with EMSGSIZE.  Each socket keeps at most ``QUEUE_DATAGRAMS`` datagrams or
``QUEUE_BYTES`` bytes waiting; more are dropped and counted.
"""

from __future__ import annotations

from collections import deque

import dpkt

from . import ip
from .errors import SocketError
from .sockets import Socket

HEADER_LENGTH = 8
MAX_PAYLOAD = 65535 - ip.HEADER_LENGTH - HEADER_LENGTH
QUEUE_DATAGRAMS = 64
QUEUE_BYTES = 65536


def parse(datagram: ip.Datagram) -> tuple[int, int, bytes] | str:
    """(source port, destination port, data) or the counter name of the drop."""
    segment = datagram.payload
    if len(segment) < HEADER_LENGTH:
        return "dropped_malformed"
    length = int.from_bytes(segment[4:6], "big")
    if length < HEADER_LENGTH or length > len(segment):
        return "dropped_malformed"
    segment = segment[:length]
    # RFC 768: a zero checksum means the sender computed none.
    if segment[6:8] != b"\x00\x00" and not ip.transport_checksum_ok(
        datagram.source, datagram.destination, ip.PROTO_UDP, segment
    ):
        return "dropped_checksum"
    header = dpkt.udp.UDP(bytes(segment[:HEADER_LENGTH]))
    return header.sport, header.dport, bytes(segment[HEADER_LENGTH:])


def build(source_port: int, destination_port: int, data: bytes) -> dpkt.udp.UDP:
    """A UDP header and data; ip.build fills in length-dependent checksum."""
    return dpkt.udp.UDP(
        sport=source_port, dport=destination_port, ulen=HEADER_LENGTH + len(data), data=data
    )


class DatagramSocket(Socket):
    kind = "DGRAM"

    def __init__(self, stack, descriptor: int):
        super().__init__(stack, descriptor)
        self.peer: tuple[bytes, int] | None = None
        self.any_port = False
        self.last_destination: tuple[str, int] | None = None
        self._queue: deque[tuple[bytes, tuple[bytes, int], tuple[bytes, int]]] = deque()
        self._queued_bytes = 0
        self.sent = 0
        self.received = 0

    @property
    def state(self) -> str:
        return "CLOSED" if self.closed else ("BOUND" if self.local else "UNBOUND")

    def bind(self, address, any_port: bool = False) -> None:
        """Bind to (address, port); ``any_port``: the gateway's catch-all for unbound ports."""
        self._check_open()
        if self.local is not None:
            raise SocketError("EINVAL")
        self._stack._bind(self, address, any_port)
        self.any_port = any_port

    def connect(self, address) -> None:
        """Fix the peer: send() goes there and only its datagrams are received."""
        self._check_open()
        self.peer = self._stack._parse_address(address)
        if self.local is None:
            self._stack._bind(self, ("0.0.0.0", 0))

    def getpeername(self) -> tuple[str, int]:
        self._check_open()
        if self.peer is None:
            raise SocketError("ENOTCONN")
        return self._stack._name_of(self.peer)

    def sendto(self, data, address, source_port: int | None = None) -> int:
        self._check_open()
        destination = self._stack._parse_address(address)
        return self._send(bytes(data), destination, source_port)

    def send(self, data) -> int:
        self._check_open()
        if self.peer is None:
            raise SocketError("ENOTCONN")
        return self._send(bytes(data), self.peer, None)

    def _send(self, data: bytes, destination: tuple[bytes, int], source_port) -> int:
        if len(data) > MAX_PAYLOAD:
            raise SocketError("EMSGSIZE")
        if destination[1] == 0:
            raise SocketError("EADDRNOTAVAIL")
        if self.local is None:
            self._stack._bind(self, ("0.0.0.0", 0))
        port = self.local[1] if source_port is None else int(source_port)
        if not 0 < port <= 0xFFFF:
            raise SocketError("EINVAL")
        self._stack._send_udp(port, destination, data)
        self.sent += len(data)
        return len(data)

    def recvfrom(self, size: int = 65536) -> tuple[bytes, tuple[str, int]]:
        """The next datagram (cut to ``size``, the rest is lost) and its source."""
        self._check_open()
        if not self._queue:
            if self.error is not None:
                error, self.error = self.error, None
                raise SocketError(error)
            raise SocketError("EWOULDBLOCK")
        data, source, destination = self._queue.popleft()
        self._queued_bytes -= len(data)
        self.last_destination = self._stack._name_of(destination)
        return data[: max(0, size)], self._stack._name_of(source)

    def recv(self, size: int = 65536) -> bytes:
        return self.recvfrom(size)[0]

    def deliver(
        self, data: bytes, source: tuple[bytes, int], destination: tuple[bytes, int], counters: dict
    ) -> None:
        if self.peer is not None and source != self.peer:
            counters["dropped_not_ours"] += 1
            return
        if len(self._queue) >= QUEUE_DATAGRAMS or self._queued_bytes + len(data) > QUEUE_BYTES:
            counters["dropped_queue_full"] += 1
            return
        self._queue.append((data, source, destination))
        self._queued_bytes += len(data)
        self.received += len(data)

    def refused(self) -> None:
        """An ICMP port unreachable came back for a datagram of a connected socket."""
        if self.peer is not None:
            self.error = "ECONNREFUSED"

    def readable(self) -> bool:
        return bool(self._queue) or self.error is not None

    def writable(self) -> bool:
        return not self.closed

    def shutdown(self, how: int = 2) -> None:
        self._check_open()

    def close(self) -> None:
        if not self.closed:
            self._stack._release(self)
            self.closed = True
            self._queue.clear()
