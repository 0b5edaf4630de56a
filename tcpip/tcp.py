"""TCP (RFC 9293) connections: segments, the TCB and its state machine.

The sockets over them are in ``tcp_socket.py``.

What is implemented, and where each rule comes from:

* the state machine of RFC 9293 3.3.2 and the event processing of 3.10
  (OPEN, SEND, RECEIVE, CLOSE, ABORT, SEGMENT ARRIVES, timeouts), with the
  RST/SYN hardening of RFC 5961 (challenge ACKs);
* the MSS option (RFC 9293 3.7.1; 536 when the peer sends none);
* sliding windows both ways, the receive window being the free space of the
  64 KiB receive buffer, with silly window avoidance on both sides (3.8.6.2)
  and Nagle (RFC 896, RFC 1122 4.2.3.4; off with TCP_NODELAY);
* delayed ACKs (RFC 1122 4.2.3.2: at least every second full segment, at
  most ``DELAYED_ACK`` seconds late; at once for out-of-order data);
* retransmission on the RFC 6298 timer (RTO from SRTT/RTTVAR, Karn's rule,
  exponential backoff bounded by ``RTO_MAX``, ``RTO_MIN`` 0.2 s for the
  virtual LAN); after ``DATA_RETRIES`` (SYN: ``SYN_RETRIES``) the connection
  fails with ETIMEDOUT;
* congestion control after RFC 5681 (slow start, congestion avoidance, fast
  retransmit on 3 duplicate ACKs) with NewReno's partial ACKs (RFC 6582);
* zero-window probing (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17);
* out-of-order segments kept inside the window (at most ``OOO_SEGMENTS``
  segments and ``BUFFER`` bytes);
* TIME-WAIT of ``TIME_WAIT`` seconds (a short 2 MSL for a virtual LAN);
* at most ``stack.max_connections`` connections, the oldest TIME-WAIT one
  giving way when the table is full (listen backlogs: ``tcp_socket.py``).

Not implemented: urgent data (URG is ignored), window scaling, timestamps,
SACK, keep-alive probes (SO_KEEPALIVE is accepted and does nothing).
"""

from __future__ import annotations

import zlib

import dpkt

from . import ethernet, ip
from .errors import SocketError

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MASK = 0xFFFFFFFF
HEADER_LENGTH = 20
#: RFC 9293 3.7.1: our MSS is the MTU less the IP and TCP headers.
OUR_MSS = ethernet.MTU - ip.HEADER_LENGTH - HEADER_LENGTH
DEFAULT_MSS = 536
BUFFER = 65536
MAX_WINDOW = 65535  # no window scaling: the field has 16 bits
RTO_INITIAL = 1.0  # RFC 6298 2.1
RTO_MIN = 0.2
RTO_MAX = 10.0
SYN_RETRIES = 5
SYNACK_RETRIES = 3
DATA_RETRIES = 10
DELAYED_ACK = 0.04
TIME_WAIT = 2.0
#: An orphan (closed by its socket) waits this long in FIN-WAIT-2 for the peer's FIN.
FIN_WAIT_2_TIMEOUT = 30.0
OOO_SEGMENTS = 64

_SYNCHRONIZED_SEND = ("ESTABLISHED", "CLOSE-WAIT", "FIN-WAIT-1", "CLOSING", "LAST-ACK")
_RECEIVING = ("ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2")


def seq_lt(a: int, b: int) -> bool:
    """a < b in sequence space (RFC 9293 3.4, arithmetic modulo 2**32)."""
    return a != b and ((a - b) & MASK) > 0x7FFFFFFF


def seq_le(a: int, b: int) -> bool:
    return a == b or seq_lt(a, b)


def seq_diff(a: int, b: int) -> int:
    """a - b for a at or after b."""
    return (a - b) & MASK


class Segment:
    """A received segment's fields (the payload is trimmed to the window in place)."""

    __slots__ = (
        "source",
        "destination",
        "sport",
        "dport",
        "seq",
        "ack",
        "flags",
        "window",
        "payload",
        "mss",
    )

    def __init__(self, source, destination, sport, dport, seq, ack, flags, window, payload, mss):
        self.source, self.destination = source, destination
        self.sport, self.dport = sport, dport
        self.seq, self.ack, self.flags, self.window = seq, ack, flags, window
        self.payload = payload
        self.mss = mss

    @property
    def length(self) -> int:
        """SEG.LEN: the data plus one for SYN and one for FIN."""
        return len(self.payload) + (1 if self.flags & SYN else 0) + (1 if self.flags & FIN else 0)


def parse(datagram: ip.Datagram) -> Segment | str:
    """The checked segment, or the counter name of the drop."""
    raw = datagram.payload
    if len(raw) < HEADER_LENGTH:
        return "dropped_malformed"
    offset = (raw[12] >> 4) * 4
    if offset < HEADER_LENGTH or offset > len(raw):
        return "dropped_malformed"
    if not ip.transport_checksum_ok(datagram.source, datagram.destination, ip.PROTO_TCP, raw):
        return "dropped_checksum"
    try:
        header = dpkt.tcp.TCP(bytes(raw[:offset]))
        options = dpkt.tcp.parse_opts(header.opts)
    except (dpkt.UnpackError, ValueError):
        return "dropped_malformed"
    if header.sport == 0 or header.dport == 0:
        return "dropped_malformed"
    mss = None
    for option in options:
        if option and option[0] == dpkt.tcp.TCP_OPT_MSS and len(option[1]) == 2:
            mss = int.from_bytes(option[1], "big")
    return Segment(
        datagram.source,
        datagram.destination,
        header.sport,
        header.dport,
        header.seq,
        header.ack,
        header.flags,
        header.win,
        bytes(raw[offset:]),
        mss,
    )


def transmit(
    stack,
    local,
    remote,
    seq: int,
    ack: int,
    flags: int,
    window: int,
    payload: bytes = b"",
    mss: int | None = None,
) -> None:
    """Build and send one segment (dpkt fills in the checksum)."""
    options = b"" if mss is None else bytes((dpkt.tcp.TCP_OPT_MSS, 4)) + mss.to_bytes(2, "big")
    segment = dpkt.tcp.TCP(
        sport=local[1],
        dport=remote[1],
        seq=seq & MASK,
        ack=ack & MASK,
        flags=flags,
        win=window,
        opts=options,
        data=payload,
    )
    segment.off = (HEADER_LENGTH + len(options)) // 4
    if flags & RST:
        stack.counters["tcp_resets_sent"] += 1
    try:
        stack._send_ip(remote[0], ip.PROTO_TCP, segment)
    except SocketError:
        pass  # no route: the timers and the caller's checks deal with it


def reset_for(stack, segment: Segment) -> None:
    """Answer a segment that has no connection (RFC 9293 3.10.7.1): never an RST for an RST."""
    if segment.flags & RST:
        return
    local, remote = (segment.destination, segment.dport), (segment.source, segment.sport)
    if segment.flags & ACK:
        transmit(stack, local, remote, segment.ack, 0, RST, 0)
    else:
        transmit(stack, local, remote, 0, segment.seq + segment.length, RST | ACK, 0)


def demultiplex(stack, segment: Segment) -> None:
    """Hand a segment to its connection, or its listener, or answer it with RST."""
    key = (segment.destination, segment.dport, segment.source, segment.sport)
    connection = stack.connections_by_key.get(key)
    listener = _listener_for(stack, segment.dport)
    if connection is not None:
        if (
            connection.state == "TIME-WAIT"
            and segment.flags & (SYN | ACK | RST) == SYN
            and listener is not None
            and seq_lt(connection.rcv_nxt, segment.seq)
        ):
            connection.delete()  # RFC 9293 3.10.7.4 note: a new SYN may end TIME-WAIT
        else:
            connection.segment_arrives(segment)
            return
    if listener is None:
        stack.counters["dropped_no_socket"] += 1
        reset_for(stack, segment)
        return
    listener.segment_arrives(segment)


def room_for_connection(stack) -> bool:
    """Whether one more connection fits; when the table is full the oldest
    TIME-WAIT connection gives way (its job, catching stray segments, matters
    least), as Linux does past tcp_max_tw_buckets."""
    if len(stack.connections_by_key) < stack.max_connections:
        return True
    waiting = [c for c in stack.connections_by_key.values() if c.state == "TIME-WAIT"]
    if not waiting:
        return False
    min(waiting, key=lambda c: c.timer_at).delete()
    stack.counters["tcp_time_wait_recycled"] += 1
    return True


def _listener_for(stack, port: int):
    sock = stack._bound.get(("STREAM", port))
    if sock is not None and sock.listening:
        return sock
    sock = stack._any_port.get("STREAM")
    if sock is not None and sock.listening and ("STREAM", port) not in stack._bound:
        return sock
    return None


class Connection:
    """A transmission control block (RFC 9293 3.3.1) and its buffers."""

    def __init__(self, stack, local: tuple[bytes, int], remote: tuple[bytes, int]):
        self.stack = stack
        self.local = local
        self.remote = remote
        self.key = (local[0], local[1], remote[0], remote[1])
        self.state = "CLOSED"
        self.error: str | None = None
        now = stack.clock()
        # RFC 6528: ISN = a 4-microsecond clock + F(the 4-tuple, a secret).
        self.iss = (
            int(now * 250_000) + zlib.crc32(stack.mac + bytes(str(self.key), "ascii"))
        ) & MASK
        self.snd_una = self.snd_nxt = self.snd_max = self.iss
        self.snd_wnd = 0
        self.max_snd_wnd = 0
        self.snd_wl1 = self.snd_wl2 = 0
        self.irs = self.rcv_nxt = self.rcv_adv = 0
        self.sndbuf = bytearray()
        self.buf_seq = (self.iss + 1) & MASK  # the sequence number of sndbuf[0]
        self.rcvbuf = bytearray()
        self.ooo: dict[int, bytes] = {}
        self.ooo_fin: int | None = None
        self.fin_queued = False
        self.fin_seq = 0
        self.fin_received = False
        self.read_shut = False
        self.orphan = False
        self.nodelay = False
        self.mss = DEFAULT_MSS
        self.cwnd = 3 * OUR_MSS
        self.ssthresh = MAX_WINDOW
        self.recover: int | None = None
        self.dupacks = 0
        self.srtt: float | None = None
        self.rttvar = 0.0
        self.rto = RTO_INITIAL
        self.retries = 0
        self.rtt_seq: int | None = None
        self.rtt_start = 0.0
        self.rexmit_at: float | None = None
        self.delack_at: float | None = None
        self.timer_at: float | None = None
        self.unacked_segments = 0
        self.listener = None  # the listening socket, until accepted
        self.sent = 0
        self.received = 0

    # -- the table -----------------------------------------------------------
    def register(self) -> None:
        self.stack.connections_by_key[self.key] = self

    def delete(self) -> None:
        """CLOSED: leave the table, stop the timers (RFC 9293 "delete the TCB")."""
        self.state = "CLOSED"
        self.rexmit_at = self.delack_at = self.timer_at = None
        self.ooo.clear()
        if self.stack.connections_by_key.get(self.key) is self:
            del self.stack.connections_by_key[self.key]
        if self.listener is not None:
            self.listener._forget(self)
            self.listener = None

    def abort(self, error: str | None) -> None:
        """The connection is gone with ``error`` (queued data is lost, RFC 9293 3.10.7.4)."""
        if error is not None:
            self.error = error
            if self.state == "SYN-SENT":
                self.stack.counters["tcp_connect_failures"] += 1
        self.sndbuf.clear()
        self.rcvbuf.clear()
        self.delete()

    def reset(self, error: str | None = None) -> None:
        """ABORT (RFC 9293 3.10.4): send <SEQ=SND.NXT><CTL=RST> and delete the TCB."""
        if self.state in ("SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT"):
            transmit(self.stack, self.local, self.remote, self.snd_max, 0, RST, 0)
        self.abort(error)

    # -- opening -------------------------------------------------------------
    def open_active(self) -> None:
        """OPEN, active (RFC 9293 3.10.1): send SYN, enter SYN-SENT."""
        self.register()
        self.state = "SYN-SENT"
        self.stack.counters["tcp_active_opens"] += 1
        self._send_syn(SYN)
        self.snd_nxt = self.snd_max = (self.iss + 1) & MASK

    def open_passive(self, segment: Segment, listener) -> None:
        """A SYN in LISTEN (RFC 9293 3.10.7.2): send SYN,ACK, enter SYN-RECEIVED."""
        self.listener = listener
        self.register()
        self.state = "SYN-RECEIVED"
        self.stack.counters["tcp_passive_opens"] += 1
        self.irs = segment.seq
        self.rcv_nxt = self.rcv_adv = (segment.seq + 1) & MASK
        self._peer_mss(segment.mss)
        self.snd_wnd = self.max_snd_wnd = segment.window
        self.snd_wl1, self.snd_wl2 = segment.seq, self.iss
        self._send_syn(SYN | ACK)
        self.snd_nxt = self.snd_max = (self.iss + 1) & MASK

    def _send_syn(self, flags: int) -> None:
        self._send(self.iss, flags, mss=OUR_MSS)
        if self.rtt_seq is None and self.retries == 0:
            self.rtt_seq, self.rtt_start = (self.iss + 1) & MASK, self.stack.clock()
        self._arm_rexmit()

    def _peer_mss(self, option: int | None) -> None:
        self.mss = max(64, min(OUR_MSS, option if option else DEFAULT_MSS))
        # RFC 5681 3.1: the initial window.
        self.cwnd = 4 * self.mss if self.mss <= 1095 else 3 * self.mss

    # -- the user's calls ----------------------------------------------------
    def send(self, data) -> int:
        room = BUFFER - len(self.sndbuf)
        if room <= 0:
            raise SocketError("EWOULDBLOCK")
        taken = memoryview(data)[:room]
        self.sndbuf += taken
        self.output()
        return len(taken)

    def receive(self, size: int) -> bytes:
        data = bytes(self.rcvbuf[:size])
        del self.rcvbuf[:size]
        self._window_update()
        return data

    def shutdown_read(self) -> None:
        self.read_shut = True
        self.rcvbuf.clear()
        self._window_update()

    def shutdown_write(self) -> None:
        """CLOSE of the sending side (RFC 9293 3.10.4): queue a FIN after the data."""
        if self.fin_queued:
            return
        if self.state in ("SYN-SENT", "CLOSED"):
            self.delete()
            return
        if self.state in ("SYN-RECEIVED", "ESTABLISHED"):
            self.state = "FIN-WAIT-1"
        elif self.state == "CLOSE-WAIT":
            self.state = "LAST-ACK"
        else:
            return
        self.fin_queued = True
        self.fin_seq = (self.buf_seq + len(self.sndbuf)) & MASK
        self.output()

    def close(self) -> None:
        """CLOSE by the socket: FIN after the data; RST when data is left unread
        (RFC 1122 4.2.2.13, RFC 2525 2.17); the TCB lives on as an orphan."""
        self.orphan = True
        if self.listener is not None and self.state == "SYN-RECEIVED":
            return
        if self.rcvbuf:
            self.stack.counters["tcp_resets_unread"] += 1
            self.reset()
            return
        self.read_shut = True
        self.shutdown_write()
        if self.state == "FIN-WAIT-2":
            self.timer_at = self.stack.clock() + FIN_WAIT_2_TIMEOUT

    # -- output --------------------------------------------------------------
    def _window(self) -> int:
        """RCV.WND: the free space of the receive buffer (never shrinking the right edge)."""
        free = min(BUFFER - len(self.rcvbuf), MAX_WINDOW)
        if seq_lt(self.rcv_nxt, self.rcv_adv):
            return min(MAX_WINDOW, max(free, seq_diff(self.rcv_adv, self.rcv_nxt)))
        return free

    def _send(self, seq: int, flags: int, payload: bytes = b"", mss: int | None = None) -> None:
        window = self._window()
        if flags & ACK:
            self.delack_at = None
            self.unacked_segments = 0
            self.rcv_adv = (self.rcv_nxt + window) & MASK
        transmit(
            self.stack,
            self.local,
            self.remote,
            seq,
            self.rcv_nxt if flags & ACK else 0,
            flags,
            window,
            payload,
            mss,
        )

    def send_ack(self) -> None:
        # SND.MAX, not SND.NXT: after a go-back retransmission SND.NXT lies behind
        # what the peer has seen, and an ACK carrying it would be unacceptable there.
        self._send(self.snd_max, ACK)

    def _arm_rexmit(self) -> None:
        if self.rexmit_at is None:
            self.rexmit_at = self.stack.clock() + self.rto

    def output(self) -> None:
        """Send what the windows allow (RFC 9293 3.8.6.2.1, RFC 5681, RFC 896)."""
        if self.state not in _SYNCHRONIZED_SEND:
            return
        while True:
            offset = seq_diff(self.snd_nxt, self.buf_seq)
            unsent = len(self.sndbuf) - offset
            flight = seq_diff(self.snd_nxt, self.snd_una)
            usable = min(self.snd_wnd, self.cwnd) - flight
            if unsent > 0:
                size = min(unsent, self.mss, usable)
                if size <= 0:
                    if self.snd_wnd == 0 and flight == 0:
                        self._arm_rexmit()  # the persist timer: probe the zero window
                    return
                if not self._may_send(size, unsent, flight):
                    if flight == 0:
                        self._arm_rexmit()  # RFC 1122 4.2.3.4: the SWS override timeout
                    return
                fin = self.fin_queued and size == unsent
                self._send_data(self.snd_nxt, size, fin)
            elif unsent == 0 and self.fin_queued:
                self._send_data(self.snd_nxt, 0, True)  # the FIN alone
                return
            else:
                return

    def _may_send(self, size: int, unsent: int, flight: int) -> bool:
        """Sender silly window avoidance and Nagle (RFC 9293 3.8.6.2.1, RFC 1122 4.2.3.4)."""
        if size >= self.mss or size >= self.max_snd_wnd // 2 > 0:
            return True
        if size < unsent:
            return False
        return flight == 0 or self.nodelay or self.fin_queued

    def _send_data(self, seq: int, size: int, fin: bool) -> None:
        offset = seq_diff(seq, self.buf_seq)
        payload = bytes(self.sndbuf[offset : offset + size])
        flags = ACK | (FIN if fin else 0)
        if size and offset + size == len(self.sndbuf):
            flags |= PSH
        end = (seq + size + (1 if fin else 0)) & MASK
        if seq_lt(seq, self.snd_max):
            self.stack.counters["tcp_retransmits"] += 1
        elif self.rtt_seq is None:
            self.rtt_seq, self.rtt_start = end, self.stack.clock()
        if seq_lt(self.snd_max, end):
            self.sent += seq_diff(end, self.snd_max) - (1 if fin else 0)
            self.snd_max = end
        if seq_lt(self.snd_nxt, end):
            self.snd_nxt = end
        self._send(seq, flags, payload)
        self._arm_rexmit()

    def _retransmit_first(self) -> None:
        """Send the first unacknowledged segment again."""
        if self.state == "SYN-SENT":
            self._send(self.iss, SYN, mss=OUR_MSS)
            self.stack.counters["tcp_retransmits"] += 1
            return
        if self.state == "SYN-RECEIVED":
            self._send(self.iss, SYN | ACK, mss=OUR_MSS)
            self.stack.counters["tcp_retransmits"] += 1
            return
        sent_data = (
            seq_diff(self.snd_max, self.buf_seq) if seq_lt(self.buf_seq, self.snd_max) else 0
        )
        size = min(self.mss, len(self.sndbuf), max(1, sent_data))
        fin = self.fin_queued and size == len(self.sndbuf) and seq_lt(self.fin_seq, self.snd_max)
        if size or fin:
            self._send_data(self.snd_una, size, fin)

    # -- timers --------------------------------------------------------------
    def on_timer(self, now: float) -> float | None:
        """Run what is due; the next deadline of this connection."""
        if self.timer_at is not None and self.timer_at <= now:
            self.delete()  # TIME-WAIT over, or an orphan's FIN-WAIT-2 waited long enough
            return None
        if self.delack_at is not None and self.delack_at <= now:
            self.send_ack()
        if self.rexmit_at is not None and self.rexmit_at <= now:
            self._on_rexmit()
        if self.state == "CLOSED":
            return None
        return min(
            (t for t in (self.timer_at, self.delack_at, self.rexmit_at) if t is not None),
            default=None,
        )

    def _on_rexmit(self) -> None:
        """The retransmission timer expired (RFC 6298 5.4-5.7): retransmit, probe
        a zero window, or send into a small one; give up after too many tries."""
        self.rexmit_at = None
        flight = seq_diff(self.snd_max, self.snd_una)
        unsent = len(self.sndbuf) - seq_diff(self.snd_nxt, self.buf_seq)
        persist = self._probing(flight, unsent)
        if flight == 0 and not persist:
            self._sws_override(unsent)
            return
        self.retries += 1
        if self.retries > self._retry_limit(persist):
            self._give_up()
            return
        if not persist:
            self._loss_window(flight)
        self.rtt_seq = None  # Karn: no sample from a retransmitted segment
        self.rto = min(self.rto * 2, RTO_MAX)  # RFC 6298 5.5: back off
        if persist:
            self._send_data(self.snd_una, 1, False)  # a window probe (RFC 9293 3.8.6.1)
        else:
            self._retransmit_first()
        self._arm_rexmit()

    def _probing(self, flight: int, unsent: int) -> bool:
        """A zero window with data waiting: the timer is the persist timer and a
        probe (one byte) is no sign of congestion (RFC 9293 3.8.6.1)."""
        return (
            self.snd_wnd == 0
            and self.state in _SYNCHRONIZED_SEND
            and bool(self.sndbuf)
            and (flight == 1 or (flight == 0 and unsent > 0))
        )

    def _sws_override(self, unsent: int) -> None:
        """RFC 1122 4.2.3.4: held back by a small window, send what it takes."""
        if unsent > 0 and self.snd_wnd > 0 and self.state in _SYNCHRONIZED_SEND:
            size = min(unsent, self.snd_wnd, self.mss)
            self._send_data(self.snd_nxt, size, self.fin_queued and size == unsent)

    def _retry_limit(self, persist: bool) -> int:
        if persist:
            return DATA_RETRIES
        return {"SYN-SENT": SYN_RETRIES, "SYN-RECEIVED": SYNACK_RETRIES}.get(
            self.state, DATA_RETRIES
        )

    def _give_up(self) -> None:
        self.stack.counters["tcp_timeouts"] += 1
        if self.state == "SYN-RECEIVED" and self.listener is not None:
            self.delete()  # a half-open connection nobody completes
        else:
            self.reset("ETIMEDOUT")

    def _loss_window(self, flight: int) -> None:
        """RFC 5681 3.1 after a timeout: ssthresh to half the flight, cwnd to one
        segment, and go back to the first unacknowledged byte."""
        self.ssthresh = max(flight // 2, 2 * self.mss)
        self.cwnd = self.mss
        self.recover = None
        self.dupacks = 0
        if self.state not in ("SYN-SENT", "SYN-RECEIVED"):
            self.snd_nxt = self.snd_una

    def _rtt_sample(self, rtt: float) -> None:
        """RFC 6298 2.2-2.4."""
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt
        self.rto = min(RTO_MAX, max(RTO_MIN, self.srtt + max(0.001, 4 * self.rttvar)))

    # -- input ---------------------------------------------------------------
    def segment_arrives(self, segment: Segment) -> None:
        """SEGMENT ARRIVES (RFC 9293 3.10.7.3 and 3.10.7.4)."""
        if self.state == "SYN-SENT":
            self._syn_sent(segment)
            return
        if self.state == "CLOSED":
            return
        if (
            self.state == "SYN-RECEIVED"
            and segment.flags & (SYN | ACK) == SYN
            and segment.seq == self.irs
        ):
            self._retransmit_first()  # the peer did not get our SYN,ACK
            return
        if not self._acceptable(segment):
            self.stack.counters["tcp_duplicate_segments"] += 1
            if not segment.flags & RST:
                if self.state == "TIME-WAIT" and segment.flags & FIN:
                    self.timer_at = self.stack.clock() + TIME_WAIT
                self.send_ack()
            return
        trimmed = self._trim(segment)
        if segment.flags & RST:
            self._reset_arrives(segment)
            return
        if segment.flags & SYN:
            self.send_ack()  # RFC 5961 4.2: a challenge ACK
            return
        if not segment.flags & ACK:
            return
        if self.state == "SYN-RECEIVED" and not self._syn_received_ack(segment):
            return
        if not self._ack_arrives(segment):
            return
        if self.state == "CLOSED":
            return
        if segment.payload and self.state in _RECEIVING:
            self._text_arrives(segment)
            if self.state == "CLOSED":
                return
        elif trimmed:
            self.send_ack()
        if segment.flags & FIN:
            self._fin_arrives((segment.seq + len(segment.payload)) & MASK)
        self.output()

    def _acceptable(self, segment: Segment) -> bool:
        """The receive test of RFC 9293 3.10.7.4 (first); with a zero window a
        segment at RCV.NXT is let through for its ACK and RST, its data dropped."""
        window = self._window()
        seq, length = segment.seq, segment.length
        if seq == self.rcv_nxt:
            return True
        if window == 0:
            return False
        right = (self.rcv_nxt + window) & MASK

        def inside(x):
            return seq_le(self.rcv_nxt, x) and seq_lt(x, right)

        if length == 0:
            return inside(seq)
        return inside(seq) or inside((seq + length - 1) & MASK)

    def _trim(self, segment: Segment) -> bool:
        """Cut what lies before RCV.NXT or beyond the window; True if data was cut."""
        cut = False
        if seq_lt(segment.seq, self.rcv_nxt):
            before = seq_diff(self.rcv_nxt, segment.seq)
            if segment.flags & SYN:
                segment.flags &= ~SYN
                before -= 1
                segment.seq = (segment.seq + 1) & MASK
            if before > len(segment.payload):
                segment.flags &= ~FIN  # a FIN we have had already
            segment.payload = segment.payload[before:]
            segment.seq = self.rcv_nxt
            cut = True
        room = seq_diff((self.rcv_nxt + self._window()) & MASK, segment.seq)
        if len(segment.payload) > room:
            segment.payload = segment.payload[:room]
            segment.flags &= ~FIN
            cut = True
        return cut

    def _reset_arrives(self, segment: Segment) -> None:
        """RFC 9293 3.10.7.4 second, RFC 5961 3.2: only an RST at RCV.NXT resets."""
        if segment.seq != self.rcv_nxt:
            self.send_ack()  # a challenge ACK
            return
        self.stack.counters["tcp_resets_received"] += 1
        if self.state == "SYN-RECEIVED" and self.listener is not None:
            self.delete()  # back to LISTEN: the listener just forgets it
        elif self.state in ("CLOSING", "LAST-ACK", "TIME-WAIT"):
            self.delete()
        else:
            self.abort("ECONNRESET")

    def _syn_sent(self, segment: Segment) -> None:
        """RFC 9293 3.10.7.3."""
        flags = segment.flags
        if flags & ACK and not (
            seq_lt(self.iss, segment.ack) and seq_le(segment.ack, self.snd_max)
        ):
            if not flags & RST:
                transmit(self.stack, self.local, self.remote, segment.ack, 0, RST, 0)
            return
        if flags & RST:
            if flags & ACK:
                self.stack.counters["tcp_resets_received"] += 1
                self.abort("ECONNREFUSED")
            return
        if not flags & SYN:
            return
        self.irs = segment.seq
        self.rcv_nxt = self.rcv_adv = (segment.seq + 1) & MASK
        self._peer_mss(segment.mss)
        if not flags & ACK:  # a simultaneous open
            self.state = "SYN-RECEIVED"
            self.snd_wnd = self.max_snd_wnd = segment.window
            self.snd_wl1, self.snd_wl2 = segment.seq, self.iss
            self._send(self.iss, SYN | ACK, mss=OUR_MSS)
            return
        self._ack_of_syn(segment)
        self.state = "ESTABLISHED"
        self.send_ack()
        self.output()

    def _ack_of_syn(self, segment: Segment) -> None:
        if self.rtt_seq is not None and seq_le(self.rtt_seq, segment.ack):
            self._rtt_sample(self.stack.clock() - self.rtt_start)
        self.rtt_seq = None
        self.snd_una = segment.ack
        if seq_lt(self.snd_nxt, self.snd_una):
            self.snd_nxt = self.snd_una
        self.snd_wnd = self.max_snd_wnd = segment.window
        self.snd_wl1, self.snd_wl2 = segment.seq, segment.ack
        self.retries = 0
        self.rexmit_at = None
        if self.snd_una != self.snd_max:
            self._arm_rexmit()

    def _syn_received_ack(self, segment: Segment) -> bool:
        """SYN-RECEIVED and an ACK (RFC 9293 3.10.7.4 fifth): ESTABLISHED if it acks our SYN."""
        if not (seq_lt(self.snd_una, segment.ack) and seq_le(segment.ack, self.snd_max)):
            transmit(self.stack, self.local, self.remote, segment.ack, 0, RST, 0)
            return False
        self._ack_of_syn(segment)
        self.state = "ESTABLISHED"
        if self.listener is not None:
            self.listener._established(self)
        return True

    def _ack_arrives(self, segment: Segment) -> bool:
        """RFC 9293 3.10.7.4 fifth; False when the segment is to be dropped."""
        ack = segment.ack
        if seq_lt(self.snd_max, ack):
            self.send_ack()  # it acknowledges something not yet sent
            return False
        if seq_lt(self.snd_una, ack):
            self._new_ack(ack)
        elif ack == self.snd_una:
            self._maybe_duplicate(segment)
        if seq_lt(self.snd_wl1, segment.seq) or (
            self.snd_wl1 == segment.seq and seq_le(self.snd_wl2, ack)
        ):
            if self.snd_wnd == 0 and segment.window and seq_diff(self.snd_nxt, ack) == 1:
                self.snd_nxt = ack  # the window opened: the unaccepted probe byte goes again
            self.snd_wnd = segment.window
            self.max_snd_wnd = max(self.max_snd_wnd, segment.window)
            self.snd_wl1, self.snd_wl2 = segment.seq, ack
        if self.snd_wnd == 0:
            self.retries = 0  # RFC 1122 4.2.2.17: a peer that answers probes stays
        self._fin_acknowledged(ack)
        return self.state != "CLOSED"

    def _new_ack(self, ack: int) -> None:
        """New data acknowledged: free it, time it, grow cwnd, restart the timer."""
        acked = seq_diff(ack, self.snd_una)
        if seq_lt(self.buf_seq, ack):
            done = min(len(self.sndbuf), seq_diff(ack, self.buf_seq))
            del self.sndbuf[:done]
            self.buf_seq = (self.buf_seq + done) & MASK
        self.snd_una = ack
        if seq_lt(self.snd_nxt, ack):
            self.snd_nxt = ack
        if self.rtt_seq is not None and seq_le(self.rtt_seq, ack):
            self._rtt_sample(self.stack.clock() - self.rtt_start)
            self.rtt_seq = None
        self.retries = 0
        self._grow_window(ack, acked)
        self.dupacks = 0
        self.rexmit_at = None
        if self.snd_una != self.snd_max:
            self._arm_rexmit()  # RFC 6298 5.3

    def _grow_window(self, ack: int, acked: int) -> None:
        """RFC 5681 3.1 (slow start, congestion avoidance), RFC 6582 3.2 (partial ACKs)."""
        if self.recover is not None:
            if seq_le(self.recover, ack):
                self.recover = None
                self.cwnd = self.ssthresh
            else:
                self.cwnd = max(self.mss, self.cwnd - acked + self.mss)
                self._retransmit_first()
                self.stack.counters["tcp_fast_retransmits"] += 1
            return
        if self.cwnd < self.ssthresh:
            self.cwnd += min(acked, self.mss)
        else:
            self.cwnd += max(1, self.mss * self.mss // self.cwnd)
        self.cwnd = min(self.cwnd, 2 * BUFFER)

    def _maybe_duplicate(self, segment: Segment) -> None:
        """A duplicate ACK (RFC 5681 2): count; the third starts fast retransmit (3.2)."""
        if (
            segment.payload
            or segment.flags & (SYN | FIN)
            or segment.window != self.snd_wnd
            or self.snd_una == self.snd_max
            or segment.window == 0
        ):
            return
        self.dupacks += 1
        if self.dupacks == 3 and self.recover is None:
            flight = seq_diff(self.snd_max, self.snd_una)
            self.ssthresh = max(flight // 2, 2 * self.mss)
            self.recover = self.snd_max
            self.rtt_seq = None
            self._retransmit_first()
            self.stack.counters["tcp_fast_retransmits"] += 1
            self.cwnd = self.ssthresh + 3 * self.mss
        elif self.dupacks > 3 and self.recover is not None:
            self.cwnd += self.mss  # inflate for each segment that has left the network

    def _fin_acknowledged(self, ack: int) -> None:
        """The state changes when our FIN is acknowledged (RFC 9293 3.10.7.4 fifth)."""
        if not self.fin_queued or not seq_lt(self.fin_seq, ack):
            return
        if self.state == "FIN-WAIT-1":
            self.state = "FIN-WAIT-2"
            if self.orphan:
                self.timer_at = self.stack.clock() + FIN_WAIT_2_TIMEOUT
        elif self.state == "CLOSING":
            self._enter_time_wait()
        elif self.state == "LAST-ACK":
            self.delete()

    def _enter_time_wait(self) -> None:
        self.state = "TIME-WAIT"
        self.rexmit_at = None
        self.timer_at = self.stack.clock() + TIME_WAIT

    def _text_arrives(self, segment: Segment) -> None:
        """RFC 9293 3.10.7.4 seventh: in order data to the buffer, the rest kept aside."""
        if self.orphan:
            # Data for a socket that is closed cannot be delivered: reset (RFC 2525 2.17).
            self.reset()
            return
        if segment.seq == self.rcv_nxt:
            self._append(segment.payload)
            if self.ooo:
                self._drain_out_of_order()
                self.send_ack()  # RFC 5681 4.2: at once when a gap is (partly) filled
            else:
                self._delayed_ack()
        else:
            self._keep_out_of_order(segment)
            self.send_ack()  # RFC 5681 4.2: a duplicate ACK at once

    def _append(self, data) -> None:
        if not self.read_shut:
            self.rcvbuf += data
        self.rcv_nxt = (self.rcv_nxt + len(data)) & MASK
        self.received += len(data)

    def _keep_out_of_order(self, segment: Segment) -> None:
        counters = self.stack.counters
        counters["tcp_out_of_order"] += 1
        if segment.flags & FIN:  # where the stream ends, once the data before it is in
            self.ooo_fin = (segment.seq + len(segment.payload)) & MASK
        kept = self.ooo.get(segment.seq, b"")
        grows = len(segment.payload) - len(kept)
        if grows <= 0:
            return  # a duplicate of what is kept
        if (not kept and len(self.ooo) >= OOO_SEGMENTS) or self._ooo_bytes() + grows > BUFFER:
            counters["tcp_dropped_out_of_order"] += 1
            return
        self.ooo[segment.seq] = segment.payload

    def _ooo_bytes(self) -> int:
        return sum(len(data) for data in self.ooo.values())

    def _drain_out_of_order(self) -> None:
        """Move kept segments that now follow RCV.NXT into the buffer."""
        while self.ooo:
            progressed = False
            for seq in sorted(
                self.ooo, key=lambda s: seq_diff(s, self.rcv_nxt) if seq_le(self.rcv_nxt, s) else -1
            ):
                if seq_lt(self.rcv_nxt, seq):
                    break
                data = self.ooo.pop(seq)
                skip = seq_diff(self.rcv_nxt, seq)
                if skip < len(data):
                    self._append(data[skip:])
                progressed = True
            if not progressed:
                break
        if self.ooo_fin is not None and self.ooo_fin == self.rcv_nxt:
            self.ooo_fin = None
            self._fin_arrives(self.rcv_nxt)

    def _delayed_ack(self) -> None:
        """RFC 1122 4.2.3.2: ACK every second full segment, else within DELAYED_ACK."""
        self.unacked_segments += 1
        if self.unacked_segments >= 2:
            self.send_ack()
        elif self.delack_at is None:
            self.delack_at = self.stack.clock() + DELAYED_ACK

    def _fin_arrives(self, fin_seq: int) -> None:
        """RFC 9293 3.10.7.4 eighth."""
        if fin_seq != self.rcv_nxt:
            if seq_lt(self.rcv_nxt, fin_seq):
                self.ooo_fin = fin_seq  # it comes after data still missing
            return
        if self.fin_received:
            return
        self.fin_received = True
        self.rcv_nxt = (self.rcv_nxt + 1) & MASK
        self.send_ack()
        if self.state in ("SYN-RECEIVED", "ESTABLISHED"):
            self.state = "CLOSE-WAIT"
        elif self.state == "FIN-WAIT-1":
            self.state = "CLOSING"
        elif self.state == "FIN-WAIT-2":
            self._enter_time_wait()

    def _window_update(self) -> None:
        """Receiver SWS avoidance (RFC 9293 3.8.6.2.2): tell the peer once the window
        has opened by min(BUFFER/2, MSS)."""
        if self.state not in _RECEIVING:
            return
        right = (self.rcv_nxt + min(BUFFER - len(self.rcvbuf), MAX_WINDOW)) & MASK
        if seq_lt(self.rcv_adv, right) and seq_diff(right, self.rcv_adv) >= min(
            BUFFER // 2, self.mss
        ):
            self.send_ack()

    # -- NETSTAT --------------------------------------------------------------
    def row(self, descriptor: int | None) -> dict:
        return {
            "proto": "TCP",
            "local": (ip.ntoa(self.local[0]), self.local[1]),
            "remote": (ip.ntoa(self.remote[0]), self.remote[1]),
            "state": self.state,
            "sent": self.sent,
            "received": self.received,
            "descriptor": descriptor,
        }

    def icmp_unreachable(self, code: int) -> None:
        """RFC 1122 4.2.3.9: unreachable while opening fails the connect; later it is soft."""
        if self.state != "SYN-SENT":
            return
        self.unreachable(
            {0: "ENETUNREACH", 3: "ECONNREFUSED", 2: "ECONNREFUSED"}.get(code, "EHOSTUNREACH")
        )

    def unreachable(self, error: str) -> None:
        if self.state == "SYN-SENT":
            self.abort(error)
