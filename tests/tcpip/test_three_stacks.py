"""Three stacks on one LAN: everybody finds everybody, one server serves two
clients at once, and flooding is bounded in memory, not only in counters."""

import gc
import random
import tracemalloc

import dpkt

from tcpip import tcp, tcp_socket
from tests.tcpip.netkit import FakeLan, receive_all


def three(**impairments):
    lan = FakeLan(**impairments)
    stacks = [lan.add(f"USER{n}", f"10.0.0.{10 + n}") for n in (1, 2, 3)]
    for stack in stacks:
        stack.announce()
    lan.flush()
    return lan, stacks


def test_everybody_pings_everybody():
    lan, stacks = three()
    for source in stacks:
        raw = source.socket("RAW_ICMP")
        for target in stacks:
            if target is not source:
                echo = dpkt.icmp.ICMP.Echo(id=source.mac[-1], seq=target.mac[-1], data=b"hi")
                raw.sendto(bytes(dpkt.icmp.ICMP(type=8, data=echo)), (target.address, 0))
        lan.flush()
        answered = sorted(raw.recvfrom(200)[1][0] for _ in range(2))
        assert answered == sorted(t.address for t in stacks if t is not source)
        raw.close()
    for stack in stacks:
        assert len(stack.arp_table()) == 2


def test_one_server_two_clients_at_once_with_loss():
    lan, (a, b, c) = three(seed=8, loss=0.05, reorder=0.05)
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 21))
    listener.listen(4)
    clients = [a.socket("STREAM"), c.socket("STREAM")]
    for sock in clients:
        sock.connect(("10.0.0.12", 21))
    lan.run(30)
    accepted = [listener.accept(), listener.accept()]
    by_peer = {sock.getpeername()[0]: sock for sock in accepted}
    data = {sock: random.Random(n).randbytes(300_000) for n, sock in enumerate(clients)}
    sent = dict.fromkeys(clients, 0)
    got = {sock: bytearray() for sock in clients}
    limit = lan.clock.now + 600
    while any(len(got[s]) < len(data[s]) for s in clients):
        for sock in clients:
            if sent[sock] < len(data[sock]) and sock.writable():
                sent[sock] += sock.send(data[sock][sent[sock] :])
        lan.flush()
        for sock in clients:
            got[sock] += receive_all(by_peer[sock.getsockname()[0]])
        lan.step(limit)
        assert lan.clock.now < limit
    assert all(bytes(got[s]) == data[s] for s in clients)
    rows = b.connections()
    assert sorted(r["remote"][0] for r in rows if r["state"] == "ESTABLISHED") == [
        "10.0.0.11",
        "10.0.0.13",
    ]


def flood(lan, target, count: int, first_port: int) -> None:
    for port in range(first_port, first_port + count):
        segment = dpkt.tcp.TCP(sport=port % 60000 + 1, dport=80, seq=port, flags=tcp.SYN, win=512)
        source = bytes((10, 0, 0, 200 + port % 50))  # spoofed addresses nobody has
        packet = dpkt.ip.IP(src=source, dst=bytes((10, 0, 0, 12)), p=6, ttl=64, data=segment)
        lan.inject(
            bytes(
                dpkt.ethernet.Ethernet(
                    dst=target.mac, src=b"\x02\x66\0\0\0\x01", type=0x0800, data=packet
                )
            )
        )
    lan.flush()


def test_a_spoofed_syn_flood_does_not_grow_memory():
    lan, (a, b, c) = three()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(16)
    flood(lan, b, 500, 1000)
    tracemalloc.start()
    try:
        flood(lan, b, 500, 2000)
        gc.collect()
        after_small, _ = tracemalloc.get_traced_memory()
        flood(lan, b, 5000, 3000)
        gc.collect()
        after_large, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Ten times the SYNs cost no more memory (a few kilobytes of noise at most).
    assert after_large - after_small < 64 * 1024
    assert len(b.connections_by_key) == tcp_socket.MAX_BACKLOG
    assert b.counters["syn_dropped_backlog"] == 6000 - tcp_socket.MAX_BACKLOG
    lan.run(120)
    assert b.connections_by_key == {} and b.poll() is None
    assert b.counters["dropped_arp_failed"] > 0  # SYN,ACKs to addresses nobody has
