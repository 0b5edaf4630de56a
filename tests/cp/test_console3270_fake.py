"""A small stand-in for CP behind the terminal contract (cp.terminal).

It logs users on with the real dialogue shape (LOGON userid, ENTER PASSWORD,
LOGMSG/LOGON AT), answers a few commands and delivers MSG with the alarm, so
the 3270 console and the TN3270 server can be tested apart from CP itself.
The end-to-end tests against the real CP are in test_tn3270_cp.py.
"""
from __future__ import annotations

PASSWORDS = {"MAINT": "CPCMS", "CMSUSER": "CMSUSER"}


class FakeSession:
    def __init__(self, system, terminal):
        self.system = system
        self.terminal = terminal
        self.userid = None
        self.pending_user = None
        self.entered: list[str] = []
        self.attentions = 0
        self.fullscreen_inputs: list[bytes] = []
        self.vm = None
        terminal.set_status("CP READ")

    def enter(self, line: str) -> None:
        self.entered.append(line)
        t = self.terminal
        if self.pending_user:
            user, self.pending_user = self.pending_user, None
            return self._logon(user, line)
        words = line.split()
        if not words:
            return
        verb = words[0].upper()
        if self.userid is None:
            if verb not in ("LOGON", "L", "LOGIN"):
                t.put_line("DMKCFM001E UNKNOWN CP COMMAND")
                return
            if len(words) < 2:
                t.put_line("DMKLOG020E USERID MISSING OR INVALID")
                return
            if len(words) == 2:
                self.pending_user = words[1].upper()
                t.ask_password("ENTER PASSWORD:")
                return
            return self._logon(words[1].upper(), words[2])
        if verb == "LINES":
            for i in range(int(words[1])):
                t.put_line(f"LINE {i + 1:03d}")
        elif verb == "MSG":
            other = self.system.sessions.get(words[1].upper())
            if other is None:
                t.put_line(f"DMKMSG045E {words[1].upper()} NOT LOGGED ON")
                return
            other.terminal.put_line(f"MSG FROM {self.userid}: {' '.join(words[2:])}", alarm=True)
        elif verb == "LOGOFF":
            t.put_line("LOGOFF AT 12:00:00 UTC")
            del self.system.sessions[self.userid]
            t.closed()
        elif verb == "RUN":
            t.set_status("RUNNING")
        elif verb == "FS":
            self.draw_fullscreen()
        else:
            t.put_line(f"DMKCFM001E UNKNOWN CP COMMAND: {verb}")

    def _logon(self, user: str, password: str) -> None:
        if PASSWORDS.get(user) != password.upper():
            self.terminal.put_line("DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE")
            return
        old = self.system.sessions.get(user)
        self.userid = user
        self.system.sessions[user] = self
        if old is not None and old.terminal is None:
            self.terminal.put_line("RECONNECTED AT 12:00:00 UTC")
        else:
            self.terminal.put_line("LOGON AT 12:00:00 UTC")
        self.terminal.set_status("CP READ")

    def attention(self) -> None:
        self.attentions += 1
        self.terminal.set_status("CP READ")

    def draw_fullscreen(self) -> None:
        """A guest's full-screen write: a protected title and one input field."""
        self.terminal.fullscreen(bytes.fromhex("F5C3") + b"\x11\x40\x40\x1d\x60"
                                 + "FULL".encode("cp037") + b"\x1d\x40\x13")

    def fullscreen_input(self, data: bytes) -> None:
        """Like a full-screen application: CLEAR redraws, PF3 quits."""
        self.fullscreen_inputs.append(data)
        if data[:1] == b"\x6d":
            self.draw_fullscreen()
        elif data[:1] == b"\xf3":
            self.terminal.fullscreen(b"")

    def hangup(self) -> None:
        self.system.hangups.append(self.userid)
        self.terminal = None


def stand_in_vm(pf=None, typeahead=(), fullscreen_callback=None):
    """What the 3270 console reads of a logged-on VM (cp.vm.VirtualMachine):
    its SET PFnn keys, its console's type-ahead, TERMINAL options and
    full-screen read, and its wake-up call."""
    from types import SimpleNamespace

    from cp.console import TerminalOptions
    console = SimpleNamespace(typeahead=list(typeahead), options=TerminalOptions(),
                              fullscreen_callback=fullscreen_callback)
    return SimpleNamespace(console=console, settings=SimpleNamespace(pf=dict(pf or {})),
                           wake=lambda: None)


class FakeSystem:
    name = "FAKEVM"
    shut_down = False

    def __init__(self):
        self.sessions: dict[str, FakeSession] = {}
        self.hangups: list = []
        self.connects = 0
        self.users: dict = {}          # no virtual machines behind the stand-in

    def connect(self, terminal) -> FakeSession:
        self.connects += 1
        return FakeSession(self, terminal)


# ---------------------------------------------------------------------------
# Running a TN3270 server on its own event loop thread, and driving s3270.

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
        except Exception as exc:         # reported to the test thread
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
        self.proc = subprocess.Popen(self.ARGS + list(extra), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
