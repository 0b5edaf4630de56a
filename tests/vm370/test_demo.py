"""``vm370 demo``: each demo runs headless on a throwaway system and its
transcript shows what happened; bad names list the demos; Ctrl+C leaves
nothing behind."""

import argparse
import io
import os
import signal
import subprocess
import sys

import pytest

from vm370 import demo as demo_mod
from vm370.demo import DEMOS, run_headless
from vm370.demo_console import demo_main as main
from vm370.stage import running_system


def options(**kw):
    base = {"system": None, "pace": 0.0, "pdf": None, "headless": True, "serve": False}
    base.update(kw)
    return argparse.Namespace(**base)


async def play(name, **kw):
    out = io.StringIO()
    stage = await run_headless(DEMOS[name], options(**kw), out=out)
    return stage, out.getvalue().splitlines()


def test_the_list_has_one_line_per_demo(capsys):
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("VM/370 demos")
    names = [line.split()[0] for line in lines[1:]]
    assert names == list(DEMOS)
    assert {"machines", "spool", "batch", "standalone", "guests", "cpincp"} <= set(names)
    assert any("[needs a TCP/IP stack in a guest" in line for line in lines)


def test_an_unknown_name_lists_the_valid_ones(capsys):
    assert main(["nosuchdemo"]) == 2
    err = capsys.readouterr().err
    assert "no demo named 'nosuchdemo'" in err
    for name in DEMOS:
        assert f"  {name} " in err


@pytest.mark.parametrize("name,needs", [("guests", "TCP/IP"), ("cpincp", "(DAT)")])
def test_a_future_demo_says_what_it_needs(capsys, name, needs):
    assert main([name, "--headless"]) == 3
    assert needs in capsys.readouterr().err


async def test_many_machines_share_the_cpu():
    stage, out = await play("machines")
    assert stage.actors.keys() == {"ALICE", "BOB", "CMSUSER", "OPERATOR"}
    text = "\n".join(out)
    assert "BOB       SPIN: COUNTING FOR EVER. CP STILL SHARES THE CPU." in out
    assert "CMSUSER      168 PRIMES BELOW 1000" in out
    assert "ALICE     VM/370 CMS" in text
    load = [line for line in out if line.startswith("OPERATOR  ") and "VTIME=" in line]
    users = {line.split()[1]: line.split()[2] for line in load}
    assert users["BOB"] == "RUN" and users["CMSUSER"] == "CP"  # the loop runs, the sieve ended
    assert "BOB's machine is still running" in text
    assert "CP-67/CMS" in text and "1972" in text  # the history is told


async def test_the_spool_moves_a_deck_and_prints_it():
    stage, out = await play("spool")
    assert stage.actors.keys() == {"ALICE", "BOB"}
    assert "ALICE     PUN FILE 0001  TO  ALICE    COPY 01 NOHOLD" in out
    assert "ALICE     0001 FILE TRANSFERRED" in out  # CP TRANSFER to BOB
    assert any(line.startswith("BOB       RDR FILE") and "FROM ALICE" in line for line in out)
    printed = [line[10:] for line in out if line.startswith("PRINTER")]
    assert any("USERID BOB" in line and "FILE HELLO    ASSEMBLE" in line for line in printed)
    assert "HELLO    CSECT" in printed and "         END   HELLO" in printed
    assert len(stage.printouts) == 1


async def test_batch_runs_the_job_stream():
    _, out = await play("batch")
    text = "\n".join(out)
    for job in ("ASMGO", "REXX", "SORT"):
        assert f"-- Job {job} ended, return code 0" in text
    assert "PRINTER   5 SQUARED IS 25." in out
    assert "PRINTER   25 primes below 100, the last is 97" in out
    timeline = out[out.index("PRINTER   TYPE TIMELINE DATA A") + 1 :][:6]
    years = [line[10:14] for line in timeline]
    assert years == ["1964", "1967", "1972", "1980", "1988", "2000"]  # sorted by SORT


async def test_standalone_programs(tmp_path):
    pdf = tmp_path / "banner.pdf"
    stage, out = await play("standalone", pdf=str(pdf))
    text = "\n".join(out)
    assert "CMSUSER     15 MOVES, THE FEWEST POSSIBLE (2**4-1)" in out
    assert "CMSUSER   MOVE DISK 4 FROM A TO C" in out
    assert "CMSUSER   LIFE: 32 GENERATIONS SHOWN WITH DIAGNOSE X'58'" in out
    life = stage.actors["CMSUSER"].seat.screen_rows()
    assert "GENERATION  31" in "\n".join(life)
    assert "CMSUSER   TOUCHDOWN AT  10 M/S. THE EAGLE HAS LANDED." in out
    assert text.count("DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 80000000'") == 5
    printed = [line[10:] for line in out if line.startswith("PRINTER")]
    assert any("EVERY USER THEIR OWN VIRTUAL SYSTEM/370" in line for line in printed)
    assert pdf.read_bytes().startswith(b"%PDF")


async def test_a_throwaway_system_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    async with running_system() as system:
        assert system.path.parent == tmp_path and system.path.exists()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_leaves_no_system_and_no_files(tmp_path):
    """SIGINT in the middle of a demo: the system is shut down and the
    throwaway directory removed before the process ends."""
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vm370", "demo", "machines", "--headless", "--pace", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=os.path.dirname(os.path.dirname(demo_mod.__file__)),
    )
    try:
        for line in proc.stdout:
            if "LOGON ALICE" in line:
                break
        assert any(tmp_path.iterdir())  # the throwaway system is there
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted; the system is shut down" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_serve_plays_the_demo_for_tn3270_clients(tmp_path):
    """--serve: the demo runs while a TN3270 server takes connections; Ctrl+C
    ends both and removes the throwaway system."""
    import socket

    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vm370", "demo", "spool", "--serve", "--port", "0", "--pace", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=os.path.dirname(os.path.dirname(demo_mod.__file__)),
    )
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line.rstrip())
            if line.startswith("VM370 TN3270 SERVER LISTENING ON"):
                port = int(line.rsplit(":", 1)[1])
                with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
                    assert client.recv(3)[:1] == b"\xff"  # telnet negotiation begins
            if "The demo is over" in line:
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert any("PRINTER            END   HELLO" in line for line in seen), seen[-20:]
    assert proc.returncode == 130 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


async def test_a_demo_on_a_given_system_keeps_it(tmp_path):
    sysdir = tmp_path / "sys"
    stage, _ = await play("spool", system=sysdir)
    assert sysdir.is_dir() and stage.printouts and stage.printouts[0].exists()


def test_a_demo_on_a_system_without_its_users(tmp_path, capsys):
    sysdir = tmp_path / "sys"
    sysdir.mkdir()
    (sysdir / "user.direct").write_text("USER SOLO SOLOPW 1M 2M G\n CONSOLE 009 3215\n")
    (sysdir / "user.direct").chmod(0o600)
    assert main(["machines", "--headless", "--system", str(sysdir)]) == 1
    assert "the system directory has no user ALICE" in capsys.readouterr().err
