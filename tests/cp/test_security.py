"""CP's defences, driven through the real system: password guesses paced
and locked across connections (LOGON, LINK, XAUTOLOG), passwords never
echoed, retrievable or logged, the system directory owner-only, displays at
the logon screen timed out and limited per client address.

Delays are tiny or on a hand-moved clock; nothing here times anything."""

import asyncio
import os
import socket
import stat
import subprocess
import sys
import time

import pytest

from cp import ds3270 as ds
from cp.security import (
    GuessPolicy,
    Safeguards,
    client_host,
    mask_passwords,
    peer_address,
)
from cp.terminal import LineTerminal
from s390.ebcdic import from_ebcdic
from tests.cp.cpkit import command, logon, make_system
from tests.cp.s3270kit import S3270, ServerThread, wait_for
from tests.cp.screenkit import Display

WRONG = "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE"


class FakeClock:
    """A monotonic clock the test moves by hand (the System's ``clock``)."""

    def __init__(self):
        self.now = 5000.0

    def __call__(self):
        return self.now


def guarded(tmp_path, clock=None, **logon):
    """A System whose LOGON policy is ``logon`` (defaults: tiny delays, a
    limit no test reaches) and whose LINK policy locks after 3."""
    policy = {"delay": 0.02, "max_delay": 0.02, "limit": 100, "lockout_seconds": 600.0, **logon}
    safeguards = Safeguards(
        logon=GuessPolicy(**policy),
        link=GuessPolicy(delay=1.0, max_delay=30.0, limit=3, lockout_seconds=600.0),
    )
    return make_system(tmp_path, safeguards=safeguards, clock=clock or time.monotonic)


def system_log(tmp_path) -> str:
    return (tmp_path / "log" / "system.log").read_text()


async def eventually(condition, timeout=10.0):
    """Let the event loop run until ``condition()`` holds (no timing asserted)."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


def attempt(system, line, peer="LOCAL"):
    terminal = LineTerminal(peer=peer)
    session = system.connect(terminal)
    session.enter(line)
    return terminal, session


# -- LOGON: one throttle for the whole system -----------------------------------------


async def test_a_new_connection_per_guess_waits_for_the_same_turn(tmp_path):
    """The guess on a second connection is not even checked until the first
    one's pause is over: the throttle is the System's, not the session's.
    (Real clock, tiny delays: only the order of events is asserted.)"""
    system = guarded(tmp_path, delay=0.05, max_delay=0.05)
    throttle = system.logon_throttle
    first, _ = attempt(system, "LOGON ALICE GUESS1")
    second, _ = attempt(system, "LOGON ALICE GUESS2")
    assert throttle.failures(("USER", "ALICE")) == 1  # the second one waits its turn
    assert WRONG not in second.lines
    await eventually(lambda: second.lines[-1] == WRONG and first.lines[-1] == WRONG)
    assert throttle.failures(("USER", "ALICE")) == 2


async def test_the_client_address_is_throttled_across_user_ids(tmp_path):
    system = guarded(tmp_path, delay=0.05, max_delay=0.05)
    throttle = system.logon_throttle
    attempt(system, "LOGON ALICE GUESS", peer="10.0.0.9:4000")
    attempt(system, "LOGON BOB GUESS", peer="10.0.0.9:4001")  # another user, same host
    assert throttle.failures(("USER", "BOB")) == 0
    attempt(system, "LOGON CAROL CAROLPW", peer="10.0.0.7:4000")
    assert "CAROL" in system.users  # another host is not held up
    await eventually(lambda: throttle.failures(("USER", "BOB")) == 1)
    assert throttle.failures(("ADDR", "10.0.0.9")) == 2


async def test_a_user_id_is_disabled_after_the_limit_and_the_operator_is_told(tmp_path):
    clock = FakeClock()
    system = guarded(tmp_path, clock, delay=0.0, max_delay=0.0, limit=3)
    top, _ = logon(system, "OPERATOR")
    for n in range(3):
        t, _ = attempt(system, f"LOGON ALICE WRONG{n}", peer=f"192.0.2.1:{1000 + n}")
        assert t.lines[-1] == WRONG
    t, _ = attempt(system, "LOGON ALICE ALICEPW", peer="192.0.2.1:2000")
    assert t.lines[-1] == (
        "DMKLOG091E LOGON ALICE DISABLED - TOO MANY INCORRECT PASSWORDS; SEE OPERATOR"
    )
    assert "ALICE" not in system.users
    alert = [line for line in top.lines if line.startswith("DMKJRL092I")]
    assert alert == [
        "DMKJRL092I LOGON USER ALICE DISABLED FOR 10 MIN AFTER 3 INCORRECT "
        "PASSWORDS; LAST FROM 192.0.2.1:1002 FOR ALICE"
    ]
    assert top.alarms >= 1
    log = system_log(tmp_path)
    assert "LOGON FAILED ALICE FROM 192.0.2.1:1001 TERMINAL" in log
    assert "LOGON REFUSED ALICE FROM 192.0.2.1:2000: LOGON DISABLED" in log
    clock.now += 601  # the lockout ends
    t, _ = attempt(system, "LOGON ALICE ALICEPW")
    assert "ALICE" in system.users


async def test_input_while_a_guess_waits_is_ignored_and_a_hangup_gives_up_the_turn(tmp_path):
    system = guarded(tmp_path, delay=5.0, max_delay=5.0)
    attempt(system, "LOGON BOB NOPE")
    t, s = attempt(system, "LOGON BOB BOBPW")  # waits 5 s for its turn
    s.enter("LOGON BOB BOBPW")  # ignored meanwhile
    assert "BOB" not in system.users
    s.hangup()
    assert s._waiting is None  # nothing left behind
    attempt(system, "LOGON ALICE ALICEPW", peer="10.9.9.9:1")  # nobody else held up
    assert "ALICE" in system.users


def test_xautolog_passwords_count_like_logon_passwords(tmp_path):
    system = guarded(tmp_path, delay=0.0, max_delay=0.0, limit=2)
    t, s = logon(system, "OPERATOR")
    assert command(s, t, "XAUTOLOG ALICE NO1") == ["DMKLOG050E PASSWORD INCORRECT"]
    assert command(s, t, "XAUTOLOG ALICE NO2")[-1] == "DMKLOG050E PASSWORD INCORRECT"
    assert command(s, t, "XAUTOLOG ALICE ALICEPW")[0].startswith("DMKLOG091E LOGON ALICE DISABLED")
    assert "XAUTOLOG FAILED ALICE BY OPERATOR FROM LOCAL ATTEMPT 2" in system_log(tmp_path)
    assert "NO1" not in system_log(tmp_path)


def test_s3270_wrong_password_is_logged_with_the_clients_address_and_port(tmp_path):
    with ServerThread(lambda: guarded(tmp_path)) as st:
        c = S3270()
        try:
            c.do(f"Connect(127.0.0.1:{st.port})")
            c.do("Wait(10,InputField)")
            c.wait_text("VM/370 ONLINE")
            c.do('String("LOGON ALICE NOTIT")')
            c.do("Enter()")
            c.wait_text("DMKLOG050E")
            local_ports = {conn.peer for conn in st.server.connections}
        finally:
            c.close()
    log = system_log(tmp_path)
    [peer] = local_ports
    assert peer.startswith("127.0.0.1:") and peer.split(":")[1].isdigit()
    assert f"LOGON FAILED ALICE FROM {peer} TERMINAL" in log
    assert "NOTIT" not in log


# -- LINK ---------------------------------------------------------------------------------


def test_link_password_guesses_are_paced_locked_and_logged(tmp_path):
    clock = FakeClock()
    system = guarded(tmp_path, clock)
    top, _ = logon(system, "OPERATOR")
    t, s = logon(system, "BOB")
    assert command(s, t, "LINK ALICE 191 291 RR GUESS1") == ["DMKLNK109E PASSWORD INCORRECT"]
    # At once again (a REXX loop): not checked, whatever the password.
    assert command(s, t, "LINK ALICE 191 291 RR RALICE") == [
        "DMKLNK117E ALICE 191 NOT LINKED; PASSWORD NOT CHECKED, RETRY IN 1 SECONDS"
    ]
    clock.now += 1
    assert command(s, t, "LINK ALICE 191 291 RR GUESS2") == ["DMKLNK109E PASSWORD INCORRECT"]
    clock.now += 2
    assert command(s, t, "LINK ALICE 191 291 RR GUESS3") == ["DMKLNK109E PASSWORD INCORRECT"]
    clock.now += 4
    assert command(s, t, "LINK ALICE 191 291 RR RALICE") == [
        "DMKLNK118E ALICE 191 NOT LINKED; LINK PASSWORDS DISABLED FOR BOB; SEE OPERATOR"
    ]
    assert any(line.startswith("DMKJRL092I LINK LINKER BOB DISABLED") for line in top.lines)
    assert any(
        line.startswith("DMKJRL093I LINK DISK ALICE 191 HAS 3 INCORRECT PASSWORDS")
        for line in top.lines
    )
    log = system_log(tmp_path)
    assert "LINK FAILED BOB TO ALICE 191 MODE RR FROM LOCAL ATTEMPT 3" in log
    assert "GUESS" not in log and "RALICE" not in log
    clock.now += 601
    assert command(s, t, "LINK ALICE 191 291 RR RALICE") == ["DASD 291 LINKED R/O"]


def test_a_thousand_link_guesses_in_a_loop_get_one_checked(tmp_path):
    """What a REXX loop of CP LINKs did: DIAGNOSE X'08' runs the same LINK."""
    system = guarded(tmp_path, FakeClock())
    t, s = logon(system, "BOB")
    vm = system.find_user("BOB")
    answers = [vm.services.cp_command(f"LINK ALICE 191 291 RR G{n:04d}")[1][0] for n in range(1000)]
    assert answers.count("DMKLNK109E PASSWORD INCORRECT") == 1
    assert system.link_throttle.failures(("LINKER", "BOB")) == 1


# -- passwords never shown or kept -----------------------------------------------------------


async def test_3270_echo_and_retrieve_never_hold_a_link_password(tmp_path):
    d = Display(make_system(tmp_path))
    d.type("LOGON BOB BOBPW")
    assert "LOGON AT" in d.text()
    d.type("LINK ALICE 191 291 RR RALICE")
    d.type("QUERY TIME#CP LINK ALICE 191 292 RR RALICE")
    d.type("L ALICE 191 293 RR")  # a CMS-looking line keeps its words
    assert "RALICE" not in d.text()
    assert "LINK ALICE 191 291 RR" in d.text() and "#CP LINK ALICE 191 292 RR" in d.text()
    retrieved = []
    for _ in range(3):
        d.key(ds.AID_PF[12])
        retrieved.append(
            from_ebcdic(
                bytes(d.screen.buffer[d.console.input_start : d.console.status_attr_pos])
            ).strip("\x00 ")
        )
    assert retrieved[1] == "QUERY TIME#CP LINK ALICE 191 292 RR"
    assert retrieved[2] == "LINK ALICE 191 291 RR"
    assert not any("RALICE" in line for line in retrieved)


def test_spool_console_and_the_system_log_never_hold_a_password(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "BOB")
    command(s, t, "SPOOL CONSOLE START TO BOB")
    command(s, t, "LINK ALICE 191 291 RR RALICE")
    command(s, t, "LINK TO ALICE 191 AS 292 RR PASS=WALICE")
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    [sf] = [f for f in system.spool.reader_files("BOB") if f.type == "CON"]
    lines = [from_ebcdic(data).rstrip() for _, data in system.spool.records(sf)]
    assert "LINK ALICE 191 291 RR" in lines and "LINK TO ALICE 191 AS 292 RR PASS=" in lines
    assert not any("RALICE" in line or "WALICE" in line for line in lines)


@pytest.mark.parametrize(
    "line, masked",
    [
        ("CP LINK MAINT 191 291 RR SECRET", "CP LINK MAINT 191 291 RR"),
        ("cp link maint 191 291 secret", "cp link maint 191 291"),
        ("LINK MAINT 191 291 MW PASS= SECRET", "LINK MAINT 191 291 MW PASS="),
        ("XAUTOLOG ALICE SECRET", "XAUTOLOG ALICE"),
        ("Q T#CP LINK A 1 2 R SECRET#Q N", "Q T#CP LINK A 1 2 R#Q N"),
        ("LISTFILE * EXEC A", "LISTFILE * EXEC A"),
        ("L * EXEC A", "L * EXEC A"),
        ("CP LOGON MAINT SECRET", "CP LOGON MAINT"),
    ],
)
def test_mask_passwords(line, masked):
    assert mask_passwords(line) == masked


@pytest.mark.parametrize(
    "line, masked",
    [
        ("LOGON ALICE SECRET", "LOGON ALICE"),
        ("L ALICE SECRET NOIPL", "L ALICE NOIPL"),
        ("LOGIN ALICE NOIPL SECRET", "LOGIN ALICE NOIPL"),
    ],
)
def test_mask_passwords_at_the_logon_screen(line, masked):
    assert mask_passwords(line, logged_on=False) == masked


@pytest.fixture
def served_cms(tmp_path):
    from vm370.boot import make_system

    with ServerThread(lambda: make_system(tmp_path, logon_delay=0.01)) as st:
        yield st


def test_s3270_cms_cp_link_and_impcp_link_are_not_echoed_or_retrieved(served_cms, tmp_path):
    from tests.cp.s3270kit import enter, s3270_logon, status

    c = s3270_logon(served_cms, "CMSUSER", "CMSUSER")
    try:
        wait_for(lambda: status(c) == "VM READ")
        enter(c, "CP LINK ALICE 191 391 RR SECRETPW")
        c.wait_text("Ready")
        c.do("Clear()")
        enter(c, "LINK ALICE 191 392 RR OTHERPW")  # IMPCP
        c.wait_text("Ready")
        screen = c.text()
        assert "CP LINK ALICE 191 391 RR" in screen or "LINK ALICE 191 392 RR" in screen
        assert "SECRETPW" not in screen and "OTHERPW" not in screen
        for _ in range(2):
            c.do("PF(12)")
            assert "PW" not in c.screen()[-2] + c.screen()[-1]
    finally:
        c.close()
    assert "SECRETPW" not in system_log(tmp_path)


# -- files of the system directory ---------------------------------------------------------


def group_or_other_bits(root):
    return {
        str(p): oct(stat.S_IMODE(os.stat(p).st_mode))
        for p in [root, *root.rglob("*")]
        if stat.S_IMODE(os.stat(p).st_mode) & 0o077
    }


def test_vm370_init_and_the_first_start_create_everything_owner_only(tmp_path):
    sysdir = tmp_path / "new" / "sys"
    r = subprocess.run(
        [sys.executable, "-m", "vm370", "init", "--system", str(sysdir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert group_or_other_bits(sysdir) == {}
    assert stat.S_IMODE((sysdir / "user.direct").stat().st_mode) == 0o600
    system = make_system(sysdir)  # first start: disks, spool, log
    t, s = logon(system, "ALICE")
    command(s, t, "SPOOL CONSOLE START TO ALICE")  # a spool file written later
    command(s, t, "QUERY TIME")
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    system.log("A LINE")
    from vm370.lifecycle import claim_system_dir

    lock = claim_system_dir(sysdir)
    lock.close()
    assert any((sysdir / "disks").iterdir()) and any((sysdir / "spool" / "files").iterdir())
    assert group_or_other_bits(sysdir) == {}


def test_start_warns_about_files_others_can_read(tmp_path):
    make_system(tmp_path)  # an older system, then made readable
    (tmp_path / "user.direct").chmod(0o644)
    from cp.system import System

    system = System(tmp_path)
    warning = f"DMKCKP094W {tmp_path / 'user.direct'} IS ACCESSIBLE BY OTHER USERS (MODE 0644)"
    assert any(line.startswith(warning) for line in system.security_warnings)
    assert warning in system_log(tmp_path)
    t, s = logon(system, "OPERATOR")
    assert any(line.startswith(warning) for line in t.lines)


# -- displays at the logon screen ------------------------------------------------------------


def test_a_display_left_at_the_logon_screen_is_disconnected(tmp_path):
    with ServerThread(lambda: guarded(tmp_path), logon_timeout=0.3) as st:
        idle, busy = S3270(), S3270()
        try:
            for c in (idle, busy):
                c.do(f"Connect(127.0.0.1:{st.port})")
                c.do("Wait(10,InputField)")
            busy.do('String("LOGON BOB BOBPW")')
            busy.do("Enter()")
            busy.wait_text("LOGON AT")
            wait_for(lambda: idle.do("Query(ConnectionState)") == ["not-connected"])
            assert busy.do("Query(ConnectionState)") != ["not-connected"]
        finally:
            idle.close()
            busy.close()
    assert "DISCONNECTED: NOT LOGGED ON IN 0.3 SECONDS" in system_log(tmp_path)


def test_connections_not_logged_on_are_limited_per_client_address(tmp_path):
    with ServerThread(lambda: guarded(tmp_path), max_pending_per_address=2) as st:
        held = [socket.create_connection(("127.0.0.1", st.port), timeout=5) for _ in range(2)]
        try:
            for sock in held:
                assert sock.recv(3) == bytes([255, 253, 40])  # IAC DO TN3270E: served
            wait_for(lambda: len(st.server.connections) == 2)
            extra = socket.create_connection(("127.0.0.1", st.port), timeout=5)
            answer = b""
            while chunk := extra.recv(1024):
                answer += chunk
            extra.close()
            assert (
                b"TOO MANY CONNECTIONS NOT LOGGED ON FROM 127.0.0.1 - CONNECTION CLOSED" in answer
            )
        finally:
            for sock in held:
                sock.close()
    assert "REFUSED: 2 CONNECTIONS NOT LOGGED ON FROM THAT ADDRESS" in system_log(tmp_path)


def test_addresses():
    assert peer_address(("10.0.0.1", 23)) == "10.0.0.1:23"
    assert peer_address(("::1", 23, 0, 0)) == "[::1]:23"
    assert client_host("10.0.0.1:23") == "10.0.0.1"
    assert client_host("[::1]:23") == "::1"
    assert client_host("LOCAL") == "LOCAL"


def test_a_rexx_loop_of_cp_links_in_cms_gets_one_password_checked(tmp_path, capsys):
    """The reported attack: a REXX EXEC in CMS looping over CP LINK (DIAGNOSE
    X'08' under ADDRESS CMS's CP command), run by the real system through
    ``vm370 batch``; the return codes tell what CP did with each guess."""
    from cp.sysdir import embedded_directory_text
    from vm370.batch import main

    sysdir = tmp_path / "sys"
    sysdir.mkdir(mode=0o700)
    text = embedded_directory_text().replace(
        " MDISK 191 3370 4000 4000 VMPK01 MR\n", " MDISK 191 3370 4000 4000 VMPK01 MR RSECRET\n"
    )
    assert "RSECRET" in text
    (sysdir / "user.direct").write_text(text)
    (sysdir / "user.direct").chmod(0o600)
    deck = tmp_path / "guess.job"
    deck.write_text(
        "\n".join(
            [
                "/JOB BOB 102 GUESS",
                "FILEDEF INMOVE READER",
                "FILEDEF OUTMOVE DISK GUESS EXEC A",
                "MOVEFILE",
                " /* GUESS EXEC: LINK passwords in a loop */",
                "rcs. = 0",
                "do i = 1 to 300",
                "  'CP LINK CMSUSER 191 391 RR G'i",
                "  rcs.rc = rcs.rc + 1",
                "end",
                "say 'RC109' rcs.109 'RC117' rcs.117",
                "/*",
                "GUESS",
                "/*",
                "",
            ]
        )
    )
    main([str(deck), "--system", str(tmp_path / "sys"), "--timeout", "120"])
    out = capsys.readouterr().out
    assert "RC109 1 RC117 299" in out
    log = (tmp_path / "sys" / "log" / "system.log").read_text()
    assert log.count("LINK FAILED CMSBATCH TO CMSUSER 191 MODE RR FROM DSC") == 1  # the batch VM
    assert "G1" not in log.replace("GUESS", "")
    assert "RSECRET" not in out


def test_link_without_its_password_asks_for_it_and_keeps_it_out_of_the_console_file(tmp_path):
    system = make_system(tmp_path)
    t, s = logon(system, "BOB")
    command(s, t, "SPOOL CONSOLE START TO BOB")
    assert command(s, t, "LINK ALICE 191 291 RR") == ["ENTER PASSWORD:"]
    assert t.password_prompts == ["ENTER PASSWORD:"]
    assert command(s, t, "RALICE") == ["DASD 291 LINKED R/O"]
    assert command(s, t, "LINK ALICE 191 292 RR") == ["ENTER PASSWORD:"]
    assert command(s, t, "") == ["DMKLNK109E PASSWORD INCORRECT"]  # nothing typed
    assert command(s, t, "LINK MAINT 190 190 RR") == ["DASD 190 LINKED R/O"]  # ALL: no prompt
    command(s, t, "SPOOL CONSOLE STOP CLOSE")
    [sf] = [f for f in system.spool.reader_files("BOB") if f.type == "CON"]
    lines = [from_ebcdic(data).rstrip() for _, data in system.spool.records(sf)]
    assert "LINK ALICE 191 291 RR" in lines and "DASD 291 LINKED R/O" in lines
    assert not any("RALICE" in line for line in lines)


async def test_3270_link_password_prompt_is_a_non_display_field(tmp_path):
    d = Display(make_system(tmp_path))
    d.type("LOGON BOB BOBPW")
    d.type("LINK ALICE 191 291 RR")
    assert "ENTER PASSWORD:" in d.text()
    assert d.screen.fa[d.console.input_attr_pos] & ds.FA_DISPLAY_MASK == ds.FA_NONDISPLAY
    d.type("RALICE")
    assert "DASD 291 LINKED R/O" in d.text() and "RALICE" not in d.text()
    assert "RALICE" not in " ".join(d.console.retrieve)


def test_a_throttle_forgets_quiet_keys_so_many_addresses_do_not_grow_it():
    from cp.security import Throttle

    clock = FakeClock()
    throttle = Throttle(
        GuessPolicy(delay=1.0, lockout_seconds=60.0), locking=("USER",), clock=clock
    )
    for n in range(10001):
        throttle.failed([("ADDR", f"10.{n // 256}.{n % 256}.1")])
    clock.now += 61
    throttle.failed([("ADDR", "192.0.2.9")])
    assert len(throttle._records) == 1 and throttle.failures(("ADDR", "192.0.2.9")) == 1


def test_vm370_init_warns_about_an_existing_directory_others_can_read(tmp_path):
    sysdir = tmp_path / "shared"
    sysdir.mkdir(mode=0o755)
    sysdir.chmod(0o755)
    r = subprocess.run(
        [sys.executable, "-m", "vm370", "init", "--system", str(sysdir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0
    assert f"warning: {sysdir} is accessible by other users (mode 0755)" in r.stderr
    assert stat.S_IMODE((sysdir / "user.direct").stat().st_mode) == 0o600
