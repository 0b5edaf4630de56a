"""CP's gateway on a guest LAN: the commands that start, show and stop it,
and NAT of a guest's TCP and UDP to the host's loopback (a guest-side
tcpip.Stack on a logged-on user's NIC talks to asyncio servers on
127.0.0.1 through the gateway at 10.0.0.1)."""

from __future__ import annotations

import asyncio

from cp.system import System
from tests.cp.cpkit import command, logon
from tests.cp.gwkit import UdpEcho, echo_server, free_port, gateway_system, guest, maint


def gateway_of(system):
    return system.lans.find("SYSTEM", "GLAN").gateway


def system_log(system) -> str:
    return (system.path / "log" / "system.log").read_text()


# ------------------------------------------------------------------ commands


async def test_define_query_and_stop_a_gateway(tmp_path):
    system = gateway_system(tmp_path)
    query = maint(system, "QUERY LAN GLAN DETAILS")
    assert "PERSISTENT  UNRESTRICTED  MFS: 8192  Gateway: 10.0.0.1/24" in query[1]
    assert query[2].startswith("  Gateway: 10.0.0.1/24  MAC: 02-00-00-")
    assert any(line.startswith("    NAT TCP: 0") for line in query)
    assert maint(system, "SET LAN GLAN GATEWAY OFF") == ["LAN SYSTEM GLAN gateway is stopped"]
    assert "Gateway" not in " ".join(maint(system, "QUERY LAN GLAN DETAILS"))
    assert maint(system, "SET LAN GLAN GATEWAY DETACH") == [
        "HCP2822E LAN SYSTEM GLAN has no gateway"
    ]
    assert maint(system, "SET LAN GLAN GATEWAY 192.168.5.1/16") == [
        "LAN SYSTEM GLAN gateway is started at 192.168.5.1/16"
    ]
    assert maint(system, "SET LAN GLAN GATEWAY ON") == [
        "HCP2820E LAN SYSTEM GLAN already has a gateway at 192.168.5.1/16"
    ]
    log = system_log(system)
    assert "LAN SYSTEM GLAN GATEWAY STARTED AT 10.0.0.1/24 MAC 02-00-00-" in log
    assert "LAN SYSTEM GLAN GATEWAY STOPPED" in log
    system.shutdown()


async def test_gateway_commands_refuse_bad_input_and_class_g(tmp_path):
    system = gateway_system(tmp_path)
    assert maint(system, "DEFINE LAN OTHER GATEWAY 10.0.0.0/24") == [
        "HCP2821E Gateway address 10.0.0.0 is the network's own or broadcast address"
    ]
    assert maint(system, "SET LAN GLAN GATEWAY SIDEWAYS") == [
        "DMKCFM003E INVALID OPTION - SIDEWAYS"
    ]
    assert system.lans.find("MAINT", "OTHER") is None
    terminal, session = logon(system, "ALICE")
    assert command(session, terminal, "DEFINE LAN MINE GATEWAY") == [
        "HCP2805E You are not authorized to define a LAN GATEWAY"
    ]
    assert command(session, terminal, "DEFINE LAN MINE") == ["LAN ALICE MINE is created"]
    assert command(session, terminal, "SET LAN MINE GATEWAY ON") == [
        "HCP2805E You are not authorized to change the gateway of LAN ALICE MINE"
    ]
    system.shutdown()


async def test_the_gateway_mac_comes_from_the_switch(tmp_path):
    system = gateway_system(tmp_path)
    gateway = gateway_of(system)
    assert system.lans.macs[gateway.mac] is gateway
    await guest(system, "ALICE")
    alice = system.find_user("ALICE").devices[0x500].nic
    assert alice.mac != gateway.mac
    maint(system, "DETACH LAN GLAN")
    assert gateway.mac not in system.lans.macs and gateway.closed
    system.shutdown()


async def test_a_persistent_lan_keeps_its_gateway_over_a_restart(tmp_path):
    system = gateway_system(tmp_path)
    maint(system, "SET LAN GLAN GATEWAY OFF")
    maint(system, "SET LAN GLAN GATEWAY 10.0.0.254")
    system.shutdown()
    again = System(tmp_path)
    assert again.lans.find("SYSTEM", "GLAN").gateway.describe() == "10.0.0.254/24"
    again.shutdown()


async def test_vmlan_gateway_in_system_config_starts_the_gateway(tmp_path):
    (tmp_path / "system.config").write_text("VMLAN GATEWAY GLAN 172.16.0.1/12\n")
    system = gateway_system_without_define(tmp_path)
    assert maint(system, "DEFINE LAN GLAN OWNERID SYSTEM") == [
        "LAN SYSTEM GLAN is created",
        "LAN SYSTEM GLAN gateway is started at 172.16.0.1/12",
    ]
    system.shutdown()


def gateway_system_without_define(path):
    from tests.cp.cpkit import make_system
    from tests.cp.gwkit import GATEWAY_DIRECT

    system = make_system(path, GATEWAY_DIRECT)
    system.maint = logon(system, "MAINT")
    return system


# ------------------------------------------------------------------ NAT: TCP


async def test_a_guest_reaches_a_host_echo_server_through_the_gateway(tmp_path):
    system = gateway_system(tmp_path)
    server, port, seen = await echo_server()
    alice = await guest(system, "ALICE")
    sock = await alice.connect(("10.0.0.1", port))
    assert sock.state == "ESTABLISHED", sock.error
    data = bytes(range(256)) * 800  # 200 KiB: more than either side's buffers
    sender = asyncio.create_task(alice.send_all(sock, data))
    echoed = await alice.recv_exactly(sock, len(data))
    await sender
    assert echoed == data
    sock.shutdown(1)
    assert await alice.recv_some(sock) == b""  # the host saw EOF and closed its side
    assert await alice.until(lambda: seen and seen[-1] == b"<EOF>")
    sock.close()
    gateway = gateway_of(system)
    assert gateway.counters["tcp_nat"] == 1
    assert await alice.until(lambda: gateway.counters["tcp_nat_active"] == 0)
    server.close()
    system.shutdown()


async def test_the_host_closing_first_reaches_the_guest_as_end_of_data(tmp_path):
    async def hello(reader, writer):
        writer.write(b"220 HOST READY\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(hello, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    sock = await alice.connect(("10.0.0.1", port))
    assert await alice.recv_exactly(sock, 16) == b"220 HOST READY\r\n"
    assert await alice.recv_some(sock) == b""
    sock.close()
    server.close()
    system.shutdown()


async def test_a_refused_host_port_resets_the_guest(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    port = free_port()  # nobody listens there
    sock = await alice.connect(("10.0.0.1", port))
    gateway = gateway_of(system)
    assert await alice.until(lambda: gateway.counters["tcp_nat_refused"] == 1)
    assert await alice.until(lambda: sock.error is not None)
    assert sock.error == "ECONNRESET" and sock.state == "CLOSED"
    assert f"TO PORT {port} REFUSED BY THE HOST" in system_log(system)
    system.shutdown()


async def test_off_lan_destinations_are_unreachable(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    sock = alice.stack.socket("STREAM")
    sock.connect(("192.0.2.7", 80))
    gateway = gateway_of(system)
    assert await alice.until(lambda: gateway.counters["icmp_unreachable_sent"] >= 1)
    assert gateway.counters["off_lan_dropped"] >= 1
    assert await alice.until(lambda: sock.error is not None)
    assert sock.error in ("ENETUNREACH", "EHOSTUNREACH")
    assert gateway.counters["tcp_nat"] == 0
    sock.close()
    system.shutdown()


# ------------------------------------------------------------------ NAT: UDP


async def test_udp_to_the_gateway_reaches_the_host_and_the_reply_comes_back(tmp_path):
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(UdpEcho, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    sock = alice.stack.socket("DGRAM")
    sock.bind(("0.0.0.0", 0))
    sock.sendto(b"PING 1", ("10.0.0.1", port))
    alice.pump()
    assert await alice.until(sock.readable)
    data, source = sock.recvfrom(2048)
    assert (data, tuple(source)) == (b"ECHO PING 1", ("10.0.0.1", port))
    gateway = gateway_of(system)
    assert gateway.counters["udp_nat_out"] == 1 and gateway.counters["udp_nat_in"] == 1
    transport.close()
    system.shutdown()


async def test_udp_to_a_closed_host_port_is_refused_to_the_guest(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    port = free_port()
    connected = alice.stack.socket("DGRAM")
    connected.connect(("10.0.0.1", port))
    connected.send(b"ANYONE THERE?")
    alice.pump()
    assert await alice.until(lambda: connected.error is not None)
    assert connected.error == "ECONNREFUSED"  # the host's refusal came back as ICMP
    sock = alice.stack.socket("DGRAM")
    sock.bind(("0.0.0.0", 0))
    gateway = gateway_of(system)
    for n in range(3):
        sock.sendto(b"ANYONE? %d" % n, ("10.0.0.1", port))
        alice.pump()
        await asyncio.sleep(0.01)
    assert await alice.until(
        lambda: gateway.counters["udp_nat_out"] + gateway.counters["udp_nat_refused"] >= 3
    )
    assert gateway.counters["udp_nat_refused"] >= 1
    system.shutdown()


# ------------------------------------------------------------------ what the router learns and drops


async def test_the_gateway_learns_an_address_only_from_the_nics_own_frames(tmp_path):
    system = gateway_system(tmp_path)
    terminal, session = logon(system, "ALICE")
    nic = system.find_user("ALICE").devices[0x500].nic
    gateway = gateway_of(system)

    def arp(sender_mac: bytes, sender_ip: bytes) -> bytes:
        return (
            b"\xff" * 6
            + nic.mac
            + b"\x08\x06"
            + b"\x00\x01\x08\x00\x06\x04\x00\x01"
            + sender_mac
            + sender_ip
            + b"\x00" * 6
            + bytes([10, 0, 0, 1])
        )

    nic.send(arp(b"\x02\x99\x99\x99\x99\x99", bytes([10, 0, 0, 66])))  # not its MAC
    nic.send(arp(nic.mac, bytes([192, 168, 1, 5])))  # not on the LAN's network
    nic.send(arp(nic.mac, bytes([10, 0, 0, 255])))  # the broadcast address
    assert gateway.guest_address("ALICE") == (None, "HAS NOT ANNOUNCED AN IP ADDRESS")
    nic.send(arp(nic.mac, bytes([10, 0, 0, 42])))
    assert gateway.guest_address("ALICE") == ("10.0.0.42", "")
    assert gateway.guest_address("CAROL")[1].startswith("IS NOT LOGGED ON OR HAS NO NIC")
    assert command(session, terminal, "UNCOUPLE 500") == [
        "NIC 0500 is disconnected from LAN SYSTEM GLAN"
    ]
    assert gateway.guest_address("ALICE")[0] is None  # its address left with the NIC
    system.shutdown()


async def test_garbage_frames_to_the_gateway_are_counted_never_raised(tmp_path):
    import random

    system = gateway_system(tmp_path)
    logon(system, "ALICE")
    nic = system.find_user("ALICE").devices[0x500].nic
    gateway = gateway_of(system)
    rng = random.Random(370)
    for n in range(300):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 120)))
        ethertype = rng.choice([b"\x08\x00", b"\x08\x06", b"\x86\xdd", b"\x00\x00"])
        if n % 3 == 0 and ethertype == b"\x08\x00":
            body = b"\x45" + body  # looks like IPv4 a little longer
        nic.send(gateway.mac + nic.mac + ethertype + body)
        nic.send(b"\xff" * 6 + nic.mac + ethertype + body)
    assert gateway.counters["frames_in"] == 600
    stack = gateway.stack.counters
    assert stack["dropped_malformed"] + stack["dropped_unsupported"] + stack["dropped_checksum"] > 0
    query = maint(system, "QUERY LAN GLAN DETAILS")
    assert any(line.startswith("    Frames in: 600") for line in query)
    assert "Traceback" not in system_log(system)
    system.shutdown()


async def test_vmlan_forward_in_system_config_listens_once_the_system_runs(tmp_path):
    port, busy = free_port(), free_port()
    import socket

    holder = socket.socket()
    holder.bind(("127.0.0.1", busy))
    holder.listen()
    (tmp_path / "system.config").write_text(
        f"VMLAN FORWARD GLAN {port} ALICE 80\nVMLAN FORWARD GLAN {busy} BOB 80\n"
    )
    system = gateway_system_without_define(tmp_path)
    maint(system, "DEFINE LAN GLAN OWNERID SYSTEM GATEWAY")
    for _ in range(100):
        await asyncio.sleep(0.01)
        if "NOT STARTED" in system_log(system):
            break
    log = system_log(system)
    assert f"VMLAN FORWARD 127.0.0.1:{port} -> ALICE port 80 LISTENING" in log
    assert f"VMLAN FORWARD 127.0.0.1:{busy} NOT STARTED: Address already in use" in log
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await asyncio.wait_for(reader.read(), 10) == b""  # ALICE is not logged on
    writer.close()
    holder.close()
    system.shutdown()


async def test_stopping_the_gateway_resets_the_guests_connections(tmp_path):
    system = gateway_system(tmp_path)
    server, port, seen = await echo_server()
    alice = await guest(system, "ALICE")
    sock = await alice.connect(("10.0.0.1", port))
    await alice.send_all(sock, b"before")
    assert await alice.recv_exactly(sock, 6) == b"before"
    assert maint(system, "SET LAN GLAN GATEWAY OFF") == ["LAN SYSTEM GLAN gateway is stopped"]
    assert await alice.until(lambda: sock.error is not None)
    assert sock.error == "ECONNRESET"
    assert await alice.until(lambda: seen[-1:] in ([b"<EOF>"], [b"<RESET>"]))
    server.close()
    system.shutdown()


async def test_frames_the_guest_nic_drops_are_retransmitted_by_the_gateways_timers(tmp_path):
    system = gateway_system(tmp_path)
    server, port, _ = await echo_server()
    alice = await guest(system, "ALICE")
    alice.nic.queue_limit = 3  # a NIC that drops most of a burst
    sock = await alice.connect(("10.0.0.1", port))
    data = bytes(range(256)) * 256  # 64 KiB
    sender = asyncio.create_task(alice.send_all(sock, data))
    assert await alice.recv_exactly(sock, len(data)) == data
    await sender
    assert alice.nic.stats.dropped > 0
    assert gateway_of(system).stack.counters["tcp_retransmits"] > 0
    sock.close()
    server.close()
    system.shutdown()


async def test_udp_flows_are_bounded(tmp_path, monkeypatch):
    from cp.gateway import udp

    monkeypatch.setattr(udp, "FLOW_LIMIT", 2)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(UdpEcho, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    nat = gateway_of(system).udp
    socks = []
    for n in range(3):
        sock = alice.stack.socket("DGRAM")
        sock.bind(("0.0.0.0", 0))
        sock.sendto(b"FLOW %d" % n, ("10.0.0.1", port))
        alice.pump()
        assert await alice.until(sock.readable)
        socks.append(sock)
    assert len(nat.flows) == 2
    first = socks[0].getsockname()[1]
    assert all(key[1] != first for key in nat.flows)  # the oldest flow made room
    transport.close()
    system.shutdown()


async def test_refused_nat_connections_are_logged_only_so_often(tmp_path):
    from cp.gateway.router import LOG_LIMIT

    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    gateway = gateway_of(system)
    port = free_port()
    for n in range(LOG_LIMIT + 5):
        sock = await alice.connect(("10.0.0.1", port))
        assert await alice.until(lambda: sock.error is not None)
        sock.close()
    assert gateway.counters["tcp_nat_refused"] == LOG_LIMIT + 5
    assert system_log(system).count("REFUSED BY THE HOST") == LOG_LIMIT
    system.shutdown()
