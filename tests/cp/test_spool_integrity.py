"""Nothing acknowledged is lost or silently wrong: damaged spool attribute
files are quarantined and reported, the system starts, everybody else's
files stay whole; spoolids are handed out atomically across processes; a
full host disk is CP's SPOOL SPACE FULL, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap

import pytest

from cp.spool import Spool, SpoolError
from s390.ebcdic import card, to_ebcdic
from tests.cp.cpkit import command, logon
from tests.cp.spoolkit import make_system


def cards(*texts):
    return [(0x01, card(t)) for t in texts]


def meta_path(spool, sf):
    return spool.files_dir / f"{sf.spoolid:04d}.meta"


def good_meta(spool, sf) -> dict:
    return json.loads(meta_path(spool, sf).read_text())


#: What testers put into one .meta (name, bytes to write or None to keep, new file name or None).
DAMAGED_META = {
    "empty object": b"{}",
    "a list": b"[1, 2]",
    "random bytes": bytes(range(256)) * 2,
    "not utf-8": b'{"owner": "\xff\xfe"}',
    "truncated json": b'{"spoolid": 1, "own',
    "records not a number": "records=many",
    "spoolid of another file": "spoolid=9",
    "owner not a userid": "owner=../../etc",
    "a boolean copy count": "copies=true",
    "hold unknown": "hold=MAYBE",
    "a file named ABCD.meta": "rename",
}


def damage_meta(spool, sf, how: str) -> None:
    path = meta_path(spool, sf)
    what = DAMAGED_META[how]
    if isinstance(what, bytes):
        path.write_bytes(what)
    elif what == "rename":
        path.rename(path.with_name("ABCD.meta"))
        path.with_suffix(".data").rename(path.with_name("ABCD.data"))
    else:
        key, value = what.split("=")
        attrs = good_meta(spool, sf)
        attrs[key] = {"many": "many", "9": 9, "true": True}.get(value, value)
        path.write_text(json.dumps(attrs))


@pytest.mark.parametrize("how", list(DAMAGED_META))
def test_a_damaged_meta_is_quarantined_and_everybody_elses_files_stay(tmp_path, how):
    spool = Spool(tmp_path)
    bad = spool.add_closed("ALICE", "PUN", cards("ALICE'S"), owner="ALICE")
    good = spool.add_closed("CAROL", "PUN", cards("BOB'S 1", "BOB'S 2"), owner="BOB")
    damage_meta(spool, bad, how)
    again = Spool(tmp_path)  # starts: no exception
    assert [f.spoolid for f in again.reader_files("ALICE")] == []
    [kept] = again.reader_files("BOB")
    assert kept.spoolid == good.spoolid and again.records(kept) == cards("BOB'S 1", "BOB'S 2")
    [line] = [x for x in again.recovery_log if "ATTRIBUTES DAMAGED" in x]
    assert "MOVED TO QUARANTINE" in line
    assert line in (tmp_path / "recovery.log").read_text()
    moved = sorted(p.name for p in (tmp_path / "quarantine").iterdir())
    assert any(name.endswith(".meta") for name in moved)  # kept, never deleted
    assert any(name.endswith(".data") for name in moved)
    assert not list((tmp_path / "files").glob("*.open"))
    assert Spool(tmp_path).recovery_log == []  # reported once


def test_system_starts_and_logons_work_with_a_damaged_meta(tmp_path):
    system = make_system(tmp_path)
    alice_term, alice = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    command(alice, alice_term, "SPOOL PUNCH TO BOB")
    vm.services.punch(0x00D, card("FIRST"))
    command(alice, alice_term, "CLOSE PUNCH")
    vm.services.punch(0x00D, card("SECOND"))
    command(alice, alice_term, "CLOSE PUNCH")
    system.shutdown()
    (tmp_path / "spool" / "files" / "0001.meta").write_bytes(b"{}")
    again = make_system(tmp_path)
    bob_term, _ = logon(again, "BOB")
    shown = bob_term.take()
    assert "FILES: 001 RDR,  NO PRT,  NO PUN" in shown and any(
        x.startswith("LOGON AT") for x in shown
    )
    reader = again.find_user("BOB").devices[0x00C]
    assert [reader.read_record(), reader.read_record()] == [card("SECOND"), None]
    log = (tmp_path / "log" / "system.log").read_text()
    assert "SPOOL FILE 0001 ATTRIBUTES DAMAGED (field spoolid is missing)" in log


@pytest.mark.parametrize("content", [b"ALICE\n\xff\xfeBOB\n", b"ALICE ../x CAROL\n"])
def test_a_damaged_held_file_keeps_its_good_userids(tmp_path, content):
    (tmp_path / "HELD").write_bytes(content)
    spool = Spool(tmp_path)
    assert "ALICE" in spool.system_held and "../x" not in spool.system_held
    assert any("SPOOL HELD FILE DAMAGED" in x for x in spool.recovery_log)
    assert list((tmp_path / "quarantine").iterdir())
    assert Spool(tmp_path).recovery_log == []  # the rewritten file is good


def test_a_logmsg_that_is_not_text_is_quarantined_and_the_system_starts(tmp_path):
    (tmp_path / "logmsg").write_bytes(b"WELCOME \xff\xfe\n")
    system = make_system(tmp_path)
    assert system.logmsg == []
    term, _ = logon(system, "ALICE")
    assert any(x.startswith("LOGON AT") for x in term.take())
    assert "LOGMSG FILE IS NOT TEXT" in (tmp_path / "log" / "system.log").read_text()
    assert list((tmp_path / "quarantine").iterdir())


def test_a_damaged_nextid_is_reported_and_ids_stay_unique(tmp_path):
    spool = Spool(tmp_path)
    first = spool.add_closed("A", "PUN", cards("1"), owner="B")
    (tmp_path / "NEXTID").write_bytes(b"\x00\xffgarbage")
    again = Spool(tmp_path)
    second = again.add_closed("A", "PUN", cards("2"), owner="B")
    assert second.spoolid != first.spoolid
    assert any("SPOOL NEXTID DAMAGED" in x for x in again.recovery_log)


# -- several processes, one spool ------------------------------------------------------

PUNCHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cp.spool_cli import punch_main
    sysdir, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for n in range(count):
        deck = Path(sysdir).parent / f"{who}-{n}.deck"
        deck.write_text(f"{who} DECK {n}\\n")
        rc = punch_main([str(deck), "--to", "BOB", "--system", sysdir])
        if rc != 0:
            sys.exit(rc)
""")


def test_outside_punches_racing_a_running_system_never_collide(tmp_path):
    sysdir = tmp_path / "sys"
    sysdir.mkdir()
    system = make_system(sysdir)
    alice_term, alice = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    command(alice, alice_term, "SPOOL PUNCH TO BOB")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PUNCHER, str(sysdir), f"P{i}", "8"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=os.getcwd(),
        )
        for i in range(4)
    ]
    own_punches = own_prints = 0
    while any(p.poll() is None for p in procs) or own_punches < 8:
        vm.services.punch(0x00D, card(f"ALICE DECK {own_punches}"))
        assert command(alice, alice_term, "CLOSE PUNCH")[0].startswith("PUN FILE")
        own_punches += 1
        vm.services.print_line(0x00E, to_ebcdic(f"LISTING {own_prints}"))
        assert command(alice, alice_term, "CLOSE PRINTER")[0].startswith("PRT FILE")
        own_prints += 1
    results = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
    outside = [int(line.split()[2]) for out, _ in results for line in out.splitlines()]
    assert len(outside) == 32 and len(set(outside)) == 32
    files = system.spool.reader_files("BOB")
    assert len(files) == 32 + own_punches == len({f.spoolid for f in files})
    texts = sorted(system.spool.records(f)[0][1] for f in files)
    wanted = sorted(
        [card(f"P{i} DECK {n}") for i in range(4) for n in range(8)]
        + [card(f"ALICE DECK {n}") for n in range(own_punches)]
    )
    assert texts == wanted
    assert len(system.spool.listings()) == own_prints
    assert not list(system.spool.files_dir.glob("*.open"))
    assert not list(system.spool.files_dir.glob("*.tmp"))


def test_recovery_leaves_a_file_another_process_is_writing_alone(tmp_path):
    writer = Spool(tmp_path, recover=False)  # vm370 punch, say
    sf = writer.open_file("ALICE", "PUN")
    writer.add_record(sf, 1, card("STILL BEING WRITTEN"))
    starting = Spool(tmp_path)  # the system starts meanwhile
    assert starting.recovery_log == []
    writer.close_file(sf, "RDR", "BOB")
    starting.rescan()
    assert starting.records(starting.get(sf.spoolid)) == [(1, card("STILL BEING WRITTEN"))]
    assert starting.open_file("X", "PUN").spoolid != sf.spoolid


# -- a full host disk --------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch):
    """Every os.write fails with ENOSPC while ``state["full"]``."""
    state = {"full": True}
    real_write = os.write

    def write(fd, data):
        if state["full"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    return state


def test_close_on_a_full_disk_is_spool_space_full_and_the_file_stays_open(tmp_path, full_disk):
    full_disk["full"] = False
    system = make_system(tmp_path)
    alice_term, alice = logon(system, "ALICE")
    vm = system.find_user("ALICE")
    command(alice, alice_term, "SPOOL PUNCH TO BOB")
    vm.services.punch(0x00D, card("KEEP ME"))
    full_disk["full"] = True
    assert command(alice, alice_term, "CLOSE PUNCH") == ["DMKCKS915E SPOOL SPACE FULL"]
    assert system.spool.reader_files("BOB") == []
    assert (
        not list(system.spool.files_dir.glob("*.data"))
        + list(system.spool.files_dir.glob("*.meta"))
        + list(system.spool.files_dir.glob("*.tmp"))
    )
    full_disk["full"] = False
    assert command(alice, alice_term, "CLOSE PUNCH")[0].startswith("PUN FILE")
    [sf] = system.spool.reader_files("BOB")
    assert [data for _, data in system.spool.records(sf)] == [card("KEEP ME")]
    log = (tmp_path / "log" / "system.log").read_text()
    assert "SPOOL: DMKCKS915E SPOOL SPACE FULL" in log


def test_a_new_spool_file_on_a_full_disk_is_refused_as_cp_refuses_it(tmp_path, full_disk):
    full_disk["full"] = False
    spool = Spool(tmp_path)
    full_disk["full"] = True
    with pytest.raises(SpoolError, match="DMKCKS915E SPOOL SPACE FULL"):
        spool.open_file("ALICE", "PRT")
    with pytest.raises(SpoolError, match="DMKCKS915E SPOOL SPACE FULL"):
        spool.add_closed("SYSTEM", "PUN", cards("X"), owner="BOB")
    full_disk["full"] = False
    assert not list(spool.files_dir.iterdir())  # no orphan .open or .tmp
    assert spool.add_closed("SYSTEM", "PUN", cards("X"), owner="BOB").records == 1


def test_the_system_log_keeps_lines_a_full_disk_held_back(tmp_path, monkeypatch):
    system = make_system(tmp_path)
    real_open = open

    def failing_open(path, *args, **kwargs):
        if str(path).endswith("system.log"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    system.log("SPOOL: WRITTEN WHILE FULL")
    monkeypatch.setattr("builtins.open", real_open)
    system.log("AFTER")
    lines = (tmp_path / "log" / "system.log").read_text().splitlines()
    assert [x.split(" ", 2)[2] for x in lines[-2:]] == ["SPOOL: WRITTEN WHILE FULL", "AFTER"]


def test_a_tool_beside_the_system_leaves_repairs_to_the_system(tmp_path):
    spool = Spool(tmp_path)
    bad = spool.add_closed("ALICE", "PUN", cards("A"), owner="ALICE")
    meta_path(spool, bad).write_bytes(b"[]")
    tool = Spool(tmp_path, recover=False)  # vm370 punch, vm370 batch
    assert tool.reader_files("ALICE") == [] and not (tmp_path / "quarantine").exists()
    assert tool.add_closed("SYSTEM", "PUN", cards("B"), owner="BOB").spoolid != bad.spoolid
    system_spool = Spool(tmp_path)
    assert any("ATTRIBUTES DAMAGED" in x for x in system_spool.recovery_log)
    assert list((tmp_path / "quarantine").iterdir())


def test_damaged_data_is_found_and_held_when_the_system_starts(tmp_path):
    spool = Spool(tmp_path)
    bad = spool.add_closed("ALICE", "PUN", cards("A", "B"), owner="ALICE")
    good = spool.add_closed("CAROL", "PUN", cards("C"), owner="BOB")
    data = spool.files_dir / f"{bad.spoolid:04d}.data"
    data.write_bytes(data.read_bytes()[:-5])
    again = Spool(tmp_path)
    assert again.get(bad.spoolid).hold == "SYS"
    assert any(f"SPOOL FILE {bad.spoolid:04d} DAMAGED; FILE HELD" in x for x in again.recovery_log)
    assert again.records(again.get(good.spoolid)) == cards("C")
    assert data.exists()  # held for the operator, not deleted


DIES_WHILE_CLOSING = textwrap.dedent("""
    import os, sys
    from cp.spool import Spool
    from s390.ebcdic import card
    spool = Spool(sys.argv[1], recover=False)
    sf = spool.open_file("SYSTEM", "PUN")
    print(sf.spoolid, flush=True)
    os._exit(9)                                    # killed before its CLOSE
""")


def test_a_running_system_clears_what_a_dead_outside_punch_left(tmp_path):
    spool = Spool(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", DIES_WHILE_CLOSING, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=os.getcwd(),
        check=False,
    )
    spoolid = int(done.stdout)
    assert (spool.files_dir / f"{spoolid:04d}.open").exists()
    mine = spool.open_file("ALICE", "PRT")  # our own open file stays open
    lines = spool.sweep_orphans(every=0)
    assert lines == [f"SPOOL FILE {spoolid:04d} OPEN AT SYSTEM FAILURE, DISCARDED"]
    assert not (spool.files_dir / f"{spoolid:04d}.open").exists()
    assert (spool.files_dir / f"{mine.spoolid:04d}.open").exists()
    assert lines[0] in (tmp_path / "recovery.log").read_text()
    spool.add_record(mine, 9, b"STILL MINE")
    spool.close_file(mine, "RDR", "BOB")
    assert spool.records(spool.get(mine.spoolid)) == [(9, b"STILL MINE")]
