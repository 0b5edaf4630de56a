"""A user's session on ``vm370 serve`` through s3270, as the QA pass did it:
the CMS system disks are there, CMSBATCH runs disconnected, and a deck
punched in from outside with ``vm370 punch`` reaches a logged-on user."""

import subprocess
import sys

from tests.cp.s3270kit import S3270
from tests.cp.servekit import start_serve, stop_serve


def logon(port, userid, password):
    c = S3270()
    c.do(f"Connect(127.0.0.1:{port})")
    c.do("Wait(10,InputField)")
    c.wait_text("VM/370 ONLINE")
    type_line(c, f"LOGON {userid} {password}")
    c.wait_text("VM READ")
    return c


def type_line(c, text):
    c.do("Clear()")
    c.do(f'String("{text}")')
    c.do("Enter()")


def test_serve_starts_the_cms_system_disks_cmsbatch_and_outside_punches(tmp_path):
    proc, port, _ = start_serve(tmp_path)
    c = None
    try:
        c = logon(port, "CMSUSER", "CMSUSER")
        type_line(c, "LISTFILE * MACLIB S")
        listed = c.wait_text("Ready")
        assert "CMSLIB   MACLIB   S2" in listed and "OSMACRO  MACLIB   S2" in listed
        type_line(c, "CP QUERY CMSBATCH")
        assert "CMSBATCH - DSC" in c.wait_text("Ready")
        deck = tmp_path / "deck.txt"
        deck.write_text("CARD ONE\nCARD TWO\n")
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "vm370",
                "punch",
                str(deck),
                "--to",
                "CMSUSER",
                "--system",
                str(tmp_path / "sys"),
            ],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        spoolid = r.stdout.split()[2]
        # the message shows by itself; a cleared screen could lose it
        assert f"RDR FILE {spoolid} SENT FROM SYSTEM" in c.wait_text(f"RDR FILE {spoolid}")
    finally:
        if c is not None:
            c.close()
        stop_serve(proc)


def test_a_running_system_is_not_opened_twice_and_batch_jobs_go_to_it(tmp_path):
    proc, port, _ = start_serve(tmp_path)
    try:
        sysdir = str(tmp_path / "sys")
        r = subprocess.run(
            [sys.executable, "-m", "vm370", "serve", "--system", sysdir, "--port", "0"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert r.returncode == 1
        assert f"the system in {sysdir} is already running (process {proc.pid})" in r.stderr
        deck = tmp_path / "q.job"
        deck.write_text("/JOB BOB 102 QJOB\nCP QUERY CMSBATCH\n/*\n")
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "vm370",
                "batch",
                str(deck),
                "--system",
                sysdir,
                "--timeout",
                "30",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        assert "CMSBATCH - DSC" in r.stdout  # run by the serving system's CMSBATCH
        assert "JOB 'QJOB' ENDED, RETURN CODE 0" in r.stdout
    finally:
        stop_serve(proc)


def enter(c, text, until="Ready"):
    """Type a line on a cleared screen; the screen once ``until`` shows."""
    type_line(c, text)
    return c.wait_text(until)


def test_a_users_day_on_vm370_serve_through_s3270(tmp_path):
    """The QA session: two users at once, a program assembled and run, a
    REXX EXEC with EXECIO and ADDRESS CP, SENDFILE/RECEIVE, PRINT found with
    vm370 printout, MSG, DISCONNECT and reconnect, LOGOFF."""
    proc, port, _ = start_serve(tmp_path)
    sysdir = str(tmp_path / "sys")
    alice = bob = None
    try:
        alice = logon(port, "ALICE", "ALICE")
        bob = logon(port, "BOB", "BOB")
        enter(alice, "COPYFILE HELLO ASSEMBLE Y = = A")
        assert "NO STATEMENTS FLAGGED" in enter(alice, "ASSEMBLE HELLO")
        assert "HELLO FROM CMS" in enter(alice, "LOAD HELLO (START")
        for line in (
            "/* */",
            "address CP 'QUERY NAMES'",
            "'EXECIO * CP (STEM N. STRING QUERY NAMES'",
            "'EXECIO 1 DISKW NAMES LIST A1 (STRING' n.1",
            "exit rc",
        ):
            enter(alice, f"EXECIO 1 DISKW WHO EXEC A1 (STRING {line}")
        shown = enter(alice, "WHO")
        assert "BOB" in shown and "Ready;" in shown
        assert "ALICE" in enter(alice, "TYPE NAMES LIST A")
        enter(alice, "SENDFILE HELLO ASSEMBLE A BOB")
        bob.wait_text("RDR FILE")
        bob.do("Clear()")
        assert "received from ALICE" in enter(bob, "RECEIVE")
        printed = enter(alice, "PRINT NAMES LIST A")
        spoolid = next(w for w in printed.split() if w.isdigit() and len(w) == 4)
        r = subprocess.run(
            [sys.executable, "-m", "vm370", "printout", spoolid, "--system", sysdir],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0 and "ALICE" in r.stdout and "NAMES    LIST" in r.stdout
        enter(bob, "CP MSG ALICE lunch?")
        assert "MSG FROM BOB" in alice.wait_text("lunch?") and "HOLDING" in alice.text()
        alice.do("Clear()")
        enter(bob, "CP DISCONNECT", until="VM/370 ONLINE")
        type_line(bob, "LOGON BOB BOB")
        bob.wait_text("RECONNECTED AT")
        enter(bob, "BEGIN", until="VM READ")
        assert "LOGOFF AT" in enter(bob, "LOGOFF", until="LOGOFF AT")
    finally:
        for c in (alice, bob):
            if c is not None:
                c.close()
        stop_serve(proc)
