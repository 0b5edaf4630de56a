"""decks/: each deck rebuilds to the committed bytes, and IPLs and runs on the CPU."""

from __future__ import annotations

import pytest

from decks import build
from s390.cpu import CPU, EXIT_DISABLED_WAIT
from s390.ebcdic import split_cards

from .machine import Channel


@pytest.mark.parametrize("name", build.sources())
def test_committed_deck_matches_a_fresh_build(name):
    with open(build.deck_path(name), "rb") as f:
        assert f.read() == build.build(name)


def _ipl(name):
    with open(build.deck_path(name), "rb") as f:
        cards = split_cards(f.read())
    cpu = CPU(storage_size=1 << 16)
    channel = Channel(cpu, cards)
    channel.ipl()
    return cpu, channel


def test_hello_deck_writes_to_the_console_and_waits_disabled():
    cpu, channel = _ipl("hello")
    assert channel.run() == EXIT_DISABLED_WAIT
    assert channel.output[0x009] == [
        (0x09, "HELLO FROM A STANDALONE S/370 PROGRAM".encode("cp037"))
    ]
    psw = cpu.get_psw()
    assert psw[:4] == bytes.fromhex("00020000") and psw[5:] == b"\0\0\0"  # wait bit, address 0
    assert channel.cards == []  # the whole deck was read


def test_printer_deck_prints_an_edited_report_on_the_1403():
    cpu, channel = _ipl("print1403")
    assert channel.run() == EXIT_DISABLED_WAIT
    lines = channel.lines(0x00E)
    assert lines[0] == "    N      N*N"
    assert lines[1:11] == [f"{n:>8}{n * n:>8}" for n in range(1, 11)]
    assert channel.output[0x00E][-1][0] == 0x8B  # skip to channel 1
    assert cpu.get_psw()[5:] == b"\0\0\0"


def test_a_long_deck_ipls_every_card_into_place():
    from s390.asm import assemble
    from s390.asm.ipldeck import build_ipl_deck

    r = assemble("""BIG      CSECT
         BALR  12,0
         USING *,12
         LPSW  WAIT
         DS    0D
WAIT     DC    X'0002000000000000'
DATA     DC    256AL1(*-DATA),256AL1(255-(*-DATA-256)),1500X'5A'
         END   BIG
""")
    assert r.rc == 0
    deck = build_ipl_deck([r.deck], load_address=0x3000)
    assert len(deck.cards) == 1 + 3 + 26  # 26 program cards, 3 chained CCW cards
    cpu = CPU(storage_size=1 << 16)
    channel = Channel(cpu, deck.cards)
    channel.ipl()
    assert channel.cards == []
    image = bytes(cpu.mem[0x3000 : 0x3000 + deck.image_length])
    expected = bytearray(1 << 16)
    from s390.asm.loader import load

    load([r.deck], expected, 0x3000)
    assert image == bytes(expected[0x3000 : 0x3000 + deck.image_length])
    assert channel.run() == EXIT_DISABLED_WAIT
