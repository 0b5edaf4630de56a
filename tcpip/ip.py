"""IPv4 for a host (RFC 791, RFC 1122 section 3.2.1): addresses, checks, building.

The engine does not fragment and does not reassemble: the guest LAN carries
1500-byte IP packets whole (its MFS is 8192), TCP sends segments that fit
(MSS 1460) and UDP refuses datagrams that would not fit (EMSGSIZE).  A
fragment that arrives is dropped and counted (``dropped_fragments``).
"""

from __future__ import annotations

import struct

import dpkt

PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17
#: RFC 1122 3.2.1.7 / RFC 1700: the default TTL for a host's datagrams.
DEFAULT_TTL = 64
HEADER_LENGTH = 20
ANY = b"\x00\x00\x00\x00"
LIMITED_BROADCAST = b"\xff\xff\xff\xff"
_MF_OR_OFFSET = 0x3FFF  # the More Fragments flag and the fragment offset
_PSEUDO = struct.Struct("!4s4sxBH")
_HEADER = struct.Struct("!BBHHHBBH4s4s")


def aton(text: str) -> bytes:
    """The 4 bytes of a dotted-decimal address; ValueError if it is not one."""
    if not isinstance(text, str):
        raise ValueError(text)
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        raise ValueError(text)
    values = [int(p) for p in parts]
    if any(v > 255 for v in values):
        raise ValueError(text)
    return bytes(values)


def ntoa(address: bytes) -> str:
    return ".".join(str(b) for b in address)


def to_int(address: bytes) -> int:
    return int.from_bytes(address, "big")


def checksum(data) -> int:
    """The Internet checksum (RFC 1071) of ``data``; 0 over data that includes a right one."""
    return dpkt.in_cksum(bytes(data))


def transport_checksum(source: bytes, destination: bytes, protocol: int, segment) -> int:
    """TCP/UDP checksum over the pseudo-header (RFC 9293 3.1, RFC 768) and ``segment``.

    Over a segment that carries a right checksum the result is 0."""
    total = dpkt.in_cksum_add(0, _PSEUDO.pack(source, destination, protocol, len(segment)))
    total = dpkt.in_cksum_add(total, segment)
    return dpkt.in_cksum_done(total)


class Datagram:
    """The fields of a received IPv4 datagram the host needs, and its payload."""

    __slots__ = ("source", "destination", "protocol", "ttl", "header", "payload")

    def __init__(self, source, destination, protocol, ttl, header, payload):
        self.source = source
        self.destination = destination
        self.protocol = protocol
        self.ttl = ttl
        self.header = header  # the raw header bytes (ICMP errors quote it)
        self.payload = payload  # memoryview of the data, cut to the total length


def parse(packet: memoryview) -> Datagram | str:
    """A checked IPv4 datagram, or the counter name saying why it is dropped.

    RFC 1122 3.2.1.1-3.2.1.3: version 4, a header length of at least 5
    words, a total length that fits, a right header checksum; a source that
    is a broadcast or multicast address is discarded."""
    if len(packet) < HEADER_LENGTH:
        return "dropped_malformed"
    header_length = (packet[0] & 0x0F) * 4
    total_length = int.from_bytes(packet[2:4], "big")
    if packet[0] >> 4 != 4 or header_length < HEADER_LENGTH:
        return "dropped_malformed"
    if total_length < header_length or total_length > len(packet):
        return "dropped_malformed"
    header = bytes(packet[:header_length])
    if checksum(header) != 0:
        return "dropped_checksum"
    _, _, _, _, flags_offset, ttl, protocol, _, source, destination = _HEADER.unpack_from(header)
    if flags_offset & _MF_OR_OFFSET:
        return "dropped_fragments"
    if source[0] >= 224:  # multicast, reserved or broadcast (RFC 1122 3.2.1.3)
        return "dropped_malformed"
    return Datagram(source, destination, protocol, ttl, header,
                    packet[header_length:total_length])


def build(source: bytes, destination: bytes, protocol: int, payload, ident: int,
          ttl: int = DEFAULT_TTL) -> bytes:
    """An IPv4 datagram (RFC 791 3.1) around ``payload`` (bytes or a dpkt packet).

    dpkt fills in the total length and the header checksum, and the TCP or
    UDP checksum over the pseudo-header when the payload is a dpkt TCP/UDP
    packet whose ``sum`` is 0."""
    packet = dpkt.ip.IP(src=source, dst=destination, p=protocol, ttl=ttl, id=ident & 0xFFFF,
                        data=payload)
    return bytes(packet)
