"""TCP throughput of the tcpip engine: two stacks wired in memory.

Measures how fast the pure-Python engine moves bulk data (MB/s of wall
time) between two stacks on a perfect in-memory LAN and on one that loses
5% of the frames, with a fake clock (so timers cost no waiting).  Run:
``python -m bench.tcpip_engine [megabytes]``.
"""

from __future__ import annotations

import random
import sys
import time
from collections import deque

from tcpip import SocketError, Stack


class Wire:
    """Two stacks, one queue of frames, a clock that jumps to the next timer."""

    def __init__(self, loss: float, seed: int = 1):
        self.now = 0.0
        self.rng = random.Random(seed)
        self.loss = loss
        self.queue: deque[tuple[int, bytes]] = deque()
        self.stacks = [
            Stack(
                mac=bytes((2, 0, 0, 0, 0, n + 1)),
                address=f"10.0.0.{11 + n}",
                send_frame=lambda frame, n=n: self.queue.append((n, frame)),
                clock=lambda: self.now,
                name=f"USER{n + 1}",
            )
            for n in range(2)
        ]
        self.frames = 0

    def flush(self) -> None:
        while self.queue:
            sender, frame = self.queue.popleft()
            self.frames += 1
            if self.loss and self.rng.random() < self.loss:
                continue
            self.stacks[1 - sender].input(frame)

    def idle(self) -> None:
        """Nothing to deliver: run the timers, moving the clock to the next one."""
        waits = [w for w in (s.poll() for s in self.stacks) if w is not None]
        if waits and not self.queue:
            self.now += max(min(waits), 1e-6)


def run(megabytes: int, loss: float) -> tuple[float, int, int]:
    wire = Wire(loss)
    a, b = wire.stacks
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 5001))
    listener.listen(1)
    client = a.socket("STREAM")
    client.connect(("10.0.0.12", 5001))
    while not listener.readable():
        wire.flush()
        wire.idle()
    server = listener.accept()
    data = random.Random(2).randbytes(megabytes << 20)
    view = memoryview(data)
    sent = received = 0
    start = time.perf_counter()
    while received < len(data):
        if sent < len(data):
            try:
                sent += client.send(view[sent:])
            except SocketError:
                pass
        wire.flush()
        while True:
            try:
                chunk = server.recv(65536)
            except SocketError:
                break
            received += len(chunk)
        wire.idle()
    elapsed = time.perf_counter() - start
    return elapsed, wire.frames, a.counters["tcp_retransmits"]


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    print(f"tcpip engine: {megabytes} MB over TCP between two in-memory stacks")
    for loss in (0.0, 0.05):
        elapsed, frames, retransmits = run(megabytes, loss)
        print(
            f"  loss {loss:4.0%}: {megabytes / elapsed:7.1f} MB/s  "
            f"{frames / elapsed:9.0f} frames/s  {retransmits} retransmissions  "
            f"({elapsed:.2f} s)"
        )


if __name__ == "__main__":
    main()
