"""IP fragmentation out and bounded reassembly in (RFC 791 3.2, RFC 1122 3.3.2)."""

import random
import subprocess

import dpkt
import pytest

from tcpip import fragments, ip
from tests.tcpip.netkit import FakeLan

ATTACKER = b"\x02\x66\x00\x00\x00\x01"
SOURCE = bytes((10, 0, 0, 66))
TARGET = bytes((10, 0, 0, 12))


def pair():
    lan = FakeLan()
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    return lan, a, b


def pieces_of(payload: bytes, ident: int, size: int = 1480, protocol: int = 17) -> list[bytes]:
    """Frames carrying ``payload`` (a whole UDP datagram) to USER2 in fragments."""
    packet = ip.build(SOURCE, TARGET, protocol, payload, ident)
    return [
        b"\x02\x00\x00\x00\x00\x02" + ATTACKER + b"\x08\x00" + piece
        for piece in ip.fragment(packet, size + 20)
    ]


def udp_datagram(data: bytes, dport: int = 7) -> bytes:
    return ip.with_transport_checksum(
        SOURCE,
        TARGET,
        ip.PROTO_UDP,
        bytes(dpkt.udp.UDP(sport=5000, dport=dport, ulen=8 + len(data), data=data)),
    )


def test_a_large_datagram_goes_in_fragments_and_arrives_whole():
    lan, a, b = pair()
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    data = random.Random(1).randbytes(10_000)
    a.socket("DGRAM").sendto(data, ("10.0.0.12", 7))
    lan.flush()
    assert server.recvfrom(65536)[0] == data
    assert a.counters["ip_fragments_out"] == 7  # 10 008 bytes in pieces of 1480
    assert b.counters["ip_fragments_in"] == 7 and b.counters["ip_reassembled"] == 1
    assert max(len(frame) for _, frame in lan.capture) <= 1514


def test_a_large_ping_is_answered_in_fragments():
    lan, a, b = pair()
    raw = a.socket("RAW_ICMP")
    echo = dpkt.icmp.ICMP.Echo(id=5, seq=1, data=bytes(range(256)) * 16)
    raw.sendto(bytes(dpkt.icmp.ICMP(type=8, data=echo)), ("10.0.0.12", 0))
    lan.flush()
    reply = dpkt.icmp.ICMP(raw.recvfrom(65536)[0])
    assert reply.type == 0 and reply.data.data == bytes(range(256)) * 16
    assert b.counters["ip_fragments_out"] == 3


@pytest.mark.parametrize("order", ["reversed", "shuffled", "duplicated"])
def test_fragments_in_any_order_reassemble(order):
    lan, a, b = pair()
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    data = random.Random(2).randbytes(5000)
    frames = pieces_of(udp_datagram(data), ident=77, size=800)
    if order == "reversed":
        frames.reverse()
    elif order == "shuffled":
        random.Random(3).shuffle(frames)
    else:
        frames = [frame for frame in frames for _ in range(2)]
    for frame in frames:
        b.input(frame)
    assert server.recvfrom(65536)[0] == data
    assert b.counters["dropped_fragments"] == 0
    # A duplicate of the last piece after the datagram was complete begins
    # another one, which the reassembly timeout clears.
    assert b._reassembly.pending() == (1 if order == "duplicated" else 0)


def test_a_missing_fragment_times_out_and_frees_the_rest():
    lan, a, b = pair()
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    frames = pieces_of(udp_datagram(bytes(4000)), ident=9)
    for frame in frames[:-1]:
        b.input(frame)
    assert b._reassembly.pending() == 1
    assert b.poll() == pytest.approx(fragments.TIMEOUT)
    lan.clock.advance(fragments.TIMEOUT)
    assert b.poll() is None
    assert b.counters["dropped_reassembly_timeout"] == 1 and b._reassembly.pending() == 0
    b.input(frames[-1])  # too late: starts a new datagram that never completes
    assert not server.readable()


def test_overlapping_fragments_with_other_bytes_throw_the_datagram_away():
    lan, a, b = pair()
    server = b.socket("DGRAM")
    server.bind(("0.0.0.0", 7))
    frames = pieces_of(udp_datagram(bytes(3000)), ident=10, size=1000)
    forged = bytearray(frames[1])
    forged[-1] ^= 0xFF  # same place, other bytes
    forged[24:26] = b"\0\0"
    forged[24:26] = dpkt.in_cksum(bytes(forged[14:34])).to_bytes(2, "big")
    for frame in (frames[0], frames[1], bytes(forged), frames[2], frames[3]):
        b.input(frame)
    assert b.counters["dropped_fragments"] >= 1 and not server.readable()


def test_reassembly_is_bounded():
    lan, a, b = pair()
    for ident in range(200):  # 200 datagrams that each lack their last piece
        b.input(pieces_of(udp_datagram(bytes(3000)), ident=ident)[0])
    assert b._reassembly.pending() == fragments.MAX_DATAGRAMS
    assert b.counters["dropped_fragments"] == 200 - fragments.MAX_DATAGRAMS
    too_far = pieces_of(udp_datagram(bytes(2000)), ident=500)[-1]
    frame = bytearray(too_far)
    frame[20:22] = (0x1FFF).to_bytes(2, "big")  # offset 65528: it would end past 65535
    frame[24:26] = b"\0\0"
    frame[24:26] = dpkt.in_cksum(bytes(frame[14:34])).to_bytes(2, "big")
    b.input(bytes(frame))
    assert b.counters["dropped_fragments"] == 200 - fragments.MAX_DATAGRAMS + 1


@pytest.mark.tool("tshark")
def test_tshark_reassembles_our_fragments(tmp_path):
    lan, a, b = pair()
    b.socket("DGRAM").bind(("0.0.0.0", 5001))
    a.socket("DGRAM").sendto(bytes(range(256)) * 40, ("10.0.0.12", 5001))
    lan.flush()
    path = tmp_path / "fragments.pcap"
    with open(path, "wb") as file:
        writer = dpkt.pcap.Writer(file, linktype=dpkt.pcap.DLT_EN10MB)
        for when, frame in lan.capture:
            writer.writepkt(frame, ts=when)
    result = subprocess.run(
        [
            "tshark",
            "-r",
            str(path),
            "-o",
            "ip.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            "-Y",
            "udp",
            "-T",
            "fields",
            "-e",
            "ip.reassembled.length",
            "-e",
            "udp.length",
            "-e",
            "udp.checksum.status",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["10248", "10248", "1"]
