"""EXECs: REXX programs run by CMS (PROFILE EXEC, EXEC, implied EXEC, host
commands, EXECIO, the console stack) on fake services."""

from cms.fs import Disk
from s390.ebcdic import from_ebcdic
from tests.cms.cmskit import readies, with_execs
from tests.cms.fakes import run_session


async def test_profile_exec_runs_at_ipl():
    s = with_execs(["Q CMSLEVEL"], profile="/* */\nsay 'Profile ran for' userid()")
    await run_session(s)
    assert "Profile ran for ALICE" in s.lines
    assert s.lines.index("Profile ran for ALICE") < s.lines.index(
        "VM370 CMS Level 1, Service Level 000"
    )


async def test_access_noprof_skips_the_profile():
    s = with_execs(["ACCESS (NOPROF"], profile="/* */\nsay 'Profile ran'")
    await run_session(s)
    assert "Profile ran" not in s.lines


async def test_exec_arguments_commands_and_return_code():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC DEMO one two", "DEMO three"],
        demo="""
/* DEMO EXEC */
parse arg first rest
say 'ARG' first '/' rest
'STATE NOSUCH FILE A'
say 'RC' rc
address CP 'QUERY TIME'
exit 7
""",
    )
    s.cp_replies["QUERY"] = (0, ["TIME IS 05:30:00"])
    await run_session(s)
    assert "ARG one / two" in s.lines
    assert "DMSSTT002E FILE 'NOSUCH FILE A' NOT FOUND" in s.lines
    assert "RC 28" in s.lines
    assert "TIME IS 05:30:00" in s.lines
    assert "ARG three /" in [x.rstrip() for x in s.lines]  # implied EXEC
    assert readies(s)[1:] == ["Ready(00007)", "Ready(00007)"]


async def test_execio_stem_read_and_write():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC COPY"],
        copy="""
/* */
'EXECIO * DISKR SRC DATA A (FINIS STEM LINE.'
say 'READ' line.0 'LINES'
do i = 1 to line.0
  out.i = translate(line.i)
end
out.0 = line.0
'EXECIO' out.0 'DISKW DST DATA A1 (FINIS STEM OUT.'
say 'WRITE RC' rc
""",
    )
    Disk.open(s.disks[0x191]).write_file("SRC", "DATA", [b"\x81\x82\x83", b"\x84"], "V")
    await run_session(s)
    assert "READ 2 LINES" in s.lines and "WRITE RC 0" in s.lines
    assert [from_ebcdic(r) for r in Disk.open(s.disks[0x191]).read_file("DST", "DATA")] == [
        "ABC",
        "D",
    ]


async def test_queued_lines_become_the_next_commands_and_pull_reads_the_terminal():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC ASK", "typed answer"],
        ask="""
/* */
pull answer
say 'GOT' answer
queue 'QUERY CMSLEVEL'
""",
    )
    await run_session(s)
    assert "GOT TYPED ANSWER" in s.lines
    assert "VM370 CMS Level 1, Service Level 000" in s.lines


async def test_rexx_error_message_and_return_code():
    s = with_execs(["ACCESS (NOPROF", "EXEC BAD"], bad="/* */\nsignal nowhere")
    await run_session(s)
    assert any(x.startswith("DMSREX460E Error 16 running BAD EXEC, line 2") for x in s.lines)
    assert readies(s)[-1] == "Ready(20016)"


async def test_hi_after_an_attention_halts_a_looping_exec():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC SPIN", "HI", "Q CMSLEVEL"], spin="/* */\ndo forever\n  nop\nend"
    )
    polls = iter(range(10**9))
    s.attention_pending = lambda: next(polls) == 3  # ENTER while the EXEC runs
    await run_session(s)
    assert any("Error 4 running SPIN EXEC" in x for x in s.lines)
    assert readies(s)[-1] == "Ready"


async def test_a_cancelled_cms_stops_an_exec_waiting_for_input():
    import asyncio

    from cms.nucleus import CMS
    from cp.pyguest import run_guest

    s = with_execs([], wait="/* */\npull line\nsay 'never'")
    gate = asyncio.Event()

    async def read_line():
        await gate.wait()  # nobody ever answers
        return ""

    s.read_line = read_line
    cms = CMS(s)
    cms.access_standard_disks()
    task = asyncio.ensure_future(run_guest(cms.execute("EXEC WAIT")))
    await asyncio.sleep(0.3)
    task.cancel()
    with __import__("pytest").raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.2)
    assert "never" not in s.lines


async def test_rexx_under_cms_uses_ebcdic_and_diag_08():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC CODES"],
        codes="""
/* */
say 'C1C2'x
say c2x('A')
r = diag(08, 'QUERY TIME')
say 'CP SAID' translate(r, ' ', '15'x)
""",
    )
    s.cp_replies["QUERY"] = (0, ["TIME IS 05:30:00"])
    await run_session(s)
    assert "AB" in s.lines and "C1" in s.lines
    assert "CP SAID TIME IS 05:30:00" in [x.rstrip() for x in s.lines]


async def test_execs_nest_deeper_than_a_thread_pool():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC DEEP 40"],
        deep="""
/* */
arg n
if n > 0 then 'EXEC DEEP' n - 1
else say 'BOTTOM REACHED'
""",
    )
    await run_session(s)
    assert "BOTTOM REACHED" in s.lines


async def test_execio_cp_captures_the_response_instead_of_showing_it():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC CPQ"],
        cpq="""
/* */
'EXECIO * CP (STEM T. STRING QUERY NAMES'
say 'RC' rc 'LINES' t.0 'FIRST' t.1
queue 'QUERY NAMES'
'EXECIO 1 CP (VAR ONE'
say 'ONE' one
'EXECIO * CP (STRING NOSUCH'
say 'BAD' rc
""",
    )
    s.cp_replies["QUERY"] = (0, ["ALICE - L001", "BOB - DSC"])
    await run_session(s)
    assert "RC 0 LINES 2 FIRST ALICE - L001" in s.lines
    assert "ONE ALICE - L001" in s.lines
    assert "BAD 1" in s.lines
    # captured, not shown
    assert "BOB - DSC" not in s.lines and not any("DMKCFM001E" in x for x in s.lines)


async def test_execio_writing_no_lines_creates_no_file():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC ZERO", "STATE NONE DATA A"],
        zero="""
/* */
'EXECIO 0 DISKW NONE DATA A1 (FINIS'
say 'RC' rc
""",
    )
    await run_session(s)
    assert "RC 0" in s.lines
    assert "DMSSTT002E FILE 'NONE DATA A' NOT FOUND" in s.lines


async def test_stack_commands_listfile_stack_and_cmsflag():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC STK"],
        stk="""
/* */
'MAKEBUF'; say 'MAKEBUF' rc
'LISTFILE * EXEC A (STACK'
'SENTRIES'; say 'SENTRIES' rc
pull fn ft fm .; say 'FIRST' fn ft fm
'DROPBUF'
say 'LEFT' queued()
queue 'A'; queue 'B'; 'DESBUF'; say 'DESBUF' queued()
say 'IMPCP' cmsflag('IMPCP') 'DOS' cmsflag('DOS')
say cmsflag('NOSUCH')
""",
    )
    await run_session(s)
    assert "MAKEBUF 1" in s.lines and "SENTRIES 1" in s.lines
    assert "FIRST STK EXEC A1" in s.lines
    assert "LEFT 0" in s.lines and "DESBUF 0" in s.lines
    assert "IMPCP 1 DOS 0" in s.lines
    assert any("Error 40 running STK EXEC, line 10" in x for x in s.lines)
