"""What the QA pass found as a user on the real CP + CMS, kept as end-to-end
tests: console spooling, CONT punches, SENDFILE and RECEIVE, unit record
devices that are missing."""

import asyncio

from tests.cms.cmskit import User


def listings(system, userid):
    return sorted(system.spool.printer_dir.glob(f"*-{userid}.listing"))


async def test_spool_console_captures_cp_and_cms_lines_into_a_console_file(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("CP SPOOL CONSOLE START")
    await alice.type("CP QUERY TIME")
    await alice.type("LISTFILE * * S")
    out = await alice.type("CP SPOOL CONSOLE STOP CLOSE")
    assert any(x.startswith("CON FILE") for x in out), out
    await alice.type("CP QUERY TIME")  # after STOP: not in the file
    [listing] = listings(system, "ALICE")
    text = listing.read_text()
    assert "TYPE CON" in text  # the separator page names the type
    body = text.split("\f", 1)[1]
    assert body.count("TIME IS") == 1 and body.count("CONNECT=") == 1
    assert body.count("CMSLIB   MACLIB   S2") == 1
    assert body.count("LISTFILE * * S") == 1  # what was typed for CMS, too


async def test_punch_cont_gathers_several_files_into_one_spool_file(system):
    """CP SPOOL PUNCH CONT ... NOCONT + CLOSE: the bracket that makes one job
    stream of several files (CMS User's Guide, CMS batch)."""
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW ONE DATA A1 (STRING FIRST")
    await alice.type("EXECIO 1 DISKW TWO DATA A1 (STRING SECOND")
    await alice.type("CP SPOOL PUNCH TO * CONT")
    for name in ("ONE", "TWO"):
        out = await alice.type(f"PUNCH {name} DATA A (NOHEADER")
        assert not any(x.startswith("PUN FILE") for x in out)
    await alice.type("CP SPOOL PUNCH NOCONT")
    out = await alice.type("CP CLOSE PUNCH")
    assert any(x.startswith("PUN FILE") and "TO  ALICE" in x for x in out)
    [sf] = system.spool.reader_files("ALICE")
    assert sf.records == 2


async def test_sendfile_options_are_checked_and_notype_is_quiet(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    out = await alice.type("SENDFILE NOTE DATA A BOB (FOO")
    assert "DMSSND003E INVALID OPTION 'FOO'" in out and out[-1].startswith("Ready(00024)")
    assert system.spool.reader_files("BOB") == []
    out = await alice.type("SENDFILE NOTE DATA A BOB (NOTYPE")
    assert not any(x.startswith("File NOTE") for x in out)
    assert len(system.spool.reader_files("BOB")) == 1


async def test_sendfile_puts_the_users_punch_settings_back(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    await alice.type("CP SPOOL PUNCH TO CMSBATCH")
    await alice.type("SENDFILE NOTE DATA A BOB")
    out = await alice.type("CP QUERY VIRTUAL 00D")
    assert any(x.startswith("PUN  00D") and x.endswith("TO CMSBATCH") for x in out), out
    assert len(system.spool.reader_files("BOB")) == 1


async def test_a_receive_that_fails_leaves_the_file_in_the_reader(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    await alice.type("SENDFILE NOTE DATA A ALICE")
    out = await alice.type("RECEIVE")
    assert "DMSRCV024E FILE 'NOTE DATA A' ALREADY EXISTS -- SPECIFY 'REPLACE'" in out
    assert len(system.spool.reader_files("ALICE")) == 1  # still there
    out = await alice.type("RECEIVE (REPLACE")
    assert "File NOTE DATA A1 received from ALICE" in out
    assert system.spool.reader_files("ALICE") == []


async def test_receive_sees_only_the_files_of_the_readers_class(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    await alice.type("SENDFILE NOTE DATA A ALICE")  # class A
    await alice.type("CP SPOOL READER CLASS X")
    out = await alice.type("RECEIVE NEW DATA A")
    assert "DMSRCV1101E NO FILES IN YOUR READER" in out
    await alice.type("CP SPOOL READER CLASS A")
    out = await alice.type("RECEIVE NEW DATA A")
    assert "File NEW DATA A1 received from ALICE" in out


async def test_unit_record_commands_without_their_device_say_so(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    await alice.type("CP DETACH 00E")
    out = await alice.type("PRINT NOTE DATA A")
    assert "DMSPRT008E DEVICE 00E INVALID OR NONEXISTENT" in out
    assert out[-1].startswith("Ready(00100)") and not any("ABEND" in x for x in out)
    await alice.type("CP DETACH 00D")
    for command, module in (
        ("PUNCH NOTE DATA A", "PUN"),
        ("DISK DUMP NOTE DATA A", "DSK"),
        ("SENDFILE NOTE DATA A BOB", "SND"),
    ):
        out = await alice.type(command)
        assert f"DMS{module}008E DEVICE 00D INVALID OR NONEXISTENT" in out, out
    await alice.type("CP DETACH 00C")
    for command in ("RECEIVE", "PEEK", "READCARD X Y", "DISK LOAD"):
        out = await alice.type(command)
        assert any(x.endswith("008E DEVICE 00C INVALID OR NONEXISTENT") for x in out), out


async def test_a_cp_refusal_inside_cms_is_its_message_not_an_abend(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING hi")
    await alice.type("CP DETACH 00E")
    await alice.type("FILEDEF INMOVE DISK NOTE DATA A")
    await alice.type("FILEDEF OUTMOVE PRINTER")
    out = await alice.type("MOVEFILE")
    assert not any("ABEND" in x for x in out), out
    assert any(x.startswith("DMK") and "00E" in x for x in out), out


async def test_logoff_closes_a_spooled_console_and_leaves_no_open_file(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("CP SPOOL CONSOLE START")
    await alice.type("CP QUERY TIME")
    alice.session.enter("LOGOFF")
    for _ in range(200):
        if system.find_user("ALICE") is None:
            break
        await asyncio.sleep(0.01)
    assert system.find_user("ALICE") is None
    assert [f for f in system.spool.files.values() if f.state == "open"] == []
    [listing] = listings(system, "ALICE")
    assert "TIME IS" in listing.read_text()
