"""EXEC 1 files (no REXX comment on the first line) on fake services."""

from tests.cms.cmskit import readies, with_execs
from tests.cms.fakes import run_session


async def test_control_type_variables_arithmetic_and_exit():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC COUNT 3 APPLES"],
        count="""
&CONTROL OFF
* count up to the first argument
&N = 0
-LOOP &N = &N + 1
&TYPE ITEM &N OF &1 &2
&IF &N LT &1 &GOTO -LOOP
&TYPE ARGS &INDEX NAME &0
&EXIT &N
""",
    )
    await run_session(s)
    assert [x for x in s.lines if x.startswith("ITEM")] == [
        "ITEM 1 OF 3 APPLES",
        "ITEM 2 OF 3 APPLES",
        "ITEM 3 OF 3 APPLES",
    ]
    assert "ARGS 2 NAME COUNT" in s.lines
    assert readies(s)[-1] == "Ready(00003)"


async def test_commands_retcode_error_action_and_control_cms():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC CMDS"],
        cmds="""
&ERROR &TYPE FAILED WITH &RETCODE
STATE NOSUCH FILE A
&TYPE RC WAS &RETCODE
&CONTROL OFF
STATE NOSUCH FILE A
""",
    )
    await run_session(s)
    assert "STATE NOSUCH FILE A" in s.lines  # &CONTROL CMS shows the command
    assert "FAILED WITH 28" in s.lines and "RC WAS 28" in s.lines
    assert s.lines.count("STATE NOSUCH FILE A") == 1  # not shown under &CONTROL OFF


async def test_loop_stack_begtype_functions_and_read():
    s = with_execs(
        ["ACCESS (NOPROF", "EXEC MISC", "typed words here"],
        misc="""
&CONTROL OFF
&LOOP 1 3
&TYPE LOOPING
&BEGTYPE
Literal text, & not substituted
&END
&S = &SUBSTR ABCDEF 2 3
&L = &LENGTH ABCDEF
&C = &CONCAT X Y Z
&TYPE &S &L &C
&READ VARS &A &B
&TYPE READ &A &B
&STACK QUERY CMSLEVEL
""",
    )
    await run_session(s)
    assert s.lines.count("LOOPING") == 3
    assert "Literal text, & not substituted" in s.lines
    assert "BCD 6 XYZ" in s.lines
    assert "READ TYPED WORDS" in s.lines
    assert "VM370 CMS Level 1, Service Level 000" in s.lines  # the stacked line ran


async def test_errors_end_the_exec_with_dmsext072e():
    s = with_execs(["ACCESS (NOPROF", "EXEC BAD"], bad="&GOTO -NOWHERE")
    await run_session(s)
    assert "DMSEXT072E ERROR IN EXEC FILE BAD, LINE 1 - LABEL '-NOWHERE' NOT FOUND" in s.lines
    assert readies(s)[-1] == "Ready(00803)"


async def test_listfile_exec_then_cms_exec_acts_on_every_file():
    from cms.fs import Disk
    from s390.ebcdic import card

    s = with_execs(
        ["ACCESS (NOPROF", "LISTFILE * DATA A (EXEC", "EXEC CMS ERASE", "LISTFILE * DATA A"]
    )
    disk = Disk.open(s.disks[0x191])
    for name in ("ONE", "TWO"):
        disk.write_file(name, "DATA", [card(name)])
    await run_session(s)
    assert "ERASE ONE DATA A1" in s.lines and "ERASE TWO DATA A1" in s.lines
    assert "DMSLST002E FILE NOT FOUND" in s.lines
