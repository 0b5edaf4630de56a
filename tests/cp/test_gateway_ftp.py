"""The gateway's FTP application-level gateway (cp.gateway.ftp) against a
guest-side stack playing a server on port 21: 227 and 229 replies get a
host port whose connection reaches the guest's data port (lines cut across
segments too), a 227 naming another address and every other line pass as
they are, PORT from the loopback names the gateway; and a guest that
answers and closes before the forward looks is still connected."""

from __future__ import annotations

import asyncio
import re

from cp.gateway.spec import ForwardSpec
from tests.cp.gwkit import gateway_system, guest, maint


async def forward_to(system, userid: str, port: int):
    forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, userid, port))
    await forward.start()
    return forward


async def data_server(alice, port: int, payload: bytes):
    """A guest data listener on ``port``: sends ``payload`` to one connection, closes."""
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", port))
    listener.listen(1)

    async def serve():
        sock = await alice.accept(listener)
        await alice.send_all(sock, payload)
        sock.close()
        listener.close()
        alice.pump()

    return asyncio.create_task(serve())


WAIT = b"(wait for the client)"


async def control_server(alice, pieces: list[bytes]):
    """A guest 'FTP server' on port 21: sends ``pieces`` (each a segment of
    its own; WAIT: read a line from the client first), then reads until
    EOF; returns what it read."""
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 21))
    listener.listen(1)
    sock = await alice.accept(listener)
    seen = b""
    for piece in pieces:
        while piece is WAIT and not seen.endswith(b"\n"):
            seen += await alice.recv_some(sock)
        if piece is not WAIT:
            await alice.send_all(sock, piece)
            await asyncio.sleep(0.01)
    while data := await alice.recv_some(sock):
        seen += data
    sock.close()
    alice.pump()
    return seen


async def test_passive_replies_get_a_host_port_that_reaches_the_guest(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    gateway = system.lans.find("SYSTEM", "GLAN").gateway
    data = await data_server(alice, 30000, b"the listing\r\n" * 500)
    pieces = [
        b"220 ready\r\n227 Entering Passive Mode (10,0,",  # the line ends in the next segment
        b"0,11,117,48).\r\n",
        WAIT,
        b"227 Entering Passive Mode (10,0,0,99,117,49).\r\n",  # not the guest's own address
        b"229 Entering Extended Passive Mode (|||30001|)\r\n",
        b"211 no passive here: 10,0,0,11,1,2\r\n",
    ]
    server = asyncio.create_task(control_server(alice, pieces))
    forward = await forward_to(system, "ALICE", 21)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    lines = [await asyncio.wait_for(reader.readline(), 20) for _ in range(2)]
    assert lines[0] == b"220 ready\r\n"
    found = re.fullmatch(rb"227 Entering Passive Mode \(127,0,0,1,(\d+),(\d+)\)\.\r\n", lines[1])
    assert found, lines[1]
    port = int(found.group(1)) * 256 + int(found.group(2))
    data_reader, data_writer = await asyncio.open_connection("127.0.0.1", port)
    assert await asyncio.wait_for(data_reader.read(), 20) == b"the listing\r\n" * 500
    data_writer.close()
    await data
    writer.write(b"LIST\r\n")
    lines += [await asyncio.wait_for(reader.readline(), 20) for _ in range(3)]
    assert lines[2] == pieces[3]
    extended = re.fullmatch(rb"229 Entering Extended Passive Mode \(\|\|\|(\d+)\|\)\r\n", lines[3])
    assert extended and int(extended.group(1)) not in (30001, port), lines[3]
    assert lines[4] == pieces[5]
    writer.write(b"PORT 127,0,0,1,200,10\r\nport 10,9,8,7,200,11\r\nNOOP\r\n")
    writer.write_eof()
    assert await asyncio.wait_for(server, 20) == (
        b"LIST\r\nPORT 10,0,0,1,200,10\r\nport 10,9,8,7,200,11\r\nNOOP\r\n"
    )
    writer.close()
    assert gateway.counters["ftp_passive"] == 2
    assert gateway.counters["ftp_data_relayed"] == 1
    details = maint(system, "QUERY LAN GLAN DETAILS")
    assert any(
        line.strip().startswith("Forwarded: 1 ") and line.endswith("FTP data: 1")
        for line in details
    ), details
    system.shutdown()


async def test_a_forward_to_another_port_is_relayed_untouched(tmp_path):
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    reply = b"227 Entering Passive Mode (10,0,0,11,117,48).\r\n"
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 2121))
    listener.listen(1)

    async def serve():
        sock = await alice.accept(listener)
        await alice.send_all(sock, reply)
        sock.close()
        alice.pump()

    served = asyncio.create_task(serve())
    forward = await forward_to(system, "ALICE", 2121)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    assert await asyncio.wait_for(reader.read(), 20) == reply
    await served
    writer.close()
    system.shutdown()


async def test_a_guest_that_answers_and_closes_at_once_is_forwarded(tmp_path):
    """The guest's banner and FIN can arrive before the forward's coroutine
    looks at its new connection: CLOSE-WAIT with data waiting is connected."""
    system = gateway_system(tmp_path)
    alice = await guest(system, "ALICE")
    listener = alice.stack.socket("STREAM")
    listener.bind(("0.0.0.0", 13))
    listener.listen(1)
    pump = alice.pump

    def pump_and_answer():  # accept, answer and close inside the frame's own turn
        pump()
        if listener.readable():
            sock = listener.accept()
            sock.send(b"Monday, December 7, 2026 09:00:00-UTC\r\n")
            sock.close()
            pump()

    alice.pump = pump_and_answer
    forward = await forward_to(system, "ALICE", 13)
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    answer = await asyncio.wait_for(reader.read(), 10)
    assert answer == b"Monday, December 7, 2026 09:00:00-UTC\r\n"
    writer.close()
    assert forward.failed == 0
    system.shutdown()


def test_the_host_address_of_a_client_is_plain_ipv4_when_it_can_be():
    from cp.gateway.ftp import _address

    assert _address(("::ffff:127.0.0.1", 2121, 0, 0)) == "127.0.0.1"  # dual-stack socket
    assert _address(("127.0.0.1", 2121)) == "127.0.0.1"
    assert _address(("::1", 2121, 0, 0)) == "::1"  # stays IPv6: its 227s pass unchanged
