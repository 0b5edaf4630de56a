"""TCP between two engines on a fake LAN: 1 MB each way, byte for byte,
on a clean LAN and on one that loses, duplicates and reorders frames."""

import random

import pytest

from tests.tcpip.netkit import FakeLan, connect_pair, receive_all, transfer

MEGABYTE = 1 << 20


def payload(seed: int, size: int = MEGABYTE) -> bytes:
    return random.Random(seed).randbytes(size)


def two_stacks(**impairments):
    lan = FakeLan(**impairments)
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    a.announce()
    b.announce()
    lan.flush()
    return lan, a, b


@pytest.mark.parametrize("direction", ["client-to-server", "server-to-client"])
def test_one_megabyte_arrives_whole_on_a_clean_lan(direction):
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    sender, receiver = (client, server) if direction == "client-to-server" else (server, client)
    data = payload(7)
    assert transfer(lan, sender, receiver, data) == data
    assert a.counters["tcp_retransmits"] == b.counters["tcp_retransmits"] == 0
    assert a.counters["input_errors"] == b.counters["input_errors"] == 0
    # Full-sized segments: about 1 MB / 1460 data segments, not thousands more.
    sending_stack = a if sender is client else b
    assert sending_stack.counters["tcp_out"] < MEGABYTE // 1460 + 50


@pytest.mark.parametrize("direction", ["client-to-server", "server-to-client"])
def test_one_megabyte_survives_five_percent_loss(direction):
    lan, a, b = two_stacks(seed=5, loss=0.05)
    client, server = connect_pair(lan, a, b)
    sender, receiver = (client, server) if direction == "client-to-server" else (server, client)
    data = payload(11)
    assert transfer(lan, sender, receiver, data) == data
    sending = a if sender is client else b
    assert sending.counters["tcp_retransmits"] > 0
    assert sending.counters["tcp_fast_retransmits"] > 0  # not only timeouts
    assert a.counters["input_errors"] == b.counters["input_errors"] == 0


def test_both_directions_at_once_with_loss_duplication_and_reordering():
    lan, a, b = two_stacks(seed=9, loss=0.03, duplicate=0.03, reorder=0.05)
    client, server = connect_pair(lan, a, b)
    up, down = payload(1, MEGABYTE // 2), payload(2, MEGABYTE // 2)
    got_up, got_down = bytearray(), bytearray()
    sent_up = sent_down = 0
    limit = lan.clock.now + 600
    idle = 0
    while len(got_up) < len(up) or len(got_down) < len(down):
        before = (sent_up, sent_down, len(got_up), len(got_down))
        if sent_up < len(up) and client.writable():
            sent_up += client.send(up[sent_up:])
        if sent_down < len(down) and server.writable():
            sent_down += server.send(down[sent_down:])
        lan.flush()
        got_up += receive_all(server)
        got_down += receive_all(client)
        moved = lan.step(limit) or (sent_up, sent_down, len(got_up), len(got_down)) != before
        idle = 0 if moved else idle + 1
        assert idle < 3, "stalled"
    assert bytes(got_up) == up and bytes(got_down) == down
    assert b.counters["tcp_out_of_order"] > 0 and a.counters["tcp_duplicate_segments"] > 0


def test_orderly_close_after_the_transfer_reaches_time_wait_then_closed():
    lan, a, b = two_stacks(seed=3, loss=0.05)
    client, server = connect_pair(lan, a, b)
    data = payload(4, 200_000)
    client.send(data[:60_000])
    client.close()  # the data still goes, then the FIN
    got = bytearray()
    lan.run(
        120,
        until=lambda: (
            server.readable()
            and (got.extend(receive_all(server)) or server.connection.fin_received)
        ),
    )
    got += receive_all(server)
    assert bytes(got) == data[:60_000]
    assert server.recv(10) == b""
    assert server.state == "CLOSE-WAIT"
    server.close()
    lan.run(30, until=lambda: server.state == "CLOSED")
    assert [c["state"] for c in a.connections()] == ["TIME-WAIT"]
    lan.run(5)
    assert a.connections() == [] and b.connections() == []
