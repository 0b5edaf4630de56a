"""Stream I/O in an EXEC under CMS: CMS files named ``fn ft fm``
(cms.rexxstreams), on the fake services; and deep recursion in an EXEC."""

from __future__ import annotations

from cms.fs import Disk
from s390.ebcdic import card, from_ebcdic
from tests.cms.fakes import FakeServices, run_session


def session(script, **execs):
    s = FakeServices(script=["ACCESS (NOPROF"] + list(script))
    s.add_disk(0x191)
    disk = Disk.open(s.disks[0x191])
    for name, text in execs.items():
        disk.write_file(name.upper(), "EXEC", [card(x) for x in text.strip("\n").splitlines()])
    return s


def records(s, fn, ft):
    disk = Disk.open(s.disks[0x191])
    fst = disk.lookup(fn, ft)
    return None if fst is None else ([from_ebcdic(r) for r in disk.read_file(fn, ft)], fst.recfm)


async def test_lineout_creates_a_cms_file_and_linein_reads_it_back():
    s = session(
        ["EXEC WRITE"],
        write="""
/* */
say lineout('notes data a', 'first line')
say lineout('notes data a', 'second line')
call lineout 'notes data a'
do while lines('NOTES DATA') > 0
  say 'read:' linein('NOTES DATA')
end
say stream('NOTES DATA', 'c', 'query exists')
""",
    )
    await run_session(s)
    assert records(s, "NOTES", "DATA") == (["first line", "second line"], "V")
    assert "read: first line" in s.lines and "read: second line" in s.lines
    assert "NOTES DATA A1" in s.lines


async def test_missing_file_is_notready_and_call_on_notready_traps_it():
    s = session(
        ["EXEC MISSING"],
        missing="""
/* */
call on notready name gone
x = linein('NOSUCH FILE A')
say 'after' stream('NOSUCH FILE A', 's')
exit
gone: say 'NOTREADY on' condition('D'); return
""",
    )
    await run_session(s)
    assert "NOTREADY on NOSUCH FILE A" in s.lines
    assert "after ERROR" in s.lines


async def test_charin_sees_records_ended_by_x15_and_charout_splits_at_it():
    s = session(
        ["EXEC CHARS"],
        chars="""
/* */
call charout 'TWO LINES A', 'ab'
call charout 'TWO LINES A', '15'x || 'cd'
call charout 'TWO LINES A'
say c2x(charin('TWO LINES A', 1, 6)) chars('TWO LINES A')
""",
    )
    await run_session(s)
    assert records(s, "TWO", "LINES") == (["ab", "cd"], "V")
    assert "818215838415 0" in s.lines


async def test_exec_recursion_deeper_than_a_thousand_levels():
    s = session(
        ["EXEC DEEP"],
        deep="""
/* */
say 'depth' down(3000)
exit
down: procedure
  arg n
  if n = 0 then return 0
  return down(n - 1) + 1
""",
    )
    await run_session(s)
    assert "depth 3000" in s.lines


async def test_bad_fileids_are_notready_not_a_failure():
    s = session(
        ["EXEC BAD"],
        bad="""
/* */
say lineout('A*B DATA A', 'x') stream('A*B DATA A', 's')
say lineout('X Y Q', 'x') stream('X Y Q', 's')
say linein('TOOLONGNAME DATA A') '|' stream('TOOLONGNAME DATA A', 's')
say lineout('ONEWORD', 'x') stream('ONEWORD', 's')
say lineout('OK DATA Z', 'x') stream('OK DATA Z', 's')
call lineout 'OK DATA Z'
say stream('OK DATA Z', 'd')
say 'done'
""",
    )
    await run_session(s)
    assert "done" in s.lines
    assert not any("Error 49" in line for line in s.lines)
    end = s.lines.index("done")
    assert s.lines[end - 6 : end - 1] == ["1 ERROR", "1 ERROR", " | ERROR", "1 ERROR", "1 ERROR"]
