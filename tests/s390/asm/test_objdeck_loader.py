"""Object deck card layout, reading it back, the relocating loader, damaged decks and the IPL deck."""

from __future__ import annotations

import pytest

from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck, ccw
from s390.asm.loader import LoadError, load
from s390.asm.objdeck import read_deck
from s390.ebcdic import to_ebcdic

MAIN = """MAIN     CSECT
         ENTRY MAINGO
MAINGO   BALR  12,0
         USING *,12
         L     15,=V(SUB)
         BALR  14,15
         L     1,=A(TABLE)
         BR    14
TABLE    DC    A(MAIN,TABLE,SUBDATA)
         EXTRN SUBDATA
         END   MAINGO
"""
SUB = """SUB      CSECT
         ENTRY SUBDATA
         BR    14
         DS    0F
SUBDATA  DC    A(SUBDATA)
         END
"""


def test_card_layout_follows_the_object_module_format():
    r = assemble(MAIN)
    cards = r.deck
    assert all(len(c) == 80 for c in cards)
    kinds = [c[1:4].decode("cp037") for c in cards]
    assert kinds[0] == "ESD" and kinds[-1] == "END" and "TXT" in kinds and "RLD" in kinds
    assert all(c[0] == 0x02 for c in cards)
    esd = cards[0]
    assert esd[10:12] == (48).to_bytes(2, "big")  # three items
    assert esd[14:16] == (1).to_bytes(2, "big")  # first ESDID
    assert esd[16:24] == to_ebcdic("MAIN    ") and esd[24] == 0x00  # SD
    txt = next(c for c in cards if c[1:4] == to_ebcdic("TXT"))
    assert txt[5:8] == b"\0\0\0" and txt[14:16] == b"\0\x01"
    assert txt[16:18] == bytes.fromhex("05C0")
    end = cards[-1]
    assert end[5:8] == b"\0\0\0" and end[14:16] == b"\0\x01"  # entry MAINGO at 0
    assert cards[0][72:80] == to_ebcdic("00000001")  # no TITLE name: sequence only


def test_read_back_what_was_written():
    r = assemble(MAIN)
    [module] = read_deck(r.deck)
    assert [(i.name, i.type) for i in module.esd] == [(i.name, i.type) for i in r.module.esd]
    assert sorted((x.r_id, x.p_id, x.address, x.length, x.vcon) for x in module.rld) == sorted(
        (x.r_id, x.p_id, x.address, x.length, x.vcon) for x in r.module.rld
    )
    assert b"".join(bytes(t.data) for t in module.text) == b"".join(
        bytes(t.data) for t in r.module.text
    )


def test_loader_links_two_decks_and_relocates():
    mem = bytearray(0x10000)
    a, b = assemble(MAIN), assemble(SUB)
    result = load([a.deck, b.deck], mem, 0x3000)
    main, sub = result.symbol("MAIN"), result.symbol("SUB")
    assert main == 0x3000 and result.entry == 0x3000
    assert sub == (0x3000 + a.module.esd[0].length + 7) & ~7
    table = main + r_symbol(a, "TABLE")
    assert mem[table : table + 12] == b"".join(x.to_bytes(4, "big") for x in (main, table, sub + 4))
    assert int.from_bytes(mem[sub + 4 : sub + 8], "big") == sub + 4
    vcon = main + r_literal_offset(a)
    assert int.from_bytes(mem[vcon : vcon + 4], "big") == sub
    assert "SUBDATA  LD" in "\n".join(result.format_map())


def r_symbol(result, name):
    return result.symbols[name].value.value


def r_literal_offset(result):
    lit = next(e for e in result.entries if e.kind == "literal" and "V(SUB)" in e.parsed.text)
    return lit.loc


def test_unresolved_reference_and_weak_reference():
    mem = bytearray(0x1000)
    with pytest.raises(LoadError, match="unresolved external references: SUB SUBDATA"):
        load([assemble(MAIN).deck], mem, 0x100)
    weak = assemble("W        CSECT\n         WXTRN NONE\n         DC    A(NONE)\n         END\n")
    load([weak.deck], mem, 0x100)
    assert mem[0x100:0x104] == bytes(4)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda cards: cards[:1] + [cards[1][:60]] + cards[2:], "deck 1 card 2: card is 60 bytes"),
        (
            lambda cards: [cards[0][:1] + to_ebcdic("XYZ") + cards[0][4:]] + cards[1:],
            "deck 1 card 1: unknown object card type 'XYZ'",
        ),
        (lambda cards: cards[:-1], "END card missing"),
        (
            lambda cards: [cards[0][:10] + b"\x00\x70" + cards[0][12:]] + cards[1:],
            "deck 1 card 1: byte count 112 exceeds 48",
        ),
        (
            lambda cards: [
                c[:14] + b"\x00\x09" + c[16:] if c[1:4] == to_ebcdic("TXT") else c for c in cards
            ],
            "TXT at 000000 names ESDID 9, not a section",
        ),
        (
            lambda cards: [
                c[:24] + b"\x07" + c[25:] if c[1:4] == to_ebcdic("ESD") else c for c in cards
            ],
            "deck 1 card 1: ESD item 1 has unknown type X'07'",
        ),
    ],
)
def test_damaged_cards_give_a_clear_error(damage, message):
    cards = assemble("D        CSECT\n         DC    A(D)\n         END   D\n").deck
    with pytest.raises(LoadError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load([damage(list(cards))], bytearray(0x1000), 0x100)


def test_damaged_rld_card():
    cards = list(assemble("D        CSECT\n         DC    A(D)\n         END   D\n").deck)
    n = next(i for i, c in enumerate(cards) if c[1:4] == to_ebcdic("RLD"))
    cards[n] = cards[n][:10] + b"\x00\x06" + cards[n][12:]
    with pytest.raises(LoadError, match=f"deck 1 card {n + 1}: RLD item at byte 17 is cut short"):
        load([cards], bytearray(0x1000), 0x100)


def test_program_too_big_for_storage():
    cards = assemble(
        "D        CSECT\n         DS    4000X\n         DC    X'1'\n         END\n"
    ).deck
    with pytest.raises(LoadError, match="storage is 001000 bytes"):
        load([cards], bytearray(0x1000), 0x800)


def test_ipl_deck_first_card_and_ccw_chain():
    r = assemble("P        CSECT\n         DC    300X'AB'\n         END   P\n")
    deck = build_ipl_deck([r.deck], load_address=0x2000)
    cards = deck.cards
    nprog = -(-300 // 80)
    assert len(cards) == 2 + nprog
    ccws = 0x2000 + nprog * 80
    assert cards[0][:24] == bytes.fromhex("0000000000002000") + ccw(0x02, ccws, 0x40, 80) + ccw(
        0x08, ccws, 0, 0
    )
    assert cards[1][:8] == ccw(0x02, 0x2000, 0x40, 80)
    assert cards[1][24:32] == ccw(0x02, 0x2000 + 240, 0x00, 80)  # last one ends the chain
    assert b"".join(cards[2:])[:300] == bytes([0xAB]) * 300


def test_long_ipl_deck_chains_ccw_cards():
    r = assemble("P        CSECT\n         DC    2000X'CD'\n         END   P\n")
    deck = build_ipl_deck([r.deck], load_address=0x2000)
    # 25 program cards: lists of 9 reads + 1 read of the next list, 3 lists
    assert len(deck.cards) == 1 + 3 + 25
    first_list = deck.cards[1]
    ccws = int.from_bytes(deck.cards[0][9:12], "big")
    assert first_list[72:80] == ccw(0x02, ccws + 80, 0x40, 80)


def test_many_esd_items_and_rld_items_span_cards_and_read_back():
    src = [
        "BIG      CSECT",
        "         ENTRY " + ",".join(f"E{i}" for i in range(5)),
        "         EXTRN " + ",".join(f"X{i}" for i in range(4)),
    ]
    src += [f"E{i}       DC    A(BIG+{i},X{i % 4})" for i in range(5)]
    src += [f"         DC    A(E{i % 5})" for i in range(20)]
    src += ["         END"]
    r = assemble("\n".join(src) + "\n")
    assert r.rc == 0
    esd_cards = [c for c in r.deck if c[1:4] == to_ebcdic("ESD")]
    assert len(esd_cards) == 4  # 1 SD + 4 ER, then 5 LD: 3 + 2 + 3 + 2 items
    assert esd_cards[-1][14:16] == to_ebcdic("  ")  # a card of LD items only has no ESDID
    rld_cards = [c for c in r.deck if c[1:4] == to_ebcdic("RLD")]
    assert len(rld_cards) >= 2
    for c in rld_cards:  # the last item on a card never says "same follows"
        count = int.from_bytes(c[10:12], "big")
        assert c[16 + count - 4] & 1 == 0
    [module] = read_deck(r.deck)
    assert len(module.rld) == len(r.module.rld) == 5 * 2 + 20
    assert sorted((e.name, e.type) for e in module.esd) == sorted(
        (e.name, e.type) for e in r.module.esd
    )
    mem = bytearray(0x2000)
    ext = assemble(
        "EXT      CSECT\n         ENTRY X0,X1,X2,X3\nX0       DC    F'0'\nX1       DC    F'1'\n"
        "X2       DC    F'2'\nX3       DC    F'3'\n         END\n"
    )
    res = load([r.deck, ext.deck], mem, 0x400)
    big = res.symbol("BIG")
    for i in range(5):
        at = big + 8 * i
        assert int.from_bytes(mem[at : at + 4], "big") == big + i
        assert int.from_bytes(mem[at + 4 : at + 8], "big") == res.symbol(f"X{i % 4}")
    assert res.symbol("E3") == big + 24


def test_duplicate_symbols_keep_the_first_and_warn():
    a = assemble("A        CSECT\n         ENTRY X\nX        DC    F'1'\n         END\n")
    b = assemble("B        CSECT\n         ENTRY X\nX        DC    F'2'\n         END\n")
    c = assemble("C        CSECT\n         DC    A(X)\n         EXTRN X\n         END\n")
    mem = bytearray(0x1000)
    res = load([a.deck, b.deck, c.deck], mem, 0x100)
    assert res.warnings == ["deck 2: duplicate external symbol X ignored"]
    at = res.symbol("C")
    assert int.from_bytes(mem[at : at + 4], "big") == res.symbol("A")


def test_entry_control_card_chooses_the_entry_point():
    r = assemble("""         PUNCH ' ENTRY SECOND'
P        CSECT
         ENTRY SECOND
         BR    14
SECOND   BR    14
         END   P
""")
    res = load([r.deck], bytearray(0x1000), 0x200)
    assert res.entry == 0x202
    with pytest.raises(LoadError, match="entry point NOPE is not defined"):
        load([r.deck], bytearray(0x1000), 0x200, entry="NOPE")
