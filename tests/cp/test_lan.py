"""The guest LAN driven by S/370 programs with real CCWs on a real System:
three VMs on one LAN (unicast, broadcast, unknown MAC), RESTRICTED, MAXCONN,
PERSISTENT across a restart, malformed frames and a flood."""

from __future__ import annotations

import pytest

from tests.cp.cpkit import command, logon, make_system
from tests.cp.lankit import (
    BROADCAST,
    EMPTY,
    FAIL,
    LAN_DIRECT,
    MAC,
    OK,
    Loaded,
    frame,
    raw_writer,
    read_block,
    receiver,
    sender,
)

pytest.importorskip("s390.cpu")


@pytest.fixture
def lan_system(tmp_path):
    """A system with the PERSISTENT LAN SYSTEM GLAN and ALICE, BOB, CAROL
    logged on, their NICs at 500 coupled to it by NICDEF."""
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "MAINT")
    assert command(session, terminal, "DEFINE LAN GLAN OWNERID SYSTEM") == [
        "LAN SYSTEM GLAN is created"
    ]
    users = {"MAINT": (terminal, session)}
    for userid in ("ALICE", "BOB", "CAROL"):
        users[userid] = logon(system, userid)
        assert "NIC 0500 is connected to LAN SYSTEM GLAN" in users[userid][0].take()
    return system, users


def vm(system, userid):
    return system.find_user(userid)


def receive(system, userid) -> tuple[int, list[bytes]]:
    program = Loaded(vm(system, userid), receiver())
    code = program.run()
    return code, (read_block(program.at("BUF", 2048)) if code == OK else [])


def test_unicast_reaches_only_its_destination(lan_system):
    system, _ = lan_system
    sent = frame(MAC["BOB"], MAC["ALICE"], b"HELLO BOB")
    assert Loaded(vm(system, "ALICE"), sender([sent])).run() == OK
    code, frames = receive(system, "BOB")
    assert code == OK and frames == [bytes.fromhex(sent)]
    assert receive(system, "CAROL") == (EMPTY, [])
    assert receive(system, "ALICE") == (EMPTY, [])  # the sender never sees its own frame


def test_broadcast_reaches_everybody_but_the_sender(lan_system):
    system, _ = lan_system
    sent = frame(BROADCAST, MAC["ALICE"], b"TO ALL")
    assert Loaded(vm(system, "ALICE"), sender([sent])).run() == OK
    for userid in ("BOB", "CAROL"):
        assert receive(system, userid) == (OK, [bytes.fromhex(sent)])
    assert receive(system, "ALICE") == (EMPTY, [])


def test_a_frame_for_an_unknown_mac_reaches_nobody(lan_system):
    system, _ = lan_system
    sent = frame("0200000000FF", MAC["ALICE"], b"NOBODY")
    assert Loaded(vm(system, "ALICE"), sender([sent])).run() == OK
    for userid in ("ALICE", "BOB", "CAROL"):
        assert receive(system, userid) == (EMPTY, [])
    assert vm(system, "ALICE").devices[0x500].nic.stats.frames_out == 1


def test_one_write_sends_several_frames_and_one_read_returns_them_with_the_residual(lan_system):
    system, _ = lan_system
    frames = [frame(MAC["BOB"], MAC["ALICE"], f"FRAME {n}".encode()) for n in range(3)]
    assert Loaded(vm(system, "ALICE"), sender(frames)).run() == OK
    program = Loaded(vm(system, "BOB"), receiver())
    assert program.run() == OK
    assert read_block(program.at("BUF", 2048)) == [bytes.fromhex(f) for f in frames]
    used = sum(4 + len(f) // 2 for f in frames) + 2
    assert program.halfword("RESID") == 2048 - used


def test_the_frame_arriving_gives_attention_on_the_nic(lan_system):
    system, _ = lan_system
    bob = vm(system, "BOB")
    Loaded(vm(system, "ALICE"), sender([frame(MAC["BOB"], MAC["ALICE"], b"X")])).run()
    assert bob.cpu.withdraw_io_interrupt(0x500)[4] == 0x80  # attention


def test_frames_never_cross_to_another_lan(lan_system):
    system, users = lan_system
    terminal, session = users["MAINT"]
    command(session, terminal, "DEFINE LAN OTHER OWNERID SYSTEM")
    bob_terminal, bob_session = users["BOB"]
    assert command(bob_session, bob_terminal, "COUPLE 500 TO SYSTEM OTHER") == [
        "NIC 0500 is connected to LAN SYSTEM OTHER"
    ]
    Loaded(vm(system, "ALICE"), sender([frame(BROADCAST, MAC["ALICE"], b"X")])).run()
    assert receive(system, "BOB") == (EMPTY, [])
    assert receive(system, "CAROL")[0] == OK


def test_an_uncoupled_nic_answers_like_an_adapter_without_a_cable(lan_system):
    system, users = lan_system
    terminal, session = users["BOB"]
    command(session, terminal, "UNCOUPLE 500")
    program = Loaded(vm(system, "BOB"), sender([frame(BROADCAST, MAC["BOB"], b"X")]))
    assert program.run() == FAIL
    assert program.at("STATUS", 1) == b"\x0e"  # CE DE UC
    assert program.at("SENSEB", 1) == b"\x40"  # intervention required


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "block, why",
    [
        ("000601000000", 0x01),  # a 2-byte "frame"
        ("0003010000", 0x04),  # offset pointing backwards
        ("00FF0100" + "00" * 20, 0x04),  # offset past the block
        ("001207" + "00" * 15 + "0000", 0x08),  # unknown frame type
    ],
)
def test_malformed_lcs_blocks_are_refused_with_unit_check(lan_system, block, why):
    system, _ = lan_system
    program = Loaded(vm(system, "ALICE"), raw_writer(block))
    assert program.run() == FAIL
    assert program.at("STATUS", 1) == b"\x0e"
    assert program.at("SENSEB", 2) == bytes([0x08, why])
    assert receive(system, "BOB") == (EMPTY, [])  # nothing was sent
    assert vm(system, "ALICE").devices[0x500].nic.stats.refused == 1


def test_an_oversize_frame_is_refused_not_truncated(lan_system):
    system, _ = lan_system
    big = frame(MAC["BOB"], MAC["ALICE"], b"X" * 8200)  # MFS 8192
    program = Loaded(vm(system, "ALICE"), sender([big]))
    assert program.run() == FAIL
    assert program.at("SENSEB", 2) == b"\x08\x02"
    assert receive(system, "BOB") == (EMPTY, [])
    ok = frame(MAC["BOB"], MAC["ALICE"], b"X" * 8000)
    assert Loaded(vm(system, "ALICE"), sender([ok])).run() == OK


def test_a_bad_ccw_chain_gets_the_channel_program_check(lan_system):
    system, _ = lan_system
    source = sender([frame(MAC["BOB"], MAC["ALICE"], b"X")]).replace(
        "CAW      DC    A(CCW)", "CAW      DC    A(CCW+4)"
    )  # CCW address not on a doubleword
    program = Loaded(vm(system, "ALICE"), source)
    assert program.run() == FAIL
    assert program.at("CHSTAT", 1) == b"\x20"  # program check
    assert receive(system, "BOB") == (EMPTY, [])


def test_a_flood_fills_only_the_target_queue_and_is_counted(lan_system):
    system, users = lan_system
    flood = [frame(MAC["BOB"], MAC["ALICE"], f"F{n}".encode()) for n in range(20)]
    flooder = vm(system, "ALICE")
    for _ in range(5):  # 100 frames at BOB
        assert Loaded(flooder, sender(flood)).run() == OK
    bob_nic = vm(system, "BOB").devices[0x500].nic
    assert len(bob_nic.queue) == bob_nic.queue_limit == 64
    assert bob_nic.stats.dropped == 100 - 64
    # CAROL still gets her frame at once, and BOB reads his queue in order.
    Loaded(flooder, sender([frame(MAC["CAROL"], MAC["ALICE"], b"STILL HERE")])).run()
    assert receive(system, "CAROL") == (
        OK,
        [bytes.fromhex(frame(MAC["CAROL"], MAC["ALICE"], b"STILL HERE"))],
    )
    code, frames = receive(system, "BOB")
    assert code == OK and frames[0] == bytes.fromhex(flood[0])
    terminal, session = users["MAINT"]
    details = command(session, terminal, "QUERY LAN GLAN DETAILS")
    assert any("Dropped: 36" in line for line in details)


# ------------------------------------------------------------------ access rules


def test_restricted_lan_refuses_an_ungranted_user_and_revoke_uncouples(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    maint = logon(system, "MAINT")
    command(*reversed(maint), "DEFINE LAN SECRET OWNERID SYSTEM RESTRICTED")
    dave_terminal, dave = logon(system, "DAVE")
    assert command(dave, dave_terminal, "COUPLE 500 TO SYSTEM SECRET") == [
        "HCP2803E LAN SYSTEM SECRET is restricted; DAVE is not authorized"
    ]
    command(*reversed(maint), "SET LAN SECRET GRANT DAVE")
    assert command(dave, dave_terminal, "COUPLE 500 TO SYSTEM SECRET") == [
        "NIC 0500 is connected to LAN SYSTEM SECRET"
    ]
    assert (
        command(*reversed(maint), "QUERY LAN SECRET ACCESSLIST")[-1]
        == "  Authorized userids: DAVE SYSTEM"
    )
    command(*reversed(maint), "SET LAN SECRET REVOKE DAVE")
    assert "NIC 0500 is disconnected from LAN SYSTEM SECRET" in dave_terminal.take()
    assert system.find_user("DAVE").devices[0x500].nic.lan is None


def test_a_user_cannot_change_a_lan_it_does_not_own(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    command(*reversed(logon(system, "MAINT")), "DEFINE LAN SECRET OWNERID SYSTEM RESTRICTED")
    terminal, dave = logon(system, "DAVE")
    assert command(dave, terminal, "SET LAN SECRET GRANT DAVE")[0].startswith("HCP2805E")
    assert command(dave, terminal, "DEFINE LAN X OWNERID SYSTEM")[0].startswith("HCP2805E")


def test_maxconn_is_enforced(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    command(*reversed(logon(system, "MAINT")), "DEFINE LAN GLAN OWNERID SYSTEM MAXCONN 2")
    logon(system, "ALICE")
    logon(system, "BOB")
    carol_terminal, _ = logon(system, "CAROL")
    assert (
        "HCP2804E LAN SYSTEM GLAN has reached its maximum number of connections (2)"
        in carol_terminal.take()
    )
    assert system.find_user("CAROL").devices[0x500].nic.lan is None
    system.logoff(system.find_user("ALICE"))  # a place frees up
    terminal, carol = command_session(system, "CAROL")
    assert command(carol, terminal, "COUPLE 500 TO SYSTEM GLAN") == [
        "NIC 0500 is connected to LAN SYSTEM GLAN"
    ]


def command_session(system, userid):
    """A fresh terminal on a logged-on user (LOGON reconnects it)."""
    system.disconnect(system.find_user(userid), announce=False)
    return logon(system, userid)


def test_a_persistent_system_lan_survives_a_restart_and_a_transient_one_goes(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    maint = logon(system, "MAINT")
    command(*reversed(maint), "DEFINE LAN KEPT OWNERID SYSTEM RESTRICTED MAXCONN 5 MFS 16384")
    command(*reversed(maint), "SET LAN KEPT GRANT ALICE")
    command(*reversed(maint), "DEFINE LAN GONE OWNERID SYSTEM TRANSIENT")
    dave_terminal, dave = logon(system, "DAVE")
    command(dave, dave_terminal, "COUPLE 500 TO SYSTEM GONE")
    assert command(dave, dave_terminal, "UNCOUPLE 500") == [
        "NIC 0500 is disconnected from LAN SYSTEM GONE"
    ]
    assert system.lans.find("SYSTEM", "GONE") is None  # TRANSIENT: gone with its last NIC
    system.shutdown()
    again = make_system(tmp_path, LAN_DIRECT)
    lan = again.lans.find("SYSTEM", "KEPT")
    assert lan is not None and lan.restricted and lan.maxconn == 5 and lan.mfs == 16384
    assert "ALICE" in lan.grants
    alice_terminal, _ = logon(again, "ALICE")
    assert (
        "NIC 0500 is connected to LAN SYSTEM KEPT" not in alice_terminal.take()
    )  # NICDEF names GLAN
    assert command(*reversed(logon(again, "MAINT")), "QUERY LAN")[0].startswith("LAN SYSTEM KEPT")


def test_macs_come_from_the_configured_prefix_and_are_unique(tmp_path):
    (tmp_path / "system.config").write_text("* the LAN\nVMLAN MACPREFIX 02ABCD\n")
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    command(session, terminal, "DEFINE NIC 600 TYPE QDIO")
    macs = [line for line in command(session, terminal, "QUERY NIC") if "MAC:" in line]
    assert len(macs) == 2 and all("MAC: 02-AB-CD-" in line for line in macs)
    assert len({line.split()[1] for line in macs}) == 2


def test_a_bad_vmlan_statement_is_named(tmp_path):
    from cp.devices.realdevices import ConfigError

    (tmp_path / "system.config").write_text("VMLAN MACPREFIX 01FFFF\n")
    with pytest.raises(ConfigError, match="line 1"):
        make_system(tmp_path, LAN_DIRECT)


@pytest.mark.parametrize(
    "line, answer",
    [
        ("DEFINE LAN", "DMKCFM026E OPERAND MISSING OR INVALID"),
        ("DEFINE LAN X TYPE TOKENRING", "DMKCFM003E INVALID OPTION - TYPE"),
        ("DEFINE LAN X MAXCONN 0", "DMKCFM003E INVALID OPTION - 0"),
        (
            "DEFINE LAN X MFS 1000",
            "HCP2809E MFS 1000 is not valid for TYPE QDIO; use one of 8192 16384 32768 65536",
        ),
        ("COUPLE 500 TO SYSTEM NOSUCH", "HCP2801E LAN SYSTEM NOSUCH does not exist"),
        ("UNCOUPLE 500", "HCP2814E NIC 0500 is not connected"),
        ("QUERY NIC 777", "HCP2812E Device 0777 does not exist"),
        ("DEFINE NIC 500 QDIO", "HCP2811E Device 0500 already defined"),
        ("DEFINE NIC 700 TOKENRING", "DMKCFM003E INVALID OPTION - TOKENRING"),
        ("QUERY LAN NOSUCH", "HCP2801E LAN * NOSUCH does not exist"),
        ("DETACH LAN NOSUCH", "HCP2801E LAN DAVE NOSUCH does not exist"),
    ],
)
def test_bad_lan_commands_get_cp_messages(tmp_path, line, answer):
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    assert command(session, terminal, line) == [answer]


def test_a_user_lan_is_transient_and_owned_by_the_user(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    assert command(session, terminal, "DEFINE LAN MINE") == ["LAN DAVE MINE is created"]
    assert command(session, terminal, "COUPLE 500 DAVE MINE") == [
        "NIC 0500 is connected to LAN DAVE MINE"
    ]
    query = command(session, terminal, "QUERY LAN MINE DETAILS")
    assert query[1].startswith("  TRANSIENT  UNRESTRICTED")
    assert "NIC: 0500" in query[2]
    assert command(session, terminal, "DETACH LAN MINE") == ["LAN DAVE MINE is destroyed"]
    assert system.find_user("DAVE").devices[0x500].nic.lan is None


def test_logoff_uncouples_the_nic_frees_its_mac_and_ends_a_transient_lan(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    command(session, terminal, "DEFINE LAN MINE")
    command(session, terminal, "COUPLE 500 DAVE MINE")
    mac = system.find_user("DAVE").devices[0x500].nic.mac
    command(session, terminal, "LOGOFF")
    assert system.lans.find("DAVE", "MINE") is None
    assert mac not in system.lans.macs


def test_query_virtual_and_detach_show_the_nic(lan_system):
    system, users = lan_system
    terminal, session = users["BOB"]
    assert command(session, terminal, "QUERY VIRTUAL 501") == [
        "NIC  0501 COUPLED TO LAN SYSTEM GLAN"
    ]
    assert command(session, terminal, "DETACH 500") == ["NIC 500 DETACHED"]
    assert 0x501 not in system.find_user("BOB").devices  # the NIC's other subchannels go too
    lan = system.lans.find("SYSTEM", "GLAN")
    assert [nic.owner for nic in lan.nics] == ["ALICE", "CAROL"]


def test_lanstat_returns_the_mac_in_the_reply_frame(lan_system):
    system, _ = lan_system
    command_area = "0400000100000100" + "00" * 12  # LANSTAT, sequence 1
    block = f"{4 + 20:04X}0000" + command_area + "0000"
    assert Loaded(vm(system, "ALICE"), raw_writer(block)).run() == OK
    program = Loaded(vm(system, "ALICE"), receiver())
    assert program.run() == OK
    reply = program.at("BUF", 40)
    assert reply[2] == 0x00 and reply[4] == 0x04  # a command frame: LANSTAT
    assert reply[34:40] == bytes.fromhex(MAC["ALICE"])


def test_a_nic_couples_only_to_a_lan_of_its_type(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    command(session, terminal, "DEFINE LAN FAST TYPE HIPERS")
    assert command(session, terminal, "COUPLE 500 DAVE FAST") == [
        "HCP2802E NIC 0500 type QDIO is not compatible with LAN DAVE FAST type HIPERS"
    ]
    command(session, terminal, "DEFINE NIC 700 TYPE HIPERSOCKETS")
    assert command(session, terminal, "COUPLE 700 TO DAVE FAST") == [
        "NIC 0700 is connected to LAN DAVE FAST"
    ]
    assert "MFS: 16384" in command(session, terminal, "QUERY NIC 700")[1]


def test_only_class_b_bridges_a_lan(tmp_path):
    system = make_system(tmp_path, LAN_DIRECT)
    terminal, session = logon(system, "DAVE")
    assert command(session, terminal, "DEFINE LAN MINE BRIDGE 0:127.0.0.1:9") == [
        "HCP2805E You are not authorized to define a LAN BRIDGE"
    ]
    assert command(*reversed(logon(system, "MAINT")), "DEFINE LAN X OWNERID SYSTEM BRIDGE 1:2") == [
        "HCP2808E Bridge 1:2 is not localport:host:port"
    ]


def test_vmlan_bridge_in_system_config_bridges_the_lan_when_defined(tmp_path):
    (tmp_path / "system.config").write_text("VMLAN BRIDGE GLAN 0:127.0.0.1:9\n")
    system = make_system(tmp_path, LAN_DIRECT)
    maint = logon(system, "MAINT")
    command(*reversed(maint), "DEFINE LAN GLAN OWNERID SYSTEM")
    lan = system.lans.find("SYSTEM", "GLAN")
    assert lan.bridge is not None and lan.bridge.peer == ("127.0.0.1", 9)
    assert command(*reversed(maint), "QUERY LAN GLAN")[1].endswith("Bridge: 0:127.0.0.1:9")
    system.shutdown()
