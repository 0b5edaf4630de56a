"""The gateway with real CMS guests on the SYSTEM LAN LOCALNET: a CMS
user's REXX Sockets client reaches a host server on 127.0.0.1 through NAT
(connect to 10.0.0.1), and a host client reaches a CMS user's REXX Sockets
server through a port forward; every byte checked on the far side."""

from __future__ import annotations

import asyncio
import faulthandler

import pytest

from cp.gateway.spec import ForwardSpec
from tests.cms.cmskit import make_cms_system
from tests.cms.netkit import CLIENT_EXEC, NET_DIRECT, SERVER_EXEC, logged_on, write_exec

PATTERN = bytes(range(256))


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def gateway_net_system(path):
    """The CMS TCP/IP test system (LOCALNET from system.config) with the
    gateway turned on by system.config, as a system programmer would."""
    config = path / "system.config"
    config.write_text(
        "DEFINE LAN LOCALNET OWNERID SYSTEM TYPE QDIO\nVMLAN GATEWAY LOCALNET 10.0.0.1/24\n"
    )
    config.chmod(0o600)
    return make_cms_system(path, NET_DIRECT)


async def test_a_cms_client_reaches_a_host_server_through_nat(tmp_path):
    received = bytearray()
    done = asyncio.Event()

    async def check(reader, writer):
        while data := await reader.read(65536):
            received.extend(data)
        done.set()
        writer.close()

    server = await asyncio.start_server(check, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    system = gateway_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    await write_exec(alice, "CLIENT", CLIENT_EXEC)
    out = await alice.type(f"CLIENT GATEWAY {port} 4", timeout=120)  # HOSTS LOCAL's name
    assert "SENT 262144" in out and "CLOSE 0" in out, out
    await asyncio.wait_for(done.wait(), 60)
    assert bytes(received) == PATTERN * 1024
    gateway = system.lans.find("SYSTEM", "LOCALNET").gateway
    assert gateway.counters["tcp_nat"] == 1
    assert gateway.guest_address("ALICE") == ("10.0.0.12", "")
    server.close()
    system.shutdown()


async def test_a_host_client_reaches_a_cms_server_through_a_forward(tmp_path):
    system = gateway_net_system(tmp_path)
    bob = await logged_on(system, "BOB")
    await write_exec(bob, "SERVER", SERVER_EXEC)
    start = len(bob.lines)
    bob.session.enter("SERVER 5000")
    await bob.wait(start, "WAITING")
    forward = system.lans.add_forward(ForwardSpec("127.0.0.1", 0, "BOB", 5000))
    await forward.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", forward.port)
    writer.write(PATTERN * 2048)  # 512 KiB
    await writer.drain()
    writer.write_eof()
    assert await asyncio.wait_for(reader.read(), 120) == b""  # BOB's EXEC closed
    done = await bob.wait(start, "Ready", timeout=120)
    assert "ACCEPTED 0 AF_INET 10.0.0.1" in done
    assert "RECEIVED 524288 BAD 0" in done
    writer.close()
    system.shutdown()


async def test_a_cms_user_pings_the_gateway(tmp_path):
    system = gateway_net_system(tmp_path)
    alice = await logged_on(system, "ALICE")
    out = await alice.type("PING GATEWAY 2")
    assert out[0] == "Ping Level 370: Pinging host GATEWAY (10.0.0.1)."
    assert sum(" response took " in line for line in out) == 2, out
    assert out[-1].startswith("Ready;")
    gateway = system.lans.find("SYSTEM", "LOCALNET").gateway
    assert gateway.stack.counters["icmp_echo_answered"] == 2
    system.shutdown()
