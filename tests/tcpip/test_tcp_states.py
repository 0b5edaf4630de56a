"""TCP connection life of the engine: opening, failing, closing, resets,
backlogs and SYN floods, the gateway's any-port listener, NETSTAT rows."""

import dpkt
import pytest

from tcpip import SocketError, tcp, tcp_socket
from tests.tcpip.netkit import FakeLan, connect_pair, receive_all, transfer


def two_stacks(**options):
    lan = FakeLan(**options)
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    return lan, a, b


def tcp_frames(lan, start: int = 0):
    """(frame time, dpkt TCP segment) for every TCP frame sent from capture[start] on."""
    found = []
    for when, frame in lan.capture[start:]:
        eth = dpkt.ethernet.Ethernet(frame)
        if isinstance(eth.data, dpkt.ip.IP) and isinstance(eth.data.data, dpkt.tcp.TCP):
            found.append((when, eth.data.data))
    return found


def errno_of(call) -> str:
    with pytest.raises(SocketError) as error:
        call()
    return error.value.errno


# -- opening ------------------------------------------------------------------------
def test_handshake_carries_the_mss_option_and_establishes_both_ends():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    syn, syn_ack, ack = [segment for _, segment in tcp_frames(lan)][:3]
    assert syn.flags == tcp.SYN and syn_ack.flags == tcp.SYN | tcp.ACK and ack.flags == tcp.ACK
    for segment in (syn, syn_ack):
        assert (dpkt.tcp.TCP_OPT_MSS, (1460).to_bytes(2, "big")) in dpkt.tcp.parse_opts(
            segment.opts
        )
    assert syn_ack.ack == syn.seq + 1 and ack.ack == syn_ack.seq + 1
    assert syn.win == 65535
    assert client.state == server.state == "ESTABLISHED"
    assert client.getpeername() == ("10.0.0.12", 80) == server.getsockname()
    assert server.getpeername() == client.getsockname()
    assert client.writable() and not client.readable()


def test_connect_to_a_closed_port_is_refused():
    lan, a, b = two_stacks()
    sock = a.socket("STREAM")
    sock.connect(("10.0.0.12", 81))
    assert sock.state == "SYN-SENT" and sock.error is None
    lan.run(5, until=lambda: sock.error)
    assert sock.error == "ECONNREFUSED" and sock.state == "CLOSED"
    assert sock.readable() and sock.writable()
    assert b.counters["tcp_resets_sent"] == 1 and b.counters["dropped_no_socket"] == 1
    assert errno_of(lambda: sock.send(b"x")) == "ECONNREFUSED"


def test_connect_times_out_when_syns_go_unanswered():
    lan, a, b = two_stacks()
    lan.filter = lambda sender, frame: sender == "USER1" and frame[23:24] == b"\x06"  # TCP
    sock = a.socket("STREAM")
    sock.connect(("10.0.0.12", 80))
    start = lan.clock.now
    lan.run(600, until=lambda: sock.error)
    assert sock.error == "ETIMEDOUT"
    syns = [s for _, s in tcp_frames(lan) if s.flags & tcp.SYN]
    assert len(syns) == 1 + tcp.SYN_RETRIES
    times = [when for when, s in tcp_frames(lan) if s.flags & tcp.SYN]
    gaps = [round(b - a, 3) for a, b in zip(times, times[1:])]
    assert gaps == sorted(gaps) and gaps[0] == 1.0  # RFC 6298 backoff from 1 s
    assert lan.clock.now - start < 60
    assert [row["state"] for row in a.connections()] == ["CLOSED"]  # the socket is still open
    assert a.connections_by_key == {} and a.counters["tcp_connect_failures"] == 1


def test_connect_to_a_host_that_does_not_answer_arp_is_host_unreachable():
    lan, a, b = two_stacks()
    sock = a.socket("STREAM")
    sock.connect(("10.0.0.77", 80))
    lan.run(30, until=lambda: sock.error)
    assert sock.error == "EHOSTUNREACH"


def test_connect_off_subnet_without_a_gateway_is_network_unreachable():
    lan = FakeLan()
    a = lan.add("USER1", "10.0.0.11", gateway=None)
    sock = a.socket("STREAM")
    assert sock.connect(("192.168.7.7", 80)) is None
    assert sock.error == "ENETUNREACH" and sock.state == "CLOSED"


def test_connect_through_a_router_that_has_no_route_is_host_unreachable():
    lan = FakeLan()
    a = lan.add("USER1", "10.0.0.11")
    lan.add("GATEWAY", "10.0.0.1", gateway=None, router=True)
    sock = a.socket("STREAM")
    sock.connect(("192.168.7.7", 80))
    lan.run(5, until=lambda: sock.error)
    assert sock.error == "EHOSTUNREACH"


def test_connect_errors_for_misuse():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    assert errno_of(lambda: client.connect(("10.0.0.12", 80))) == "EISCONN"
    fresh = a.socket("STREAM")
    assert errno_of(lambda: fresh.connect(("0.0.0.0", 80))) == "EADDRNOTAVAIL"
    assert errno_of(lambda: fresh.connect(("10.0.0.12", 0))) == "EINVAL"
    fresh.connect(("10.0.0.12", 99))
    assert errno_of(lambda: fresh.connect(("10.0.0.12", 99))) == "EALREADY"


# -- data and closing ------------------------------------------------------------------
def test_half_close_lets_the_other_side_go_on_sending():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.send(b"request")
    client.shutdown(1)
    lan.run(1)
    assert receive_all(server) == b"request"
    assert server.recv(100) == b"" and server.state == "CLOSE-WAIT"
    assert client.state == "FIN-WAIT-2"
    assert errno_of(lambda: client.send(b"more")) == "EPIPE"
    reply = bytes(range(256)) * 1000
    assert transfer(lan, server, client, reply) == reply
    server.close()
    lan.run(1)
    assert client.recv(10) == b"" and client.state == "TIME-WAIT"
    lan.run(tcp.TIME_WAIT + 1)
    assert client.state == "CLOSED" and a.connections() == [
        {
            "proto": "TCP",
            "local": client.getsockname(),
            "remote": ("10.0.0.12", 80),
            "state": "CLOSED",
            "sent": 7,
            "received": len(reply),
            "descriptor": client.descriptor,
        }
    ]
    client.close()
    assert a.connections() == [] and b.connections() == []


def test_simultaneous_close_goes_through_closing():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.shutdown(1)
    server.shutdown(1)
    assert client.state == server.state == "FIN-WAIT-1"
    lan.flush()
    assert {client.state, server.state} <= {"CLOSING", "TIME-WAIT"}
    lan.run(tcp.TIME_WAIT + 1)
    assert client.state == server.state == "CLOSED"


def test_close_with_unread_data_resets_the_connection():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.send(b"you will not read this")
    lan.run(1)
    server.close()
    lan.run(1)
    assert b.counters["tcp_resets_unread"] == 1
    assert client.error == "ECONNRESET" and client.state == "CLOSED"
    assert errno_of(lambda: client.recv(10)) == "ECONNRESET"
    assert errno_of(lambda: client.send(b"x")) == "ECONNRESET"


def test_data_for_a_closed_socket_resets_the_sender():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    server.close()  # FIN; the client does not close yet
    lan.run(1)
    client.send(b"late data")
    lan.run(1)
    assert client.error == "ECONNRESET"


def test_a_peer_that_vanishes_mid_transfer_times_out():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    assert client.connection.rto == tcp.RTO_MIN  # RTT ~0 on the fake LAN: the floor
    lan.filter = lambda sender, frame: True  # the cable is cut
    start = len(lan.capture)
    client.send(bytes(10_000))
    lan.run(600, until=lambda: client.error)
    assert client.error == "ETIMEDOUT"
    assert a.counters["tcp_retransmits"] == tcp.DATA_RETRIES
    assert a.counters["tcp_timeouts"] == 1
    # Each retransmission of the first segment waits twice as long, up to RTO_MAX.
    first_seq = tcp_frames(lan, start)[0][1].seq
    times = [when for when, s in tcp_frames(lan, start) if s.data and s.seq == first_seq]
    assert len(times) == 1 + tcp.DATA_RETRIES
    gaps = [round(later - earlier, 3) for earlier, later in zip(times, times[1:])]
    expected = [min(tcp.RTO_MIN * 2**n, tcp.RTO_MAX) for n in range(tcp.DATA_RETRIES)]
    assert gaps == [round(g, 3) for g in expected]


def test_a_zero_window_is_probed_until_the_reader_reads():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    data = bytes(range(200)) * 1000  # 200 000: three buffers' worth
    sent = 0
    for _ in range(50):
        try:
            sent += client.send(data[sent:])
        except SocketError:
            pass
        lan.run(5)
    assert server.connection.rcvbuf and len(server.connection.rcvbuf) == tcp.BUFFER
    assert not client.writable()
    assert client.error is None and client.connection.retries == 0  # still alive
    got = bytearray()
    for _ in range(100):
        got += receive_all(server)
        if sent < len(data) and client.writable():
            sent += client.send(data[sent:])
        lan.run(1)
    assert got == data


def test_loopback_connection_to_ourselves():
    lan = FakeLan()
    a = lan.add("USER1", "10.0.0.11")
    listener = a.socket("STREAM")
    listener.bind(("10.0.0.11", 2000))
    listener.listen(1)
    client = a.socket("STREAM")
    client.connect(("10.0.0.11", 2000))
    assert client.state == "SYN-SENT"  # the looped-back SYN waits for the next poll
    a.poll()
    assert client.state == "ESTABLISHED"
    server = listener.accept()
    client.send(b"hello me")
    a.poll()
    assert server.recv(100) == b"hello me"
    assert lan.capture == []  # nothing went on the LAN


def test_a_port_in_time_wait_needs_so_reuseaddr():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    server_port = server.getsockname()[1]
    server.close()  # the server closes first: its side goes to TIME-WAIT
    lan.run(1)
    client.close()
    lan.run(0.5)
    assert [c["state"] for c in b.connections()] == ["TIME-WAIT"]
    again = b.socket("STREAM")
    assert errno_of(lambda: again.bind(("0.0.0.0", server_port))) == "EADDRINUSE"
    again.setsockopt("SO_REUSEADDR", 1)
    again.bind(("0.0.0.0", server_port))


# -- listening -----------------------------------------------------------------------
def test_accept_without_a_connection_would_block():
    lan, a, b = two_stacks()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(3)
    assert errno_of(listener.accept) == "EWOULDBLOCK"
    assert not listener.readable()
    assert b.connections()[0]["state"] == "LISTEN"


def syn_frame(target, source_address: bytes, source_port: int, dport: int = 80) -> bytes:
    segment = dpkt.tcp.TCP(
        sport=source_port, dport=dport, seq=1000 + source_port, flags=tcp.SYN, win=8192
    )
    packet = dpkt.ip.IP(src=source_address, dst=bytes((10, 0, 0, 12)), p=6, ttl=64, data=segment)
    attacker = b"\x02\x66\0\0\0\x01"
    return bytes(dpkt.ethernet.Ethernet(dst=target.mac, src=attacker, type=0x0800, data=packet))


def test_a_syn_flood_from_one_host_is_bounded_by_the_backlog():
    lan, a, b = two_stacks()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(100)  # bounded to 16
    assert listener.backlog == tcp_socket.MAX_BACKLOG
    for port in range(20000, 22000):
        lan.inject(syn_frame(b, bytes((10, 0, 0, 66)), port))
    lan.flush()
    assert len(b.connections_by_key) == tcp_socket.MAX_BACKLOG
    assert b.counters["syn_dropped_backlog"] == 2000 - tcp_socket.MAX_BACKLOG
    # A real client still gets through once the half-open ones time out.
    lan.run(60)
    assert b.connections_by_key == {}
    client, server = connect_pair(lan, a, b, port=81)
    assert client.state == "ESTABLISHED"


def test_syns_past_the_backlog_are_dropped_and_retried_by_the_client():
    lan, a, b = two_stacks()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(2)
    clients = [a.socket("STREAM") for _ in range(3)]
    for sock in clients:
        sock.connect(("10.0.0.12", 80))
    lan.run(0.5)
    assert [s.state for s in clients] == ["ESTABLISHED", "ESTABLISHED", "SYN-SENT"]
    assert b.counters["syn_dropped_backlog"] >= 1
    listener.accept()
    lan.run(5, until=lambda: clients[2].state == "ESTABLISHED")
    assert clients[2].state == "ESTABLISHED"


def test_closing_a_listener_resets_what_was_not_accepted():
    lan, a, b = two_stacks()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(2)
    sock = a.socket("STREAM")
    sock.connect(("10.0.0.12", 80))
    lan.run(1)
    listener.close()
    lan.run(1)
    assert sock.error == "ECONNRESET"
    assert b.connections() == []


def test_the_gateways_any_port_listener():
    lan = FakeLan()
    guest = lan.add("USER1", "10.0.0.11")
    gateway = lan.add("GATEWAY", "10.0.0.1", gateway=None)
    catch_all = gateway.socket("STREAM")
    catch_all.bind(("0.0.0.0", 0))
    catch_all.listen(8, any_port=True)
    ftp = gateway.socket("STREAM")
    ftp.bind(("0.0.0.0", 21))
    ftp.listen(1)
    for port in (8080, 21, 3270):
        sock = guest.socket("STREAM")
        sock.connect(("10.0.0.1", port))
    lan.run(1)
    ports = sorted(catch_all.accept().getsockname()[1] for _ in range(2))
    assert ports == [3270, 8080]
    assert ftp.accept().getsockname() == ("10.0.0.1", 21)


def test_netstat_rows():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.send(b"12345")
    lan.run(1)
    udp = a.socket("DGRAM")
    udp.bind(("0.0.0.0", 53))
    rows = a.connections()
    assert {
        "proto": "TCP",
        "local": client.getsockname(),
        "remote": ("10.0.0.12", 80),
        "state": "ESTABLISHED",
        "sent": 5,
        "received": 0,
        "descriptor": client.descriptor,
    } in rows
    assert {
        "proto": "UDP",
        "local": ("0.0.0.0", 53),
        "remote": None,
        "state": "UDP",
        "sent": 0,
        "received": 0,
        "descriptor": udp.descriptor,
    } in rows
    assert b.connections()[0]["received"] == 5
    assert all(isinstance(v, int) for v in a.counters.values())
    assert a.counters["tcp_active_opens"] == 1 and b.counters["tcp_passive_opens"] == 1


@pytest.mark.parametrize("how", ["abort", "linger"])
def test_an_abortive_close_resets_the_peer_at_once(how):
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.send(b"read, so that a plain close would send FIN")
    lan.run(1)
    assert receive_all(server)
    if how == "abort":
        server.abort()
    else:
        server.setsockopt("SO_LINGER", (1, 0))
        server.close()
    lan.run(1)
    assert client.error == "ECONNRESET"
    assert a.connections_by_key == {} and b.connections_by_key == {}


def test_a_full_connection_table_recycles_time_wait_first():
    lan, a, b = two_stacks()
    a.max_connections = b.max_connections = 4
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(4)
    for _ in range(6):  # each one closed by the client: its side waits in TIME-WAIT
        sock = a.socket("STREAM")
        sock.connect(("10.0.0.12", 80))
        lan.run(0.5)
        served = listener.accept()
        sock.close()
        lan.run(0.5)
        served.close()
        lan.run(0.5)
    assert len(a.connections_by_key) == 4
    assert a.counters["tcp_time_wait_recycled"] == 2
    # Without TIME-WAIT connections to give way, a full table refuses.
    busy = []
    for _ in range(4):
        lan.run(tcp.TIME_WAIT + 1)
        sock = a.socket("STREAM")
        sock.connect(("10.0.0.12", 80))
        lan.run(0.5)
        busy.append(listener.accept())
    sock = a.socket("STREAM")
    assert errno_of(lambda: sock.connect(("10.0.0.12", 80))) == "ENOBUFS"


def test_a_small_window_is_used_after_the_override_timeout_when_its_update_is_lost():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.send(bytes(tcp.BUFFER - 1000))  # the server's buffer fills but for 1000 bytes
    lan.run(5)
    assert server.connection._window() == 1000
    client.send(bytes(5000))  # 1000 fit; silly window avoidance waits for more
    lan.flush()
    assert len(server.connection.rcvbuf) == tcp.BUFFER - 1000
    lan.run(5)  # the override timeout sends into the small window
    assert len(server.connection.rcvbuf) == tcp.BUFFER
    assert client.error is None


def test_an_interface_that_fails_to_send_loses_frames_and_tcp_recovers():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    failures = iter(range(5))
    original = a._send_frame_out

    def flaky(frame):
        if next(failures, None) is not None:
            raise OSError("adapter not ready")
        original(frame)

    a._send_frame_out = flaky
    data = bytes(range(256)) * 100
    assert transfer(lan, client, server, data) == data
    assert a.counters["frames_out_failed"] == 5
    assert a.last_output_error == "OSError: adapter not ready"


def test_delayed_acks_every_second_segment_or_after_the_timer():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    start = len(lan.capture)
    client.send(b"one small segment")
    lan.flush()
    assert [s.flags for _, s in tcp_frames(lan, start)] == [tcp.ACK | tcp.PSH]  # no ACK yet
    lan.run(1)
    (sent_at, _), (acked_at, ack) = tcp_frames(lan, start)
    assert ack.flags == tcp.ACK and round(acked_at - sent_at, 3) == tcp.DELAYED_ACK
    start = len(lan.capture)
    client.send(bytes(2 * 1460))
    lan.flush()
    frames = [s for _, s in tcp_frames(lan, start)]
    assert [len(s.data) for s in frames] == [1460, 1460, 0]  # the second drew an ACK at once


@pytest.mark.parametrize("nodelay", [False, True])
def test_nagle_holds_small_writes_while_one_is_unacknowledged(nodelay):
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    client.setsockopt("TCP_NODELAY", 1 if nodelay else 0)
    start = len(lan.capture)
    for piece in (b"a", b"b", b"c", b"d"):
        client.send(piece)
    sent = [s.data for _, s in tcp_frames(lan, start)]
    assert sent == ([b"a", b"b", b"c", b"d"] if nodelay else [b"a"])
    lan.run(1)
    assert receive_all(server) == b"abcd"


def test_closing_a_stack_resets_its_connections_and_frees_everything():
    lan, a, b = two_stacks()
    client, server = connect_pair(lan, a, b)
    udp = a.socket("DGRAM")
    udp.bind(("0.0.0.0", 53))
    client.send(b"in flight")
    a.close()
    lan.run(1)
    assert server.error == "ECONNRESET"
    assert client.error == "ECONNABORTED" and client.closed and udp.closed
    assert a.connections() == [] and a.poll() is None
    assert a.socket("DGRAM").descriptor == 0
