"""LOGON, LOGOFF, DISCONNECT and reconnect, FORCE, XAUTOLOG, SHUTDOWN through line terminals."""

import asyncio
import re

import pytest

from cp.terminal import LineTerminal
from tests.cp.cpkit import command, logon, make_system, settle

STAMP = r"\d\d:\d\d:\d\d \S+ [A-Z]+DAY \d\d/\d\d/\d\d"


async def test_several_users_logged_on_at_once(tmp_path):
    system = make_system(tmp_path)
    sessions = {u: logon(system, u) for u in ("ALICE", "BOB", "MAINT", "OPERATOR")}
    for userid, (terminal, _) in sessions.items():
        assert re.fullmatch(f"LOGON AT {STAMP}", terminal.lines[-1]), terminal.lines
        assert terminal.status == "CP READ"
    assert sorted(system.users) == ["ALICE", "BOB", "MAINT", "OPERATOR"]
    t, s = sessions["ALICE"]
    names = command(s, t, "QUERY NAMES")
    assert "ALICE    - " in names[0] and "OPERATOR - " in names[0]
    assert command(s, t, "Q USERS") == ["004 USERS, 000 DIALED"]


async def test_password_prompt_and_wrong_password_delayed_and_logged(tmp_path):
    system = make_system(tmp_path, logon_delay=0.05)
    terminal = LineTerminal()
    session = system.connect(terminal)
    assert terminal.lines == ["VM/370 ONLINE"]
    session.enter("logon alice")
    assert terminal.password_prompts == ["ENTER PASSWORD:"]
    session.enter("wrong")
    assert "DMKLOG050E" not in terminal.text()  # not yet: the answer is delayed
    session.enter("logon alice alicepw")  # ignored during the delay
    assert "ALICE" not in system.users
    await settle(0.1)
    assert terminal.lines[-1] == "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE"
    log = (tmp_path / "log" / "system.log").read_text()
    assert "LOGON FAILED ALICE" in log
    session.enter("logon alice")
    session.enter("alicepw")
    assert "ALICE" in system.users


async def test_failed_logon_delay_doubles(tmp_path):
    """The pause after each wrong password doubles (read off the System's
    throttle on a stopped clock, not timed)."""
    clock = FakeClock()
    system = make_system(tmp_path, logon_delay=0.01, max_logon_delay=1.0, clock=clock)
    terminal = LineTerminal()
    session = system.connect(terminal)
    keys = (("USER", "BOB"), ("ADDR", "LOCAL"))
    pauses = []
    for _ in range(3):
        session.enter("logon bob nope")
        pauses.append(system.logon_throttle.wait(keys))
        while not terminal.lines or not terminal.lines[-1].startswith("DMKLOG050E"):
            await asyncio.sleep(0.005)
        terminal.take()
        clock.now += pauses[-1]
    assert pauses == pytest.approx([0.01, 0.02, 0.04])
    assert system.logon_throttle.failures(("USER", "BOB")) == 3


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_unknown_user_nolog_and_bad_logon_commands(tmp_path):
    system = make_system(tmp_path)
    t = LineTerminal()
    s = system.connect(t)
    s.enter("logon zed")
    s.enter("logon nobody nolog")
    s.enter("logon")
    s.enter("query names")
    assert t.lines[1:] == [
        "DMKLOG053E ZED NOT IN CP DIRECTORY",
        "DMKLOG053E NOBODY NOT IN CP DIRECTORY",
        "DMKLOG020E USERID MISSING OR INVALID",
        "DMKCFM001E UNKNOWN CP COMMAND",
    ]


def test_logoff_prints_accounting_and_closes(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "BOB")
    lines = command(s, t, "logoff")
    assert re.fullmatch(
        r"CONNECT= \d\d:\d\d:\d\d VIRTCPU= \d{3}:\d\d\.\d\d TOTCPU= \d{3}:\d\d\.\d\d", lines[0]
    )
    assert re.fullmatch(f"LOGOFF AT {STAMP}", lines[1])
    assert t.is_closed and "BOB" not in system.users


async def test_disconnect_and_reconnect(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "ALICE")
    lines = command(s, t, "DISC")
    assert re.fullmatch(f"DISCONNECT AT {STAMP}", lines[0])
    assert t.is_closed and "ALICE" in system.users
    t2, s2 = logon(system, "BOB")
    assert command(s2, t2, "Q ALICE") == ["ALICE    - DSC"]
    t3, s3 = logon(system, "ALICE")
    assert re.fullmatch(f"RECONNECTED AT {STAMP}", t3.lines[-1])
    assert t3.status == "CP READ"
    assert command(s3, t3, "Q ALICE")[0].startswith("ALICE    - L")


async def test_hangup_keeps_vm_and_second_logon_refused_while_connected(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "ALICE")
    t2, s2 = logon(system, "ALICE")
    assert t2.lines[-1].startswith("DMKLOG054E ALREADY LOGGED ON LINE")
    s.hangup()
    assert system.find_user("ALICE").session is None
    t3, s3 = logon(system, "ALICE")
    assert t3.lines[-1].startswith("RECONNECTED AT")


def test_force_by_operator_and_privilege_refusal(tmp_path):
    system = make_system(tmp_path)
    ta, sa = logon(system, "ALICE")
    tb, sb = logon(system, "BOB")
    assert command(sb, tb, "FORCE ALICE") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    assert "ALICE" in system.users
    to, so = logon(system, "OPERATOR")
    out = command(so, to, "force alice")
    assert out == [f"LINE {ta.address} LOGOFF AS ALICE    USERS = 002    FORCED"]
    assert ta.lines[-1].endswith("FORCED BY OPERATOR") and ta.is_closed
    assert command(so, to, "force alice") == ["DMKCQP045E ALICE NOT LOGGED ON"]
    command(sb, tb, "DISCONNECT")  # a disconnected user: USER DSC
    assert command(so, to, "FORCE BOB") == ["USER DSC LOGOFF AS BOB      USERS = 001    FORCED"]


def test_xautolog_logs_on_disconnected(tmp_path):
    system = make_system(tmp_path)
    to, so = logon(system, "OPERATOR")
    assert command(so, to, "XAUTOLOG BOB") == ["AUTO LOGON  ***   BOB      USERS = 002"]
    assert system.find_user("BOB").session is None
    assert command(so, to, "XAUTOLOG BOB") == ["DMKLOG054E BOB ALREADY LOGGED ON"]
    assert command(so, to, "XAUTOLOG ZED") == ["DMKCQP053E ZED NOT IN CP DIRECTORY"]
    ta, sa = logon(system, "ALICE")
    assert command(sa, ta, "XAUTOLOG CAROL") == ["DMKCFM001E UNKNOWN CP COMMAND"]


def test_shutdown_logs_everyone_off(tmp_path):
    system = make_system(tmp_path)
    ta, sa = logon(system, "ALICE")
    to, so = logon(system, "OPERATOR")
    assert command(sa, ta, "SHUTDOWN") == ["DMKCFM001E UNKNOWN CP COMMAND"]
    out = command(so, to, "SHUTDOWN")
    # VM/370 checkpoints the spool (DMKCKP960I), then DMKCPI says the
    # shutdown is complete; the operator is logged off after both.
    assert out[:2] == [
        "DMKCKP960I SYSTEM WARM START DATA SAVED",
        "DMKCPI961W SYSTEM SHUTDOWN COMPLETE",
    ]
    assert any(x.startswith("LOGOFF AT") for x in out[2:])
    assert system.shut_down and not system.users
    assert ta.is_closed and "LOGOFF AT" in ta.text()
    assert "SHUTDOWN IN PROGRESS" not in ta.text()
    log = "\n".join(p.read_text() for p in (tmp_path / "log").glob("*"))
    assert log.index("LOGOFF ALICE") < log.index("DMKCKP960I") < log.index("DMKCPI961W")


def test_terminal_label_names_line_type_and_address(tmp_path):
    from cp.logon import terminal_label

    system = make_system(tmp_path)
    display = LineTerminal(address="0C0", kind="3278")
    session = system.connect(display)
    assert terminal_label(session) == "GRAF 0C0"
    assert terminal_label(system.connect(LineTerminal(address="020"))) == "LINE 020"
    assert terminal_label(None) == "USER DSC"


def test_logon_shows_waiting_spool_files_before_logon_at(tmp_path):
    system = make_system(tmp_path)
    ta, sa = logon(system, "ALICE")
    assert not any(line.startswith("FILES:") for line in ta.lines)  # nothing waits
    command(sa, ta, "SPOOL PUNCH TO BOB")
    system.find_user("ALICE").services.punch(0x00D, b"\x40" * 80)
    command(sa, ta, "CLOSE PUNCH")
    tb, sb = logon(system, "BOB")
    at = next(i for i, line in enumerate(tb.lines) if line.startswith("LOGON AT"))
    assert tb.lines[at - 1] == "FILES: 001 RDR,  NO PRT,  NO PUN"
