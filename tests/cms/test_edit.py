"""EDIT, the line-mode context editor, on fake services."""

from cms.fs import Disk
from s390.ebcdic import card, from_ebcdic
from tests.cms.fakes import FakeServices, run_session


def edit_session(*script, existing=None):
    s = FakeServices(script=["ACCESS (NOPROF", *script])
    s.add_disk(0x191)
    if existing:
        Disk.open(s.disks[0x191]).write_file("OLD", "DATA", [card(x) for x in existing])
    return s


def file_lines(s, fn, ft):
    return [from_ebcdic(r).rstrip() for r in Disk.open(s.disks[0x191]).read_file(fn, ft)]


async def test_new_file_input_mode_and_file():
    s = edit_session(
        "EDIT HELLO ASSEMBLE",
        "INPUT",
        "hello  csect",
        "         br 14",
        "         end",
        "",
        "FILE",
        "TYPE HELLO ASSEMBLE",
    )
    await run_session(s)
    assert s.lines[2:5] == ["NEW FILE:", "EDIT:", "INPUT:"]
    assert "EDIT:" in s.lines[5:]
    assert file_lines(s, "HELLO", "ASSEMBLE") == ["HELLO  CSECT", "         BR 14", "         END"]
    assert Disk.open(s.disks[0x191]).lookup("HELLO", "ASSEMBLE").lrecl == 80


async def test_moving_locating_changing_and_deleting():
    s = edit_session(
        "EDIT OLD DATA",
        "NEXT 2",
        "/FOUR/",
        "CHANGE /FOUR/4/",
        "UP 3",
        "DELETE",
        "TOP",
        "BOTTOM",
        "NEXT",
        "LOCATE /NOPE/",
        "TOP",
        "TYPE *",
        "SAVE",
        "QUIT",
        existing=["ONE", "TWO", "THREE", "FOUR"],
    )
    await run_session(s)
    out = s.lines
    assert out[out.index("EDIT:") + 1] == "TWO"
    assert "4" in out  # the changed line typed
    assert out.count("TOF:") >= 2 and "EOF:" in out and "NOT FOUND" in out
    assert file_lines(s, "OLD", "DATA") == ["TWO", "THREE", "4"]


async def test_case_mixed_replace_insert_and_quit_without_saving():
    s = edit_session(
        "EDIT OLD DATA",
        "CASE M",
        "NEXT",
        "REPLACE Mixed Case",
        "INPUT after",
        "SAVE",
        "DELETE *",
        "QUIT",
        existing=["ONE"],
    )
    await run_session(s)
    assert file_lines(s, "OLD", "DATA") == ["Mixed Case", "after"]


async def test_unknown_subcommand_and_bad_fileid():
    s = edit_session("EDIT X Y", "FROB", "QUIT", "EDIT * Y", "EDIT A! B")
    await run_session(s)
    assert "?EDIT: FROB" in s.lines
    assert "DMSEDT054E INCOMPLETE FILEID SPECIFIED" in s.lines
    assert any(x.startswith("DMSEDT062E INVALID CHARACTER '!'") for x in s.lines)


async def test_file_on_a_read_only_disk_reports_and_stays_in_edit():
    s = edit_session("ACCESS 192 B", "EDIT X Y A", "INPUT line", "FILE X Y B", "QUIT")
    s.add_disk(0x192, read_only=True)
    await run_session(s)
    assert "DMSEDT037E DISK 'B' IS READ/ONLY" in s.lines
    assert s.lines[-1].startswith("Ready")


async def test_change_every_line_and_every_occurrence_from_the_top():
    s = edit_session(
        "EDIT OLD DATA",
        "CHANGE /A/X/ * *",
        "TOP",
        "CHANGE /B/Y/ * G",
        "TOP",
        "CHANGE /C/Z/ 3",
        "FILE",
        existing=["AA B", "BAB C", "CAC"],
    )
    await run_session(s)
    assert file_lines(s, "OLD", "DATA") == ["XX Y", "YXY Z", "ZXC"]


async def test_type_after_top_lists_the_lines_from_the_null_line():
    s = edit_session(
        "EDIT OLD DATA",
        "TOP",
        "TYPE 3",
        "TOP",
        "TYPE *",
        "TYPE",
        "QUIT",
        existing=["ONE", "TWO", "THREE"],
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[:4] == ["TOF:", "TOF:", "ONE", "TWO"]  # TOP, then TYPE 3
    assert out[4:10] == ["TOF:", "TOF:", "ONE", "TWO", "THREE", "EOF:"]
    assert out[10] == "EOF:"  # TYPE at the end of file


async def test_type_n_past_the_end_stops_at_eof_and_zero_is_an_error():
    s = edit_session(
        "EDIT OLD DATA", "NEXT", "TYPE 5", "TOP", "TYPE 0", "QUIT", existing=["ONE", "TWO"]
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[:4] == ["ONE", "ONE", "TWO", "EOF:"]
    assert "?EDIT: TYPE 0" in out


async def test_find_matches_the_start_of_a_line_blanks_match_anything():
    s = edit_session(
        "EDIT OLD DATA",
        "FIND LA",
        "TOP",
        "F L  EL",
        "FIND NOPE",
        "QUIT",
        existing=["A LABEL", "LABEL1 DC F'1'", "LABEL2 EQU *", "XLABEL"],
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[0] == "LABEL1 DC F'1'"
    assert out[2] == "LABEL1 DC F'1'"  # L, 2 any characters, EL
    assert out[3:5] == ["NOT FOUND", "EOF:"]


async def test_getfile_inserts_records_after_the_current_line():
    s = edit_session(
        "EDIT OLD DATA",
        "NEXT",
        "GETFILE PART DATA A 2 2",
        "TYPE",
        "GETFILE PART",
        "GETFILE NONE",
        "GETFILE PART DATA A X Y Z",
        "FILE",
        existing=["ONE", "TWO"],
    )
    Disk.open(s.disks[0x191]).write_file(
        "PART", "DATA", [card(x) for x in ["P1", "P2", "P3", "P4"]]
    )
    await run_session(s)
    assert file_lines(s, "OLD", "DATA") == ["ONE", "P2", "P3", "P1", "P2", "P3", "P4", "TWO"]
    assert "DMSEDT002E FILE 'NONE DATA *' NOT FOUND" in s.lines
    assert "?EDIT: GETFILE PART DATA A X Y Z" in s.lines


async def test_equal_repeats_and_question_mark_shows_the_last_subcommand():
    s = edit_session(
        "EDIT OLD DATA",
        "NEXT",
        "=",
        "?",
        "=",
        "REUSE",
        "QUIT",
        existing=["ONE", "TWO", "THREE", "FOUR"],
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[:5] == ["ONE", "TWO", "NEXT", "THREE", "FOUR"]


async def test_cms_subcommand_runs_commands_and_the_subset_returns_to_edit():
    s = edit_session(
        "EDIT OLD DATA",
        "INPUT new",
        "CMS LISTFILE OLD DATA A",
        "CMS",
        "LISTFILE * DATA",
        "RETURN",
        "FILE",
        existing=["ONE"],
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[0] == "OLD      DATA     A1"
    assert out[1] == "CMS SUBSET"
    assert out[2] == "OLD      DATA     A1" and out[3].startswith("Ready")
    assert out[4] == "EDIT:"
    assert file_lines(s, "OLD", "DATA") == ["NEW", "ONE"]


async def test_case_u_translates_what_locate_find_and_change_look_for():
    s = edit_session(
        "EDIT OLD DATA",
        "locate /two/",
        "top",
        "find thr",
        "change /three/3/",
        "top",
        "/one/",
        "CASE M",
        "LOCATE /two/",
        "QUIT",
        existing=["ONE", "TWO", "THREE"],
    )
    await run_session(s)
    out = s.lines[s.lines.index("EDIT:") + 1 :]
    assert out[:6] == ["TWO", "TOF:", "THREE", "3", "TOF:", "ONE"]
    assert out[6:8] == ["NOT FOUND", "EOF:"]  # CASE M: as typed
