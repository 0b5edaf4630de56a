"""IPv4 for a host (RFC 791, RFC 1122 section 3.2.1): addresses, checks, building,
fragmenting.  Reassembly is in ``fragments.py``.

TCP sends segments that fit the 1500-byte MTU (MSS 1460); a larger UDP or
ICMP datagram goes out in fragments (RFC 791 3.2, "fragmentation").
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
_MORE_FRAGMENTS = 0x2000  # the MF flag of the flags/fragment offset field
_OFFSET = 0x1FFF  # the fragment offset, in units of 8 bytes
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


def _words_sum_is_all_ones(value: int, odd: bool) -> bool:
    """Whether 16-bit words whose big-endian concatenation is ``value`` have the
    one's complement sum X'FFFF' (a right checksum, RFC 1071).

    2**16 = 1 modulo 65535, so the sum of the words is congruent to the whole
    number modulo 65535, and the folded sum is X'FFFF' exactly when that is 0
    and the words are not all zero.  An odd length is padded with a zero byte."""
    if odd:
        value <<= 8
    return value != 0 and value % 0xFFFF == 0


def checksum_ok(data) -> bool:
    """Whether ``data`` (which includes its checksum field) sums right: the
    check of RFC 1071, done with one big-integer operation instead of a loop."""
    return _words_sum_is_all_ones(int.from_bytes(data, "big"), len(data) % 2 == 1)


def transport_checksum_ok(source: bytes, destination: bytes, protocol: int, segment) -> bool:
    """Whether a TCP/UDP segment's checksum over the pseudo-header is right."""
    pseudo = int.from_bytes(_PSEUDO.pack(source, destination, protocol, len(segment)), "big")
    value = int.from_bytes(segment, "big")
    if len(segment) % 2:
        value <<= 8
    return _words_sum_is_all_ones(pseudo + value, False)


def transport_checksum(source: bytes, destination: bytes, protocol: int, segment) -> int:
    """TCP/UDP checksum over the pseudo-header (RFC 9293 3.1, RFC 768) and ``segment``.

    Over a segment that carries a right checksum the result is 0."""
    total = dpkt.in_cksum_add(0, _PSEUDO.pack(source, destination, protocol, len(segment)))
    total = dpkt.in_cksum_add(total, segment)
    return dpkt.in_cksum_done(total)


class Datagram:
    """The fields of a received IPv4 datagram the host needs, and its payload."""

    __slots__ = (
        "source",
        "destination",
        "protocol",
        "ttl",
        "header",
        "payload",
        "ident",
        "more_fragments",
        "fragment_offset",
    )

    def __init__(
        self,
        source,
        destination,
        protocol,
        ttl,
        header,
        payload,
        ident=0,
        more_fragments=False,
        fragment_offset=0,
    ):
        self.source = source
        self.destination = destination
        self.protocol = protocol
        self.ttl = ttl
        self.header = header  # the raw header bytes (ICMP errors quote it)
        self.payload = payload  # memoryview of the data, cut to the total length
        self.ident = ident
        self.more_fragments = more_fragments
        self.fragment_offset = fragment_offset  # in bytes

    @property
    def is_fragment(self) -> bool:
        return self.more_fragments or self.fragment_offset > 0


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
    if not checksum_ok(header):
        return "dropped_checksum"
    _, _, _, ident, flags_offset, ttl, protocol, _, source, destination = _HEADER.unpack_from(
        header
    )
    if source[0] >= 224:  # multicast, reserved or broadcast (RFC 1122 3.2.1.3)
        return "dropped_malformed"
    return Datagram(
        source,
        destination,
        protocol,
        ttl,
        header,
        packet[header_length:total_length],
        ident,
        bool(flags_offset & _MORE_FRAGMENTS),
        (flags_offset & _OFFSET) * 8,
    )


def build(
    source: bytes, destination: bytes, protocol: int, payload, ident: int, ttl: int = DEFAULT_TTL
) -> bytes:
    """An IPv4 datagram (RFC 791 3.1) around ``payload`` (bytes or a dpkt packet).

    dpkt packs the headers and fills in the total length and the header
    checksum.  A TCP or UDP packet is packed once here and its checksum over
    the pseudo-header filled in with ``transport_checksum_value`` (dpkt would
    pack it twice and sum it word by word)."""
    if protocol in _CHECKSUM_OFFSET and isinstance(payload, dpkt.Packet):
        payload = with_transport_checksum(source, destination, protocol, bytes(payload))
    packet = dpkt.ip.IP(
        src=source, dst=destination, p=protocol, ttl=ttl, id=ident & 0xFFFF, data=payload
    )
    return bytes(packet)


def fragment(packet: bytes, mtu: int) -> list[bytes]:
    """``packet`` (built by ``build``, 20-byte header) cut into fragments that fit
    ``mtu`` (RFC 791 3.2 "An Example Fragmentation Procedure"): every piece but
    the last carries a multiple of 8 bytes and More Fragments."""
    if len(packet) <= mtu:
        return [packet]
    header = dpkt.ip.IP(packet[:HEADER_LENGTH] + b"")  # the fields to copy
    data = packet[HEADER_LENGTH:]
    step = (mtu - HEADER_LENGTH) // 8 * 8
    pieces = []
    for start in range(0, len(data), step):
        chunk = data[start : start + step]
        more = start + step < len(data)
        piece = dpkt.ip.IP(
            src=header.src,
            dst=header.dst,
            p=header.p,
            ttl=header.ttl,
            id=header.id,
            mf=int(more),
            offset=start // 8,
            data=chunk,
        )
        pieces.append(bytes(piece))
    return pieces


#: Where the checksum field is in a TCP (RFC 9293 3.1) and a UDP (RFC 768) header.
_CHECKSUM_OFFSET = {PROTO_TCP: 16, PROTO_UDP: 6}


def transport_checksum_value(source: bytes, destination: bytes, protocol: int, segment) -> int:
    """The checksum to put in a segment whose checksum field is zero.

    The one's complement sum of the words is congruent to their big-endian
    concatenation modulo 65535 (2**16 = 1 mod 65535); a non-zero sum that is
    0 modulo 65535 folds to X'FFFF'.  The checksum is its complement."""
    pseudo = int.from_bytes(_PSEUDO.pack(source, destination, protocol, len(segment)), "big")
    value = int.from_bytes(segment, "big")
    if len(segment) % 2:
        value <<= 8
    folded = (pseudo + value) % 0xFFFF or 0xFFFF  # the pseudo-header is never all zeros
    return 0xFFFF - folded


def with_transport_checksum(source: bytes, destination: bytes, protocol: int, segment) -> bytes:
    """``segment`` (its checksum field zero) with the checksum filled in; a UDP
    checksum that comes out 0 is sent as X'FFFF' (RFC 768: 0 means none)."""
    value = transport_checksum_value(source, destination, protocol, segment)
    if protocol == PROTO_UDP and value == 0:
        value = 0xFFFF
    at = _CHECKSUM_OFFSET[protocol]
    return segment[:at] + value.to_bytes(2, "big") + segment[at + 2 :]
