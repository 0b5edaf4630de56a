"""vm370 punch and vm370 printout: decks into readers, listings out."""

from __future__ import annotations

import pytest

from cp.spool import Spool
from cp.spool_cli import DeckError, deck_cards, printout_main, punch_deck, punch_main
from s390.ebcdic import card, to_ebcdic


def test_text_deck_becomes_ebcdic_cards():
    assert deck_cards(b"//JOB\n  DATA\tX\n\n") == [card("//JOB"), card("  DATA  X"), card("")]


def test_text_line_longer_than_80_is_refused_with_its_number():
    deck = b"OK\n" + b"X" * 81 + b"\n"
    with pytest.raises(DeckError, match="line 2 is longer than 80"):
        deck_cards(deck)


def test_binary_deck_is_taken_as_it_is_and_must_be_whole_cards():
    binary = bytes(range(160))
    assert deck_cards(binary) == [binary[:80], binary[80:]]
    with pytest.raises(DeckError, match="not whole 80-byte card images"):
        deck_cards(bytes(range(100)))


def test_punch_deck_api_puts_a_closed_file_in_the_reader(tmp_path):
    spool = Spool(tmp_path)
    sf = punch_deck(spool, b"HELLO\nWORLD\n", "cmsbatch", cls="b", name="job", ftype="deck")
    assert (sf.owner, sf.origin, sf.cls, sf.records, sf.name, sf.ftype) == (
        "CMSBATCH",
        "SYSTEM",
        "B",
        2,
        "JOB",
        "DECK",
    )
    assert [c for _, c in Spool(tmp_path).records(sf)] == [card("HELLO"), card("WORLD")]


def test_punch_command_line(tmp_path, capsys):
    deck = tmp_path / "hello.deck"
    deck.write_text("CARD 1\nCARD 2\n")
    system = tmp_path / "sys"
    assert punch_main([str(deck), "--to", "bob", "--class", "C", "--system", str(system)]) == 0
    assert capsys.readouterr().out.startswith("PUN FILE 0001  TO  BOB")
    [sf] = Spool.for_system(system).reader_files("BOB")
    assert (sf.cls, sf.name, sf.ftype, sf.records) == ("C", "HELLO", "DECK", 2)


def test_punch_command_refuses_long_lines_and_unknown_users(tmp_path, capsys):
    deck = tmp_path / "long.txt"
    deck.write_text("A\nB\n" + "C" * 90 + "\n")
    assert punch_main([str(deck), "--to", "BOB", "--system", str(tmp_path)]) == 1
    assert "line 3 is longer than 80" in capsys.readouterr().err
    system = tmp_path / "sys"
    system.mkdir()
    (system / "user.direct").write_text("USER BOB SECRET 1M 1M G\n")
    deck.write_text("A\n")
    assert punch_main([str(deck), "--to", "NOBODY", "--system", str(system)]) == 20
    assert "DMKCSP020E" in capsys.readouterr().err
    assert punch_main([str(tmp_path / "missing"), "--to", "BOB", "--system", str(system)]) == 2


def test_printout_lists_and_shows_listings(tmp_path, capsys):
    spool = Spool.for_system(tmp_path)
    sf = spool.add_closed(
        "ALICE", "PRT", [(0x09, to_ebcdic("LINE ONE"))], owner="ALICE", queue="PRT"
    )
    assert printout_main(["--system", str(tmp_path)]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(f"{sf.spoolid:04d} ALICE")
    assert printout_main(["--system", str(tmp_path), str(sf.spoolid)]) == 0
    shown = capsys.readouterr().out
    assert "USERID ALICE" in shown and "LINE ONE" in shown
    assert printout_main(["--system", str(tmp_path), "77"]) == 1


def test_printout_of_punch_output(tmp_path, capsys):
    spool = Spool.for_system(tmp_path)
    spool.add_closed("ALICE", "PUN", [(0x01, card("PUNCHED"))], owner="ALICE", queue="PUN")
    assert printout_main(["--system", str(tmp_path), "--punch"]) == 0
    assert "1 CARDS" in capsys.readouterr().out
    assert printout_main(["--system", str(tmp_path), "--punch", "1"]) == 0
    assert capsys.readouterr().out == "PUNCHED\n"


def test_printout_of_a_missing_system_directory_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert printout_main(["--system", str(missing)]) == 2
    assert not missing.exists()
    assert "no system directory" in capsys.readouterr().err


def test_an_empty_deck_is_refused_and_makes_no_file(tmp_path, capsys):
    deck = tmp_path / "empty.deck"
    deck.write_text("")
    system = tmp_path / "sys"
    assert punch_main([str(deck), "--to", "BOB", "--system", str(system)]) == 1
    assert "the deck has no cards" in capsys.readouterr().err
    assert Spool.for_system(system).reader_files("BOB") == []


def test_printout_shows_binary_card_fields_as_dots_and_points_to_the_other_kind(tmp_path, capsys):
    spool = Spool.for_system(tmp_path)
    image = b"\x02" + card("TXT")[:3] + b"\x00\x00" + card("DATA")[:74]
    spool.add_closed("ALICE", "PUN", [(0x01, image)], owner="ALICE", queue="PUN")
    assert printout_main(["--system", str(tmp_path), "--punch", "1"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(".TXT..") and "DATA" in shown
    assert all(ch.isprintable() for ch in shown.rstrip("\n"))
    assert printout_main(["--system", str(tmp_path), "1"]) == 1
    assert "(it is punch output: --punch)" in capsys.readouterr().err
