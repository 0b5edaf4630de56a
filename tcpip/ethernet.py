"""Ethernet II framing (RFC 894: IPv4 over Ethernet).

Only Ethernet II frames (type field >= X'0600') are taken; IEEE 802.3/LLC,
VLAN-tagged and other frames are not for a host on a guest LAN.  The 14-byte
header is read with ``struct``: dpkt's Ethernet decoder guesses at LLC, ISL
and MPLS payloads, which a strict host must not do.
"""

from __future__ import annotations

import struct

BROADCAST = b"\xff" * 6
TYPE_IPV4 = 0x0800
TYPE_ARP = 0x0806
HEADER = struct.Struct("!6s6sH")
HEADER_LENGTH = 14
#: IEEE 802.3: the shortest frame is 64 bytes, 60 without the FCS; shorter
#: frames are padded with zeros (RFC 894).
MINIMUM_FRAME = 60
#: The payload of a standard Ethernet frame (RFC 894): the IP MTU.
MTU = 1500


def parse(frame: bytes) -> tuple[bytes, bytes, int, memoryview] | None:
    """(destination, source, type, payload) of an Ethernet II frame, or None."""
    if len(frame) < HEADER_LENGTH:
        return None
    destination, source, ether_type = HEADER.unpack_from(frame)
    if ether_type < 0x0600:  # an 802.3 length field: not Ethernet II
        return None
    return destination, source, ether_type, memoryview(frame)[HEADER_LENGTH:]


def build(destination: bytes, source: bytes, ether_type: int, payload: bytes) -> bytes:
    """An Ethernet II frame, padded to the 60-byte minimum."""
    frame = HEADER.pack(destination, source, ether_type) + payload
    if len(frame) < MINIMUM_FRAME:
        frame += bytes(MINIMUM_FRAME - len(frame))
    return frame


def is_group(mac: bytes) -> bool:
    """The group bit (IEEE 802): broadcast and multicast destinations."""
    return bool(mac[0] & 1)


def mac_text(mac: bytes) -> str:
    """A MAC the way z/VM shows it: 02-00-00-00-00-01."""
    return "-".join(f"{b:02X}" for b in mac)
