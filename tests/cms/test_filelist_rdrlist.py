"""FILELIST, RDRLIST and PEEK on a 3270 (fake services with an in-process
3270 screen), and the golden screens of XEDIT, FILELIST and RDRLIST for
models 2 and 4: a change in a layout shows up in review."""

import re
from pathlib import Path

import pytest

from s390.ebcdic import card
from tests.cms.fakes import ReaderFile, run_session
from tests.cms.xeditkit import FILES, command, fake_3270, file_lines, look, over, pf

GOLDEN = Path(__file__).parent / "golden"


def masked(text: str) -> str:
    """Dates and times vary: the golden screens keep their places."""
    text = re.sub(r"\d{1,2}/\d\d/\d\d \d\d:\d\d:\d\d", "mm/dd/yy hh:mm:ss", text)
    return re.sub(r"\d\d/\d\d \d\d:\d\d:\d\d", "mm/dd hh:mm:ss", text)


def check_golden(name: str, screen_text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    text = masked(screen_text)
    if not path.exists():  # a new golden screen: review and commit it
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from {path}"


def fl_row(seen: str, fn: str) -> int:
    return next(
        i for i, line in enumerate(seen.splitlines()) if line[3:].startswith(f"      {fn} ")
    )


async def test_filelist_sorts_and_runs_prefix_area_commands():
    s = fake_3270(script=["FILELIST * * A", "LISTFILE * * A"], files=FILES)
    seen = []
    s.keys = [
        look(seen, pf(4)),  # PF4: sort by type
        look(seen, pf(10)),  # PF10: sort by name
        look(seen, command("sortlist size")),
        look(seen, pf(3)),
    ]
    await run_session(s)
    names = [[line[9:17].strip() for line in screen.splitlines()[3:7]] for screen in seen]
    assert names[0] == ["ALPHA", "MID", "PROFILE", "ZED"]
    assert names[1] == ["MID", "ZED", "PROFILE", "ALPHA"]  # by type
    assert names[2] == ["ALPHA", "MID", "PROFILE", "ZED"]  # by name
    assert names[3][0] in ("ZED", "PROFILE", "MID")  # by size: biggest first


async def test_filelist_commands_on_lines_copyfile_erase_and_xedit():
    s = fake_3270(script=["FILELIST", "LISTFILE * * A"], files=FILES)
    seen = []

    def type_on(fn, text):
        def key(screen):
            screen.keyboard_locked = False
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith(fn + " "))
            screen.cursor = screen.pos(row, 0)
            screen.erase_eof()
            screen.type_text(text)
            return screen.aid(0x7D)

        return key

    s.keys = [
        type_on("ZED", "copyfile / new = a"),
        look(seen, type_on("MID", "erase")),
        look(seen, type_on("ALPHA", "xedit")),
        look(seen, command("input more")),
        command("file"),
        look(seen, pf(3)),
    ]
    await run_session(s)
    assert "*     ZED" in seen[0] and "NEW      DATA" in seen[0]  # done, refreshed
    assert "MID " not in seen[1]  # ERASE: gone
    assert seen[2].startswith("00| ALPHA    SCRIPT")  # XEDIT on the line
    assert file_lines(s, "NEW", "DATA") == ["z"] * 3
    assert file_lines(s, "ALPHA", "SCRIPT") == ["a", "more"]
    assert "FILELIST" in seen[3].splitlines()[0]  # back in the list


async def test_rdrlist_receive_peek_and_purge():
    s = fake_3270(script=["RDRLIST", "LISTFILE * * A"])
    s.reader = [
        ReaderFile(5, "BOB", [card("hello from bob")], "NOTE", "TEXT"),
        ReaderFile(6, "CAROL", [card("second file")], "OTHER", "TEXT"),
    ]
    seen = []

    def type_on(fn, text):
        def key(screen):
            screen.keyboard_locked = False
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith(fn + " "))
            screen.cursor = screen.pos(row, 0)
            screen.erase_eof()
            screen.type_text(text)
            return screen.aid(0x7D)

        return key

    s.keys = [
        look(seen, type_on("OTHER", "peek")),
        look(seen, pf(3)),
        look(seen, type_on("NOTE", "receive / = = a")),
        look(seen, pf(3)),
    ]
    await run_session(s)
    assert "0005" in seen[0] and "BOB" in seen[0]
    assert "second file" in seen[1] and seen[1].startswith("00| OTHER    TEXT")
    assert file_lines(s, "NOTE", "TEXT") == ["hello from bob"]
    assert any(x.startswith("PURGE READER 0005") for x in s.cp_log)


@pytest.mark.parametrize("model", [2, 4])
async def test_golden_screens(model):
    seen = []
    s = fake_3270(model=model, script=["XEDIT PROFILE EXEC A", "FILELIST", "RDRLIST"], files=FILES)
    s.reader = [ReaderFile(7, "BOB", [card("x")], "NOTE", "TEXT")]
    s.keys = [
        command(":1"),
        look(seen, over([("say 'hi'", 0, "x")])),
        command("qquit"),
        look(seen, pf(3)),
        look(seen, pf(3)),
    ]
    await run_session(s)
    check_golden(f"xedit_model{model}", seen[0])
    check_golden(f"filelist_model{model}", seen[1])
    check_golden(f"rdrlist_model{model}", seen[2])


async def test_rdrlist_order_and_change_go_to_cp_with_the_spoolid():
    s = fake_3270(script=["RDRLIST"])
    s.reader = [
        ReaderFile(5, "BOB", [card("a")], "NOTE", "TEXT"),
        ReaderFile(6, "CAROL", [card("b")], "OTHER", "TEXT"),
    ]

    def two_lines(screen):
        screen.keyboard_locked = False
        for fn, text in (("NOTE", "order"), ("OTHER", "change / class b")):
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith(fn + " "))
            screen.cursor = screen.pos(row, 0)
            screen.erase_eof()
            screen.type_text(text)
        return screen.aid(0x7D)

    s.keys = [two_lines, pf(3)]
    await run_session(s)
    assert "order RDR 0005" in s.cp_log
    assert "change 0006 class b" in s.cp_log
