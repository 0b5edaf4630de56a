"""``vm370 ipl DECK``: console and printer to stdout, punch to a file, exit codes, limits."""

import io

from cp.ipl_cli import (
    EXIT_LIMIT,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WAIT_CODE,
    ipl_deck,
    read_deck,
)
from s390.ebcdic import to_ebcdic
from tests.cp.guestkit import LIST_PROGRAM, card
from tests.cp.guestkit import ipl_deck as build_deck

SPIN_PROGRAM = """\
SPIN     CSECT
         BALR  12,0
         USING *,12
LOOP     B     LOOP
         END   SPIN
"""


#: Reads one console line and writes it back, then waits with address 0.
ASK_PROGRAM = """\
ASK      CSECT
         BALR  12,0
         USING *,12
         MVC   120(8,0),IONEW
         LA    3,CCWREAD
         BAL   14,DOIO
         LA    3,CCWWRITE
         BAL   14,DOIO
         LPSW  ENDPSW
DOIO     ST    3,72(0)
         SIO   9(0)
         BC    7,FAIL
         LPSW  WAITPSW
AFTERIO  BR    14
FAIL     LPSW  ENDPSW+8
         DS    0D
IONEW    DC    X'00000000',A(AFTERIO)
WAITPSW  DC    X'FE020000',X'00000000'
ENDPSW   DC    X'00020000',X'00000000',X'00020000',X'00000BAC'
CCWREAD  CCW   X'0A',LINE,X'20',40
CCWWRITE CCW   X'09',LINE,X'20',40
LINE     DC    CL40' '
         END   ASK
"""


def deck_file(tmp_path, source, data_cards, address="000000"):
    cards = build_deck(source.replace("&ADDR", address)) + [card(t) for t in data_cards]
    path = tmp_path / "job.deck"
    path.write_bytes(b"".join(cards))
    return path


def test_ipl_prints_console_and_printer_and_punches(tmp_path):
    deck = deck_file(tmp_path, LIST_PROGRAM, ["LINE ONE", "LINE TWO"])
    out, err = io.StringIO(), io.StringIO()
    punch = tmp_path / "out.punch"
    rc = ipl_deck(deck, punch=punch, out=out, err=err)
    assert rc == EXIT_OK, err.getvalue()
    text = out.getvalue()
    assert [line.rstrip() for line in text.splitlines()[:2]] == ["LINE ONE", "LINE TWO"]
    assert "DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 80000000'" in text
    listing = text.split("DMKDSP450W", 1)[1]
    assert "LINE ONE" in listing and "LINE TWO" in listing  # printer output after the run
    assert punch.read_bytes() == to_ebcdic("LINE ONE".ljust(80)) + to_ebcdic("LINE TWO".ljust(80))


def test_nonzero_wait_psw_exit_code_and_printer_file(tmp_path):
    deck = deck_file(tmp_path, LIST_PROGRAM, ["X"], address="000BAC")
    out, err = io.StringIO(), io.StringIO()
    printer = tmp_path / "print.txt"
    assert ipl_deck(deck, printer=printer, out=out, err=err) == EXIT_WAIT_CODE
    assert "disabled wait PSW 00020000 80000BAC" in err.getvalue()
    assert "X" in printer.read_text()


def test_guest_that_never_stops_ends_at_the_limit(tmp_path):
    deck = deck_file(tmp_path, SPIN_PROGRAM, [])
    out, err = io.StringIO(), io.StringIO()
    assert ipl_deck(deck, limit=200_000, out=out, err=err) == EXIT_LIMIT
    assert "stopped by the limit after" in err.getvalue()


def test_bad_input(tmp_path):
    err = io.StringIO()
    assert ipl_deck(tmp_path / "missing.deck", err=err) == EXIT_USAGE
    assert "cannot read" in err.getvalue()
    (tmp_path / "empty.deck").write_bytes(b"")
    assert ipl_deck(tmp_path / "empty.deck", err=err) == EXIT_USAGE
    deck = deck_file(tmp_path, SPIN_PROGRAM, [])
    assert ipl_deck(deck, storage="3K", err=err) == EXIT_USAGE
    assert "invalid storage size 3K" in err.getvalue()


def test_text_decks_are_converted(tmp_path):
    path = tmp_path / "text.deck"
    path.write_text("HELLO\nWORLD\n")
    assert read_deck(path) == [to_ebcdic("HELLO".ljust(80)), to_ebcdic("WORLD".ljust(80))]


def test_cli_entry(tmp_path, capsys):
    from vm370.cli import main

    deck = deck_file(tmp_path, LIST_PROGRAM, ["VIA CLI"])
    assert main(["ipl", str(deck), "--storage", "512K"]) == EXIT_OK
    assert "VIA CLI" in capsys.readouterr().out


def test_console_reads_come_from_the_input_stream(tmp_path):
    deck = deck_file(tmp_path, ASK_PROGRAM, [])
    out, err = io.StringIO(), io.StringIO()
    assert (
        ipl_deck(deck, out=out, err=err, console_input=io.StringIO("typed at the console\n"))
        == EXIT_OK
    ), err.getvalue()
    assert out.getvalue().splitlines()[0].rstrip() == "typed at the console"


def test_console_read_without_input_ends_at_the_limit(tmp_path):
    deck = deck_file(tmp_path, ASK_PROGRAM, [])
    err = io.StringIO()
    assert (
        ipl_deck(deck, timeout=0.3, out=io.StringIO(), err=err, console_input=io.StringIO(""))
        == EXIT_LIMIT
    )


def test_project_decks_run_to_a_zero_wait(tmp_path):
    """The standalone decks under decks/ (built by the assembler) end with exit code 0."""
    from pathlib import Path

    decks = Path(__file__).resolve().parents[2] / "decks"
    expected = {"hello.deck": "HELLO FROM A STANDALONE S/370 PROGRAM", "print1403.deck": "N*N"}
    for name, text in expected.items():
        out, err = io.StringIO(), io.StringIO()
        assert ipl_deck(decks / name, out=out, err=err, console_input=io.StringIO("")) == EXIT_OK, (
            err.getvalue()
        )
        assert text in out.getvalue()
