"""Fault injection: each kind of persistent file of a system directory is
damaged in turn.  The system still starts (a damaged USER DIRECT is refused
with CP's directory message, never a traceback), says what it found, and
loses nothing else: everybody else's spool files are whole and deliverable."""

import os

import pytest

from cp.spool import Spool
from cp.spool_cli import punch_deck
from cp.sysdir import minidisk_path
from s390.ebcdic import card
from vm370.boot import make_system
from vm370.lifecycle import CannotStart, RunningSystem, claim_system_dir

BOB_DECKS = {"FIRST": "BOB'S FIRST DECK\nSECOND CARD\n", "OTHER": "BOB'S OTHER DECK\n"}


def prepared(tmp_path):
    """A system directory that ran once: spool files for BOB and ALICE, an
    operator hold, a counter, a message of the day, formatted minidisks."""
    sysdir = tmp_path / "sys"
    system = make_system(sysdir, logon_delay=0.0)
    spool = system.spool
    bob = {
        punch_deck(spool, text.encode(), "BOB", name=name, ftype="DECK").spoolid: text
        for name, text in BOB_DECKS.items()
    }
    alice = punch_deck(spool, b"ALICE'S DECK\n", "ALICE", name="VICTIM", ftype="DECK").spoolid
    spool.set_user_hold("CAROL", True)
    (sysdir / "logmsg").write_text("WELCOME TO THE SYSTEM\n")
    system.shutdown()
    return sysdir, bob, alice


def corrupt(sysdir, alice_spoolid, what):
    files = sysdir / "spool" / "files"
    if what == "spool data":
        path = files / f"{alice_spoolid:04d}.data"
        path.write_bytes(os.urandom(path.stat().st_size))
    elif what == "spool data truncated":
        path = files / f"{alice_spoolid:04d}.data"
        path.write_bytes(path.read_bytes()[:7])
    elif what == "spool meta":
        (files / f"{alice_spoolid:04d}.meta").write_bytes(b'{"spoolid": "one"}')
    elif what == "stray meta":
        (files / "ABCD.meta").write_bytes(os.urandom(40))
    elif what == "NEXTID":
        (sysdir / "spool" / "NEXTID").write_bytes(b"\xff\xfe\x00")
    elif what == "HELD":
        (sysdir / "spool" / "HELD").write_bytes(b"CAROL\n\x80\x81\n")
    elif what == "logmsg":
        (sysdir / "logmsg").write_bytes(b"WELCOME \xc3\x28\n")
    elif what == "minidisk image":
        image = minidisk_path(sysdir, "ALICE", 0x191)
        with open(image, "r+b") as f:
            f.truncate(4096)
    else:
        raise AssertionError(what)


#: what is damaged -> what the system log must then say
REPORTED = {
    "spool data": "DAMAGED; FILE HELD",
    "spool data truncated": "DAMAGED; FILE HELD",
    "spool meta": "ATTRIBUTES DAMAGED",
    "stray meta": "SPOOL FILE ABCD ATTRIBUTES DAMAGED",
    "NEXTID": "SPOOL NEXTID DAMAGED",
    "HELD": "SPOOL HELD FILE DAMAGED",
    "logmsg": "LOGMSG FILE IS NOT TEXT",
    "minidisk image": "MINIDISK ALICE 191 IMAGE WAS 4096 BYTES",
}


def read_all(reader) -> list[bytes]:
    cards = []
    while (image := reader.read_record()) is not None:
        cards.append(image)
    return cards


@pytest.mark.parametrize("what", list(REPORTED))
def test_damage_to_one_file_is_reported_and_loses_nothing_else(tmp_path, capsys, what):
    sysdir, bob, alice = prepared(tmp_path)
    corrupt(sysdir, alice, what)
    running = RunningSystem(sysdir, signals=False)
    system = running.start()
    try:
        if what.startswith("spool data"):
            # found when read: ALICE's reader skips it, it is held, she is told
            vm = system.logon("ALICE", None, noipl=True)
            assert read_all(vm.devices[0x00C]) == []
            assert system.spool.get(alice).hold == "SYS"
        log = (sysdir / "log" / "system.log").read_text()
        assert REPORTED[what] in log
        # everybody else's files: whole, in order, deliverable through the reader
        vm = system.logon("BOB", None, noipl=True)
        assert sorted(f.spoolid for f in system.spool.reader_files("BOB")) == sorted(bob)
        reader = vm.devices[0x00C]
        for spoolid in sorted(bob):
            assert read_all(reader) == [card(line) for line in bob[spoolid].splitlines()]
        assert "CAROL" in system.spool.system_held
        live = set(system.spool.files)
        new = punch_deck(system.spool, b"AFTERWARDS\n", "BOB")  # the spool still works
        assert new.spoolid not in live
    finally:
        running.close()
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, message",
    [
        ("USER A B 1M\n MDISK 191 3370 0 10\n", "DMKDIR752E MDISK STATEMENT INCOMPLETE"),
        ("\xff\xfe garbage\n", "DMKDIR"),
    ],
)
def test_a_damaged_user_directory_is_refused_with_its_message(tmp_path, text, message):
    sysdir, bob, _ = prepared(tmp_path)
    (sysdir / "user.direct").write_bytes(text.encode("latin-1"))
    running = RunningSystem(sysdir, signals=False)
    with pytest.raises(CannotStart) as refused:
        running.start()
    assert running.system is None
    assert any(message in line for line in refused.value.lines)
    assert claim_system_dir(sysdir).close() is None  # the lock was not kept
    # the spool was not touched by the refused start
    spool = Spool.for_system(sysdir, recover=False)
    assert sorted(f.spoolid for f in spool.reader_files("BOB")) == sorted(bob)
