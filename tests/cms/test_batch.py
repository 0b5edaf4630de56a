"""The CMS batch facility: job stream parsing, jobs on fake services, and
``vm370 batch`` running the example decks on the real system."""

from pathlib import Path

from cms.batch import Job, run_job, split_jobs
from cms.nucleus import CMS
from s390.ebcdic import from_ebcdic
from tests.cms.fakes import FakeServices

DECKS = Path(__file__).resolve().parents[2] / "decks" / "jobs"


def test_jobs_are_split_at_their_end_cards_and_inline_data_is_kept():
    cards = [
        "junk before the first job",
        "/JOB ALICE 101 FIRST",
        "FILEDEF INMOVE READER",
        "MOVEFILE",
        "DATA 1",
        "/*",
        "TYPE X Y A",
        "/*",
        "/*",
        "/JOB BOB 102",
        "Q DISK",
        "/*",
    ]
    first, second = split_jobs(cards)
    assert (first.userid, first.account, first.name) == ("ALICE", "101", "FIRST")
    assert first.cards == ["FILEDEF INMOVE READER", "MOVEFILE", "DATA 1", "/*", "TYPE X Y A"]
    assert (second.userid, second.name, second.cards) == ("BOB", "102", ["Q DISK"])


def test_movefile_from_a_disk_ddname_does_not_read_the_stream():
    jobs = split_jobs(["/JOB A 1 J", "FILEDEF INMOVE DISK X Y A", "MOVEFILE", "/*"])
    assert len(jobs) == 1 and jobs[0].cards == ["FILEDEF INMOVE DISK X Y A", "MOVEFILE"]


def test_set_cards_check_their_values():
    job = Job("A", "1", "J", [])
    assert job.set(["TIME", "10"]) is None and job.cpu_limit() == 10_000_000
    assert job.set(["PRINT", "99999"]).startswith("/SET PRINT VALUE 99999 EXCEEDS")
    assert job.set(["COLOR", "1"]) == "INVALID /SET OPERAND 'COLOR'"


async def test_a_job_runs_in_a_fresh_cms_and_spools_to_its_user():
    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191)
    job = split_jobs(
        [
            "/JOB ALICE 101 DEMO",
            "/SET PRINT 100",
            "* a comment",
            "FILEDEF INMOVE READER",
            "FILEDEF OUTMOVE DISK IN DATA A",
            "MOVEFILE",
            "HELLO CARD",
            "/*",
            "TYPE IN DATA A",
            "TYPE NOPE DATA A",
            "/*",
        ]
    )[0]
    rc = await run_job(CMS, s, job)
    assert rc == 28
    assert s.cp_log[:3] == [
        "SPOOL PRINTER TO ALICE",
        "SPOOL PUNCH TO ALICE",
        "MSG ALICE JOB 'DEMO' STARTED",
    ]
    assert s.cp_log[-1] == "MSG ALICE JOB 'DEMO' ENDED"
    assert "CLOSE 00E NAME CMSBATCH DEMO" in s.cp_log
    printed = [from_ebcdic(x) for x in s.printed[0]]
    assert "HELLO CARD" in printed
    assert "DMSTYP002E FILE 'NOPE DATA A' NOT FOUND" in printed
    assert printed[-1] == "JOB 'DEMO' ENDED, RETURN CODE 28"


async def test_print_limit_cancels_the_job():
    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191)
    job = split_jobs(
        ["/JOB ALICE 101 LIMIT", "/SET PRINT 3", "Q CMSLEVEL", "Q CMSLEVEL", "Q CMSLEVEL", "/*"]
    )[0]
    rc = await run_job(CMS, s, job)
    assert rc == 12
    printed = [from_ebcdic(x) for x in s.printed[0]]
    assert "JOB CANCELLED: PRINT LIMIT EXCEEDED" in printed


def test_vm370_batch_runs_the_example_decks(tmp_path, capsys):
    from vm370.batch import main

    rc = main(
        [
            str(DECKS / "asmgo.job"),
            str(DECKS / "files.job"),
            str(DECKS / "rexx.job"),
            "--system",
            str(tmp_path),
            "--timeout",
            "60",
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert "5 SQUARED IS 25." in out
    assert "JOB 'ASMGO' ENDED, RETURN CODE 0" in out
    assert "JOB 'FILES' ENDED, RETURN CODE 0" in out
    assert "EARTH    149.6" in out
    assert "25 primes below 100, the last is 97" in out
    assert "JOB 'REXX' ENDED, RETURN CODE 0" in out


def test_vm370_batch_exit_code_when_a_job_fails(tmp_path, capsys):
    from vm370.batch import main

    deck = tmp_path / "bad.job"
    deck.write_text("/JOB ALICE 101 BAD\nTYPE NOSUCH FILE A\n/*\n")
    rc = main([str(deck), "--system", str(tmp_path / "sys"), "--timeout", "60"])
    assert rc == 1
    assert "JOB 'BAD' ENDED, RETURN CODE 28" in capsys.readouterr().out


def test_vm370_batch_rejects_a_deck_without_jobs(tmp_path, capsys):
    from vm370.batch import main

    deck = tmp_path / "empty.job"
    deck.write_text("no jobs here\n")
    assert main([str(deck), "--system", str(tmp_path / "sys")]) == 2
    assert "no /JOB card" in capsys.readouterr().err


async def test_time_limit_ends_a_runaway_program_in_a_job():
    from tests.cms.cmskit import RUNAWAY, system

    s = system()
    s.script.clear()
    job = split_jobs(
        [
            "/JOB ALICE 101 LOOPER",
            "/SET TIME 1",
            "FILEDEF INMOVE READER",
            "FILEDEF OUTMOVE DISK PROG ASSEMBLE A",
            "MOVEFILE",
            *RUNAWAY.strip("\n").splitlines(),
            "/*",
            "ASSEMBLE PROG",
            "LOAD PROG (START",
            "Q CMSLEVEL",
            "/*",
        ]
    )[0]
    rc = await run_job(CMS, s, job)
    printed = [from_ebcdic(x) for x in s.printed[0]]
    assert any(x.startswith("DMSABN155T USER ABEND 0322 CALLED FROM 02") for x in printed)
    assert "VM370 CMS Level 1, Service Level 000" in printed  # the job went on
    assert rc > 0


def test_vm370_batch_refuses_a_job_for_an_unknown_user(tmp_path, capsys):
    from vm370.batch import main

    deck = tmp_path / "who.job"
    deck.write_text("/JOB NOBODY9 1 WHO\nQ DISK\n/*\n")
    assert main([str(deck), "--system", str(tmp_path / "sys")]) == 2
    assert "not in the directory: NOBODY9" in capsys.readouterr().err


async def test_the_batch_machine_flushes_a_job_cp_cannot_spool_for():
    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191)
    s.cp_replies["SPOOL"] = (53, ["DMKCSP053E NOBODY9 NOT IN CP DIRECTORY"])
    rc = await run_job(CMS, s, split_jobs(["/JOB NOBODY9 1 WHO", "Q DISK", "/*"])[0])
    assert rc == 53
    assert "JOB 'WHO' FLUSHED: INVALID USERID 'NOBODY9'" in s.lines


async def test_a_job_may_not_log_the_batch_machine_off_and_its_links_are_detached():
    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191)
    s.cp_replies["LINK"] = (0, [])
    rc = await run_job(
        CMS, s, split_jobs(["/JOB ALICE 1 RUDE", "CP LOGOFF", "CP LINK BOB 191 291 RR", "/*"])[0]
    )
    printed = [from_ebcdic(x) for x in s.printed[0]]
    assert "DMSBTP110E CP LOGOFF IS NOT ALLOWED IN A BATCH JOB" in printed
    assert "LOGOFF" not in s.cp_log
    assert "DETACH 291" in s.cp_log
    assert rc == 1


async def test_the_batch_machine_formats_an_empty_work_disk():
    import asyncio

    from cms.fs import Disk
    from cms.nucleus import ipl_cms

    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191, formatted=False)
    task = asyncio.ensure_future(ipl_cms(s, "BATCH"))
    await asyncio.sleep(0.2)
    task.cancel()
    assert Disk.open(s.disks[0x191]).label.volid == "BATCH"
    assert "CMS BATCH FACILITY READY" in s.lines


async def test_a_command_reading_past_the_end_of_the_job_ends_it_cleanly():
    s = FakeServices(userid="CMSBATCH")
    s.add_disk(0x191)
    s.add_disk(0x192, formatted=False)
    rc = await run_job(CMS, s, split_jobs(["/JOB ALICE 1 SHORT", "FORMAT 192 B", "/*"])[0])
    printed = [from_ebcdic(x) for x in s.printed[0]]
    assert not any("DMSABN" in x for x in printed)
    assert printed[-1] == f"JOB 'SHORT' ENDED, RETURN CODE {rc}"


def test_a_link_password_in_a_job_is_not_in_its_log(tmp_path, capsys):
    """The job log echoes every card; a CP LINK password never (cp.security)."""
    from vm370.batch import main

    deck = tmp_path / "link.job"
    deck.write_text(
        "/JOB BOB 102 LINKJOB\nCP LINK MAINT 190 391 RR SECRETPW\n"
        "LINK MAINT 190 392 RR OTHERPW\n/*\n"
    )
    main([str(deck), "--system", str(tmp_path / "sys"), "--timeout", "60"])
    out = capsys.readouterr().out
    assert "CP LINK MAINT 190 391 RR" in out and "LINK MAINT 190 392 RR" in out
    assert "SECRETPW" not in out and "OTHERPW" not in out
