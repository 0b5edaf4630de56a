"""The frames CMS TCP/IP puts on the LAN are genuine: SET LAN ... TRACE
records a PING and a REXX Sockets transfer between two CMS users, and tshark
reads ARP (the gratuitous announcements among them), ICMP echo and a TCP
session from it, every checksum good and nothing malformed."""

import subprocess

import pytest

from tests.cms.cmskit import User
from tests.cms.netkit import CLIENT_EXEC, SERVER_EXEC, logged_on, make_net_system, write_exec

pytestmark = pytest.mark.tool("tshark")


def tshark(path, *options) -> list[str]:
    out = subprocess.run(
        [
            "tshark",
            "-r",
            str(path),
            "-o",
            "ip.check_checksum:TRUE",
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.split("\n") if line]


async def test_ping_and_a_tcp_session_as_tshark_reads_them(tmp_path):
    system = make_net_system(tmp_path)
    maint = User(system, "MAINT", "CPCMS")
    await maint.wait(0, "LOGON AT")
    out = await maint.type("SET LAN LOCALNET TRACE NET", until="LAN SYSTEM LOCALNET")
    assert out[-1] == "LAN SYSTEM LOCALNET frames are traced to net.pcap"
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    await alice.type("PING BOB 2")
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    await write_exec(bob, "SERVER", SERVER_EXEC)
    start = len(bob.lines)
    bob.session.enter("SERVER 5000")
    await bob.wait(start, "WAITING")
    await alice.type("CLIENT BOB 5000 2")
    assert "RECEIVED 131072 BAD 0" in await bob.wait(start, "Ready")
    maint.session.enter("SET LAN LOCALNET TRACE OFF")  # (CP answers nothing)
    assert system.lans.find("SYSTEM", "LOCALNET").tracers == []
    pcap = tmp_path / "lan" / "net.pcap"
    protocols = set(tshark(pcap, "-T", "fields", "-e", "frame.protocols"))
    assert "eth:ethertype:arp" in protocols
    assert "eth:ethertype:ip:icmp:data" in protocols
    assert any(p.startswith("eth:ethertype:ip:tcp") for p in protocols)
    # the gratuitous ARPs: each stack announces its own address at start
    announced = tshark(pcap, "-Y", "arp.isgratuitous", "-T", "fields", "-e", "arp.src.proto_ipv4")
    assert {"10.0.0.12", "10.0.0.13"} <= set(announced)
    echo = tshark(pcap, "-Y", "icmp.type == 0", "-T", "fields", "-e", "ip.src", "-e", "ip.dst")
    assert echo == ["10.0.0.13\t10.0.0.12"] * 2
    bad = "_ws.malformed || _ws.expert.severity == error || ip.checksum.status == 2 || "
    bad += "tcp.checksum.status == 2 || icmp.checksum.status == 2"
    # (port 5000 is some protocol's to tshark: our pattern bytes are plain data)
    assert tshark(pcap, "-d", "tcp.port==5000,data", "-Y", bad) == []
    syns = tshark(pcap, "-Y", "tcp.flags.syn == 1", "-T", "fields", "-e", "tcp.dstport")
    assert syns[:2] == ["5000", syns[1]] and len(syns) == 2  # SYN, SYN-ACK
