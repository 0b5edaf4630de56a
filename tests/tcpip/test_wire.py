"""The frames the engine sends are genuine: an independent checksum over
every header, and tshark reading a pcap of a whole session."""

import random
import subprocess

import dpkt
import pytest

from tests.tcpip.netkit import FakeLan, connect_pair, receive_all, transfer


def internet_checksum(data: bytes) -> int:
    """RFC 1071, written out here so the check does not share the engine's code."""
    if len(data) % 2:
        data += b"\0"
    total = sum((data[i] << 8) | data[i + 1] for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def session(loss: float = 0.0) -> FakeLan:
    """ARP, ping, UDP, a port unreachable, a refused connect, a TCP transfer and close."""
    lan = FakeLan(seed=4, loss=loss)
    a = lan.add("USER1", "10.0.0.11")
    b = lan.add("USER2", "10.0.0.12")
    a.announce()
    b.announce()
    raw = a.socket("RAW_ICMP")
    raw.sendto(
        bytes(dpkt.icmp.ICMP(type=8, data=dpkt.icmp.ICMP.Echo(id=9, seq=1, data=b"p" * 56))),
        ("10.0.0.12", 0),
    )
    echo = b.socket("DGRAM")
    echo.bind(("0.0.0.0", 7))
    a.socket("DGRAM").sendto(b"an odd-length datagram", ("10.0.0.12", 7))
    a.socket("DGRAM").sendto(b"nobody", ("10.0.0.12", 9))
    refused = a.socket("STREAM")
    refused.connect(("10.0.0.12", 81))
    lan.run(2)
    client, server = connect_pair(lan, a, b, port=5001)  # no dissector claims 5001
    data = random.Random(5).randbytes(200_001)
    assert transfer(lan, client, server, data) == data
    client.close()
    lan.run(1)
    assert receive_all(server) == b""
    server.close()
    lan.run(5)
    return lan


def test_every_header_checksum_is_right_by_an_independent_computation():
    lan = session()
    kinds = set()
    for _, frame in lan.capture:
        eth = dpkt.ethernet.Ethernet(frame)
        assert len(frame) >= 60
        if eth.type == dpkt.ethernet.ETH_TYPE_ARP:
            kinds.add("ARP")
            continue
        raw_ip = frame[14:]
        header_length = (raw_ip[0] & 0x0F) * 4
        total = int.from_bytes(raw_ip[2:4], "big")
        assert raw_ip[0] >> 4 == 4 and internet_checksum(raw_ip[:header_length]) == 0xFFFF
        assert raw_ip[8] == 64  # TTL (RFC 1122 3.2.1.7)
        body = raw_ip[header_length:total]
        protocol = raw_ip[9]
        kinds.add(protocol)
        if protocol == 1:
            assert internet_checksum(body) == 0xFFFF
        else:
            pseudo = raw_ip[12:20] + bytes((0, protocol)) + len(body).to_bytes(2, "big")
            assert internet_checksum(pseudo + body) == 0xFFFF
    assert kinds == {"ARP", 1, 6, 17}


def write_pcap(lan: FakeLan, path) -> None:
    with open(path, "wb") as file:
        writer = dpkt.pcap.Writer(file, linktype=dpkt.pcap.DLT_EN10MB)
        for when, frame in lan.capture:
            writer.writepkt(frame, ts=when)


def tshark(path, *arguments) -> list[str]:
    result = subprocess.run(
        [
            "tshark",
            "-r",
            str(path),
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            "-o",
            "ip.check_checksum:TRUE",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.tool("tshark")
def test_tshark_reads_the_session_as_genuine_frames(tmp_path):
    lan = session()
    path = tmp_path / "session.pcap"
    write_pcap(lan, path)
    protocols = tshark(path, "-T", "fields", "-e", "frame.protocols")
    assert len(protocols) == len(lan.capture)
    assert set(protocols) == {
        "eth:ethertype:arp",
        "eth:ethertype:ip:icmp:data",  # ARP, ping
        "eth:ethertype:ip:udp:echo",
        "eth:ethertype:ip:udp:data",  # to port 7 and port 9
        "eth:ethertype:ip:icmp:ip:udp",  # port unreachable, quoting the datagram
        "eth:ethertype:ip:tcp",
        "eth:ethertype:ip:tcp:data",
    }
    bad = tshark(
        path,
        "-Y",
        "_ws.malformed || _ws.expert.severity >= 8388608"
        " || ip.checksum.status == 0 || tcp.checksum.status == 0"
        " || udp.checksum.status == 0 || icmp.checksum.status == 0",
    )
    assert bad == []
    good = tshark(path, "-Y", "tcp.checksum.status == 1 || udp.checksum.status == 1")
    assert len(good) > 100
    # A clean transfer: tshark's TCP analysis finds nothing to remark on but
    # window updates and a window filled (no retransmissions, duplicate ACKs, lost or out-of-order segments).
    remarks = tshark(
        path,
        "-Y",
        "tcp.analysis.flags && !tcp.analysis.window_update"
        " && !tcp.analysis.reused_ports && !tcp.analysis.window_full",
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "_ws.expert.message",
    )
    assert remarks == []
    mss = tshark(path, "-Y", "tcp.flags.syn == 1", "-T", "fields", "-e", "tcp.options.mss_val")
    assert set(mss) == {"1460"}
    replies = tshark(path, "-Y", "icmp.type == 0", "-T", "fields", "-e", "icmp.resp_to")
    assert len(replies) == 1 and replies[0]  # tshark pairs the reply with its request


@pytest.mark.tool("tshark")
def test_tshark_sees_the_retransmissions_of_a_lossy_transfer(tmp_path):
    lan = session(loss=0.05)
    path = tmp_path / "lossy.pcap"
    write_pcap(lan, path)
    assert tshark(path, "-Y", "_ws.malformed || tcp.checksum.status == 0") == []
    assert tshark(path, "-Y", "tcp.analysis.retransmission || tcp.analysis.fast_retransmission")
