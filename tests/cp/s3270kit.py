"""Driving a real 3270 client: a TN3270 server (cp.tn3270) on its own event loop
thread, and Debian's s3270 through its stdin actions.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time


class ServerThread:
    """A TN3270 server (on port 0) for ``make_system()`` in a background loop."""

    def __init__(self, make_system, **server_options):
        self.make_system = make_system
        self.server_options = server_options
        self.loop = None
        self.system = None
        self.server = None
        self.port = None
        self._ready = threading.Event()
        self._stop = None
        self._error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("TN3270 server did not start")
        if self._error:
            raise self._error
        return self

    def __exit__(self, *exc):
        if self.loop is not None and self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(20)

    def _run(self):
        asyncio.run(self._main())

    async def _main(self):
        from cp.tn3270 import TN3270Server

        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            self.system = self.make_system()
            self.server = TN3270Server(self.system, port=0, **self.server_options)
            self.port = await self.server.start()
        except Exception as exc:  # reported to the test thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stop.wait()
        await self.server.close()

    def call(self, fn, *args):
        """Run fn(*args) on the server's loop and return its result."""

        async def run():
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)


def wait_for(condition, timeout=10.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


class S3270:
    """Debian's s3270 driven through its stdin actions."""

    ARGS = ["s3270", "-model", "3279-2", "-codepage", "cp037", "-xrm", "s3270.unlockDelay: false"]

    def __init__(self, *extra):
        self.proc = subprocess.Popen(
            self.ARGS + list(extra),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.status = ""

    def do(self, action: str) -> list[str]:
        """One action; returns its data lines (raises on error)."""
        self.proc.stdin.write(action + "\n")
        self.proc.stdin.flush()
        data = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"s3270 ended during {action}")
            line = line.rstrip("\n")
            if line.startswith("data: "):
                data.append(line[6:])
            elif line == "ok":
                return data
            elif line == "error":
                raise RuntimeError(f"s3270 {action}: {data}")
            else:
                self.status = line

    def screen(self) -> list[str]:
        return self.do("Ascii()")

    def text(self) -> str:
        return "\n".join(self.screen())

    def row(self, n: int) -> str:
        return self.screen()[n]

    def wait_text(self, text: str, timeout: float = 10.0) -> str:
        return wait_for(lambda: text in (s := self.text()) and s, timeout)

    def keyboard_unlocked(self) -> bool:
        self.do("Query(ConnectionState)")
        return self.status.startswith("U")

    def close(self):
        try:
            self.do("Quit()")
        except (RuntimeError, BrokenPipeError, OSError):
            pass
        self.proc.wait(10)


def s3270_logon(st, user, password, *extra):
    c = S3270(*extra)
    c.do(f"Connect(127.0.0.1:{st.port})")
    c.do("Wait(10,InputField)")
    c.wait_text("VM/370 ONLINE")
    c.do(f'String("LOGON {user}")')
    c.do("Enter()")
    c.wait_text("ENTER PASSWORD:")
    c.do(f'String("{password}")')
    c.do("Enter()")
    c.wait_text("LOGON AT")
    return c


def enter(c, line):
    c.do(f'String("{line}")')
    c.do("Enter()")


def status(c):
    return c.screen()[-1][-20:].strip()
