"""Randomised conversations: both ends send in random pieces, read in random
sizes at random moments, half-close when done; loss, duplication and
reordering vary by seed.  Every byte arrives in order, both ends see the end
of the stream, and afterwards nothing is left in either stack."""

import random

import pytest

from tcpip import SocketError
from tests.tcpip.netkit import FakeLan, connect_pair


def converse(seed: int):
    rng = random.Random(seed)
    lan = FakeLan(
        seed=seed,
        loss=rng.choice([0, 0.02, 0.1]),
        duplicate=rng.choice([0, 0.05]),
        reorder=rng.choice([0, 0.1]),
    )
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    a.announce()
    b.announce()
    lan.flush()
    client, server = connect_pair(lan, a, b)
    client.setsockopt("TCP_NODELAY", rng.random() < 0.5)
    ends = {
        client: rng.randbytes(rng.randrange(1, 150_000)),
        server: rng.randbytes(rng.randrange(1, 150_000)),
    }
    sent = dict.fromkeys(ends, 0)
    got = {client: bytearray(), server: bytearray()}
    finished = set()
    limit = lan.clock.now + 3000
    while len(finished) < 2:
        for sock, data in ends.items():
            if sent[sock] < len(data) and sock.writable():
                piece = rng.choice([1, 10, 500, 5000, 100_000])
                sent[sock] += sock.send(data[sent[sock] : sent[sock] + piece])
                if sent[sock] == len(data):
                    sock.shutdown(1)
        lan.flush()
        for sock in ends:
            if sock in finished or rng.random() < 0.4:
                continue
            try:
                chunk = sock.recv(rng.choice([1, 100, 3000, 70_000]))
            except SocketError as error:
                assert error.errno == "EWOULDBLOCK"
                continue
            if chunk:
                got[sock] += chunk
            else:
                finished.add(sock)
        lan.step(limit)
        assert lan.clock.now < limit
    assert bytes(got[server]) == ends[client] and bytes(got[client]) == ends[server]
    client.close()
    server.close()
    lan.run(120)
    assert a.connections() == [] and b.connections() == []
    assert a.counters["input_errors"] == b.counters["input_errors"] == 0


@pytest.mark.parametrize("seed", range(24))
def test_random_conversation(seed):
    converse(seed)
