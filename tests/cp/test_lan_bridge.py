"""Two systems share one LAN segment over a UDP bridge on loopback; garbage
on the bridge port is dropped and counted; the LAN's frames are recorded as
pcap (SET LAN ... TRACE and ``vm370 lan trace``) and read back by tshark."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.lankit import EMPTY, LAN_DIRECT, MAC, OK, Loaded, frame, receiver, sender

pytest.importorskip("s390.cpu")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate() and loop.time() < end:
        await asyncio.sleep(0.005)
    assert predicate()


def bridged_system(path, local: int, peer: int):
    path.mkdir()
    system = make_system(path, LAN_DIRECT)
    system.maint = logon(system, "MAINT")
    answer = command(
        *reversed(system.maint), f"DEFINE LAN GLAN OWNERID SYSTEM BRIDGE {local}:127.0.0.1:{peer}"
    )
    assert answer == ["LAN SYSTEM GLAN is created"]
    return system


async def two_systems(tmp_path):
    port_a, port_b = free_port(), free_port()
    a = bridged_system(tmp_path / "a", port_a, port_b)
    b = bridged_system(tmp_path / "b", port_b, port_a)
    logon(a, "ALICE")
    logon(b, "BOB")
    return a, b, port_a


async def test_a_frame_crosses_the_bridge_both_ways(tmp_path):
    a, b, _ = await two_systems(tmp_path)
    alice, bob = a.find_user("ALICE"), b.find_user("BOB")
    there = frame(MAC["BOB"], MAC["ALICE"], b"ACROSS")
    assert Loaded(alice, sender([there])).run() == OK
    await until(lambda: bob.devices[0x500].nic.queue)
    program = Loaded(bob, receiver())
    assert program.run() == OK and program.at("BUF", 4 + len(there) // 2)[4:] == bytes.fromhex(
        there
    )
    back = frame(MAC["ALICE"], MAC["BOB"], b"AND BACK")
    assert Loaded(bob, sender([back])).run() == OK
    await until(lambda: alice.devices[0x500].nic.queue)
    program = Loaded(alice, receiver())
    assert program.run() == OK and program.at("BUF", 4 + len(back) // 2)[4:] == bytes.fromhex(back)
    assert a.lans.find("SYSTEM", "GLAN").bridge.received == 1
    a.shutdown()
    b.shutdown()


async def test_garbage_on_the_bridge_is_dropped_counted_and_logged(tmp_path):
    a, b, port_a = await two_systems(tmp_path)
    bridge = a.lans.find("SYSTEM", "GLAN").bridge
    junk = [
        b"",
        b"x",
        b"V370",
        b"V370\x01\x00GLAN    ",
        b"V370\x02\x00GLAN    " + bytes(20),
        b"V370\x01\x00OTHER   " + bytes(20),
        bytes(range(256)) * 4,
        b"V370\x01\x00GLAN    " + bytes(9000),
    ]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for datagram in junk:
            s.sendto(datagram, ("127.0.0.1", port_a))
    await until(lambda: bridge.garbage == len(junk))
    assert receive_nothing(a.find_user("ALICE"))
    assert "BYTES OF GARBAGE FROM 127.0.0.1" in (tmp_path / "a" / "log" / "system.log").read_text()
    # The segment still works.
    Loaded(b.find_user("BOB"), sender([frame(MAC["ALICE"], MAC["BOB"], b"STILL")])).run()
    await until(lambda: a.find_user("ALICE").devices[0x500].nic.queue)
    details = command(*reversed(a.maint), "QUERY LAN GLAN DETAILS")
    assert f"  Bridge frames sent: 0  received: 1  garbage dropped: {len(junk)}" in details
    a.shutdown()
    b.shutdown()


def receive_nothing(vm) -> bool:
    return Loaded(vm, receiver()).run() == EMPTY


tshark = pytest.mark.tool("tshark")


def tshark_lines(path) -> list[str]:
    out = subprocess.run(
        [
            "tshark",
            "-r",
            str(path),
            "-T",
            "fields",
            "-e",
            "eth.dst",
            "-e",
            "eth.src",
            "-e",
            "eth.type",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split("\n")[:-1]


@tshark
def test_set_lan_trace_writes_a_pcap_tshark_reads(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    maint = logon(system, "MAINT")
    command(*reversed(maint), "DEFINE LAN GLAN OWNERID SYSTEM")
    assert command(*reversed(maint), "SET LAN GLAN TRACE SNIFF") == [
        "LAN SYSTEM GLAN frames are traced to sniff.pcap"
    ]
    logon(system, "ALICE")
    logon(system, "BOB")
    alice = system.find_user("ALICE")
    Loaded(
        alice,
        sender(
            [frame(MAC["BOB"], MAC["ALICE"], b"ONE"), frame("FFFFFFFFFFFF", MAC["ALICE"], b"TWO")]
        ),
    ).run()
    command(*reversed(maint), "SET LAN GLAN TRACE OFF")
    assert tshark_lines(tmp_path / "lan" / "sniff.pcap") == [
        "02:00:00:00:00:b0\t02:00:00:00:00:a1\t0x88b5",
        "ff:ff:ff:ff:ff:ff\t02:00:00:00:00:a1\t0x88b5",
    ]


@tshark
async def test_vm370_lan_trace_records_the_bridged_frames(tmp_path):
    port = free_port()
    pcap = tmp_path / "glan.pcap"
    tracer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vm370",
        "lan",
        "trace",
        "glan",
        "-o",
        str(pcap),
        "--listen",
        str(port),
        "--frames",
        "2",
        "--seconds",
        "30",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    first = await asyncio.wait_for(tracer.stdout.readline(), 30)
    assert first.decode().startswith(f"TRACING LAN GLAN ON 127.0.0.1:{port}")
    system = bridged_system(tmp_path / "sys", 0, port)
    logon(system, "ALICE")
    Loaded(
        system.find_user("ALICE"),
        sender(
            [frame(MAC["BOB"], MAC["ALICE"], b"ONE"), frame(MAC["CAROL"], MAC["ALICE"], b"TWO")]
        ),
    ).run()
    rest, _ = await asyncio.wait_for(tracer.communicate(), 30)
    assert rest.decode().strip() == "2 FRAMES RECORDED, 0 DATAGRAMS DROPPED"
    assert [line.split("\t")[0] for line in tshark_lines(pcap)] == [
        "02:00:00:00:00:b0",
        "02:00:00:00:00:c0",
    ]
    system.shutdown()
