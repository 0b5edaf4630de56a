"""``vm370`` (the Textual console) as a process on a terminal: Ctrl+C typed
at the terminal and SIGTERM both shut the system down as CP's SHUTDOWN does
and end the process with status 0."""

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.cp.servekit import lock_is_free

ROOT = Path(__file__).resolve().parents[2]
BOUND = 60  # seconds: a bound for a hang, not a speed check


class ConsoleProcess:
    """``python -m vm370`` on a pseudo-terminal of 100x30."""

    def __init__(self, sysdir: Path):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vm370", "--system", str(sysdir)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=dict(os.environ, TERM="xterm-256color"),
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 1 << 16)
                except OSError:  # the process ended and closed the terminal
                    return

    def wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + BOUND
        while not condition():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{what}: not reached")
            self.pump(0.1)

    def wait_exit(self) -> int:
        deadline = time.monotonic() + BOUND
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.pump(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError("vm370 did not end")
        self.pump(0.2)
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self.master)


@pytest.mark.parametrize("how", ["ctrl+c", "SIGTERM"])
def test_the_console_process_shuts_the_system_down(tmp_path, how):
    sysdir = tmp_path / "sys"
    log = sysdir / "log" / "system.log"
    console = ConsoleProcess(sysdir)
    try:
        # CMSBATCH (autologged, running CMS) is up and the screen is drawn
        console.wait_until(
            lambda: (
                log.exists() and "LOGON CMSBATCH" in log.read_text() and len(console.output) > 1000
            ),
            "the console is up",
        )
        if how == "ctrl+c":
            os.write(console.master, b"\x03")
        else:
            console.proc.send_signal(signal.SIGTERM)
        assert console.wait_exit() == 0
    finally:
        console.close()
    assert b"DMKCPI961W SYSTEM SHUTDOWN COMPLETE" in console.output
    text = log.read_text()
    assert "LOGOFF CMSBATCH SYSTEM SHUTDOWN" in text and text.rstrip().endswith("SHUTDOWN")
    assert lock_is_free(sysdir)
