"""SIGTERM and SIGINT end ``vm370 serve`` the way CP's SHUTDOWN does, whatever
a guest is doing: a standalone S/370 program in a tight loop (``B *``) or a
CMS user's REXX ``do forever``.  The process exits 0, the users are logged
off (their open spool files closed), the system directory's lock is free
and the system starts again."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from decks.build import LOAD_ADDRESS
from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from tests.cp.s3270kit import S3270
from tests.cp.servekit import lock_is_free, start_serve

#: Seconds a signalled server may take to end (a bound, not a speed check:
#: the shutdown needs a fraction of it on an idle machine).
EXIT_BOUND = 60
#: Seconds a screen may take to show what the test waits for (a loaded machine).
WAIT = 60

#: A standalone program that writes one line to its printer (the spool file
#: stays open: no CLOSE) and then loops for ever.
PRINT_THEN_LOOP = """\
LOOPER   CSECT
         BALR  12,0
         USING *,12
         LA    1,WRITE
         ST    1,CAW
         SIO   PRINTER             one line to the open printer file
WAITIO   TIO   PRINTER
         BC    2,WAITIO
LOOP     B     LOOP                a tight loop: no I/O, no wait, no SVC
         DS    0D
WRITE    CCW   X'09',MSG,X'20',L'MSG
MSG      DC    C'LINE FROM THE LOOPING GUEST'
CAW      EQU   X'48'
PRINTER  EQU   X'00E'
         END   LOOPER
"""


def loop_deck(tmp_path):
    result = assemble(PRINT_THEN_LOOP, origin="looper.asm")
    assert result.rc == 0, result.diagnostics
    path = tmp_path / "looper.deck"
    path.write_bytes(b"".join(build_ipl_deck([result.deck], LOAD_ADDRESS).cards))
    return path


def vm370(*args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "vm370", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def logged_on(port, userid, password):
    c = S3270()
    c.do(f"Connect(127.0.0.1:{port})")
    c.do("Wait(60,InputField)")
    c.wait_text("VM/370 ONLINE", WAIT)
    c.do(f'String("logon {userid} {password}")')
    c.do("Enter()")
    try:
        c.wait_text("LOGON AT", WAIT)
    except AssertionError:
        raise AssertionError("no LOGON AT:\n" + c.text()) from None
    return c


def enter(c, line):
    c.do(f'String("{line}")')
    c.do("Enter()")


def start_loop_guest(tmp_path, port):
    """CMSUSER (in CMS) gets the looping deck in its reader and IPLs it
    (IPL is class G)."""
    c = logged_on(port, "cmsuser", "cmsuser")
    c.wait_text("VM READ", WAIT)
    punched = vm370(
        "punch", "--system", str(tmp_path / "sys"), "--to", "CMSUSER", str(loop_deck(tmp_path))
    )
    assert punched.returncode == 0, punched.stderr
    c.wait_text("RDR FILE", WAIT)  # the server's rescan found the deck
    if "HOLDING" in c.text():
        c.do("Clear()")
    enter(c, "cp ipl 00c")
    c.wait_text("RUNNING", WAIT)
    return c


def start_rexx_loop(tmp_path, port):
    """CMSUSER writes a REXX EXEC that loops for ever and runs it."""
    c = logged_on(port, "cmsuser", "cmsuser")
    c.wait_text("VM READ", WAIT)
    enter(c, "EXECIO 1 DISKW SPIN EXEC A (STRING /* */ do forever; end")
    c.wait_text("Ready;", WAIT)
    enter(c, "SPIN")
    c.wait_text("RUNNING", WAIT)
    return c


def signal_and_wait(proc, sig, bound: float = EXIT_BOUND) -> str:
    proc.send_signal(sig)
    try:
        rc = proc.wait(bound)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        raise AssertionError(f"vm370 serve did not end within {bound} s of {sig.name}")
    out = proc.stdout.read()
    assert rc == 0, out
    return out


def assert_shut_down_cleanly(tmp_path, out, userid, check_again=None):
    """The operator's messages, the users logged off, the lock free, and a
    second start that works (``check_again(port)`` looks at it)."""
    sysdir = tmp_path / "sys"
    assert "DMKCPI961W SYSTEM SHUTDOWN COMPLETE" in out
    assert "SERVER ENDED" in out
    log = (sysdir / "log" / "system.log").read_text()
    assert f"LOGOFF {userid} SYSTEM SHUTDOWN" in log and log.rstrip().endswith("SHUTDOWN")
    assert lock_is_free(sysdir)
    again, port, _ = start_serve(tmp_path)
    try:
        if check_again is not None:
            check_again(port)
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(EXIT_BOUND) == 0


def spin_exec_is_on_the_a_disk(port):
    """What the user wrote to the minidisk before the signal is there."""
    c = logged_on(port, "cmsuser", "cmsuser")
    try:
        c.wait_text("VM READ", WAIT)
        enter(c, "LISTFILE SPIN EXEC A")
        c.wait_text("Ready;", WAIT)
        assert "SPIN     EXEC     A1" in c.text()
    finally:
        c.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_shuts_down_a_system_with_a_looping_s370_guest(tmp_path, sig):
    proc, port, _ = start_serve(tmp_path)
    client = None
    try:
        client = start_loop_guest(tmp_path, port)
        out = signal_and_wait(proc, sig)
    finally:
        if client is not None:
            client.close()
        if proc.poll() is None:
            proc.kill()
    assert_shut_down_cleanly(tmp_path, out, "CMSUSER")
    # the guest's printer file was open; the shutdown's logoff closed it
    listing = vm370("printout", "--system", str(tmp_path / "sys"))
    assert "CMSUSER" in listing.stdout, listing.stdout + listing.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_shuts_down_a_system_with_a_looping_rexx_exec(tmp_path, sig):
    proc, port, _ = start_serve(tmp_path)
    client = None
    try:
        client = start_rexx_loop(tmp_path, port)
        out = signal_and_wait(proc, sig)
    finally:
        if client is not None:
            client.close()
        if proc.poll() is None:
            proc.kill()
    assert_shut_down_cleanly(tmp_path, out, "CMSUSER", spin_exec_is_on_the_a_disk)


def start_exec1_loop(tmp_path, port):
    """CMSUSER writes an EXEC 1 file that loops for ever (-X / &GOTO -X)."""
    c = logged_on(port, "cmsuser", "cmsuser")
    c.wait_text("VM READ", WAIT)
    for line in ("-X", "&GOTO -X"):
        enter(c, f"EXECIO 1 DISKW LOOP1 EXEC A (STRING {line}")
        c.do("Wait(60,InputField)")
    enter(c, "TYPE LOOP1 EXEC")
    c.wait_text("&GOTO -X", WAIT)
    enter(c, "LOOP1")
    c.wait_text("RUNNING", WAIT)
    return c


def test_a_signal_shuts_down_a_system_with_a_looping_exec1(tmp_path):
    proc, port, _ = start_serve(tmp_path)
    client = None
    try:
        client = start_exec1_loop(tmp_path, port)
        out = signal_and_wait(proc, signal.SIGTERM, bound=15)
    finally:
        if client is not None:
            client.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert_shut_down_cleanly(tmp_path, out, "CMSUSER")
