"""XEDIT on a 3270 (fake services with an in-process 3270 screen) and on a
line terminal: editing with commands, prefix commands and typing over the
data, macros, the ring, and files of every kind kept byte for byte."""

from cms.fs import Disk
from cp import ds3270 as ds
from s390.ebcdic import from_ebcdic, to_ebcdic
from tests.cms.fakes import FakeServices, run_session
from tests.cms.xeditkit import (
    FILES,
    at_cursor,
    command,
    fake_3270,
    file_lines,
    file_records,
    look,
    over,
    pf,
    prefix,
)


async def test_a_file_made_with_commands_prefix_commands_and_typing():
    s = fake_3270(script=["XEDIT NEW DATA A"])
    s.keys = [
        command("input alpha one"),
        command("input beta two"),
        command("input gamma three"),
        command("input delta four"),
        command("top"),
        prefix("beta two", "d"),  # delete a line
        prefix("alpha one", "a2"),  # two blank lines after it
        at_cursor("inserted"),  # the cursor is on the first new line
        prefix("gamma three", '"'),  # duplicate
        command(":1"),
        command("change /one/ONE/ *"),
        command("locate /delta/"),
        over([("delta four", 6, "DELTA")]),  # type over the current line
        command("file"),
    ]
    await run_session(s)
    assert file_lines(s, "NEW", "DATA") == [
        "alpha ONE",
        "inserted",
        "",
        "gamma three",
        "gamma three",
        "DELTA four",
    ]
    assert all(len(r) == 80 for r in file_records(s, "NEW", "DATA"))  # RECFM F 80


async def test_block_prefix_commands_copy_move_exclude_and_show():
    lines = [f"line {n}" for n in range(1, 9)]
    s = fake_3270(script=["XEDIT OLD DATA A"], files={("OLD", "DATA"): lines})
    seen = []
    s.keys = [
        over([("line 2", 0, "cc"), ("line 3", 0, "cc"), ("line 8", 0, "f")]),
        over([("line 1", 0, "m"), ("line 5", 0, "p")]),
        over([("line 6", 0, "dd")]),  # pending: shown, waiting for its pair
        look(seen, over([("line 7", 0, "dd")])),
        over([("line 4", 0, "xx"), ("line 5", 0, "xx")]),
        look(seen, command("top")),
        command("file"),
    ]
    await run_session(s)
    assert "dd===" in seen[0]  # the pending block is shown
    assert "3 line(s) not displayed" in seen[1]
    assert file_lines(s, "OLD", "DATA") == [
        "line 2",
        "line 3",
        "line 4",
        "line 1",
        "line 5",
        "line 8",
        "line 2",
        "line 3",
    ]


async def test_change_all_locate_targets_and_messages():
    lines = ["apple pie", "banana split", "apple tart", "cherry pie", "apple crumble"]
    s = fake_3270(script=["XEDIT FRUIT LIST A"], files={("FRUIT", "LIST"): lines})
    seen = []
    s.keys = [
        command("all /apple/"),
        look(seen, command("all")),
        command("top"),
        command("locate /pie/ & /cherry/"),
        look(seen, command("change /pie/flan/ * 1")),
        look(seen, command("-/zzz/")),
        look(seen, command(":2")),
        look(seen, command("lowercase 1")),
        command("up"),
        command("uppercase 1"),
        command("file"),
    ]
    await run_session(s)
    assert seen[0].count("1 line(s) not displayed") == 2 and "3 line(s) selected" in seen[0]
    assert "1 occurrence(s) changed on 1 line(s)" in seen[2]
    assert "Target not found" in seen[3]
    assert "Line=2" in seen[4].splitlines()[0]
    assert file_lines(s, "FRUIT", "LIST") == [
        "APPLE PIE",
        "banana split",
        "apple tart",
        "cherry flan",
        "apple crumble",
    ]


async def test_a_rexx_macro_with_extract_and_address_xedit():
    macro = [
        "/* stamp the size and the current line */",
        "'EXTRACT /SIZE/CURLINE/FNAME/'",
        "'BOTTOM'",
        "'INPUT' fname.1 'has' size.1 'lines, was at:' curline.3",
        "exit 0",
    ]
    s = fake_3270(
        script=["XEDIT NOTE DATA A"],
        files={("NOTE", "DATA"): ["first", "second"], ("STAMP", "XEDIT"): macro},
    )
    s.keys = [command(":1"), command("stamp"), command("file")]
    await run_session(s)
    assert file_lines(s, "NOTE", "DATA") == ["first", "second", "NOTE has 2 lines, was at: first"]


async def test_profile_xedit_runs_first_and_pf_keys_follow_set_pf():
    s = fake_3270(
        script=["XEDIT P DATA A"],
        files={
            ("PROFILE", "XEDIT"): ["/* */", "'SET NUMBER ON'", "'SET PF5 BOTTOM'"],
            ("P", "DATA"): ["a", "b", "c"],
        },
    )
    seen = []
    s.keys = [look(seen, pf(5)), look(seen, pf(3))]
    await run_session(s)
    assert "00001 a" in seen[0]  # SET NUMBER ON from the profile
    assert "Line=3" in seen[1].splitlines()[0]  # PF5 = BOTTOM


async def test_quit_asks_when_changed_and_qquit_leaves_the_file_as_it_was():
    s = fake_3270(script=["XEDIT KEEP DATA A"], files={("KEEP", "DATA"): ["original"]})
    seen = []
    s.keys = [command("change /original/changed/"), look(seen, pf(3)), look(seen, command("qquit"))]
    await run_session(s)
    assert "type QQUIT to quit anyway" in seen[1]
    assert file_lines(s, "KEEP", "DATA") == ["original"]


async def test_equal_repeats_question_recalls_and_ampersand_keeps():
    s = fake_3270(script=["XEDIT R DATA A"], files={("R", "DATA"): [str(n) for n in range(10)]})
    seen = []
    s.keys = [
        command(":1"),
        command("down 2"),
        look(seen, pf(9)),
        look(seen, command("?")),
        look(seen, command("&down 1")),
        look(seen, command("file")),
    ]
    await run_session(s)
    assert "Line=3" in seen[0].splitlines()[0]
    assert "Line=5" in seen[1].splitlines()[0]  # PF9 = repeated DOWN 2
    assert "====> down 2" in seen[2]  # ? brought the last command back
    assert "====> &down 1" in seen[3]  # & kept it
    assert "Line=6" in seen[3].splitlines()[0]


async def test_the_ring_xedit_inside_and_xedit_alone_cycles():
    s = fake_3270(
        script=["XEDIT ONE DATA A"], files={("ONE", "DATA"): ["one"], ("TWO", "DATA"): ["two"]}
    )
    seen = []
    s.keys = [
        command("xedit two data a"),
        look(seen, command("xedit")),
        look(seen, command("quit")),
        look(seen, command("quit")),
    ]
    await run_session(s)
    assert seen[0].startswith("00| TWO      DATA") and "2 Files" in seen[0]
    assert seen[1].startswith("00| ONE      DATA")
    assert seen[2].startswith("00| TWO      DATA") and "1 File " in seen[2]


async def test_split_join_get_put_sort_and_cms_subcommand():
    s = fake_3270(
        script=["XEDIT S DATA A"],
        files={("S", "DATA"): ["zeta", "alpha", "mid"], ("G", "DATA"): ["got"]},
    )
    seen = []
    s.keys = [
        command(":1"),
        command("sort * a 1 4"),
        command("bottom"),
        command("get g data"),
        command(":1"),
        command("put 1 p data a"),
        command("join"),
        look(seen, command("cms listfile * data a")),
        command("file"),
    ]
    await run_session(s)
    assert file_lines(s, "S", "DATA") == ["alpha mid", "zeta", "got"]
    assert file_lines(s, "P", "DATA") == ["alpha"]
    assert "S        DATA     A1" in seen[0]  # CMS output on the message lines


async def test_a_ten_thousand_line_file_opens_scrolls_and_saves():
    lines = [f"record {n:05d}" for n in range(1, 10001)]
    s = fake_3270(script=["XEDIT BIG DATA A"], blocks=4000)
    Disk.open(s.disks[0x191]).write_file("BIG", "DATA", [to_ebcdic(x) for x in lines], "V")
    seen = []
    s.keys = [
        pf(8),
        pf(8),
        command(":9999"),
        look(seen, command("bottom")),
        command("change /record/R/ -*"),
        command("file"),
    ]
    await run_session(s)
    assert "Line=9999" in seen[0].splitlines()[0] and "record 10000" in seen[0]
    assert file_lines(s, "BIG", "DATA")[:2] == ["R 00001", "R 00002"]
    assert len(file_lines(s, "BIG", "DATA")) == 10000


async def test_lrecl_255_and_binary_bytes_survive_editing_other_lines():
    wide = "W" * 100 + "middle" + "E" * 149
    binary = bytes(range(256))[:255]
    s = fake_3270(script=["XEDIT WIDE DATA A"])
    Disk.open(s.disks[0x191]).write_file(
        "WIDE", "DATA", [to_ebcdic(wide), binary, to_ebcdic("short")], "F", 255
    )
    s.keys = [command(":1"), over([("W" * 73, 6, "typed")]), command("file")]
    await run_session(s)
    records = file_records(s, "WIDE", "DATA")
    assert from_ebcdic(records[0]) == "typed" + wide[5:]  # columns off the screen kept
    assert records[1] == binary  # a line not edited: every byte
    assert len(records[2]) == 255


async def test_xedit_on_a_line_terminal_verifies_and_reads_subcommands():
    s = FakeServices(
        script=[
            "ACCESS (NOPROF",
            "XEDIT LM DATA A",
            "INPUT",
            "one",
            "two",
            "",
            "TOP",
            "NEXT",
            "CHANGE /one/1/",
            "FILE",
            "TYPE LM DATA A",
        ]
    )
    s.add_disk(0x191)
    await run_session(s)
    assert "DMSXIN561I New file" in s.lines
    assert "* * * Top of File * * *" in s.lines
    assert s.lines[-3:-1] == ["1", "two"]


async def test_bad_input_gets_messages_not_tracebacks():
    s = fake_3270(script=["XEDIT", "XEDIT * DATA", "XEDIT B DATA A"], files={("B", "DATA"): ["x"]})
    seen = []
    s.keys = [
        command("set zone x"),
        look(seen, command("change")),
        look(seen, command("locate")),
        look(seen, command("nosuchcommand")),
        look(seen, over([("x", 0, "zz")])),
        look(seen, command("qquit")),
    ]
    await run_session(s)
    assert "DMSXED054E INCOMPLETE FILEID SPECIFIED" in s.lines or any(
        "INCOMPLETE FILEID" in x for x in s.lines
    )
    assert "Invalid operand: x" in seen[0]
    assert "Invalid operand" in seen[1]
    assert "Target missing or invalid" in seen[2]
    assert "Unknown CP/CMS command" in seen[3]
    assert "Invalid prefix subcommand: zz" in seen[4]
    assert not any("Traceback" in x or "ABEND" in x for x in s.lines)


def test_the_screen_adapts_to_the_display_size():
    import asyncio

    for model, rows in ((2, 24), (3, 32), (4, 43), (5, 27)):
        s = fake_3270(model=model, script=["XEDIT M DATA A"], files={("M", "DATA"): ["m"]})
        seen = []
        s.keys = [look(seen, command("qquit"))]
        asyncio.run(run_session(s))
        text = seen[0].split("fields:")[0].splitlines()
        assert len(text) == rows
        assert text[rows - 2].startswith(f"{rows - 2:02d}| ====>")
        assert "X E D I T  1 File" in text[rows - 1]
        assert len(text[0]) == (132 if model == 5 else 80) + 4


def show_on_shadow(typed):
    def key(screen):
        screen.keyboard_locked = False
        row = next(r for r in range(screen.rows) if "line(s) not displayed" in screen.row_text(r))
        screen.cursor = screen.pos(row, 0)
        screen.type_text(typed)
        return screen.aid(ds.AID_ENTER)

    return key


async def test_copy_move_shift_make_current_and_show_prefix_commands():
    lines = ["one", "two", "three", "four", "five"]
    s = fake_3270(script=["XEDIT CM DATA A"], files={("CM", "DATA"): lines})
    seen = []
    s.keys = [
        command(":1"),
        command("copy 1 :5"),  # one after five
        command(":2"),
        command("move 2 :0"),  # two, three to the top
        over([("four", 0, ">2"), ("five", 0, "/")]),
        look(seen, over([("  four", 0, "<1"), ("one", 0, "x2")])),
        look(seen, show_on_shadow("s1")),
        look(seen, command("file")),
    ]
    await run_session(s)
    assert "Line=5" in seen[0].splitlines()[0]  # / made "five" current
    assert "2 line(s) not displayed" in seen[1]  # x2: one and " four"
    assert "1 line(s) not displayed" in seen[2] and "|===== one" in seen[2]  # s1: the first
    assert file_lines(s, "CM", "DATA") == ["two", "three", "one", " four", "five", "one"]


async def test_set_serial_hex_stay_msgmode_and_the_put_get_buffer():
    s = fake_3270(script=["XEDIT SER DATA A"], files={("SER", "DATA"): ["abc", "def", "ghi"]})
    seen = []
    s.keys = [
        command(":1"),
        command("set hex on"),
        command("change /x'82'/B/"),
        command("set stay on"),
        command(":1"),
        command("change /c/C/ *"),
        look(seen, command("set msgmode off")),
        look(seen, command("change /d/D/ *")),
        command(":1"),
        command("put 1"),
        command("bottom"),
        command("get"),
        command("set serial on"),
        command("file"),
    ]
    await run_session(s)
    assert "Line=1" in seen[0].splitlines()[0]  # STAY ON: CHANGE did not move
    assert "occurrence(s) changed" not in seen[1]  # MSGMODE OFF: no info message
    records = [from_ebcdic(r) for r in file_records(s, "SER", "DATA")]
    assert [r[:72].rstrip() for r in records] == ["aBC", "Def", "ghi", "aBC"]
    assert [r[72:] for r in records] == ["SER00010", "SER00020", "SER00030", "SER00040"]


async def test_filelist_equal_repeats_the_command_of_the_line_before():
    s = fake_3270(
        script=["FILELIST * DATA", "LISTFILE * * A"], files={**FILES, ("Y", "DATA"): ["y"]}
    )

    def two_lines(screen):
        screen.keyboard_locked = False
        for fn, text in (("Y", "erase"), ("ZED", "=")):
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith(fn + " "))
            screen.cursor = screen.pos(row, 0)
            screen.erase_eof()
            screen.type_text(text)
        return screen.aid(ds.AID_ENTER)

    s.keys = [two_lines]
    await run_session(s)
    assert not any(x.startswith(("Y ", "ZED ")) for x in s.lines)  # both erased
    assert any(x.startswith("PROFILE") for x in s.lines)


async def test_insert_mode_and_erase_eof_in_the_data_area():
    s = fake_3270(script=["XEDIT INS DATA A"], files={("INS", "DATA"): ["hello world", "cut here"]})

    def insert_and_erase(screen):
        screen.keyboard_locked = False
        row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith("hello"))
        screen.cursor = screen.pos(row, 6 + 5)  # after "hello"
        screen.toggle_insert()  # the Insert key
        screen.type_text(",")
        screen.toggle_insert()
        row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith("cut"))
        screen.cursor = screen.pos(row, 6 + 3)
        screen.erase_eof()  # Erase EOF
        return screen.aid(ds.AID_ENTER)

    s.keys = [command("set nulls on"), insert_and_erase, command("file")]
    await run_session(s)
    assert file_lines(s, "INS", "DATA") == ["hello, world", "cut"]


async def test_peek_on_a_3270_is_a_read_only_xedit_view():
    from s390.ebcdic import card
    from tests.cms.fakes import ReaderFile

    s = fake_3270(script=["PEEK 9"])
    s.reader = [ReaderFile(9, "BOB", [card("peeked at")], "LOOK", "TEXT")]
    seen = []
    s.keys = [look(seen, command("file")), look(seen, pf(3))]
    await run_session(s)
    assert "peeked at" in seen[0] and seen[0].startswith("00| LOOK     TEXT")
    assert "read-only; not written" in seen[1]
    assert [rf.spoolid for rf in s.reader] == [9]  # still in the reader


async def test_query_shows_settings_and_cp_runs_a_cp_command():
    s = fake_3270(script=["XEDIT Q DATA A"], files={("Q", "DATA"): ["a", "b"]})
    s.cp_replies["QUERY"] = (0, ["TIME IS 12:00:00"])
    seen = []
    s.keys = [
        command("set zone 2 10"),
        command("set case u i"),
        command("set trunc 60"),
        look(seen, command("query zone case trunc size lrecl recfm")),
        look(seen, command("cp query time")),
        look(seen, command("qquit")),
    ]
    await run_session(s)
    for shown in ("ZONE 2 10", "CASE UPPER IGNORE", "TRUNC 60", "SIZE 2", "LRECL 80", "RECFM F"):
        assert shown in seen[1]
    assert "TIME IS 12:00:00" in seen[2]


async def test_input_mode_on_the_screen_and_spltjoin_at_the_cursor():
    s = fake_3270(script=["XEDIT IN DATA A"], files={("IN", "DATA"): ["first"]})
    seen = []

    def input_rows(screen):
        screen.keyboard_locked = False
        screen.type_text("typed one")  # the cursor is on the first input row
        screen.cursor = screen.pos(screen.rowcol(screen.cursor)[0] + 1, 6)
        screen.type_text("typed two")
        return screen.aid(ds.AID_ENTER)

    def split_at(line, col):
        def key(screen):
            screen.keyboard_locked = False
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].startswith(line))
            screen.cursor = screen.pos(row, 6 + col)
            return screen.aid(ds.AID_PF[11])

        return key

    s.keys = [
        command("input"),
        look(seen, input_rows),
        look(seen, at_cursor("")),
        split_at("typed one", 5),
        look(seen, split_at("typed", 6)),
        command("file"),
    ]
    await run_session(s)
    assert "Input-mode" in seen[0]
    assert "Input-mode" in seen[1]  # still in input mode after lines
    assert "=====  one" in seen[2]  # PF11 split the line at the cursor
    assert file_lines(s, "IN", "DATA") == ["first", "typed one", "typed two"]


async def test_linend_splits_a_command_line_and_a_pf_key_runs_a_macro():
    s = fake_3270(
        script=["XEDIT LE DATA A"],
        files={
            ("LE", "DATA"): ["a", "b", "c"],
            ("LAST", "XEDIT"): ["/* */", "'BOTTOM'", "'INPUT from the macro'"],
        },
    )
    seen = []
    s.keys = [
        command("set linend on #"),
        command("top#down 2"),
        look(seen, command("set pf4 last")),
        pf(4),
        command("file"),
    ]
    await run_session(s)
    assert "Line=2" in seen[0].splitlines()[0]
    assert file_lines(s, "LE", "DATA") == ["a", "b", "c", "from the macro"]


async def test_prefix_area_on_the_right_and_off():
    s = fake_3270(script=["XEDIT PR DATA A"], files={("PR", "DATA"): ["left", "right"]})
    seen = []

    def on_right(line, typed):
        def key(screen):
            screen.keyboard_locked = False
            row = next(r for r in range(screen.rows) if screen.row_text(r).startswith(line))
            screen.cursor = screen.pos(row, screen.cols - 6)
            screen.type_text(typed)
            return screen.aid(ds.AID_ENTER)

        return key

    s.keys = [
        command("set prefix on right"),
        look(seen, on_right("left", "d")),
        look(seen, command("set prefix off")),
        look(seen, command("file")),
    ]
    await run_session(s)
    right = seen[0].splitlines()
    assert any(r.startswith("03|left") or r[3:].startswith("left") for r in right)
    assert any(r.endswith("===== |") for r in right)
    assert "=====" not in seen[2].split("fields:")[0]
    assert file_lines(s, "PR", "DATA") == ["right"]


async def test_a_v_file_line_may_grow_past_the_longest_record():
    s = fake_3270(script=["XEDIT VAR DATA A"])
    Disk.open(s.disks[0x191]).write_file("VAR", "DATA", [to_ebcdic("ab"), to_ebcdic("c")], "V")
    s.keys = [command(":2"), command("change /c/a much longer line/"), command("file")]
    await run_session(s)
    assert file_records(s, "VAR", "DATA") == [to_ebcdic("ab"), to_ebcdic("a much longer line")]


async def test_add_duplicate_replace_find_and_set_recfm_lrecl():
    s = fake_3270(script=["XEDIT MISC DATA A"], files={("MISC", "DATA"): ["alpha", "beta"]})
    s.keys = [
        command(":1"),
        command("add 1"),
        at_cursor("added"),
        command(":2"),
        command("duplicate 2"),
        command("replace replaced"),
        command("top"),
        command("find be"),
        command("replace BETA"),
        pf(2),
        at_cursor("lineadd"),
        command("set recfm v"),
        command("set lrecl 20"),
        command("file"),
    ]
    await run_session(s)
    records = file_records(s, "MISC", "DATA")
    assert [from_ebcdic(r) for r in records] == [
        "alpha",
        "added",
        "added",
        "replaced",
        "BETA",
        "lineadd",
    ]
    assert Disk.open(s.disks[0x191]).lookup("MISC", "DATA").recfm == "V"


async def test_set_zone_limits_the_columns_locate_and_change_look_at():
    lines = ["abc one", "one abc", "abc abc"]
    s = fake_3270(script=["XEDIT Z DATA A"], files={("Z", "DATA"): lines})
    seen = []
    s.keys = [
        command("set zone 4 *"),
        command("top"),
        command("locate /abc/"),  # line 1 has abc only in columns 1-3
        look(seen, command("top")),
        command("change /abc/XYZ/ * *"),
        look(seen, command("set zone 1 3")),
        command(":1"),
        command("change /XYZ/1/ *"),  # XYZ is in columns 5-7 only
        look(seen, command("set zone 10 5")),
        look(seen, command("file")),
    ]
    await run_session(s)
    assert "Line=2 " in seen[0]
    assert "2 occurrence(s) changed on 2 line(s)" in seen[1]
    assert "No change" in seen[2]
    assert "Invalid operand: 10 5" in seen[3]
    assert file_lines(s, "Z", "DATA") == ["abc one", "one XYZ", "abc XYZ"]


async def test_set_trunc_truncates_what_is_typed_in_and_what_change_pushes_past_it():
    s = fake_3270(script=["XEDIT T DATA A"], files={("T", "DATA"): ["abc def   12345678"]})
    seen = []

    def input_row(screen):
        screen.keyboard_locked = False
        screen.type_text("input mode past the column")  # the cursor is on the first input row
        return screen.aid(ds.AID_ENTER)

    s.keys = [
        command("set trunc 81"),
        look(seen, command("set trunc 10")),
        command(":1"),
        command("change /abc/abcabc/"),  # blanks go past column 10: no message
        look(seen, command("change /def/defgh/")),  # "gh" would go past column 10
        look(seen, over([("abcabc def12345678", 6 + 12, "X")])),  # column 13: past TRUNC
        look(seen, command("input 123456789012345")),
        look(seen, prefix("1234567890", ">2")),  # shifted right past column 10
        look(seen, command("input")),
        input_row,
        look(seen, at_cursor("")),
        look(seen, command("set trunc *")),
        look(seen, command("file")),
    ]
    await run_session(s)
    assert "Invalid operand: 81" in seen[0]
    assert "Truncated" not in seen[1]
    for screen in seen[2:7]:  # after CHANGE, typing over, INPUT text, a shift, input mode
        assert "DMSXED556E Truncated" in screen
    assert "Truncated" not in seen[7]
    # Columns past TRUNC (here 11-18) keep what they held; text typed or
    # changed in stops at column 10.
    assert file_lines(s, "T", "DATA") == ["abcabc def12345678", "  12345678", "input mode"]


async def test_input_on_a_line_terminal_is_truncated_at_set_trunc():
    s = FakeServices(
        script=[
            "ACCESS (NOPROF",
            "XEDIT LT DATA A",
            "SET TRUNC 5",
            "INPUT",
            "abcdefgh",
            "abc",
            "",
            "FILE",
            "TYPE LT DATA A",
        ]
    )
    s.add_disk(0x191)
    await run_session(s)
    assert s.lines.count("DMSXED556E Truncated") == 1  # for the long line only
    assert s.lines[-3:-1] == ["abcde", "abc"]


async def test_schange_locates_changes_on_the_key_again_and_skips_when_the_cursor_moves():
    lines = ["one cat", "cat and cat", "no pets", "cat"]
    s = fake_3270(script=["XEDIT S DATA A"], files={("S", "DATA"): lines})
    seen = []

    def pf5_at(line, col):
        """PF5 with the cursor moved to column ``col`` of the line showing ``line``."""

        def key(screen):
            screen.keyboard_locked = False
            row = next(r for r in range(screen.rows) if screen.row_text(r)[6:].rstrip() == line)
            screen.cursor = screen.pos(row, 6 + col - 1)
            return screen.aid(ds.AID_PF[5])

        return key

    s.keys = [
        command("top"),
        command("change /cat/dog/", aid=ds.AID_PF[5]),  # locates line 1's cat, changes nothing
        look(seen, pf(5)),  # the cursor is still under it: changed, the next located
        look(seen, pf(5)),  # changes line 2's first cat, locates its second
        look(seen, pf5_at("no pets", 1)),  # the cursor moved away: that cat is skipped
        look(seen, pf(5)),  # changes line 4's cat; nothing is left
        look(seen, command("top")),
        command("change /no/yes/ 0"),  # a CHANGE run (on no lines) ...
        pf(5),  # ... is the one PF5 takes with the command line blank
        pf(5),
        look(seen, command("file")),
    ]
    await run_session(s)
    # The CHANGE stays on the command line; the cursor goes under each cat.
    assert "Line=1 " in seen[0] and "Alt=0 " in seen[0] and "====> change /cat/dog/" in seen[0]
    assert "11|===== one cat" in seen[0] and "cursor 11,10" in seen[0]
    assert "===== one dog" in seen[1] and "11|===== cat and cat" in seen[1]
    assert "cursor 11,06" in seen[1]
    assert "11|===== dog and cat" in seen[2] and "cursor 11,14" in seen[2]
    assert "Line=4 " in seen[3] and "11|===== cat" in seen[3] and "cursor 11,06" in seen[3]
    assert "Target not found" in seen[4]
    assert file_lines(s, "S", "DATA") == ["one dog", "dog and cat", "yes pets", "dog"]
