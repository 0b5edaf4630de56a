"""Terminal sessions: LOGON, reconnect, LOGOFF, DISCONNECT, FORCE, XAUTOLOG.

A Session is what ``system.connect(terminal)`` returns (cp.terminal).  Before
logon it accepts only LOGON (LOGIN); afterwards every line goes to the user's
console (cp.console), which gives it to CP or to the virtual machine.

Messages follow VM/370 (CP Command Reference for General Users, LOGON,
LOGOFF, DISCONN; the DMKLOG messages): ``LOGON AT hh:mm:ss zone weekday
mm/dd/yy``, ``RECONNECTED AT ...``, ``CONNECT= hh:mm:ss VIRTCPU= mmm:ss.hs
TOTCPU= mmm:ss.hs`` and ``LOGOFF AT ...``.  Password attempts are paced by
the System's logon throttle (cp.security): an attempt is checked only when
its user id and client address allow one, the answer to a wrong one comes
when the next may be made, a user id is disabled after too many failures,
and every failure is logged with the client's address.
"""

from __future__ import annotations

import asyncio
import time

from cp.abbrev import abbreviates
from cp.errors import unknown_command
from cp.passwords import check_password
from cp.security import client_host

ONLINE_BANNER = "VM/370 ONLINE"


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None  # a test driving CP without an event loop


def logon_disabled_message(userid: str) -> str:
    """The answer while a user id is disabled after too many wrong
    passwords (ours: VM/370 had no such limit; z/VM journaling has one)."""
    return f"DMKLOG091E LOGON {userid} DISABLED - TOO MANY INCORRECT PASSWORDS; SEE OPERATOR"


def timestamp(when: float | None = None) -> str:
    """``hh:mm:ss zone WEEKDAY mm/dd/yy`` as in LOGON AT / LOGOFF AT."""
    t = time.localtime(when)
    return time.strftime("%H:%M:%S %Z %A %m/%d/%y", t).upper()


def cpu_text(microseconds: int) -> str:
    """``mmm:ss.hs`` (minutes, seconds, hundredths) as in VIRTCPU= / TOTCPU=."""
    hundredths = microseconds // 10000
    minutes, rest = divmod(hundredths, 6000)
    return f"{minutes:03d}:{rest // 100:02d}.{rest % 100:02d}"


def connect_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def terminal_address(session) -> str:
    """The address of a session's terminal as QUERY NAMES and the log show
    it (e.g. ``0C0``, ``L001``), or DSC when there is no terminal."""
    if session is None or session.terminal is None:
        return "DSC"
    return session.terminal.address


def terminal_label(session) -> str:
    """A user's terminal as the operator's LOGON/LOGOFF lines name it: the
    line type and address (``GRAF 0C0`` for a 3270, ``LINE 020`` for a
    typewriter line), or ``USER DSC`` for a disconnected user (as VM/370
    shows ``USER DSC LOGOFF AS userid``)."""
    if session is None or session.terminal is None:
        return "USER DSC"
    kind = "GRAF" if session.terminal.kind.startswith("327") else "LINE"
    return f"{kind} {terminal_address(session)}"


def accounting_line(vm) -> str:
    a = vm.account
    return (
        f"CONNECT= {connect_text(vm.connect_seconds())} VIRTCPU= {cpu_text(a.virtual_us)} "
        f"TOTCPU= {cpu_text(a.total_us)}"
    )


class Session:
    """One terminal's conversation with CP (the terminal contract's session)."""

    def __init__(self, system, terminal):
        self.system = system
        self.terminal = terminal
        self.vm = None
        self.pending_logon: tuple[str, bool] | None = None  # (userid, noipl) awaiting password
        self.delayed = False
        self._waiting = None  # the timer of a password waiting its turn
        terminal.put_line(ONLINE_BANNER)
        terminal.set_status("CP READ")

    # -- the terminal's calls --------------------------------------------------
    def enter(self, line: str) -> None:
        if self.terminal is None:
            return  # the session has ended (LOGOFF, hang-up)
        if self.vm is not None:
            self.vm.console.input_line(line)
        elif self.delayed:
            return  # input while a password waits for its turn is ignored
        elif self.pending_logon is not None:
            userid, noipl = self.pending_logon
            self.pending_logon = None
            self._attempt(userid, line.strip(), noipl)
        else:
            self._pre_logon(line)

    def attention(self) -> None:
        if self.vm is not None and self.terminal is not None:
            self.vm.console.enter_cp()

    def fullscreen_input(self, data: bytes) -> None:
        if self.vm is not None and self.terminal is not None:
            self.vm.console.fullscreen_input(bytes(data))

    def hangup(self) -> None:
        """The line dropped: the user is disconnected, the VM keeps running."""
        if self.vm is not None:
            self.system.disconnect(self.vm, announce=False)
        if self._waiting is not None:
            self._waiting.cancel()  # a guess never checked holds nobody up
            self._waiting = None
        self.terminal = None

    # -- before logon ---------------------------------------------------------
    def _pre_logon(self, line: str) -> None:
        words = line.upper().split()
        if not words:
            return
        if not (abbreviates(words[0], "LOGON", 1) or abbreviates(words[0], "LOGIN", 4)):
            self.terminal.put_line(str(unknown_command()))
            return
        if len(words) < 2:
            self.terminal.put_line("DMKLOG020E USERID MISSING OR INVALID")
            return
        raw = line.split()
        userid = words[1]
        options = [w for w in words[2:] if w in ("NOIPL", "NOI", "MASK", "M")]
        noipl = any(w.startswith("NOI") for w in options)
        given = [w for w, up in zip(raw[2:], words[2:]) if up not in options]
        entry = self.system.directory.get(userid)
        if entry is None or entry.nolog:
            self.terminal.put_line(f"DMKLOG053E {userid} NOT IN CP DIRECTORY")
            return
        if given:
            self._attempt(userid, given[0], noipl)
        else:
            self.pending_logon = (userid, noipl)
            self.terminal.ask_password("ENTER PASSWORD:")

    @property
    def peer(self) -> str:
        """Where the terminal is: the client's ``host:port`` for a TN3270
        display, LOCAL for a console of this process (cp.terminal)."""
        return self.terminal.peer if self.terminal is not None else "LOCAL"

    def _guess_keys(self, userid: str) -> tuple:
        """What a wrong password counts against: the user id and the client's
        address (cp.security: the System keeps the counts across sessions)."""
        return (("USER", userid), ("ADDR", client_host(self.peer)))

    def _attempt(self, userid: str, password: str, noipl: bool) -> None:
        """Check a password no earlier than the throttle allows: the check
        itself waits, not only the answer, so a new connection per guess
        gains nothing."""
        self._waiting = None
        self.delayed = False
        if self.terminal is None:
            return
        keys = self._guess_keys(userid)
        wait = self.system.logon_throttle.wait(keys)
        loop = _running_loop()
        if wait <= 0 or loop is None or self.system.logon_throttle.locked(keys):
            self._check_password(userid, password, noipl, keys)
            return
        self.delayed = True  # asks again when the turn may have come
        self._waiting = loop.call_later(wait, self._attempt, userid, password, noipl)

    def _check_password(self, userid: str, password: str, noipl: bool, keys: tuple) -> None:
        throttle = self.system.logon_throttle
        if throttle.locked(keys):
            self.system.log(f"LOGON REFUSED {userid} FROM {self.peer}: LOGON DISABLED")
            self.terminal.put_line(logon_disabled_message(userid))
            return
        entry = self.system.directory.get(userid)
        if entry is None or not check_password(entry.password, password):
            self._failed(userid, keys)
            return
        throttle.succeeded(keys)
        self.vm = self.system.logon(userid, self, noipl=noipl)

    def _failed(self, userid: str, keys: tuple) -> None:
        """A wrong password: logged with the client's address; the answer
        comes when the next attempt may be checked (VM/370 delays it), and
        the operator hears of a user id disabled or an address at the limit."""
        throttle = self.system.logon_throttle
        verdict = throttle.failed(keys)
        failures = throttle.failures(keys[0])
        self.system.log(
            f"LOGON FAILED {userid} FROM {self.peer} TERMINAL "
            f"{self.terminal.address if self.terminal is not None else '?'} ATTEMPT {failures}"
        )
        self.system.report_guessing("LOGON", verdict, self.peer, userid)
        message = "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE"
        delay = throttle.wait(keys)
        loop = _running_loop()
        if loop is None or delay <= 0:
            self.terminal.put_line(message)
            return
        self.delayed = True

        def answer():
            self.delayed = False
            if self.terminal is not None:
                self.terminal.put_line(message)

        loop.call_later(delay, answer)

    # -- after logoff / disconnect --------------------------------------------
    def end(self) -> None:
        """CP ended this terminal's session (LOGOFF, DISCONNECT, FORCE, SHUTDOWN)."""
        self.vm = None
        if self.terminal is not None:
            self.terminal.closed()
        self.terminal = None
