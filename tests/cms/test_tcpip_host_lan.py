"""CMS TCP/IP on the wire and under attack, end to end on the real CP.

* SET LAN LOCALNET TRACE records a PING and a REXX Sockets session between
  ALICE (10.0.0.12) and BOB (10.0.0.13); tshark reads from the pcap the ARP
  request and reply between them, each ICMP echo request with its reply
  (same identifier and sequence) and the TCP three-way handshake (SYN,
  SYN-ACK acknowledging the SYN, ACK acknowledging the SYN-ACK).
* CAROL's NIC, driven by the test with raw LCS blocks through
  ``GuestServices.channel_io`` (as an S/370 program would drive it), puts
  malformed Ethernet/IPv4/ICMP/TCP frames and a SYN flood from spoofed
  addresses onto the LAN against BOB's listener; a malformed LCS block is
  refused by the NIC with a data check.  BOB's NETSTAT counts the drops,
  ALICE still PINGs BOB and sends BOB a stream on another port, nothing
  crashes.
"""

from __future__ import annotations

import asyncio
import random

import dpkt
import pytest

from cms.tcpip.driver import lcs_block
from cp.services import GuestServices
from tests.cms.cmskit import User
from tests.cms.netkit import CLIENT_EXEC, logged_on, make_net_system, write_exec
from tests.vm370.e2ekit import tshark_fields

ALICE, BOB, SPOOFED = "10.0.0.12", "10.0.0.13", "10.0.0.66"
NIC = 0x600
WRITE = 0x01


@pytest.fixture(autouse=True)
def watchdog():
    import faulthandler

    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


#: BOB listens on 5000 (the flood's target, backlog 2) and on 5001, where it
#: takes one connection, counts what arrives until the end, then shows the
#: stack's counters with NETSTAT.
FLOOD_TARGET = [
    "/* two listeners; one connection on the second, then the counters */",
    "call socket 'Initialize', 'TARGET'",
    "parse value socket('Socket') with . a",
    "call socket 'Bind', a, 'AF_INET 5000 INADDR_ANY'",
    "call socket 'Listen', a, 2",
    "parse value socket('Socket') with . b",
    "call socket 'Bind', b, 'AF_INET 5001 INADDR_ANY'",
    "call socket 'Listen', b, 2",
    "say 'LISTENING'",
    "parse value socket('Accept', b) with rc c .",
    "say 'ACCEPTED' rc",
    "total = 0",
    "do forever",
    "  parse value socket('Recv', c, 65536) with rc n .",
    "  if rc <> 0 | n = 0 then leave",
    "  total = total + n",
    "end",
    "say 'RECEIVED' total",
    "'NETSTAT COUNTERS'",
    "call socket 'Terminate'",
]


# ------------------------------------------------------------------ the trace


@pytest.mark.tool("tshark")
async def test_the_trace_shows_arp_icmp_echo_and_the_tcp_handshake(tmp_path):
    system = make_net_system(tmp_path)
    maint = User(system, "MAINT", "CPCMS")
    await maint.wait(0, "LOGON AT")
    out = await maint.type("SET LAN LOCALNET TRACE WIRE", until="LAN SYSTEM LOCALNET")
    assert out[-1] == "LAN SYSTEM LOCALNET frames are traced to wire.pcap"
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    out = await alice.type("PING BOB 3")
    assert sum(" response took " in line for line in out) == 3, out
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    await write_exec(bob, "TARGET", FLOOD_TARGET)
    start = len(bob.lines)
    bob.session.enter("TARGET")
    await bob.wait(start, "LISTENING")
    assert "SENT 65536" in await alice.type("CLIENT BOB 5001 1")
    assert "RECEIVED 65536" in await bob.wait(start, "Ready")
    maint.session.enter("SET LAN LOCALNET TRACE OFF")
    await asyncio.sleep(0.1)
    pcap = tmp_path / "lan" / "wire.pcap"
    between = f"ip.addr == {ALICE} && ip.addr == {BOB}"

    # ARP: one asks for the other's address, the other answers with its MAC
    arp = tshark_fields(
        pcap, "arp && !arp.isgratuitous", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4"
    )
    asked = {(src, dst) for op, src, dst in arp if op == "1"}
    answered = {(dst, src) for op, src, dst in arp if op == "2"}
    assert asked & answered & {(ALICE, BOB), (BOB, ALICE)}, arp

    # ICMP: three echo requests ALICE -> BOB, each answered with its identifier and sequence
    fields = ("icmp.type", "ip.src", "ip.dst", "icmp.ident", "icmp.seq")
    echo = tshark_fields(pcap, f"icmp && {between}", *fields)
    requests = [(i, s) for t, src, dst, i, s in echo if (t, src, dst) == ("8", ALICE, BOB)]
    replies = [(i, s) for t, src, dst, i, s in echo if (t, src, dst) == ("0", BOB, ALICE)]
    assert len(requests) == 3 and replies == requests, echo

    # TCP: the three-way handshake of the connection to port 5001
    fields = ("ip.src", "ip.dst", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw")
    shake = tshark_fields(pcap, f"tcp.port == 5001 && {between}", *fields)[:3]
    (syn_src, syn_dst, syn, syn_seq, _), (sa_src, _, syn_ack, sa_seq, sa_ack), third = shake
    assert (syn_src, syn_dst, int(syn, 16)) == (ALICE, BOB, 0x002)
    assert (sa_src, int(syn_ack, 16)) == (BOB, 0x012)
    assert int(sa_ack) == (int(syn_seq) + 1) % 2**32
    assert third[0] == ALICE and int(third[2], 16) & 0x017 == 0x010  # ACK, no SYN/FIN/RST
    assert int(third[4]) == (int(sa_seq) + 1) % 2**32
    system.shutdown()


# ------------------------------------------------------------------ hostile frames


def ether(destination: bytes, source: bytes, kind: int, payload: bytes) -> bytes:
    return destination + source + kind.to_bytes(2, "big") + payload


def ipv4(source: str, destination: str, protocol: int, payload: bytes) -> bytes:
    packet = dpkt.ip.IP(
        src=bytes(map(int, source.split("."))),
        dst=bytes(map(int, destination.split("."))),
        p=protocol,
        ttl=64,
        data=payload,
    )
    return bytes(packet)


def tcp_segment(source: str, sport: int, dport: int, flags: int, seq: int) -> bytes:
    segment = dpkt.tcp.TCP(sport=sport, dport=dport, seq=seq, flags=flags, win=65535)
    packet = dpkt.ip.IP(
        src=bytes(map(int, source.split("."))),
        dst=bytes(map(int, BOB.split("."))),
        p=dpkt.ip.IP_PROTO_TCP,
        ttl=64,
        data=segment,
    )
    return bytes(packet)  # dpkt fills both checksums


def malformed_frames(bob: bytes, carol: bytes) -> list[bytes]:
    """Frames a broken or hostile guest might send to BOB's MAC."""
    good_syn = tcp_segment(SPOOFED, 40000, 5000, dpkt.tcp.TH_SYN, 1)
    echo = bytes(dpkt.icmp.ICMP(type=8, data=dpkt.icmp.ICMP.Echo(id=1, seq=1, data=b"x" * 8)))
    frames = [
        ether(bob, carol, 0x0800, b"\x45\x00"),  # IPv4 header cut short
        ether(bob, carol, 0x0800, b"\x4f" + good_syn[1:]),  # IHL 15: options past the packet
        ether(bob, carol, 0x0800, b"\x60" + good_syn[1:]),  # version 6 in an IPv4 frame
        ether(bob, carol, 0x0800, good_syn[:2] + b"\xff\xff" + good_syn[4:]),  # total length 65535
        ether(bob, carol, 0x0800, good_syn[:10] + b"\x12\x34" + good_syn[12:]),  # header checksum
        ether(bob, carol, 0x0800, good_syn[:36] + b"\x00\x00" + good_syn[38:]),  # TCP checksum
        ether(bob, carol, 0x0800, good_syn[:32] + b"\x20" + good_syn[33:]),  # TCP offset 2 words
        ether(bob, carol, 0x0800, ipv4(SPOOFED, BOB, 1, echo[:2] + b"\xde\xad" + echo[4:])),
        ether(bob, carol, 0x0800, ipv4(SPOOFED, BOB, 17, b"\x00\x35\x00\x35\xff\xff\x00\x00")),
        ether(bob, carol, 0x0806, b"\x00\x01\x08\x00\x06"),  # ARP cut short
        ether(bob, carol, 0x88B5, b"local experimental ethertype"),
    ]
    noise = random.Random(370)
    for _ in range(40):
        frames.append(ether(bob, carol, 0x0800, noise.randbytes(noise.randrange(1, 120))))
    return frames


def spoofed_syns(count: int) -> list[bytes]:
    return [
        tcp_segment(f"10.0.0.{100 + n % 50}", 20000 + n, 5000, dpkt.tcp.TH_SYN, 1000 * n)
        for n in range(count)
    ]


async def write_frames(services, nic, frames: list[bytes], per_block: int = 8) -> None:
    """The frames as LCS blocks WRITten to CAROL's NIC, a few at a time,
    waiting while the receiving NIC's queue (64 frames) is half full."""
    for at in range(0, len(frames), per_block):
        result = services.channel_io(
            NIC, WRITE, lcs_block([(1, f) for f in frames[at : at + per_block]])
        )
        assert result.status == 0x0C, result  # CE+DE: the NIC took the block
        for _ in range(200):
            if len(nic.queue) < 32:
                break
            await asyncio.sleep(0.01)


async def test_malformed_frames_and_a_syn_flood_are_counted_and_others_go_on(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await write_exec(bob, "TARGET", FLOOD_TARGET)
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    start = len(bob.lines)
    bob.session.enter("TARGET")
    await bob.wait(start, "LISTENING")

    carol = system.logon("CAROL", None, noipl=True)  # no CMS: the test drives her NIC
    services = GuestServices(carol)
    bob_nic = system.find_user("BOB").devices[NIC].nic
    carol_mac = carol.devices[NIC].nic.mac

    # A block the NIC cannot take: an offset pointing backwards (data check, reason X'04').
    bad = services.channel_io(NIC, WRITE, b"\x00\x02\x01\x00" + b"\x00" * 60)
    assert bad.status & 0x02 and bad.sense[:2] == b"\x08\x04", bad

    frames = malformed_frames(bob_nic.mac, carol_mac)
    frames += [ether(bob_nic.mac, carol_mac, 0x0800, syn) for syn in spoofed_syns(120)]
    await write_frames(services, bob_nic, frames)

    out = await alice.type("PING BOB 2")  # the third user: answered during the aftermath
    assert sum(" response took " in line for line in out) == 2, out
    out = await alice.type("CLIENT BOB 5001 4", timeout=60)
    assert "SENT 262144" in out, out
    done = await bob.wait(start, "Ready", timeout=60)
    assert "ACCEPTED 0" in done and "RECEIVED 262144" in done, done
    counters = {
        words[0]: int(words[1])
        for words in (line.split() for line in done)
        if len(words) == 2 and words[1].isdigit()
    }
    assert counters["dropped_malformed"] >= 5, done
    assert counters["dropped_checksum"] >= 3, done
    assert counters["syn_dropped_backlog"] > 0, done
    assert counters["host_faults"] == 0, done
    # BOB is still a working CMS user; CP's LAN saw every frame
    assert (await bob.type("QUERY NIC DETAILS"))[-1].startswith("Ready")
    log = (tmp_path / "log" / "system.log").read_text()
    assert "Traceback" not in log and "STACK FAULT" not in log
    system.shutdown()
