"""UDP NAT: a guest's datagram to the gateway's address, port P, goes to
127.0.0.1:P on the host; the host's replies come back to the guest from P.

Each (guest address, guest port, P) is a flow with its own host UDP socket
connected to 127.0.0.1:P, so replies find their guest.  Flows are bounded
(``FLOW_LIMIT``; a new one past it replaces the one idle longest) and end
after ``IDLE_SECONDS`` without traffic.  A host port with nobody listening
(the host answers ICMP port unreachable, seen as ECONNREFUSED) and a reply
the guest's stack cannot take are counted, never raised; the host's refusal
goes back to the guest as ICMP port unreachable, as a router passes it on.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from tcpip import SocketError

FLOW_LIMIT = 64
IDLE_SECONDS = 60.0
MAX_DATAGRAM = 65535
LOOPBACK = "127.0.0.1"


@dataclass
class Flow:
    guest: tuple[str, int]
    port: int
    sock: socket.socket
    last_used: float
    last_length: int = 0  # of the last datagram sent: an ICMP error quotes its length


class UdpNat:
    def __init__(self, gateway):
        self.gateway = gateway
        self.flows: dict[tuple[str, int, int], Flow] = {}
        self.sock = gateway.stack.socket("DGRAM")
        self.sock.bind(("0.0.0.0", 0), any_port=True)

    def service(self) -> None:
        """Take every datagram guests sent to the gateway; end idle flows."""
        counters = self.gateway.counters
        while self.sock.readable():
            try:
                data, guest = self.sock.recvfrom(MAX_DATAGRAM)
            except SocketError:
                break
            destination = self.sock.last_destination
            if destination is None or destination[0] != self.gateway.address:
                counters["udp_nat_dropped"] += 1  # a broadcast: not for the host
                continue
            flow = self._flow(tuple(guest), destination[1])
            if flow is None:
                counters["udp_nat_dropped"] += 1
                continue
            try:
                flow.sock.send(data)
                counters["udp_nat_out"] += 1
                flow.last_length = len(data)
            except ConnectionRefusedError:
                counters["udp_nat_refused"] += 1
                self.gateway.port_unreachable(flow.guest, flow.port, len(data))
            except OSError:
                counters["udp_nat_dropped"] += 1
        if self.flows:
            self._expire()

    def _flow(self, guest: tuple[str, int], port: int) -> Flow | None:
        key = (guest[0], guest[1], port)
        now = self.gateway.clock()
        flow = self.flows.get(key)
        if flow is not None:
            flow.last_used = now
            return flow
        loop = self.gateway.loop()
        if loop is None:
            return None
        if len(self.flows) >= FLOW_LIMIT:
            oldest = min(self.flows, key=lambda k: self.flows[k].last_used)
            self._end(oldest)
        try:
            host = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            host.setblocking(False)
            host.connect((LOOPBACK, port))
        except OSError:
            return None
        flow = Flow(guest, port, host, now)
        self.flows[key] = flow
        loop.add_reader(host.fileno(), self._replies, flow)
        return flow

    def _replies(self, flow: Flow) -> None:
        """The host answered on a flow: each datagram back to its guest, from P."""
        counters = self.gateway.counters
        while True:
            try:
                data = flow.sock.recv(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                break
            except ConnectionRefusedError:
                counters["udp_nat_refused"] += 1
                self.gateway.port_unreachable(flow.guest, flow.port, flow.last_length)
                continue
            except OSError:
                break
            flow.last_used = self.gateway.clock()
            try:
                self.sock.sendto(data, flow.guest, source_port=flow.port)
                counters["udp_nat_in"] += 1
            except SocketError:
                counters["udp_nat_dropped"] += 1
        self.gateway.kick()

    def _expire(self) -> None:
        now = self.gateway.clock()
        for key in [k for k, f in self.flows.items() if now - f.last_used > IDLE_SECONDS]:
            self._end(key)

    def _end(self, key) -> None:
        flow = self.flows.pop(key)
        loop = self.gateway.loop()
        if loop is not None:
            try:
                loop.remove_reader(flow.sock.fileno())
            except (ValueError, OSError):
                pass
        flow.sock.close()

    def close(self) -> None:
        for key in list(self.flows):
            self._end(key)
        try:
            self.sock.close()
        except SocketError:
            pass
