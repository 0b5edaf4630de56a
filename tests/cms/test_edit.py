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
    s = edit_session("EDIT HELLO ASSEMBLE", "INPUT", "hello  csect", "         br 14",
                     "         end", "", "FILE", "TYPE HELLO ASSEMBLE")
    await run_session(s)
    assert s.lines[2:5] == ["NEW FILE:", "EDIT:", "INPUT:"]
    assert "EDIT:" in s.lines[5:]
    assert file_lines(s, "HELLO", "ASSEMBLE") == ["HELLO  CSECT", "         BR 14", "         END"]
    assert Disk.open(s.disks[0x191]).lookup("HELLO", "ASSEMBLE").lrecl == 80


async def test_moving_locating_changing_and_deleting():
    s = edit_session("EDIT OLD DATA", "NEXT 2", "/FOUR/", "CHANGE /FOUR/4/", "UP 3", "DELETE",
                     "TOP", "BOTTOM", "NEXT", "LOCATE /NOPE/", "TOP", "TYPE *", "SAVE",
                     "QUIT", existing=["ONE", "TWO", "THREE", "FOUR"])
    await run_session(s)
    out = s.lines
    assert out[out.index("EDIT:") + 1] == "TWO"
    assert "4" in out                                   # the changed line typed
    assert out.count("TOF:") >= 2 and "EOF:" in out and "NOT FOUND" in out
    assert file_lines(s, "OLD", "DATA") == ["TWO", "THREE", "4"]


async def test_case_mixed_replace_insert_and_quit_without_saving():
    s = edit_session("EDIT OLD DATA", "CASE M", "NEXT", "REPLACE Mixed Case", "INPUT after",
                     "SAVE", "DELETE *", "QUIT", existing=["ONE"])
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
    s = edit_session("EDIT OLD DATA", "CHANGE /A/X/ * *", "TOP", "CHANGE /B/Y/ * G",
                     "TOP", "CHANGE /C/Z/ 3", "FILE",
                     existing=["AA B", "BAB C", "CAC"])
    await run_session(s)
    assert file_lines(s, "OLD", "DATA") == ["XX Y", "YXY Z", "ZXC"]
