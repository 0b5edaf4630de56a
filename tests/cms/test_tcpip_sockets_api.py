"""The blocking socket API CMS programs use (FTP, FTPSERVE, the web server):
``network_of(cms).socket(kind)`` between two CMS users on the real CP.

The programs are CMS commands added to the nucleus table for the test (the
way FTP and FTPSERVE are CMS commands): a server that accepts, reads to the
end and answers; a client with a timeout; a refused connect; a timed-out
accept; DGRAM both ways.
"""

import faulthandler
import hashlib

import pytest

import cms.nucleus
from cms.commands import Command
from cms.commands.table import build_table
from cms.tcpip import network_of
from tcpip import SocketError
from tests.cms.netkit import logged_on, make_net_system

PAYLOAD = bytes(range(256)) * 1200  # 300 KiB


async def server(cms, call) -> int:
    net = network_of(cms)
    listener = net.socket("STREAM")
    listener.bind(("0.0.0.0", 6000))
    listener.listen(1)
    cms.say("READY")
    conn, (ip, port) = listener.accept()
    cms.say(f"FROM {ip} {conn.getsockname()[1]}")
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    cms.say(f"GOT {len(data)} {hashlib.sha256(data).hexdigest()[:16]}")
    conn.sendall(b"THANKS")
    conn.close()
    listener.close()
    return 0


async def client(cms, call) -> int:
    net = network_of(cms)
    sock = net.socket("STREAM")
    sock.settimeout(30)
    sock.connect((call.args[0], 6000))
    sock.sendall(PAYLOAD)
    sock.shutdown(1)
    cms.say(f"REPLY {sock.recv(100).decode()} {sock.recv(100)!r}")
    sock.close()
    return 0


async def refused(cms, call) -> int:
    sock = network_of(cms).socket("STREAM")
    try:
        sock.connect(("BOB", 6999))
    except SocketError as err:
        cms.say(f"CONNECT {err.errno}")
    try:
        sock.connect(("NOSUCH", 1))
    except SocketError as err:
        cms.say(f"UNKNOWN {err.errno}")
    listener = network_of(cms).socket("STREAM")
    listener.bind(("0.0.0.0", 6001))
    listener.listen(1)
    listener.settimeout(0.3)
    try:
        listener.accept()
    except SocketError as err:
        cms.say(f"ACCEPT {err.errno}")
    listener.close()
    return 0


async def datagrams(cms, call) -> int:
    net = network_of(cms)
    sock = net.socket("DGRAM")
    sock.bind(("0.0.0.0", 7000))
    sock.settimeout(10)
    cms.say("BOUND")
    if call.args:  # the sender: one datagram, then the answer
        sock.sendto(b"ping", (call.args[0], 7000))
    data, (ip, port) = sock.recvfrom(100)
    cms.say(f"DATAGRAM {data.decode()} FROM {ip} {port}")
    if not call.args:
        sock.sendto(b"pong", (ip, port))
    sock.close()
    return 0


async def stay_then_ipl(cms, call) -> int:
    """Connect, read the server's word, then IPL CMS with the socket open."""
    sock = network_of(cms).socket("STREAM")
    sock.connect(("BOB", 6000))
    cms.say(f"HEARD {sock.recv(10).decode()}")
    network_of(cms).wait_until(lambda: False, 0.5)  # the ACK goes: BOB has nothing to resend
    return cms.cp(call.text or "IPL CMS")


async def waiter(cms, call) -> int:
    listener = network_of(cms).socket("STREAM")
    listener.bind(("0.0.0.0", 6000))
    listener.listen(1)
    cms.say("READY")
    conn, _ = listener.accept()
    conn.sendall(b"go")
    conn.settimeout(30)
    try:
        cms.say(f"READ {conn.recv(10)!r}")
    except SocketError as err:
        cms.say(f"READ {err.errno}")
    return 0


@pytest.fixture(autouse=True)
def programs(monkeypatch):
    faulthandler.dump_traceback_later(120, exit=True)

    def table():
        commands = build_table()
        commands += [
            Command("SRVPY", 5, "TST", server),
            Command("CLIPY", 5, "TST", client),
            Command("REFPY", 5, "TST", refused),
            Command("UDPPY", 5, "TST", datagrams),
            Command("STAYPY", 6, "TST", stay_then_ipl),
            Command("WAITPY", 6, "TST", waiter),
        ]
        return commands

    monkeypatch.setattr(cms.nucleus, "build_table", table)
    yield
    faulthandler.cancel_dump_traceback_later()


async def test_stream_server_and_client_with_the_python_api(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    start = len(bob.lines)
    bob.session.enter("SRVPY")
    await bob.wait(start, "READY")
    out = await alice.type("CLIPY bob")
    assert "REPLY THANKS b''" in out
    done = await bob.wait(start, "Ready")
    assert "FROM 10.0.0.12 6000" in done
    assert f"GOT {len(PAYLOAD)} {hashlib.sha256(PAYLOAD).hexdigest()[:16]}" in done


async def test_refused_unknown_and_timed_out(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await logged_on(system, "BOB")
    out = await alice.type("REFPY")
    assert "CONNECT ECONNREFUSED" in out
    assert "UNKNOWN EHOSTUNREACH" in out
    assert "ACCEPT ETIMEDOUT" in out
    assert out[-1].startswith("Ready;")


async def test_datagrams_both_ways(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    start = len(bob.lines)
    bob.session.enter("UDPPY")
    await bob.wait(start, "BOUND")
    out = await alice.type("UDPPY BOB")
    assert "DATAGRAM pong FROM 10.0.0.13 7000" in out
    done = await bob.wait(start, "Ready")
    assert "DATAGRAM ping FROM 10.0.0.12 7000" in done


async def test_the_connections_of_a_cms_that_ends_are_reset_at_once(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    start = len(bob.lines)
    bob.session.enter("WAITPY")
    await bob.wait(start, "READY")
    out = await alice.type("STAYPY", until="VM/370 CMS")  # ALICE's CMS ends by IPL
    assert "HEARD go" in out
    done = await bob.wait(start, "Ready", timeout=10)  # not the 30 s BOB would wait
    assert "READ ECONNRESET" in done


async def test_logoff_typed_in_cms_resets_the_connections_too(tmp_path):
    system = make_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    bob = await logged_on(system, "BOB")
    start = len(bob.lines)
    bob.session.enter("WAITPY")
    await bob.wait(start, "READY")
    await alice.type("STAYPY LOGOFF", until="LOGOFF AT")
    done = await bob.wait(start, "Ready", timeout=10)
    assert "READ ECONNRESET" in done
