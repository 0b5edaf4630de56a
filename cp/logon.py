"""Terminal sessions: LOGON, reconnect, LOGOFF, DISCONNECT, FORCE, XAUTOLOG.

A Session is what ``system.connect(terminal)`` returns (cp.terminal).  Before
logon it accepts only LOGON (LOGIN); afterwards every line goes to the user's
console (cp.console), which gives it to CP or to the virtual machine.

Messages follow VM/370 (CP Command Reference for General Users, LOGON,
LOGOFF, DISCONN; the DMKLOG messages): ``LOGON AT hh:mm:ss zone weekday
mm/dd/yy``, ``RECONNECTED AT ...``, ``CONNECT= hh:mm:ss VIRTCPU= mmm:ss.hs
TOTCPU= mmm:ss.hs`` and ``LOGOFF AT ...``.  A wrong password is answered
after a delay that doubles with each failure for that user (up to
``system.max_logon_delay`` seconds), and every failure is logged.
"""
from __future__ import annotations

import asyncio
import time

from cp.commands import abbreviates, unknown_command
from cp.passwords import check_password

ONLINE_BANNER = "VM/370 ONLINE"


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
    return getattr(session.terminal, "address", "L001")


def terminal_label(session) -> str:
    """A user's terminal as the operator's LOGON/LOGOFF lines name it: the
    line type and address (``GRAF 0C0`` for a 3270, ``LINE 020`` for a
    typewriter line), or ``USER DSC`` for a disconnected user (as VM/370
    shows ``USER DSC LOGOFF AS userid``)."""
    if session is None or session.terminal is None:
        return "USER DSC"
    kind = "GRAF" if str(getattr(session.terminal, "kind", "")).startswith("327") else "LINE"
    return f"{kind} {terminal_address(session)}"


def accounting_line(vm) -> str:
    a = vm.account
    return (f"CONNECT= {connect_text(vm.connect_seconds())} VIRTCPU= {cpu_text(a.virtual_us)} "
            f"TOTCPU= {cpu_text(a.total_us)}")


class Session:
    """One terminal's conversation with CP (the terminal contract's session)."""

    def __init__(self, system, terminal):
        self.system = system
        self.terminal = terminal
        self.vm = None
        self.pending_logon: tuple[str, bool] | None = None   # (userid, noipl) awaiting password
        self.delayed = False
        terminal.put_line(ONLINE_BANNER)
        terminal.set_status("CP READ")

    # -- the terminal's calls --------------------------------------------------
    def enter(self, line: str) -> None:
        if self.terminal is None:
            return                          # the session has ended (LOGOFF, hang-up)
        if self.vm is not None:
            self.vm.console.input_line(line)
        elif self.delayed:
            return                          # input during the failed-logon delay is ignored
        elif self.pending_logon is not None:
            userid, noipl = self.pending_logon
            self.pending_logon = None
            self._check_password(userid, line.strip(), noipl)
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
            self._check_password(userid, given[0], noipl)
        else:
            self.pending_logon = (userid, noipl)
            self.terminal.ask_password("ENTER PASSWORD:")

    def _check_password(self, userid: str, password: str, noipl: bool) -> None:
        entry = self.system.directory.get(userid)
        if entry is None or not check_password(entry.password, password):
            self._failed(userid)
            return
        self.system.logon_failures.pop(userid, None)
        self.vm = self.system.logon(userid, self, noipl=noipl)
        if self.vm is None:
            return

    def _failed(self, userid: str) -> None:
        failures = self.system.logon_failures.get(userid, 0) + 1
        self.system.logon_failures[userid] = failures
        address = getattr(self.terminal, "address", "?")
        self.system.log(f"LOGON FAILED {userid} FROM {address} ATTEMPT {failures}")
        delay = min(self.system.logon_delay * 2 ** (failures - 1), self.system.max_logon_delay)
        message = "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE"
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
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
