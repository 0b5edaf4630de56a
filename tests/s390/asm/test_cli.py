"""vm370 asm FILE [-o OBJ] [--list LST] [--maclib DIR ...]"""

from __future__ import annotations

from s390.asm.cli import main
from s390.asm.objdeck import read_deck
from s390.ebcdic import split_cards
from vm370.cli import main as vm370_main


def test_assembles_file_to_deck_and_listing(tmp_path, capsys):
    (tmp_path / "maclib").mkdir()
    (tmp_path / "maclib" / "RET.macro").write_text(
        "         MACRO\n         RET\n         BR    14\n         MEND\n"
    )
    src = tmp_path / "prog.asm"
    src.write_text(
        "PROG     TITLE 'A TEST PROGRAM'\nPROG     CSECT\n         RET\n         SPACE 2\n         END   PROG\n"
    )
    rc = main(
        [
            str(src),
            "-o",
            str(tmp_path / "prog.obj"),
            "--list",
            str(tmp_path / "prog.lst"),
            "--maclib",
            str(tmp_path / "maclib"),
        ]
    )
    assert rc == 0
    cards = split_cards((tmp_path / "prog.obj").read_bytes())
    [module] = read_deck(cards)
    assert module.text[0].data == bytes.fromhex("07FE")
    assert cards[0][72:76].decode("cp037") == "PROG"  # deck id from the TITLE name
    listing = (tmp_path / "prog.lst").read_text()
    assert "A TEST PROGRAM" in listing and "07FE" in listing
    assert "RETURN CODE 0" in capsys.readouterr().err


def test_default_output_names_and_return_code(tmp_path, capsys):
    src = tmp_path / "bad.asm"
    src.write_text("BAD      CSECT\n         L     1,NOSUCH\n         END\n")
    assert vm370_main(["asm", str(src)]) == 8
    assert (tmp_path / "bad.text").exists() and (tmp_path / "bad.listing").exists()
    err = capsys.readouterr().err
    assert "ASMA044E" in err and "NOSUCH" in err and "RETURN CODE 8" in err


def test_missing_file_or_library_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "none.asm")]) == 12
    assert "cannot read" in capsys.readouterr().err
    src = tmp_path / "p.asm"
    src.write_text(" END\n")
    assert main([str(src), "--maclib", str(tmp_path / "nolib")]) == 12
    assert "macro library" in capsys.readouterr().err
