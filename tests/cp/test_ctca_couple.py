"""Two VMs' virtual CTCAs coupled with COUPLE at run time play ping-pong
with S/370 programs (WRITE meets READ across the adapter)."""

from __future__ import annotations

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.lankit import OK, Loaded, exchange, run_together

pytest.importorskip("s390.cpu")

CTCA_DIRECT = """\
USER ALICE ALICEPW 1M 2M G
 CONSOLE 009 3215
 SPECIAL 600 CTCA
USER BOB BOBPW 1M 2M G
 CONSOLE 009 3215
 SPECIAL 700 CTCA
"""


def test_ctca_ping_pong_after_couple(tmp_path):
    system = make_system(tmp_path, CTCA_DIRECT)
    alice_terminal, alice = logon(system, "ALICE")
    bob_terminal, _ = logon(system, "BOB")
    bob_terminal.take()
    assert command(alice, alice_terminal, "COUPLE 600 TO BOB 700") == ["CTCA 600 COUPLE TO BOB 700"]
    assert "CTCA 700 COUPLE BY ALICE 600" in bob_terminal.take()
    a, b = system.find_user("ALICE"), system.find_user("BOB")
    Loaded(
        a,
        exchange(
            0x600,
            [("WRITE", "PING 1"), ("READ", "PONG 1"), ("WRITE", "PING 2"), ("READ", "PONG 2")],
        ),
    )
    Loaded(
        b,
        exchange(
            0x700,
            [("READ", "PING 1"), ("WRITE", "PONG 1"), ("READ", "PING 2"), ("WRITE", "PONG 2")],
        ),
    )
    assert run_together([a, b]) == {"ALICE": OK, "BOB": OK}


def test_uncouple_leaves_the_adapter_without_a_partner(tmp_path):
    system = make_system(tmp_path, CTCA_DIRECT)
    alice_terminal, alice = logon(system, "ALICE")
    bob_terminal, _ = logon(system, "BOB")
    command(alice, alice_terminal, "COUPLE 600 TO BOB 700")
    assert command(alice, alice_terminal, "UNCOUPLE 600") == ["CTCA 600 UNCOUPLED"]
    assert "CTCA 700 DROP FROM ALICE 600" in bob_terminal.take()
    program = Loaded(system.find_user("ALICE"), exchange(0x600, [("WRITE", "LOST")]))
    assert program.run() != OK  # intervention required: no partner
