"""ICMP (RFC 792) for a host (RFC 1122 3.2.2): echo, errors, and the raw ICMP socket.

The stack answers echo requests itself (RFC 1122 3.2.2.6) and sends port
unreachable for UDP to a closed port (RFC 1122 3.2.2.1).  A RAW_ICMP socket
(what PING uses) receives every other ICMP message that arrives: echo
replies and errors, whole, with the source address and port 0.  On sendto
the stack fills in the message's checksum.
"""

from __future__ import annotations

import struct
from collections import deque

import dpkt

from . import ip
from .errors import SocketError
from .sockets import Socket

ECHO_REPLY = 0
UNREACHABLE = 3
ECHO_REQUEST = 8
TIME_EXCEEDED = 11
#: RFC 1122 3.2.2: the error messages (no error is sent about one of them).
ERROR_TYPES = frozenset({3, 4, 5, 11, 12})
CODE_NET_UNREACHABLE = 0
CODE_HOST_UNREACHABLE = 1
CODE_PROTOCOL_UNREACHABLE = 2
CODE_PORT_UNREACHABLE = 3
#: Errors quote the offending datagram's header and 8 bytes of its data (RFC 792).
QUOTED_DATA = 8
QUEUE_MESSAGES = 64
MAX_MESSAGE = 65535 - ip.HEADER_LENGTH  # larger messages go in fragments


def parse(datagram: ip.Datagram) -> dpkt.icmp.ICMP | str:
    """The checked ICMP message, or the counter name of the drop."""
    message = datagram.payload
    if len(message) < 8:
        return "dropped_malformed"
    if not ip.checksum_ok(message):
        return "dropped_checksum"
    try:
        return dpkt.icmp.ICMP(bytes(message))
    except (dpkt.UnpackError, struct.error):
        return "dropped_malformed"


def echo_reply(request: dpkt.icmp.ICMP) -> bytes:
    """RFC 792 Echo Reply: the request's identifier, sequence number and data."""
    return bytes(dpkt.icmp.ICMP(type=ECHO_REPLY, code=0, data=request.data))


def unreachable(code: int, offending: ip.Datagram) -> bytes:
    """RFC 792 Destination Unreachable quoting the offending datagram."""
    quote = offending.header + bytes(offending.payload[:QUOTED_DATA])
    return bytes(
        dpkt.icmp.ICMP(type=UNREACHABLE, code=code, data=dpkt.icmp.ICMP.Unreach(data=quote))
    )


def with_checksum(message: bytes) -> bytes:
    """``message`` with its checksum field computed (RFC 792)."""
    zeroed = message[:2] + b"\x00\x00" + message[4:]
    return zeroed[:2] + ip.checksum(zeroed).to_bytes(2, "big") + zeroed[4:]


def quoted(message: dpkt.icmp.ICMP) -> tuple[bytes, int, bytes, int, int] | None:
    """(source, source port, destination, destination port, protocol) of the datagram
    an ICMP error quotes, or None when the quote is too short."""
    quote = bytes(message.data)[4:]  # after the unused/MTU word
    if len(quote) < 20:
        return None
    header_length = (quote[0] & 0x0F) * 4
    if len(quote) < header_length + 4:
        return None
    sport, dport = struct.unpack_from("!HH", quote, header_length)
    return quote[12:16], sport, quote[16:20], dport, quote[9]


class RawIcmpSocket(Socket):
    kind = "RAW_ICMP"

    def __init__(self, stack, descriptor: int):
        super().__init__(stack, descriptor)
        self._queue: deque[tuple[bytes, bytes]] = deque()
        self.sent = 0
        self.received = 0

    @property
    def state(self) -> str:
        return "CLOSED" if self.closed else "OPEN"

    def bind(self, address) -> None:
        self._check_open()
        self.local = (self._stack._parse_address((address[0], 0), allow_any=True)[0], 0)

    def sendto(self, data, address) -> int:
        self._check_open()
        data = bytes(data)
        if len(data) < 8:
            raise SocketError("EINVAL")
        if len(data) > MAX_MESSAGE:
            raise SocketError("EMSGSIZE")
        destination = self._stack._parse_address((address[0], 0), allow_port_zero=True)[0]
        self._stack._send_ip(destination, ip.PROTO_ICMP, with_checksum(data))
        self.sent += len(data)
        return len(data)

    def recvfrom(self, size: int = 65536) -> tuple[bytes, tuple[str, int]]:
        self._check_open()
        if not self._queue:
            raise SocketError("EWOULDBLOCK")
        message, source = self._queue.popleft()
        return message[: max(0, size)], (ip.ntoa(source), 0)

    def recv(self, size: int = 65536) -> bytes:
        return self.recvfrom(size)[0]

    def deliver(self, message: bytes, source: bytes, counters: dict) -> None:
        if len(self._queue) >= QUEUE_MESSAGES:
            counters["dropped_queue_full"] += 1
            return
        self._queue.append((message, source))
        self.received += len(message)

    def readable(self) -> bool:
        return bool(self._queue)

    def writable(self) -> bool:
        return not self.closed

    def close(self) -> None:
        if not self.closed:
            self._stack._release(self)
            self.closed = True
            self._queue.clear()
