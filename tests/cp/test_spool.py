"""The spool store: spoolids, persistence across restarts and kill -9, the system queues."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from cp.spool import MAX_SPOOLID, NOHOLD, USER_HOLD, Spool, SpoolError, SpoolFile
from s390.ebcdic import card, to_ebcdic


def cards(*texts):
    return [(0x01, card(t)) for t in texts]


def test_spoolids_count_up_and_files_get_their_attributes(tmp_path):
    spool = Spool(tmp_path)
    a = spool.add_closed(
        "ALICE", "PUN", cards("ONE", "TWO"), owner="BOB", cls="B", name="PROFILE", ftype="EXEC"
    )
    b = spool.add_closed("ALICE", "PRT", [(0x09, to_ebcdic("X"))], owner="BOB")
    assert (a.spoolid, b.spoolid) == (1, 2)
    assert (a.owner, a.origin, a.type, a.cls, a.records, a.copies, a.hold) == (
        "BOB",
        "ALICE",
        "PUN",
        "B",
        2,
        1,
        NOHOLD,
    )
    assert [f.spoolid for f in spool.reader_files("BOB")] == [1, 2]


def test_closed_files_survive_a_restart_with_attributes_and_records(tmp_path):
    spool = Spool(tmp_path)
    sf = spool.add_closed("ALICE", "PUN", cards("KEEP ME"), owner="BOB", name="DATA", ftype="FILE")
    spool.update(sf, hold=USER_HOLD, cls="Q")
    again = Spool(tmp_path)
    got = again.get(sf.spoolid)
    assert (got.owner, got.name, got.ftype, got.hold, got.cls, got.records) == (
        "BOB",
        "DATA",
        "FILE",
        USER_HOLD,
        "Q",
        1,
    )
    assert again.records(got) == cards("KEEP ME")
    assert again.recovery_log == []


def test_an_open_file_at_a_crash_is_discarded_and_reported(tmp_path):
    spool = Spool(tmp_path)
    sf = spool.open_file("ALICE", "PRT")
    spool.add_record(sf, 0x09, b"never closed")
    again = Spool(tmp_path)  # the process "died" here
    assert again.get(sf.spoolid) is None
    assert again.recovery_log == [f"SPOOL FILE {sf.spoolid:04d} OPEN AT SYSTEM FAILURE, DISCARDED"]
    assert again.recovery_log[0] in (tmp_path / "recovery.log").read_text()
    assert not list((tmp_path / "files").glob("*.open"))


def test_data_without_attributes_is_a_half_close_and_is_discarded(tmp_path):
    spool = Spool(tmp_path)
    sf = spool.add_closed("ALICE", "PUN", cards("A"), owner="BOB")
    (tmp_path / "files" / f"{sf.spoolid:04d}.meta").unlink()
    again = Spool(tmp_path)
    assert again.get(sf.spoolid) is None
    assert "NOT CLOSED AT SYSTEM FAILURE" in again.recovery_log[0]


def test_spoolids_wrap_after_9999_and_skip_live_files(tmp_path):
    spool = Spool(tmp_path)
    first = spool.add_closed("A", "PUN", cards("1"), owner="B")  # id 1 stays live
    (tmp_path / "NEXTID").write_text(f"{MAX_SPOOLID}\n")
    last = spool.add_closed("A", "PUN", cards("2"), owner="B")
    wrapped = spool.add_closed("A", "PUN", cards("3"), owner="B")
    assert (first.spoolid, last.spoolid, wrapped.spoolid) == (1, 9999, 2)


def test_two_spool_processes_never_hand_out_the_same_id(tmp_path):
    one, two = Spool(tmp_path), Spool(tmp_path, recover=False)
    ids = {
        one.open_file("A", "PUN").spoolid,
        two.open_file("B", "PUN").spoolid,
        one.open_file("A", "PUN").spoolid,
    }
    assert len(ids) == 3


def test_full_spool_is_refused_with_a_message(tmp_path):
    spool = Spool(tmp_path)
    for spoolid in range(1, MAX_SPOOLID + 1):  # every spoolid belongs to a live file
        spool.files[spoolid] = SpoolFile(spoolid, "A", "A", "PUN", state="closed")
    with pytest.raises(SpoolError, match="SPOOL SPACE FULL"):
        spool.open_file("A", "PUN")
    spool.purge(spool.files[4711])
    assert spool.open_file("A", "PUN").spoolid == 4711


def test_files_from_another_process_appear_on_rescan(tmp_path):
    running = Spool(tmp_path)
    Spool(tmp_path, recover=False).add_closed("OPERATOR", "PUN", cards("X"), owner="BOB")
    assert [f.origin for f in running.reader_files("BOB")] == ["OPERATOR"]


def test_order_puts_files_first_in_the_given_order(tmp_path):
    spool = Spool(tmp_path)
    a, b, c = (spool.add_closed("A", "PUN", cards(t), owner="BOB") for t in "ABC")
    spool.order([c, b])
    assert [f.spoolid for f in Spool(tmp_path).reader_files("BOB")] == [
        c.spoolid,
        b.spoolid,
        a.spoolid,
    ]


def test_printer_file_to_the_system_queue_becomes_a_listing(tmp_path):
    spool = Spool(tmp_path)
    records = [
        (0x8B, b""),
        (0x09, to_ebcdic("HEADING")),
        (0x89, to_ebcdic("END OF PAGE")),
        (0x09, to_ebcdic("PAGE TWO")),
    ]
    sf = spool.add_closed(
        "ALICE", "PRT", records, owner="ALICE", queue="PRT", name="REPORT", ftype="LISTING"
    )
    assert spool.get(sf.spoolid) is None  # printed: gone from the queue
    [listing] = spool.listings()
    pages = listing.read_text().split("\f")
    assert "USERID ALICE" in pages[0] and f"SPOOLID {sf.spoolid:04d}" in pages[0]
    assert "FILE REPORT   LISTING" in pages[0]
    assert pages[1].splitlines() == ["HEADING", "END OF PAGE"]
    assert pages[2].splitlines() == ["PAGE TWO"]


def test_held_printer_file_waits_in_the_queue_until_released(tmp_path):
    spool = Spool(tmp_path)
    sf = spool.open_file("ALICE", "PRT", hold=USER_HOLD)
    spool.add_record(sf, 0x09, to_ebcdic("LATER"))
    spool.close_file(sf, "PRT", "ALICE")
    assert spool.listings() == [] and [f.spoolid for f in spool.queue("PRT", "ALICE")] == [
        sf.spoolid
    ]
    spool.update(sf, hold=NOHOLD)
    spool.release(sf)
    assert len(spool.listings()) == 1 and spool.queue("PRT") == []


def test_punch_file_to_the_system_queue_is_kept_as_card_images(tmp_path):
    spool = Spool(tmp_path)
    spool.add_closed("ALICE", "PUN", cards("C1", "C2"), owner="ALICE", queue="PUN", copies=2)
    [punched] = spool.punched()
    data = punched.read_bytes()
    assert len(data) == 4 * 80 and data[:80] == card("C1") and data[160:240] == card("C1")


CLOSER = textwrap.dedent("""
    import sys
    from cp.spool import Spool
    from s390.ebcdic import card
    spool = Spool(sys.argv[1])
    n = 0
    while True:
        sf = spool.open_file("WRITER", "PUN")
        for i in range(20):
            spool.add_record(sf, 1, card(f"FILE {n} CARD {i}"))
        spool.close_file(sf, "RDR", "READER")
        print(sf.spoolid, n, flush=True)          # reported closed
        n += 1
        spool.add_record(spool.open_file("WRITER", "PRT"), 9, b"open at the kill")
""")


def test_kill_9_while_writing_loses_no_closed_file(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", CLOSER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    closed = {}
    for line in proc.stdout:
        spoolid, n = map(int, line.split())
        closed[spoolid] = n
        if len(closed) == 25:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    spool = Spool(tmp_path)
    for spoolid, n in closed.items():
        sf = spool.get(spoolid)
        assert sf is not None and sf.records == 20
        assert spool.records(sf) == [(1, card(f"FILE {n} CARD {i}")) for i in range(20)]
    # whatever else is there is whole: every file has its 20 cards, no open file survives
    for sf in spool.reader_files("READER"):
        assert len(spool.records(sf)) == 20
    assert not list((tmp_path / "files").glob("*.open"))
    assert spool.queue("PRT") == []


def test_operator_hold_of_a_user_outlives_a_restart(tmp_path):
    Spool(tmp_path).set_user_hold("ALICE", True)
    spool = Spool(tmp_path)
    sf = spool.add_closed("ALICE", "PRT", [(0x09, to_ebcdic("X"))], owner="ALICE", queue="PRT")
    assert spool.get(sf.spoolid).hold == "SYS" and spool.listings() == []
    spool.set_user_hold("ALICE", False)
    assert Spool(tmp_path).system_held == set()
