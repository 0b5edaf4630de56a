"""Hostile and broken frames: input() never raises, every drop is counted,
and the stack still works afterwards."""

import random
import struct

import dpkt

from tcpip import tcp
from tests.tcpip.netkit import FakeLan, connect_pair, receive_all, transfer

DROPS = (
    "dropped_malformed",
    "dropped_checksum",
    "dropped_not_ours",
    "dropped_no_socket",
    "dropped_fragments",
    "dropped_unsupported",
)
ATTACKER = b"\x02\x66\x00\x00\x00\x01"
ATTACKER_IP = bytes((10, 0, 0, 66))


def setup():
    lan = FakeLan(seed=2)
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    client, server = connect_pair(lan, a, b)
    udp = b.socket("DGRAM")
    udp.bind(("0.0.0.0", 7))
    return lan, a, b, client, server


def drops(stack) -> int:
    return sum(stack.counters[name] for name in DROPS)


def still_works(lan, a, b, client, server):
    receive_all(server)  # what the test itself sent
    data = random.Random(1).randbytes(100_000)
    assert transfer(lan, client, server, data) == data
    assert a.counters["input_errors"] == b.counters["input_errors"] == 0, (
        a.last_input_error,
        b.last_input_error,
    )


def ip_frame(stack, protocol: int, payload: bytes, **fields) -> bytes:
    packet = dpkt.ip.IP(
        src=ATTACKER_IP,
        dst=bytes(map(int, stack.address.split("."))),
        p=protocol,
        ttl=64,
        data=payload,
        **fields,
    )
    return bytes(dpkt.ethernet.Ethernet(dst=stack.mac, src=ATTACKER, type=0x0800, data=packet))


def test_random_bytes():
    lan, a, b, client, server = setup()
    rng = random.Random(7)
    before = b.counters["frames_in"]
    for _ in range(3000):
        size = rng.choice([0, 1, 13, 14, 20, 34, 42, 60, rng.randrange(0, 1600)])
        body = rng.randbytes(size)
        if rng.random() < 0.7 and size >= 14:  # make it reach the stack's parsers
            body = (
                b.mac + ATTACKER + rng.choice([b"\x08\x00", b"\x08\x06", b"\x86\xdd"]) + body[14:]
            )
        b.input(body)  # must not raise
    assert b.counters["frames_in"] - before == 3000
    assert drops(b) > 2500
    still_works(lan, a, b, client, server)


def test_every_truncation_and_byte_flip_of_real_frames():
    lan, a, b, client, server = setup()
    start = len(lan.capture)
    client.send(b"some data to make real frames " * 10)
    ping = bytes(dpkt.icmp.ICMP(type=8, data=dpkt.icmp.ICMP.Echo(id=1, seq=1, data=b"abc")))
    a.socket("RAW_ICMP").sendto(ping, ("10.0.0.12", 0))
    a.socket("DGRAM").sendto(b"datagram", ("10.0.0.12", 7))
    lan.flush()
    frames = [frame for _, frame in lan.capture[start:] if frame[:6] == b.mac]
    assert len(frames) >= 3
    rng = random.Random(3)
    for frame in frames:
        for cut in range(len(frame)):
            b.input(frame[:cut])
        for _ in range(300):
            mutated = bytearray(frame)
            for _ in range(rng.randrange(1, 4)):
                mutated[rng.randrange(14, len(mutated))] = rng.randrange(256)
            b.input(bytes(mutated))
    assert b.counters["dropped_checksum"] > 100 and b.counters["dropped_malformed"] > 100
    still_works(lan, a, b, client, server)


def test_bogus_lengths_and_header_fields():
    lan, a, b, client, server = setup()
    segment = bytes(dpkt.tcp.TCP(sport=1234, dport=80, flags=tcp.SYN))
    good = ip_frame(b, 6, segment)
    cases = []
    for total in (0, 19, 21, 39, 41, 1000, 65535):  # IP total length
        frame = bytearray(good)
        frame[16:18] = struct.pack("!H", total)
        frame[24:26] = b"\0\0"
        frame[24:26] = struct.pack("!H", dpkt.in_cksum(bytes(frame[14:34])))
        cases.append(bytes(frame))
    for ihl in (0, 1, 4, 6, 15):
        frame = bytearray(good)
        frame[14] = 0x40 | ihl
        cases.append(bytes(frame))
    frame = bytearray(good)
    frame[14] = 0x65  # version 6 in an IPv4 frame
    cases.append(bytes(frame))
    for offset in (0, 4, 6, 15):  # TCP data offset
        raw = bytearray(segment)
        raw[12] = offset << 4
        cases.append(ip_frame(b, 6, bytes(raw)))
    for ulen in (0, 7, 9, 500):  # UDP length
        raw = bytearray(bytes(dpkt.udp.UDP(sport=1, dport=7, data=b"x")))
        raw[4:6] = struct.pack("!H", ulen)
        cases.append(ip_frame(b, 17, bytes(raw)))
    cases.append(ip_frame(b, 6, segment, mf=1))  # a first fragment
    cases.append(ip_frame(b, 6, segment, offset=100))  # a later fragment
    cases.append(ip_frame(b, 47, b"GRE?"))  # an unsupported protocol
    arp = bytearray(
        bytes(dpkt.arp.ARP(op=1, sha=ATTACKER, spa=ATTACKER_IP, tpa=bytes((10, 0, 0, 12))))
    )
    for index, value in ((4, 8), (5, 16), (7, 9), (0, 7)):  # hln, pln, op, hrd
        bad = bytearray(arp)
        bad[index] = value
        cases.append(b.mac + ATTACKER + b"\x08\x06" + bytes(bad))
    before = drops(b)
    for frame in cases:
        b.input(frame)
    # All but the unsupported protocol's frame and the later fragment, which
    # waits for the rest of its datagram until the reassembly time runs out.
    assert drops(b) - before == len(cases) - 2
    assert b.counters["dropped_fragments"] == 1  # a first fragment of 20 bytes: not 8k
    assert b.counters["ip_fragments_in"] == 2
    still_works(lan, a, b, client, server)
    lan.run(60)
    assert b.counters["dropped_reassembly_timeout"] == 1


def test_random_valid_segments_at_a_live_connection_and_a_listener():
    """Well-formed segments (right checksums) with random flags, numbers,
    options and data, aimed at the established connection and at a listener."""
    lan, a, b, client, server = setup()
    listener = b.socket("STREAM")
    listener.bind(("0.0.0.0", 21))
    listener.listen(4)
    rng = random.Random(11)
    client_port = client.getsockname()[1]
    a_ip = bytes((10, 0, 0, 11))
    for _ in range(3000):
        options = rng.choice(
            [
                b"",
                b"\x02\x04\x05\xb4",
                b"\x02\x00",
                b"\x02\xff\x00\x00",
                rng.randbytes(rng.randrange(0, 40) // 4 * 4),
            ]
        )
        segment = dpkt.tcp.TCP(
            sport=rng.choice([client_port, 4444]),
            dport=rng.choice([80, 21, 99]),
            seq=rng.getrandbits(32),
            ack=rng.getrandbits(32),
            flags=rng.getrandbits(6),
            win=rng.getrandbits(16),
            opts=options,
            data=rng.randbytes(rng.choice([0, 1, 100, 1460])),
        )
        segment.off = (20 + len(options)) // 4
        packet = dpkt.ip.IP(
            src=rng.choice([a_ip, ATTACKER_IP]),
            dst=bytes((10, 0, 0, 12)),
            p=6,
            ttl=64,
            data=segment,
        )
        b.input(bytes(dpkt.ethernet.Ethernet(dst=b.mac, src=ATTACKER, type=0x0800, data=packet)))
        b.poll()
    assert b.counters["input_errors"] == 0, b.last_input_error
    assert len(b.connections_by_key) <= 1 + 4 + 1
    lan.queue.clear()  # the answers went to the attacker
    # Blind RSTs and SYNs with random numbers draw challenge ACKs (RFC 5961): the
    # connection lives on.
    assert client.error is None and server.error is None
    still_works(lan, a, b, client, server)
