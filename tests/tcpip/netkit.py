"""A fake LAN for the TCP/IP engine's tests: stacks wired in memory.

Deterministic: a fake clock that moves only when nothing else can happen
(then straight to the next timer), one queue of frames, and loss,
duplication and reordering drawn from a seeded RNG.  The switch behaves as
the guest LAN's (docs/lan.md): group destinations go to every other
station, a unicast frame to the station with that MAC or to nobody.
"""

from __future__ import annotations

import random
from collections import deque

from tcpip import SocketError, Stack


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeLan:
    def __init__(
        self, seed: int = 1, loss: float = 0.0, duplicate: float = 0.0, reorder: float = 0.0
    ):
        self.clock = FakeClock()
        self.rng = random.Random(seed)
        self.loss, self.duplicate, self.reorder = loss, duplicate, reorder
        self.queue: deque[tuple[str, bytes, bool]] = deque()
        self.stacks: dict[str, Stack] = {}
        self.capture: list[tuple[float, bytes]] = []  # every frame sent, for pcap checks
        self.dropped = 0
        #: (sender name, frame) -> True to lose it (tests' own filters)
        self.filter = None

    def add(
        self,
        name: str,
        address: str,
        gateway: str | None = "10.0.0.1",
        netmask: str = "255.255.255.0",
        **options,
    ) -> Stack:
        number = len(self.stacks) + 1
        mac = bytes((2, 0, 0, 0, 0, number))
        stack = Stack(
            mac=mac,
            address=address,
            netmask=netmask,
            gateway=gateway,
            send_frame=lambda frame, sender=name: self.send(sender, frame),
            clock=self.clock,
            name=name,
            **options,
        )
        self.stacks[name] = stack
        return stack

    def send(self, sender: str, frame: bytes) -> None:
        self.capture.append((self.clock.now, bytes(frame)))
        self.queue.append((sender, bytes(frame), False))

    def inject(self, frame: bytes, sender: str = "") -> None:
        """A frame from outside any stack (a crafted or hostile one)."""
        self.queue.append((sender, bytes(frame), True))

    def _impaired(self, sender: str, frame: bytes, reordered: bool) -> bool:
        """Apply loss/duplication/reordering; True when the frame is not delivered now."""
        if self.filter is not None and self.filter(sender, frame):
            self.dropped += 1
            return True
        if self.loss and self.rng.random() < self.loss:
            self.dropped += 1
            return True
        if self.duplicate and self.rng.random() < self.duplicate:
            self.queue.append((sender, frame, True))
        if self.reorder and not reordered and self.queue and self.rng.random() < self.reorder:
            self.queue.insert(1, (sender, frame, True))
            return True
        return False

    def flush(self) -> int:
        """Deliver every queued frame (and those they cause); how many were delivered."""
        delivered = 0
        while self.queue:
            sender, frame, reordered = self.queue.popleft()
            if self._impaired(sender, frame, reordered):
                continue
            delivered += 1
            destination = frame[:6]
            for name, stack in self.stacks.items():
                if name == sender:
                    continue
                if destination[0] & 1 or destination == stack.mac:
                    stack.input(frame)
        return delivered

    def poll(self) -> float | None:
        waits = [w for w in (stack.poll() for stack in self.stacks.values()) if w is not None]
        return min(waits, default=None)

    def step(self, limit: float) -> bool:
        """Deliver, run timers; if nothing is left to do now, move the clock to the
        next timer.  False when there is no timer before ``limit`` (nothing can happen)."""
        self.flush()
        wait = self.poll()
        if self.queue:
            return True
        if wait is None or self.clock.now + wait > limit:
            return False
        self.clock.advance(max(wait, 1e-6))
        return True

    def run(self, seconds: float = 60.0, until=None) -> bool:
        """Run for up to ``seconds`` of LAN time, or until ``until()`` is true."""
        limit = self.clock.now + seconds
        while True:
            if until is not None and until():
                return True
            if not self.step(limit):
                self.flush()
                return until() if until is not None else True


def connect_pair(lan: FakeLan, client: Stack, server: Stack, port: int = 80):
    """An established (client socket, server socket) pair."""
    listener = server.socket("STREAM")
    listener.bind(("0.0.0.0", port))
    listener.listen(5)
    sock = client.socket("STREAM")
    sock.connect((server.address, port))
    assert lan.run(30, until=listener.readable), sock.error
    accepted = listener.accept()
    listener.close()
    return sock, accepted


def transfer(lan: FakeLan, sender, receiver, data: bytes, seconds: float = 600.0) -> bytes:
    """Push ``data`` from ``sender`` to ``receiver`` through the LAN; what arrived."""
    view = memoryview(data)
    sent = 0
    got = bytearray()
    limit = lan.clock.now + seconds
    idle = 0
    while len(got) < len(data) and idle < 3:
        progressed = False
        if sent < len(data):
            try:
                n = sender.send(view[sent:])
                sent += n
                progressed = n > 0
            except SocketError as error:
                assert error.errno == "EWOULDBLOCK", error.errno
        progressed |= lan.flush() > 0
        arrived = receive_all(receiver)
        got += arrived
        moved = lan.step(limit) or progressed or bool(arrived)
        idle = 0 if moved else idle + 1
    return bytes(got)


def receive_all(sock) -> bytes:
    """Everything ``sock`` has ready now (b"" at end of stream)."""
    got = bytearray()
    while True:
        try:
            data = sock.recv(65536)
        except SocketError as error:
            assert error.errno == "EWOULDBLOCK", error.errno
            break
        if not data:
            break
        got += data
    return bytes(got)
