"""CMS end to end on the real CP: users log on from line terminals, CMS is
IPLed by the directory, and commands are typed the way users type them."""

import asyncio

from tests.cms.cmskit import User, ready_code


async def test_files_created_copied_renamed_erased(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("FORMAT 193 C", until="ENTER 'YES'")
    out = await alice.type("YES", until="DMSFOR605R")
    assert out[-1] == "DMSFOR605R ENTER DISK LABEL:"
    await alice.type("ALI193")
    out = await alice.type("EDIT NOTE TEXT A", until="EDIT:")
    assert out[-2:] == ["NEW FILE:", "EDIT:"]
    await alice.send("CASE M")
    await alice.send("INPUT Hello from Alice")
    await alice.type("FILE")
    out = await alice.type("COPYFILE NOTE TEXT A = COPY =")
    assert ready_code(out) == "Ready"
    await alice.type("RENAME NOTE COPY A NOTE SAVED A")
    out = await alice.type("LISTFILE NOTE * A")
    assert "NOTE     SAVED    A1" in out and "NOTE     TEXT     A1" in out
    out = await alice.type("ERASE NOTE TEXT A")
    out = await alice.type("TYPE NOTE TEXT A")
    assert "DMSTYP002E FILE 'NOTE TEXT A' NOT FOUND" in out
    assert ready_code(out) == "Ready(00028)"
    out = await alice.type("TYPE NOTE SAVED")
    assert "Hello from Alice" in out


async def test_assemble_load_start_with_wrterm_fsread_fswrite(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    for n in range(3):
        await alice.type(f"EXECIO 1 DISKW INPUT DATA A1 0 F 80 (STRING LINE {n}")
    out = await alice.type("ASSEMBLE COPYREC")
    assert "NO STATEMENTS FLAGGED IN THIS ASSEMBLY" in out
    out = await alice.type("LOAD COPYREC (START")
    assert "COPIED 3 RECORDS." in out
    out = await alice.type("TYPE OUTPUT DATA A")
    assert ["LINE 0", "LINE 1", "LINE 2"] == [x for x in out if x.startswith("LINE")]
    await alice.type("GENMOD COPYREC")
    out = await alice.type("COPYREC")
    assert "COPIED 3 RECORDS." in out


async def test_sendfile_to_another_user_who_receives_it(system):
    alice = User(system, "ALICE", "ALICE")
    bob = User(system, "BOB", "BOB")
    await alice.cms()
    await bob.cms()
    await alice.type("EXECIO 1 DISKW LETTER TEXT A1 (STRING Dear Bob")
    out = await alice.type("SENDFILE LETTER TEXT A TO BOB")
    assert any(x.startswith("File LETTER TEXT A1 sent to BOB") for x in out)
    out = await bob.type("PEEK")
    assert "Dear Bob" in out and any(x.startswith("SPOOLID") and "FROM ALICE" in x for x in out)
    out = await bob.type("RECEIVE")
    assert "File LETTER TEXT A1 received from ALICE" in out
    out = await bob.type("TYPE LETTER TEXT A")
    assert "Dear Bob" in out


async def test_second_user_links_a_disk_read_only_and_reads_files(system):
    alice = User(system, "ALICE", "ALICE")
    bob = User(system, "BOB", "BOB")
    await alice.cms()
    await bob.cms()
    await alice.type("EXECIO 1 DISKW SHARED DATA A1 (STRING shared by Alice")
    out = await bob.type("CP LINK ALICE 191 291 RR")
    out = await bob.type("ACCESS 291 D")
    assert "DMSACC723I D (291) R/O" in out
    out = await bob.type("TYPE SHARED DATA D")
    assert "shared by Alice" in out
    out = await bob.type("COPYFILE SHARED DATA D = = D (REPLACE")
    assert "DMSCPY037E DISK 'D' IS READ/ONLY" in out
    assert ready_code(out) == "Ready(00036)"
    out = await bob.type("ERASE SHARED DATA D")
    assert ready_code(out) == "Ready(00036)"


async def test_disk_full_on_a_small_disk(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("FORMAT 193 C", until="ENTER 'YES'")
    await alice.type("YES", until="DMSFOR605R")
    await alice.type("SMALL")
    for n in range(10):
        await alice.type(f"EXECIO 1 DISKW BIG DATA A1 (STRING {'X' * 70} {n}")
    for _ in range(4):  # 160 records, about 12 KB: more than 24 blocks
        await alice.type("COPYFILE BIG DATA A = = = (APPEND")
    out = await alice.type("COPYFILE BIG DATA A = = C")
    assert "DMSCPY105S ERROR 13 WRITING FILE 'BIG DATA C' ON DISK" in out
    assert ready_code(out) == "Ready(00013)"
    out = await alice.type("LISTFILE * * C")
    assert "DMSLST002E FILE NOT FOUND" in out  # nothing half-written


async def test_runaway_program_stopped_with_hx(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    for line in (
        "LOOP     CSECT",
        "         BALR  12,0",
        "         USING *,12",
        "AGAIN    B     AGAIN",
        "         END   LOOP",
    ):
        await alice.type(f"EXECIO 1 DISKW LOOP ASSEMBLE A1 (STRING {line}")
    await alice.type("ASSEMBLE LOOP")
    start = len(alice.terminal.lines)
    alice.session.enter("LOAD LOOP (START")
    await alice.wait(start, "DMSLIO740I")
    await asyncio.sleep(0.2)
    alice.session.enter("")  # attention while RUNNING
    out = await alice.type("HX", until="CMS")
    assert out[-1] == "CMS"
    out = await alice.type("QUERY CMSLEVEL")
    assert ready_code(out) == "Ready"


async def test_a_user_submits_a_batch_job_from_cms_and_gets_its_output(system):
    system.logon("CMSBATCH", None)  # the batch machine, disconnected
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    for line in ("/JOB ALICE 101 FROMCMS", "Q CMSLEVEL", "/*"):
        await alice.type(f"EXECIO 1 DISKW MYJOB JCL A1 0 F 80 (STRING {line}")
    await alice.type("CP SPOOL PUNCH TO CMSBATCH")
    start = len(alice.terminal.lines)
    await alice.type("PUNCH MYJOB JCL A (NOHEADER")
    for _ in range(400):
        if any("JOB 'FROMCMS' ENDED" in x for x in alice.terminal.lines[start:]):
            break
        await asyncio.sleep(0.05)
    messages = [x for x in alice.terminal.lines[start:] if "CMSBATCH" in x]
    assert any("JOB 'FROMCMS' STARTED" in x for x in messages)
    assert any("JOB 'FROMCMS' ENDED" in x for x in messages)
    await asyncio.sleep(0.2)
    out = await alice.type("PEEK")
    assert "VM370 CMS Level 1, Service Level 000" in out
    assert "JOB 'FROMCMS' ENDED, RETURN CODE 0" in out


async def test_a_null_first_line_runs_the_profile_and_cms_says_ready(system):
    """IPL CMS, then ENTER: PROFILE EXEC runs and CMS types its ready
    message (z/VM and VM/370 CE); a null line at a later VM READ is ignored."""
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW PROFILE EXEC A1 0 V 80 (STRING /* */ say 'PROFILE RAN'")
    out = await alice.type("CP IPL CMS", until="VM/370 CMS")
    start = len(alice.terminal.lines)
    alice.session.enter("")
    out = await alice.wait(start, "Ready")
    assert out[0] == "PROFILE RAN" and out[-1].startswith("Ready;")
    start = len(alice.terminal.lines)
    alice.session.enter("")
    await asyncio.sleep(0.2)
    assert alice.terminal.lines[start:] == []
    out = await alice.type("QUERY CMSLEVEL")
    assert out[-1].startswith("Ready;")
