"""The spool inside a running System: users exchange files with CP commands,
LOGOFF closes open files, SHUTDOWN and a restart keep every closed file."""

from __future__ import annotations

from s390.ebcdic import card, to_ebcdic
from tests.cp.cpkit import command, logon
from tests.cp.spoolkit import make_system


def test_files_move_between_users_and_survive_shutdown_and_restart(tmp_path):
    system = make_system(tmp_path)
    alice_term, alice = logon(system, "ALICE")
    bob_term, bob = logon(system, "BOB")
    alice_vm = system.find_user("ALICE")
    assert command(alice, alice_term, "SPOOL PUNCH TO BOB CLASS B") == []
    for text in ("DECK CARD 1", "DECK CARD 2"):
        alice_vm.services.punch(0x00D, card(text))
    assert command(alice, alice_term, "CLOSE PUNCH NAME MY DECK") == [
        "PUN FILE 0001  TO  BOB      COPY 01 NOHOLD"
    ]
    assert any(line.startswith("RDR FILE 0001 SENT FROM ALICE") for line in bob_term.take())
    assert command(bob, bob_term, "CHANGE RDR 1 HOLD") == ["0001 FILE CHANGED"]
    alice_vm.services.print_line(0x00E, to_ebcdic("OPEN AT LOGOFF"))
    system.logoff(alice_vm)  # LOGOFF closes the open printer file
    [listing] = system.spool.listings()
    assert "OPEN AT LOGOFF" in listing.read_text()
    system.shutdown()

    again = make_system(tmp_path)
    assert again.spool.recovery_log == []
    [sf] = again.spool.reader_files("BOB")
    assert (sf.origin, sf.cls, sf.name, sf.ftype, sf.hold, sf.records) == (
        "ALICE",
        "B",
        "MY",
        "DECK",
        "USER",
        2,
    )
    bob_term, bob = logon(again, "BOB")
    assert command(bob, bob_term, "CHANGE RDR 1 NOHOLD") == ["0001 FILE CHANGED"]
    reader = again.find_user("BOB").devices[0x00C]
    assert [reader.read_record(), reader.read_record(), reader.read_record()] == [
        card("DECK CARD 1"),
        card("DECK CARD 2"),
        None,
    ]


def test_unknown_user_and_privilege_refusals(tmp_path):
    system = make_system(tmp_path)
    term, alice = logon(system, "ALICE")
    assert command(alice, term, "SPOOL PUNCH TO NOSUCH") == [
        "DMKCSP020E USERID MISSING OR INVALID - NOSUCH"
    ]
    assert command(alice, term, "HOLD BOB") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    op_term, operator = logon(system, "OPERATOR")
    assert command(operator, op_term, "HOLD BOB") == ["NO FILES HELD"]
