"""Memory soak through the TN3270 server, as the users of ``vm370 serve`` see it:
each user connects with s3270, logs on (the directory's IPL CMS), types
``CP DEFINE STORAGE 16M``, ``IPL CMS`` and ``LOGOFF``, over and over; the
server's resident set size is read from /proc before and after.

    python -m bench.soak_tn3270 [--cycles 90] [--users 3]

Needs Debian's s3270.  The server runs on a new temporary system directory
with the default users (CMSUSER, ALICE, BOB: at most 3 at once).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

USERS = (("CMSUSER", "CMSUSER"), ("ALICE", "ALICE"), ("BOB", "BOB"))


class S3270:
    """s3270 driven through its standard input actions."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["s3270", "-model", "3279-2", "-codepage", "cp037"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def do(self, action: str) -> list[str]:
        self.proc.stdin.write(action + "\n")
        self.proc.stdin.flush()
        data = []
        while True:
            line = self.proc.stdout.readline()
            if not line or line.strip() == "error":
                raise RuntimeError(f"s3270 {action}: {data}")
            if line.startswith("data: "):
                data.append(line[6:].rstrip("\n"))
            elif line.strip() == "ok":
                return data

    def wait_text(self, text: str, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while text not in "\n".join(self.do("Ascii()")):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} did not appear")
            time.sleep(0.02)

    def enter(self, line: str) -> None:
        self.do(f'String("{line}")')
        self.do("Enter()")

    def close(self) -> None:
        try:
            self.do("Quit()")
        except (RuntimeError, OSError):
            pass
        self.proc.wait(10)


def one_cycle(port: int, userid: str, password: str) -> None:
    c = S3270()
    try:
        c.do(f"Connect(127.0.0.1:{port})")
        c.do("Wait(30,InputField)")
        c.enter(f"logon {userid} {password}")
        c.wait_text("VM READ")
        c.enter("cp define storage 16m")
        c.wait_text("CP READ")
        c.enter("ipl cms")
        c.wait_text("VM READ")
        c.enter("logoff")
        c.wait_text("VM/370 ONLINE")
    finally:
        c.close()


def start_server(sysdir: Path) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vm370", "serve", "--system", str(sysdir), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in proc.stdout:
        if "LISTENING ON" in line:
            return proc, int(line.rsplit(":", 1)[1])
    raise RuntimeError("vm370 serve did not start")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * 4096 / (1 << 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak_tn3270", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--cycles", type=int, default=90, help="cycles in all")
    parser.add_argument("--users", type=int, default=3, choices=(1, 2, 3))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vm370-soak-") as tmp:
        proc, port = start_server(Path(tmp) / "sys")
        try:
            for userid, password in USERS[: args.users]:
                one_cycle(port, userid, password)  # warm-up
            before = rss_mb(proc.pid)
            started = time.monotonic()
            per_user = max(1, args.cycles // args.users)

            def work(userid, password):
                for _ in range(per_user):
                    one_cycle(port, userid, password)

            threads = [threading.Thread(target=work, args=u) for u in USERS[: args.users]]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            after = rss_mb(proc.pid)
            seconds = time.monotonic() - started
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
    print(
        f"{per_user * args.users} cycles of LOGON, DEFINE STORAGE 16M, IPL CMS, LOGOFF over"
        f" TN3270 by {args.users} users in {seconds:.1f} s"
    )
    print(f"server RSS before: {before:.1f} MB   after: {after:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
