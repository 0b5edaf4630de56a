"""``vm370 serve`` as a process: started on a free port in a system directory,
stopped with SIGINT, and whether it let go of the directory's lock.
"""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys


def start_serve(tmp_path, *extra):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vm370",
            "serve",
            "--system",
            str(tmp_path / "sys"),
            "--port",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip())
        if "LISTENING ON" in line:
            return proc, int(line.rsplit(":", 1)[1]), lines
    proc.wait(10)
    raise AssertionError(f"vm370 serve did not start: {lines}")


def stop_serve(proc):
    proc.send_signal(signal.SIGINT)
    out = proc.stdout.read()
    assert proc.wait(20) == 0
    return out


def lock_is_free(sysdir) -> bool:
    with open(sysdir / "log" / "system.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True
