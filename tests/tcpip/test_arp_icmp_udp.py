"""ARP, ICMP (ping, unreachables) and UDP of the TCP/IP engine on a fake LAN."""

import dpkt
import pytest

from tcpip import SocketError, Stack
from tcpip import arp as arp_module
from tcpip import stack as stack_module
from tests.tcpip.netkit import FakeLan


def lan_of(*addresses, **options):
    lan = FakeLan()
    stacks = [lan.add(f"USER{n}", address, **options) for n, address in enumerate(addresses, 1)]
    return lan, stacks


def echo_request(ident: int, seq: int, data: bytes = b"ping data") -> bytes:
    return bytes(
        dpkt.icmp.ICMP(type=8, code=0, data=dpkt.icmp.ICMP.Echo(id=ident, seq=seq, data=data))
    )


# -- ARP ------------------------------------------------------------------------
def test_announce_is_a_gratuitous_arp_the_others_learn():
    lan, (a, b, c) = lan_of("10.0.0.11", "10.0.0.12", "10.0.0.13")
    a.announce()
    frame = lan.queue[0][1]
    packet = dpkt.arp.ARP(frame[14:])
    assert frame[:6] == b"\xff" * 6 and frame[12:14] == b"\x08\x06"
    assert packet.op == dpkt.arp.ARP_OP_REQUEST and packet.spa == packet.tpa == bytes(
        [10, 0, 0, 11]
    )
    lan.flush()
    assert b.arp_table() == c.arp_table() == [("10.0.0.11", a.mac)]
    assert a.arp_table() == []


def test_a_datagram_waits_for_arp_then_goes_and_the_reply_is_learnt():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    client = a.socket("DGRAM")
    client.sendto(b"first", ("10.0.0.12", 7))
    client.sendto(b"second", ("10.0.0.12", 7))
    assert a.counters["arp_out"] == 1  # one request for both datagrams
    lan.flush()
    assert [server.recvfrom(100)[0] for _ in range(2)] == [b"first", b"second"]
    assert a.arp_table() == [("10.0.0.12", b.mac)]
    assert b.arp_table() == [("10.0.0.11", a.mac)]  # RFC 826: the target learns the sender


def test_arp_gives_up_after_three_requests_and_drops_the_queue():
    lan, (a,) = lan_of("10.0.0.11")
    sock = a.socket("DGRAM")
    sock.sendto(b"lost", ("10.0.0.99", 7))
    lan.run(10)
    assert a.counters["arp_out"] == arp_module.TRIES
    assert a.counters["dropped_arp_failed"] == 1
    assert a.poll() is None  # no timer left


def test_arp_cache_is_bounded_and_entries_expire():
    lan, (a,) = lan_of("10.0.0.11")
    for host in range(1, 201):
        mac = bytes((2, 1, 0, 0, 0, host))
        request = dpkt.arp.ARP(
            op=1, sha=mac, spa=bytes((10, 0, 1, host)), tha=b"\0" * 6, tpa=bytes((10, 0, 0, 11))
        )
        lan.inject(b"\xff" * 6 + mac + b"\x08\x06" + bytes(request))
    lan.flush()
    assert len(a.arp_table()) == arp_module.CACHE_LIMIT
    assert ("10.0.1.200", bytes((2, 1, 0, 0, 0, 200))) in a.arp_table()  # the newest kept
    lan.clock.advance(arp_module.CACHE_LIFETIME + 1)
    assert a.arp_table() == []


def test_someone_else_claiming_our_address_is_counted():
    lan, (a,) = lan_of("10.0.0.11")
    thief = dpkt.arp.ARP(
        op=1,
        sha=b"\x02\x09\0\0\0\x01",
        spa=bytes((10, 0, 0, 11)),
        tha=b"\0" * 6,
        tpa=bytes((10, 0, 0, 11)),
    )
    lan.inject(b"\xff" * 6 + b"\x02\x09\0\0\0\x01" + b"\x08\x06" + bytes(thief))
    lan.flush()
    assert a.counters["arp_conflicts"] == 1


# -- ICMP -------------------------------------------------------------------------
@pytest.mark.parametrize("pinger, target", [(0, 1), (1, 0)])
def test_ping_both_ways(pinger, target):
    lan, stacks = lan_of("10.0.0.11", "10.0.0.12")
    source, destination = stacks[pinger], stacks[target]
    raw = source.socket("RAW_ICMP")
    for seq in range(3):
        raw.sendto(echo_request(0x1234, seq, b"x" * 56), (destination.address, 0))
    lan.flush()
    replies = []
    while raw.readable():
        message, (address, port) = raw.recvfrom(1500)
        assert (address, port) == (destination.address, 0)
        replies.append(dpkt.icmp.ICMP(message))
    assert [(r.type, r.data.id, r.data.seq, r.data.data) for r in replies] == [
        (0, 0x1234, seq, b"x" * 56) for seq in range(3)
    ]
    assert destination.counters["icmp_echo_answered"] == 3
    with pytest.raises(SocketError) as error:
        raw.recvfrom(100)
    assert error.value.errno == "EWOULDBLOCK"


def test_ping_with_a_wrong_checksum_is_dropped_and_counted():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    raw = a.socket("RAW_ICMP")
    raw.sendto(echo_request(1, 1), ("10.0.0.12", 0))
    lan.flush()
    raw.recvfrom(100)
    frame = lan.capture[-2][1]  # the echo request
    corrupted = bytearray(frame)
    corrupted[14 + 20 + 8] ^= 0xFF  # its first data byte
    lan.inject(bytes(corrupted))
    padded = bytearray(frame)
    padded[-1] ^= 0xFF  # Ethernet padding (RFC 894) is no part of the datagram
    lan.inject(bytes(padded))
    lan.flush()
    assert b.counters["dropped_checksum"] == 1
    assert b.counters["icmp_echo_answered"] == 2
    assert raw.recvfrom(100)  # the second one, answered


# -- UDP ------------------------------------------------------------------------
def test_udp_echo():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    client = a.socket("DGRAM")
    client.bind(("0.0.0.0", 0))
    name = client.getsockname()
    assert 49152 <= name[1] <= 65535
    for size in (0, 1, 512, 1472):
        client.sendto((bytes(range(256)) * 6)[:size], ("10.0.0.12", 7))
        lan.flush()
        data, source = server.recvfrom(2000)
        assert len(data) == size and source == ("10.0.0.11", name[1])
        server.sendto(data, source)
        lan.flush()
        assert client.recvfrom(2000) == (data, ("10.0.0.12", 7))
    rows = {(r["proto"], r["local"][1]) for r in b.connections()}
    assert ("UDP", 7) in rows


def test_udp_refuses_datagrams_larger_than_an_ip_datagram():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    with pytest.raises(SocketError) as error:
        a.socket("DGRAM").sendto(bytes(65508), ("10.0.0.12", 7))
    assert error.value.errno == "EMSGSIZE"


def test_udp_to_a_closed_port_gets_port_unreachable():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    raw = a.socket("RAW_ICMP")
    client = a.socket("DGRAM")
    client.connect(("10.0.0.12", 9))
    client.send(b"anyone?")
    lan.flush()
    message = dpkt.icmp.ICMP(raw.recvfrom(1500)[0])
    assert (message.type, message.code) == (3, 3)
    quoted = dpkt.ip.IP(bytes(message.data.data))
    assert quoted.dst == bytes((10, 0, 0, 12)) and quoted.udp.dport == 9
    assert b.counters["dropped_no_socket"] == 1
    with pytest.raises(SocketError) as error:
        client.recv(100)
    assert error.value.errno == "ECONNREFUSED"


def test_udp_broadcast_reaches_everyone_and_draws_no_unreachable():
    lan, (a, b, c) = lan_of("10.0.0.11", "10.0.0.12", "10.0.0.13")
    listener = b.socket("DGRAM")
    listener.bind(("0.0.0.0", 520))
    a.socket("DGRAM").sendto(b"hello all", ("10.0.0.255", 520))
    lan.flush()
    assert listener.recvfrom(100)[0] == b"hello all"
    assert c.counters["dropped_no_socket"] == 1 and c.counters["icmp_out"] == 0


def test_the_gateways_any_port_datagram_socket():
    lan = FakeLan()
    guest = lan.add("USER1", "10.0.0.11")
    gateway = lan.add("GATEWAY", "10.0.0.1", gateway=None)
    catch_all = gateway.socket("DGRAM")
    catch_all.bind(("0.0.0.0", 0), any_port=True)
    dns = gateway.socket("DGRAM")
    dns.bind(("0.0.0.0", 53))
    client = guest.socket("DGRAM")
    client.bind(("0.0.0.0", 4000))
    client.sendto(b"to 5001", ("10.0.0.1", 5001))
    client.sendto(b"to 53", ("10.0.0.1", 53))
    lan.flush()
    assert catch_all.recvfrom(100) == (b"to 5001", ("10.0.0.11", 4000))
    assert catch_all.last_destination == ("10.0.0.1", 5001)
    assert not catch_all.readable() and dns.recvfrom(100)[0] == b"to 53"
    catch_all.sendto(b"from 5001", ("10.0.0.11", 4000), source_port=5001)
    lan.flush()
    assert client.recvfrom(100) == (b"from 5001", ("10.0.0.1", 5001))


def test_no_gateway_means_off_subnet_is_unreachable():
    lan, (a,) = lan_of("10.0.0.11", gateway=None)
    with pytest.raises(SocketError) as error:
        a.socket("DGRAM").sendto(b"x", ("192.168.1.1", 7))
    assert error.value.errno == "ENETUNREACH"
    assert a.counters["dropped_no_route"] == 1


def test_off_subnet_goes_to_the_gateway_which_as_router_answers_host_unreachable():
    lan = FakeLan()
    guest = lan.add("USER1", "10.0.0.11")
    lan.add("GATEWAY", "10.0.0.1", gateway=None, router=True)
    raw = guest.socket("RAW_ICMP")
    guest.socket("DGRAM").sendto(b"x", ("192.168.1.1", 7))
    lan.flush()
    message = dpkt.icmp.ICMP(raw.recvfrom(1500)[0])
    assert (message.type, message.code) == (3, 1)


# -- sockets in general ------------------------------------------------------------
def test_socket_errors_named_as_rexx_sockets_names_them():
    lan, (a,) = lan_of("10.0.0.11")
    first = a.socket("DGRAM")
    first.bind(("0.0.0.0", 1234))
    cases = [
        (lambda: a.socket("DGRAM").bind(("0.0.0.0", 1234)), "EADDRINUSE"),
        (lambda: a.socket("DGRAM").bind(("10.0.0.99", 1)), "EADDRNOTAVAIL"),
        (lambda: a.socket("DGRAM").bind(("ten", 1)), "EINVAL"),
        (lambda: a.socket("STREAM").setsockopt("SO_NONSENSE", 1), "ENOPROTOOPT"),
        (lambda: a.socket("SEQPACKET"), "EPROTONOSUPPORT"),
        (lambda: a.socket("DGRAM").listen(5), "EOPNOTSUPP"),
        (lambda: a.socket("STREAM").accept(), "EINVAL"),
        (lambda: a.socket("STREAM").send(b"x"), "ENOTCONN"),
        (lambda: a.socket("STREAM").recv(1), "ENOTCONN"),
    ]
    for call, errno in cases:
        with pytest.raises(SocketError) as error:
            call()
        assert error.value.errno == errno
    first.close()
    with pytest.raises(SocketError) as error:
        first.recvfrom(1)
    assert error.value.errno == "EBADF"


def test_descriptors_are_small_reused_and_limited_to_64():
    lan, (a,) = lan_of("10.0.0.11")
    sockets = [a.socket("STREAM") for _ in range(64)]
    assert [s.descriptor for s in sockets] == list(range(64))
    with pytest.raises(SocketError) as error:
        a.socket("DGRAM")
    assert error.value.errno == "EMFILE"
    sockets[5].close()
    assert a.socket("RAW_ICMP").descriptor == 5


def test_options_are_kept():
    lan, (a,) = lan_of("10.0.0.11")
    sock = a.socket("STREAM")
    for name in ("SO_REUSEADDR", "SO_KEEPALIVE", "TCP_NODELAY"):
        sock.setsockopt(name, 1)
        assert sock.getsockopt(name) == 1


def test_a_stack_needs_a_proper_mac_and_address():
    with pytest.raises(ValueError):
        Stack(mac=b"\x01\0\0\0\0\x01", address="10.0.0.1", send_frame=print, clock=float)
    with pytest.raises(ValueError):
        Stack(mac=b"\x02\0\0\0\0\x01", address="10.0.0", send_frame=print, clock=float)


def test_icmp_errors_are_rate_limited_and_never_about_icmp_errors():
    lan = FakeLan()
    guest = lan.add("USER1", "10.0.0.11")
    router = lan.add("GATEWAY", "10.0.0.1", gateway=None, router=True)
    router.announce()
    lan.flush()
    sock = guest.socket("DGRAM")
    for _ in range(200):
        sock.sendto(b"x", ("10.0.0.1", 9))  # closed port: port unreachable
    lan.flush()
    assert router.counters["icmp_out"] == stack_module.ICMP_ERRORS_PER_SECOND
    assert router.counters["icmp_errors_limited"] == 200 - stack_module.ICMP_ERRORS_PER_SECOND
    lan.clock.advance(1)
    sock.sendto(b"x", ("10.0.0.1", 9))
    lan.flush()
    assert router.counters["icmp_out"] == stack_module.ICMP_ERRORS_PER_SECOND + 1
    # An ICMP error sent on through the router for another address draws nothing.
    raw = guest.socket("RAW_ICMP")
    error = bytes(dpkt.icmp.ICMP(type=3, code=3, data=dpkt.icmp.ICMP.Unreach(data=bytes(28))))
    before = router.counters["icmp_out"]
    raw.sendto(error, ("192.168.1.1", 0))
    lan.flush()
    assert router.counters["icmp_out"] == before
    raw.sendto(echo_request(1, 1), ("192.168.1.1", 0))  # an echo request does
    lan.flush()
    assert router.counters["icmp_out"] == before + 1


def test_the_queue_waiting_for_arp_keeps_the_newest_eight_datagrams():
    lan, (a, b) = lan_of("10.0.0.11", "10.0.0.12")
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    client = a.socket("DGRAM")
    for n in range(20):
        client.sendto(bytes([n]), ("10.0.0.12", 7))
    client.sendto(bytes(65507), ("10.0.0.12", 7))  # the largest: 45 fragments, kept whole
    lan.flush()
    got = []
    while server.readable():
        got.append(server.recvfrom(65536)[0])
    assert got == [bytes([n]) for n in range(13, 20)] + [bytes(65507)]
    assert a.counters["dropped_arp_queue"] == 13
