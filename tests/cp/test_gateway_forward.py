"""Host port forwards through CP's gateway: a host client reaches a listener
of a guest-side stack; a guest not there, a refused guest port, garbage from
the host and a flood of host connections; ``vm370 serve --forward``."""

from __future__ import annotations

import asyncio
import os
import socket

from cp.gateway.spec import ForwardSpec
from tests.cp.gwkit import gateway_system, guest, maint
from tests.cp.servekit import start_serve, stop_serve


async def forward_to(system, userid: str, port: int, limit: int | None = None):
    forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, userid, port))
    if limit is not None:
        forward.limit = limit
    await forward.start()
    return forward


def system_log(system) -> str:
    return (system.path / "log" / "system.log").read_text()


async def serve_upper(alice, listener, connections: int = 1) -> None:
    """A guest server: each connection's data comes back in upper case until EOF."""
    for _ in range(connections):
        sock = await alice.accept(listener)
        while data := await alice.recv_some(sock):
            await alice.send_all(sock, data.upper())
        sock.close()
        alice.pump()


async def read_all(reader) -> bytes:
    return await asyncio.wait_for(reader.read(), 20)


async def test_a_host_client_reaches_a_guest_listener(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(4)
    server = asyncio.create_task(serve_upper(alice, listener))
    forward = await forward_to(system, "ALICE", 80)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    writer.write(b"get / http/1.0\r\n\r\n")
    writer.write_eof()
    assert await read_all(reader) == b"GET / HTTP/1.0\r\n\r\n"
    writer.close()
    await server
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    assert gateway.counters["forwarded"] == 1 and forward.total == 1
    assert any("Forward 127.0.0.1:" in line for line in maint(system, "QUERY LAN GLAN DETAILS"))
    system.shutdown()


async def test_a_large_transfer_host_to_guest_and_back(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 7))
    listener.listen(4)
    server = asyncio.create_task(serve_upper(alice, listener))
    forward = await forward_to(system, "ALICE", 7)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    data = os.urandom(300_000).hex().encode()[:300_000].lower()

    async def send():
        writer.write(data)
        await writer.drain()
        writer.write_eof()

    sending = asyncio.create_task(send())
    assert await read_all(reader) == data.upper()
    await sending
    writer.close()
    await server
    system.shutdown()


async def test_a_guest_that_does_not_read_stops_the_relay_reading_the_host(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 9))
    listener.listen(4)
    forward = await forward_to(system, "ALICE", 9)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    data = os.urandom(4 * 1024 * 1024)
    writer.write(data)  # more than every buffer on the way holds
    sock = await alice.accept(listener)
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    # The guest reads nothing: its window closes, the router's send buffer
    # fills, and the relay stops taking data from the host.
    assert await alice.until(lambda: gateway.counters["bytes_to_guests"] >= 128 * 1024)
    for _ in range(20):
        await asyncio.sleep(0.01)
        alice.pump()
    held = gateway.counters["bytes_to_guests"]
    assert held <= 2 * 65536 + 16384  # guest window + router send buffer (+ one chunk)
    got = await alice.recv_exactly(sock, len(data))
    assert got == data
    assert gateway.counters["bytes_to_guests"] == len(data)
    writer.close()
    sock.close()
    system.shutdown()


async def test_garbage_from_the_host_is_relayed_as_it_is(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 21))
    listener.listen(4)
    got = []

    async def guest_server():
        sock = await alice.accept(listener)
        while data := await alice.recv_some(sock):
            got.append(data)
        await alice.send_all(sock, b"500 WHAT?\r\n")
        sock.close()
        alice.pump()

    server = asyncio.create_task(guest_server())
    forward = await forward_to(system, "ALICE", 21)
    junk = bytes(range(256)) * 4 + b"\xff\xf4\xff\xfd\x06" + b"\x00" * 100
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    writer.write(junk)
    writer.write_eof()
    assert await read_all(reader) == b"500 WHAT?\r\n"
    await server
    assert b"".join(got) == junk
    writer.close()
    assert "Traceback" not in system_log(system)
    system.shutdown()


async def test_a_user_not_logged_on_gets_the_host_connection_closed(tmp_path):
    system = gateway_system(tmp_path)
    forward = await forward_to(system, "BOB", 80)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    assert await read_all(reader) == b""
    writer.close()
    assert f"GATEWAY FORWARD 127.0.0.1:{forward.port}: BOB IS NOT LOGGED ON" in system_log(system)
    assert forward.failed == 1
    system.shutdown()


async def test_a_guest_port_nobody_listens_on_closes_the_host_connection(tmp_path):
    system = gateway_system(tmp_path)
    await guest(system, "ALICE")
    forward = await forward_to(system, "ALICE", 8080)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    assert await read_all(reader) == b""
    writer.close()
    assert "ALICE AT 10.0.0.11 PORT 8080: ECONNREFUSED; CONNECTION CLOSED" in system_log(system)
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    assert gateway.counters["forward_refused"] == 1
    system.shutdown()


async def test_a_flood_of_host_connections_is_bounded(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(8)
    forward = await forward_to(system, "ALICE", 80, limit=3)
    clients = [await asyncio.open_connection("127.0.0.1", forward.port) for _ in range(10)]
    assert await alice.until(lambda: forward.active + forward.over_limit == 10)
    assert forward.active == 3 and forward.over_limit == 7
    served = asyncio.create_task(serve_upper(alice, listener, connections=4))
    answers = []
    for reader, writer in clients:
        try:
            writer.write(b"hello")
            writer.write_eof()
            answers.append(await read_all(reader))
        except OSError:  # one of the seven the forward closed at once
            answers.append(b"<CLOSED>")
        writer.close()
    assert answers.count(b"HELLO") == 3 and len(answers) == 10
    assert await alice.until(lambda: forward.active == 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    writer.write(b"after the flood")
    writer.write_eof()
    assert await read_all(reader) == b"AFTER THE FLOOD"  # a slot is free again
    writer.close()
    await served
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    assert gateway.counters["forward_over_limit"] == 7
    assert "3 CONNECTIONS ACTIVE, ONE MORE CLOSED" in system_log(system)
    system.shutdown()


# ------------------------------------------------------------------ vm370 serve --forward


def test_serve_forward_listens_and_closes_when_nobody_is_there(tmp_path):
    proc, _, lines = start_serve(tmp_path, "--forward", "0=NOSUCHID:80")
    try:
        listening = [line for line in lines if line.startswith("VM370 FORWARD ")]
        assert len(listening) == 1, lines
        assert listening[0].endswith(" -> NOSUCHID port 80")
        port = int(listening[0].split()[2].rsplit(":", 1)[1])
        # The default system's LOCALNET gets the gateway --forward needs.
        assert "GATEWAY FOR LAN SYSTEM LOCALNET STARTED AT 10.0.0.1/24" in lines
        with socket.create_connection(("127.0.0.1", port), timeout=20) as client:
            client.sendall(b"GET / HTTP/1.0\r\n\r\n")
            try:
                assert client.recv(100) == b""
            except ConnectionResetError:
                pass  # closed with the request unread: TCP resets (RFC 1122 4.2.2.13)
    finally:
        out = stop_serve(proc)
    assert "Traceback" not in out
    log = (tmp_path / "sys" / "log" / "system.log").read_text()
    assert (
        f"GATEWAY FORWARD 127.0.0.1:{port}: NOSUCHID IS NOT LOGGED ON OR HAS NO NIC ON "
        "LAN SYSTEM LOCALNET; CONNECTION CLOSED"
    ) in log


def test_serve_forward_on_a_port_in_use_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "vm370", "serve", "--system", str(tmp_path / "sys")]
            + ["--port", "0", "--forward", f"{port}=WEBSRV:80"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"vm370: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


async def test_a_guest_that_announced_itself_before_the_gateway_is_found(tmp_path):
    from tests.cp.cpkit import logon, make_system
    from tests.cp.gwkit import ADDRESS, GATEWAY_DIRECT, GuestStack

    system = make_system(tmp_path, GATEWAY_DIRECT)
    system.maint = logon(system, "MAINT")
    assert maint(system, "DEFINE LAN GLAN OWNERID SYSTEM") == ["LAN SYSTEM GLAN is created"]
    logon(system, "ALICE")
    logon(system, "BOB")
    alice = GuestStack(system.find_user("ALICE"), ADDRESS["ALICE"])
    bob_nic = system.find_user("BOB").devices[0x500].nic
    await alice.until(lambda: not alice.nic.queue)  # ALICE's announcement went unheard
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(4)
    server = asyncio.create_task(serve_upper(alice, listener))
    maint(system, "SET LAN GLAN GATEWAY ON")
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    assert gateway.guest_address("ALICE")[0] is None
    bob_before = bob_nic.stats.frames_in
    forward = await forward_to(system, "ALICE", 80)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    writer.write(b"found you")
    writer.write_eof()
    assert await read_all(reader) == b"FOUND YOU"
    await server
    writer.close()
    assert gateway.guest_address("ALICE") == ("10.0.0.11", "")
    assert gateway.counters["arp_sweeps"] == 1
    assert alice.nic.stats.dropped == 0  # the sweep kept to the NIC's pace
    assert bob_nic.stats.frames_in == bob_before  # the sweep went to ALICE's NIC only
    system.shutdown()


async def test_a_guest_without_a_stack_is_swept_once_and_never_flooded(tmp_path, monkeypatch):
    from cp.gateway import router
    from tests.cp.cpkit import logon

    monkeypatch.setattr(router, "DISCOVERY_SECONDS", 0.2)
    system = gateway_system(tmp_path)
    logon(system, "ALICE")  # a NIC, but no TCP/IP stack reads it
    nic = system.find_user("ALICE").devices[0x500].nic
    forward = await forward_to(system, "ALICE", 80)
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    for _ in range(3):
        reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
        assert await read_all(reader) == b""
        writer.close()
    assert gateway.counters["arp_sweeps"] == 1
    assert nic.stats.dropped == 0 and len(nic.queue) <= nic.queue_limit // 2
    assert "ALICE HAS NOT ANNOUNCED AN IP ADDRESS; CONNECTION CLOSED" in system_log(system)
    system.shutdown()


async def test_a_guest_leaving_the_lan_ends_its_relays_at_once(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 80))
    listener.listen(4)
    forward = await forward_to(system, "ALICE", 80)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    sock = await alice.accept(listener)
    writer.write(b"hello")
    assert await alice.recv_exactly(sock, 5) == b"hello"
    system.lans.uncouple(alice.nic)  # as LOGOFF or UNCOUPLE does
    try:
        assert await read_all(reader) == b""
    except ConnectionResetError:
        pass  # aborted: either way the host client knows
    assert await alice.until(lambda: forward.active == 0, 5)
    writer.close()
    system.shutdown()
