"""The engine's fast checksum checks agree with dpkt's word-by-word sums."""

import random

import dpkt

from tcpip import ip


def test_checksum_ok_agrees_with_dpkt_on_random_data_and_edges():
    rng = random.Random(5)
    samples = [b"", b"\0", b"\0\0", b"\xff\xff", b"\xff", b"\0\xff\xff"]
    samples += [rng.randbytes(rng.randrange(0, 80)) for _ in range(3000)]
    for data in samples:
        right = dpkt.in_cksum(data) == 0 and any(data)
        assert ip.checksum_ok(data) == right, data
        # With its checksum filled in (appended as one more word), it is right.
        if len(data) % 2 == 0 and any(data):
            whole = data + dpkt.in_cksum(data).to_bytes(2, "big")
            assert ip.checksum_ok(whole)


def test_transport_checksum_ok_agrees_with_the_pseudo_header_sum():
    rng = random.Random(6)
    for _ in range(2000):
        source, destination = rng.randbytes(4), rng.randbytes(4)
        segment = bytearray(rng.randbytes(rng.randrange(8, 120)))
        protocol = rng.choice([ip.PROTO_TCP, ip.PROTO_UDP])
        slot = 16 if protocol == ip.PROTO_TCP and len(segment) >= 20 else 6
        segment[slot : slot + 2] = b"\0\0"
        value = ip.transport_checksum(source, destination, protocol, bytes(segment))
        segment[slot : slot + 2] = value.to_bytes(2, "big")
        assert ip.transport_checksum(source, destination, protocol, bytes(segment)) == 0
        assert ip.transport_checksum_ok(source, destination, protocol, bytes(segment))
        segment[rng.randrange(len(segment))] ^= 1 << rng.randrange(8)
        assert not ip.transport_checksum_ok(source, destination, protocol, bytes(segment))


def test_the_checksum_filled_in_is_dpkts():
    rng = random.Random(7)
    for _ in range(2000):
        source, destination = rng.randbytes(4), rng.randbytes(4)
        data = rng.randbytes(rng.randrange(0, 100))
        if rng.random() < 0.5:
            packet = dpkt.tcp.TCP(
                sport=rng.randrange(1, 65536),
                dport=80,
                seq=rng.getrandbits(32),
                flags=rng.getrandbits(6),
                data=data,
            )
            protocol = ip.PROTO_TCP
        else:
            packet = dpkt.udp.UDP(
                sport=rng.randrange(1, 65536), dport=7, ulen=8 + len(data), data=data
            )
            protocol = ip.PROTO_UDP
        ours = ip.build(source, destination, protocol, packet, 1)
        packet.sum = 0
        theirs = bytes(
            dpkt.ip.IP(src=source, dst=destination, p=protocol, ttl=64, id=1, data=packet)
        )
        assert ours == theirs
