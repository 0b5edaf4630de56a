"""``vm370 batch`` learns that a job ended, and its return code, from the
record the batch machine writes (an accounting record, DIAGNOSE X'4C'),
not from the job's printed output, which the job may send elsewhere."""

import json

from vm370.batch import main


def accounting(sysdir):
    lines = (sysdir / "log" / "accounting").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_a_job_that_spools_its_printer_off_still_ends_with_its_return_code(tmp_path, capsys):
    deck = tmp_path / "off.job"
    deck.write_text("/JOB ALICE 101 OFF\nCP SPOOL PRINTER OFF\nTYPE NOSUCH FILE A\n/*\n")
    sysdir = tmp_path / "sys"
    rc = main([str(deck), "--system", str(sysdir), "--timeout", "60"])
    out = capsys.readouterr()
    assert "did not finish" not in out.err
    assert rc == 1  # the job's return code was 28
    assert "JOB 'OFF' ENDED, RETURN CODE 28" in out.out.splitlines()
    [entry] = accounting(sysdir)
    assert entry["userid"] == "CMSBATCH"
    record = entry["data"]
    assert (record["job"], record["userid"], record["account"], record["rc"]) == (
        "OFF",
        "ALICE",
        "101",
        28,
    )
    assert isinstance(record["deck"], int) and isinstance(record["printer"], int)


def test_two_decks_each_get_their_own_end_record(tmp_path, capsys):
    good, bad = tmp_path / "good.job", tmp_path / "bad.job"
    good.write_text("/JOB ALICE 101 GOOD\nQ CMSLEVEL\n/*\n")
    bad.write_text("/JOB BOB 102 BAD\nCP SPOOL PRINTER OFF\nERASE NOSUCH FILE A\n/*\n")
    sysdir = tmp_path / "sys"
    rc = main([str(good), str(bad), "--system", str(sysdir), "--timeout", "60"])
    out = capsys.readouterr().out.splitlines()
    assert rc == 1
    assert "JOB 'GOOD' ENDED, RETURN CODE 0" in out and "JOB 'BAD' ENDED, RETURN CODE 28" in out
    records = [entry["data"] for entry in accounting(sysdir)]
    assert [(r["job"], r["rc"]) for r in records] == [("GOOD", 0), ("BAD", 28)]
    assert records[0]["deck"] != records[1]["deck"]


def test_decks_that_find_the_spool_full_are_refused_with_cps_message(tmp_path, capsys, monkeypatch):
    import errno
    import os

    deck = tmp_path / "q.job"
    deck.write_text("/JOB ALICE 101 Q\nQ CMSLEVEL\n/*\n")
    from cp.spool import Spool

    Spool.for_system(tmp_path / "sys")  # the system directory exists

    def no_space(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", no_space)
    rc = main([str(deck), "--system", str(tmp_path / "sys"), "--timeout", "5"])
    err = capsys.readouterr().err
    assert rc == 2 and "DMKCKS915E SPOOL SPACE FULL" in err and "Traceback" not in err


def test_lines_that_are_not_job_records_are_passed_by():
    from vm370.batch import job_record

    for line in (
        b"[1, 2]",
        b"\xff\xfe",
        b"{}",
        b'"text"',
        b'{"userid": "ALICE", "data": {}}',
        b'{"userid": "CMSBATCH", "data": {"job": "X", "rc": "0"}}',
    ):
        assert job_record(line) is None
    assert job_record(b'{"userid": "CMSBATCH", "data": {"job": "X", "rc": 4, "deck": 7}}') == {
        "job": "X",
        "rc": 4,
        "deck": 7,
    }
