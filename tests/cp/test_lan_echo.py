"""The standalone echo responder deck (decks/lanecho.deck) IPLed in one VM
answers the frames another VM's S/370 program sends it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.lankit import EMPTY, LAN_DIRECT, MAC, OK, Loaded, frame, receiver, sender

pytest.importorskip("s390.cpu")

DECK = Path(__file__).resolve().parents[2] / "decks" / "lanecho.deck"
ECHO_DIRECT = LAN_DIRECT.replace(
    " NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN MACID 0000B0\n",
    " NICDEF 500 TYPE QDIO DEVICES 3 LAN SYSTEM GLAN MACID 0000B0\n SPOOL 00C 2540 READER *\n",
)


async def until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate() and loop.time() < end:
        await asyncio.sleep(0.005)
    assert predicate()


async def echo_system(tmp_path):
    system = make_system(tmp_path, ECHO_DIRECT)
    command(*reversed(logon(system, "MAINT")), "DEFINE LAN GLAN OWNERID SYSTEM")
    data = DECK.read_bytes()
    cards = [data[i : i + 80] for i in range(0, len(data), 80)]
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in cards], owner="BOB")
    terminal, session = logon(system, "BOB")
    command(session, terminal, "IPL 00C")
    bob = system.find_user("BOB")
    await until(lambda: bob.cpu.get_psw()[1] & 0x02)  # in its wait for attention
    logon(system, "ALICE")
    return system, system.find_user("ALICE")


async def test_the_echo_deck_returns_each_frame_to_its_sender(tmp_path):
    system, alice = await echo_system(tmp_path)
    nic = alice.devices[0x500].nic
    for n in range(3):
        sent = frame(MAC["BOB"], MAC["ALICE"], f"ECHO ME {n}".encode())
        assert Loaded(alice, sender([sent])).run() == OK
        await until(lambda: nic.queue)
        program = Loaded(alice, receiver())
        assert program.run() == OK
        echoed = bytes.fromhex(frame(MAC["ALICE"], MAC["BOB"], f"ECHO ME {n}".encode()))
        assert program.at("BUF", 4 + len(echoed))[4:] == echoed
    assert Loaded(alice, receiver()).run() == EMPTY  # one answer per frame
    system.shutdown()


async def test_the_echo_deck_answers_a_broadcast_with_its_own_mac(tmp_path):
    system, alice = await echo_system(tmp_path)
    Loaded(alice, sender([frame("FFFFFFFFFFFF", MAC["ALICE"], b"WHO IS THERE")])).run()
    await until(lambda: alice.devices[0x500].nic.queue)
    program = Loaded(alice, receiver())
    assert program.run() == OK
    assert program.at("BUF", 16)[4:16] == bytes.fromhex(MAC["ALICE"] + MAC["BOB"])
    system.shutdown()
