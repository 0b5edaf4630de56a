"""ARP (RFC 826) for one interface: the cache, resolution and announcements.

* The cache is bounded (``CACHE_LIMIT`` entries, the oldest goes first) and
  entries expire after ``CACHE_LIFETIME`` seconds.
* While an address is being resolved, the datagrams for it wait in a short
  queue (RFC 1122 2.3.2.2: at least one SHOULD be kept; here at most 8
  datagrams and 128 KiB per address, 16 addresses); the request is
  repeated every ``RETRY_INTERVAL`` seconds (RFC 1122 2.3.2.1: no more than
  one a second) and after ``TRIES`` requests the destination is unreachable:
  the queue is dropped and the owner is told (TCP's connect fails with
  EHOSTUNREACH).
* ``announce()`` sends a gratuitous ARP (RFC 5227 section 3, an ARP
  Announcement: a request whose sender and target are both our address).
  Announcements heard from others update the cache, and add their sender:
  the LAN's gateway learns the guests that way.
"""

from __future__ import annotations

from collections import OrderedDict, deque

import dpkt

from . import ethernet

CACHE_LIMIT = 64
CACHE_LIFETIME = 300.0
RETRY_INTERVAL = 1.0
TRIES = 3
PENDING_PER_ADDRESS = 8
PENDING_BYTES = 128 * 1024  # per address: room for the largest datagram, fragmented
PENDING_ADDRESSES = 16
_REQUEST = dpkt.arp.ARP_OP_REQUEST
_REPLY = dpkt.arp.ARP_OP_REPLY


class _Pending:
    __slots__ = ("packets", "tries", "retry_at")

    def __init__(self, retry_at: float):
        self.packets: deque[list[bytes]] = deque()  # datagrams (each whole or in fragments)
        self.tries = 1
        self.retry_at = retry_at

    def size(self) -> int:
        return sum(len(packet) for packets in self.packets for packet in packets)


class Arp:
    """The ARP side of one interface (our ``address`` and ``mac``)."""

    def __init__(
        self,
        mac: bytes,
        address: bytes,
        send_frame,
        counters: dict,
        unreachable=lambda address: None,
    ):
        self.mac = mac
        self.address = address
        self._send_frame = send_frame
        self._counters = counters
        self._unreachable = unreachable
        self._cache: OrderedDict[bytes, tuple[bytes, float]] = OrderedDict()
        self._pending: dict[bytes, _Pending] = {}

    # -- the cache -------------------------------------------------------
    def lookup(self, address: bytes, now: float) -> bytes | None:
        entry = self._cache.get(address)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._cache[address]
            return None
        return entry[0]

    def table(self, now: float) -> list[tuple[bytes, bytes]]:
        return [(a, mac) for a, (mac, expires) in self._cache.items() if expires > now]

    def _learn(self, address: bytes, mac: bytes, now: float) -> None:
        self._cache.pop(address, None)
        self._cache[address] = (mac, now + CACHE_LIFETIME)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        self._flush(address, mac)

    # -- sending ---------------------------------------------------------
    def send_ip(self, next_hop: bytes, packets: list[bytes], now: float) -> None:
        """Send an IP datagram (``packets``: it whole, or its fragments) to
        ``next_hop`` on the LAN, resolving the address first if need be."""
        mac = self.lookup(next_hop, now)
        if mac is not None:
            self._send_packets(mac, packets)
            return
        pending = self._pending.get(next_hop)
        if pending is None:
            if len(self._pending) >= PENDING_ADDRESSES:
                self._counters["dropped_arp_queue"] += 1
                return
            pending = self._pending[next_hop] = _Pending(now + RETRY_INTERVAL)
            self._request(next_hop)
        pending.packets.append(packets)
        while len(pending.packets) > PENDING_PER_ADDRESS or pending.size() > PENDING_BYTES:
            pending.packets.popleft()  # the oldest goes
            self._counters["dropped_arp_queue"] += 1

    def _send_packets(self, mac: bytes, packets: list[bytes]) -> None:
        for packet in packets:
            self._send_frame(ethernet.build(mac, self.mac, ethernet.TYPE_IPV4, packet))

    def _flush(self, address: bytes, mac: bytes) -> None:
        pending = self._pending.pop(address, None)
        if pending is not None:
            for packets in pending.packets:
                self._send_packets(mac, packets)

    def _request(self, target: bytes) -> None:
        self._send(_REQUEST, ethernet.BROADCAST, b"\x00" * 6, target)

    def announce(self) -> None:
        """RFC 5227 3: an ARP Announcement of our address (a gratuitous ARP)."""
        self._send(_REQUEST, ethernet.BROADCAST, b"\x00" * 6, self.address)

    def _send(self, op: int, destination: bytes, target_mac: bytes, target: bytes) -> None:
        packet = dpkt.arp.ARP(op=op, sha=self.mac, spa=self.address, tha=target_mac, tpa=target)
        self._counters["arp_out"] += 1
        self._send_frame(ethernet.build(destination, self.mac, ethernet.TYPE_ARP, bytes(packet)))

    # -- receiving (RFC 826 "Packet Reception") --------------------------
    def input(self, payload: memoryview, now: float) -> None:
        try:
            packet = dpkt.arp.ARP(bytes(payload))
        except dpkt.UnpackError:
            self._counters["dropped_malformed"] += 1
            return
        if (
            packet.hrd != dpkt.arp.ARP_HRD_ETH
            or packet.pro != ethernet.TYPE_IPV4
            or packet.hln != 6
            or packet.pln != 4
            or packet.op not in (_REQUEST, _REPLY)
        ):
            self._counters["dropped_unsupported"] += 1
            return
        sender, sender_mac, target = packet.spa, packet.sha, packet.tpa
        if ethernet.is_group(sender_mac) or sender == b"\x00\x00\x00\x00":
            self._counters["dropped_malformed"] += 1
            return
        if sender == self.address:
            if sender_mac != self.mac:
                self._counters["arp_conflicts"] += 1  # someone else claims our address
            return
        # RFC 826: merge (update an entry we have), then add if we are the target;
        # an announcement (sender = target) is learnt as well.
        if sender in self._cache or target == self.address or target == sender:
            self._learn(sender, sender_mac, now)
        if target == self.address and packet.op == _REQUEST:
            self._send(_REPLY, sender_mac, sender_mac, sender)

    # -- timers ----------------------------------------------------------
    def poll(self, now: float) -> float | None:
        """Repeat requests that are due, give up on dead addresses; the next deadline."""
        for address, pending in list(self._pending.items()):
            if pending.retry_at > now:
                continue
            if pending.tries >= TRIES:
                del self._pending[address]
                self._counters["dropped_arp_failed"] += len(pending.packets)
                self._unreachable(address)
            else:
                pending.tries += 1
                pending.retry_at = now + RETRY_INTERVAL
                self._request(address)
        for address in [a for a, (_, expires) in self._cache.items() if expires <= now]:
            del self._cache[address]
        # Cache entries expire lazily (lookup, table): no timer for them.
        return min((p.retry_at for p in self._pending.values()), default=None)
