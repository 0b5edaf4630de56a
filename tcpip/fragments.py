"""IPv4 reassembly (RFC 791 3.2 "reassembly", RFC 815), bounded.

RFC 1122 3.3.2: a host MUST reassemble.  Fragments wait, per (source,
destination, protocol, identification), until every piece is in, at most
``TIMEOUT`` seconds.  Memory is bounded: at most ``MAX_DATAGRAMS`` datagrams
in reassembly at once and ``MAX_BYTES`` bytes of pieces in all; a fragment
past the bounds, one reaching beyond 65535 bytes, or one overlapping a piece
already kept with other bytes (the overlap trick that hides headers from
filters; IPv6 forbids it outright, RFC 5722) throws the datagram away,
counted in ``dropped_fragments``; a datagram not complete in time in
``dropped_reassembly_timeout``.
"""

from __future__ import annotations

from . import ip

MAX_DATAGRAMS = 8
MAX_BYTES = 256 * 1024
MAX_PAYLOAD = 65535 - ip.HEADER_LENGTH
#: RFC 1122 3.3.2 recommends 60 to 120 s for the Internet; on a LAN 30 s is plenty.
TIMEOUT = 30.0


class _Partial:
    __slots__ = ("pieces", "first_header", "total", "deadline")

    def __init__(self, deadline: float):
        self.pieces: dict[int, bytes] = {}
        self.first_header: bytes | None = None
        self.total: int | None = None  # the payload length, once the last piece is in
        self.deadline = deadline

    def size(self) -> int:
        return sum(len(piece) for piece in self.pieces.values())


class Reassembly:
    def __init__(self, counters: dict):
        self._counters = counters
        self._partials: dict[tuple, _Partial] = {}
        self._bytes = 0

    def add(self, datagram: ip.Datagram, now: float) -> ip.Datagram | None:
        """Keep a fragment; the whole datagram when this was its last missing piece."""
        self._counters["ip_fragments_in"] += 1
        key = (datagram.source, datagram.destination, datagram.protocol, datagram.ident)
        data = bytes(datagram.payload)
        start, end = datagram.fragment_offset, datagram.fragment_offset + len(data)
        if end > MAX_PAYLOAD or (datagram.more_fragments and (not data or len(data) % 8)):
            return self._fail(key)  # RFC 791: every piece but the last is a multiple of 8
        partial = self._partials.get(key)
        if partial is None:
            if len(self._partials) >= MAX_DATAGRAMS:
                return self._fail(key)
            partial = self._partials[key] = _Partial(now + TIMEOUT)
        if not self._fits(partial, start, end, data, datagram.more_fragments):
            return self._fail(key)
        if start in partial.pieces:
            return None  # an exact duplicate
        if self._bytes + len(data) > MAX_BYTES:
            return self._fail(key)
        partial.pieces[start] = data
        self._bytes += len(data)
        if start == 0:
            partial.first_header = datagram.header
        if not datagram.more_fragments:
            partial.total = end
        if partial.total is None or partial.first_header is None or partial.size() != partial.total:
            return None
        return self._complete(key, datagram)

    def _fits(self, partial: _Partial, start: int, end: int, data: bytes, more: bool) -> bool:
        """The piece agrees with the others: no overlap (but an exact duplicate), and
        nothing beyond the end the last piece gave."""
        limit = partial.total
        if limit is not None and (end > limit or (not more and end != limit)):
            return False
        if not more and any(s + len(p) > end for s, p in partial.pieces.items()):
            return False
        for other, piece in partial.pieces.items():
            if other < end and start < other + len(piece):
                if not (other == start and piece == data):
                    return False
        return True

    def _complete(self, key: tuple, last: ip.Datagram) -> ip.Datagram:
        partial = self._partials.pop(key)
        self._bytes -= partial.total
        payload = b"".join(partial.pieces[start] for start in sorted(partial.pieces))
        self._counters["ip_reassembled"] += 1
        return ip.Datagram(
            last.source,
            last.destination,
            last.protocol,
            last.ttl,
            partial.first_header,
            memoryview(payload),
            last.ident,
        )

    def _fail(self, key: tuple) -> None:
        self._counters["dropped_fragments"] += 1
        self._discard(key)
        return None

    def _discard(self, key: tuple) -> None:
        partial = self._partials.pop(key, None)
        if partial is not None:
            self._bytes -= partial.size()

    def poll(self, now: float) -> float | None:
        """Give up on datagrams whose time is out; the next deadline."""
        for key in [k for k, p in self._partials.items() if p.deadline <= now]:
            self._counters["dropped_reassembly_timeout"] += 1
            self._discard(key)
        return min((p.deadline for p in self._partials.values()), default=None)

    def pending(self) -> int:
        """Datagrams in reassembly now."""
        return len(self._partials)
