"""A small stand-in for CP behind the terminal contract (cp.terminal).

It logs users on with the real dialogue shape (LOGON userid, ENTER PASSWORD,
LOGMSG/LOGON AT), answers a few commands and delivers MSG with the alarm, so
the 3270 console, the TN3270 server and the Textual console can be tested
apart from CP itself.
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
        self.terminal.fullscreen(
            bytes.fromhex("F5C3")
            + b"\x11\x40\x40\x1d\x60"
            + "FULL".encode("cp037")
            + b"\x1d\x40\x13"
        )

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

    console = SimpleNamespace(
        typeahead=list(typeahead),
        options=TerminalOptions(),
        fullscreen_callback=fullscreen_callback,
    )
    return SimpleNamespace(
        console=console, settings=SimpleNamespace(pf=dict(pf or {})), wake=lambda: None
    )


class FakeSystem:
    name = "FAKEVM"
    shut_down = False

    def __init__(self):
        self.sessions: dict[str, FakeSession] = {}
        self.hangups: list = []
        self.connects = 0
        self.users: dict = {}  # no virtual machines behind the stand-in

    def connect(self, terminal) -> FakeSession:
        self.connects += 1
        return FakeSession(self, terminal)
