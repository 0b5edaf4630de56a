"""PEEK and RECEIVE on the real CP: they act on the file they name, and only
on it; a damaged spool file is never delivered, not even as another file."""

import os

import pytest

from tests.cms.cmskit import User


async def sent_to_self(alice, name, lines):
    """SENDFILE a new file NAME DATA A to ALICE; its spoolid."""
    for line in lines:
        await alice.type(f"EXECIO 1 DISKW {name} DATA A1 (STRING {line}")
    await alice.type(f"SENDFILE {name} DATA A ALICE (NOTYPE")
    await alice.type(f"ERASE {name} DATA A")
    return max(f.spoolid for f in alice_files(alice))


def alice_files(alice):
    return alice.session.system.spool.reader_files("ALICE")


def reader_state(system):
    return [(f.spoolid, f.cls, f.hold, f.records) for f in system.spool.reader_files("ALICE")]


async def held_class_c_then_plain(system, alice):
    first = await sent_to_self(alice, "FIRST", ["FIRST FILE LINE"])
    await alice.type(f"CP CHANGE RDR {first} CLASS C HOLD")
    second = await sent_to_self(alice, "SECOND", ["SECOND FILE LINE"])
    return first, second


async def test_peek_shows_the_next_file_whole_and_leaves_every_file_alone(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    first, second = await held_class_c_then_plain(system, alice)
    before = reader_state(system)
    out = await alice.type("PEEK")
    # The held file is not the next one: PEEK shows the second, its header and its data.
    [header] = [x for x in out if x.startswith("SPOOLID")]
    assert header.startswith(f"SPOOLID {second:04d} FROM ALICE")
    assert "SECOND FILE LINE" in out and "FIRST FILE LINE" not in out
    assert reader_state(system) == before
    out = await alice.type(f"PEEK {first}")  # a held file, named
    assert f"SPOOLID {first:04d} FROM ALICE" in out[1] or any(
        x.startswith(f"SPOOLID {first:04d}") for x in out
    )
    assert "FIRST FILE LINE" in out and "SECOND FILE LINE" not in out
    assert reader_state(system) == before
    out = await alice.type("RECEIVE")  # still whole afterwards
    assert "File SECOND DATA A1 received from ALICE" in out
    out = await alice.type("TYPE SECOND DATA A")
    assert "SECOND FILE LINE" in out


async def test_receive_by_spoolid_takes_that_file_even_behind_a_held_one(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    first, second = await held_class_c_then_plain(system, alice)
    out = await alice.type(f"RECEIVE {first}")
    assert "File FIRST DATA A1 received from ALICE" in out
    out = await alice.type("TYPE FIRST DATA A")
    assert "FIRST FILE LINE" in out and "SECOND FILE LINE" not in out
    assert [f.spoolid for f in alice_files(alice)] == [second]


def damage(path, how):
    data = path.read_bytes()
    if how == "random bytes":
        path.write_bytes(os.urandom(len(data)))
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "one byte changed":
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    else:
        path.unlink()


@pytest.mark.parametrize(
    "how", ["random bytes", "truncated", "empty", "one byte changed", "missing"]
)
async def test_a_damaged_file_is_held_reported_and_never_delivered(system, how):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    bad = await sent_to_self(alice, "BAD", ["THE DAMAGED ONE"])
    good = await sent_to_self(alice, "GOOD", ["THE GOOD ONE"])
    damage(system.spool.files_dir / f"{bad:04d}.data", how)
    out = await alice.type("RECEIVE")
    assert f"DMKRSP421E SPOOL FILE {bad:04d} DAMAGED; FILE HELD" in out, out
    assert not any("received" in x for x in out)
    assert out[-1].startswith("Ready(00421)")
    spool = system.spool
    assert spool.get(bad).hold == "SYS" and spool.get(good).hold == "NONE"
    log = (system.path / "log" / "system.log").read_text()
    assert f"SPOOL FILE {bad:04d} DAMAGED" in log
    out = await alice.type("PEEK")  # the good one, whole
    assert "THE GOOD ONE" in out and "THE DAMAGED ONE" not in out
    out = await alice.type("RECEIVE")
    assert "File GOOD DATA A1 received from ALICE" in out
    out = await alice.type("TYPE GOOD DATA A")
    assert "THE GOOD ONE" in out
    out = await alice.type(f"RECEIVE {bad}")  # named: still refused
    assert f"DMKRSP421E SPOOL FILE {bad:04d} DAMAGED; FILE HELD" in out
    out = await alice.type("LISTFILE BAD DATA A")
    assert "DMSLST002E FILE NOT FOUND" in " ".join(out) or not any(
        "BAD      DATA" in x for x in out
    )
    assert [f.spoolid for f in alice_files(alice)] == [bad]


async def test_the_reader_device_skips_a_damaged_file_and_reads_the_next(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    bad = await sent_to_self(alice, "BAD", ["THE DAMAGED ONE"])
    await sent_to_self(alice, "GOOD", ["THE GOOD ONE"])
    damage(system.spool.files_dir / f"{bad:04d}.data", "truncated")
    out = await alice.type("READCARD NEW DATA A")
    out = await alice.type("TYPE NEW DATA A")
    assert not any("THE DAMAGED ONE" in x for x in out)
    assert system.spool.get(bad).hold == "SYS"


async def test_print_and_punch_on_a_full_host_disk_say_spool_space_full(system, monkeypatch):
    """No OSError abend: CP's SPOOL SPACE FULL, and nothing printed is lost."""
    import errno

    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    await alice.type("EXECIO 1 DISKW NOTE DATA A1 (STRING KEEP THIS LINE")
    real_write = os.write

    def no_space(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", no_space)
    out = await alice.type("PRINT NOTE DATA A")
    assert "DMKCKS915E SPOOL SPACE FULL" in out and not any("ABEND" in x for x in out), out
    assert out[-1].startswith("Ready(00915)")
    monkeypatch.setattr(os, "write", real_write)
    await alice.type("CP SPOOL PUNCH TO ALICE")
    await alice.type("CP SPOOL PUNCH CONT")
    await alice.type("PUNCH NOTE DATA A (NOHEADER")  # open, the cards in it
    monkeypatch.setattr(os, "write", no_space)
    await alice.type("CP SPOOL PUNCH NOCONT")
    out = await alice.type("CP CLOSE PUNCH")
    assert "DMKCKS915E SPOOL SPACE FULL" in out and not any("ABEND" in x for x in out), out
    monkeypatch.setattr(os, "write", real_write)
    out = await alice.type("CP CLOSE PUNCH")  # room again: nothing was lost
    assert any(x.startswith("PUN FILE") for x in out), out
    out = await alice.type("PEEK")
    assert "KEEP THIS LINE" in out
    assert "SPOOL SPACE FULL" in (system.path / "log" / "system.log").read_text()
