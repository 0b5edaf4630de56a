"""The System: everything CP knows about one running VM/370.

``System(sysdir, named_systems=...)`` reads the user directory of a system
directory (cp.sysdir), keeps the logged-on virtual machines, the spool, the
minidisk link table, the dispatcher, the message of the day and the log.
Terminals come in through ``connect`` (cp.terminal contract).
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from cp import commands
from cp import sysdir as sysdir_mod
from cp.console import TerminalOptions
from cp.dispatcher import Dispatcher
from cp.errors import CommandError
from cp.ipl import ipl
from cp.lan import LanSwitch
from cp.links import LinkTable
from cp.logon import Session, accounting_line, terminal_address, timestamp
from cp.security import (
    GuessPolicy,
    Safeguards,
    Throttle,
    append_private,
    exposed_paths,
    open_private,
    private_dir,
)
from cp.spool import Spool, logon_files_line
from cp.vm import VirtualMachine, build_devices
from cp.vmcf import Vmcf

_log = logging.getLogger("vm370.cp")
#: Accounting records (``System.account``), in the system directory.
ACCOUNTING_FILE = Path("log") / "accounting"

#: The system identifier when none is given (z/VM: SYSTEM_IDENTIFIER in SYSTEM CONFIG).
DEFAULT_NAME = "VM370"


class System:
    """One VM/370 system built from a system directory."""

    def __init__(
        self,
        sysdir,
        named_systems: dict | None = None,
        directory=None,
        logon_delay: float | None = None,
        max_logon_delay: float | None = None,
        format_disk=None,
        name: str = DEFAULT_NAME,
        safeguards: Safeguards | None = None,
        clock=time.monotonic,
    ):
        self.path = Path(sysdir)
        self.name = name.upper()[:8]  # the system identifier (logon screen, QUERY USERID)
        self.unlogged: list[str] = []  # log lines a full disk kept out of the log
        self.directory = (
            directory
            if directory is not None
            else sysdir_mod.load_directory(self.path, format_disk, self.log)
        )
        self.named_systems = dict(named_systems or {})
        self.users: dict[str, VirtualMachine] = {}
        self.links = LinkTable(self)
        self.dispatcher = Dispatcher(self)
        self.operator = "OPERATOR"
        self.spool = Spool.for_system(self.path)
        for line in self.spool.recovery_log:
            self.log(f"SPOOL RECOVERY: {line}")  # what a crash left half-done, at start
        self.spool.trouble_hooks.append(self.spool_trouble)
        self.logmsg: list[str] = sysdir_mod.read_logmsg(self.path, report=self.log)
        self.safeguards = _safeguards(safeguards, logon_delay, max_logon_delay)
        #: Wrong LOGON/XAUTOLOG passwords per user id and client address;
        #: wrong LINK passwords per linking user and minidisk (cp.security).
        self.logon_throttle = Throttle(self.safeguards.logon, locking=("USER",), clock=clock)
        self.link_throttle = Throttle(self.safeguards.link, locking=("LINKER",), clock=clock)
        self.security_warnings = self._check_private()
        #: The real devices of system.config (cp.devices.realdevices), read when first needed.
        self.real_devices: dict | None = None
        self.lans = LanSwitch.for_system(self)  # the guest LANs (cp.lan)
        self.vmcf = Vmcf(self)  # DIAGNOSE X'68' (cp.vmcf)
        self.started = time.time()
        self.shut_down = False

    # -- terminals ---------------------------------------------------------
    def connect(self, terminal) -> Session:
        return Session(self, terminal)

    # -- CP commands ---------------------------------------------------------
    def execute_command(self, vm, line: str, reply, ask_password=None) -> int:
        """Run one CP command line as ``vm``'s user (cp.commands): typed at
        the console or issued by the guest (DIAGNOSE X'08').  The System is
        where CP's core meets its command table: the console and the guest
        services reach the commands through here, never by importing them.
        A slice of the VM running on its worker thread (SET RUN ON lets the
        VM run while its user types CP commands) is ended first, so that a
        command reading or changing the VM (DISPLAY, STORE, TRACE, ADSTOP)
        never meets a CPU that executes meanwhile; the VM goes on at its
        next turn."""
        if vm is not None:
            self.dispatcher.end_slice_in_flight(vm)
        return commands.execute(self, vm, line, reply, ask_password)

    # -- users ---------------------------------------------------------------
    def find_user(self, userid: str):
        """The logged-on VirtualMachine of ``userid``, or None."""
        return self.users.get(userid.upper())

    def notify(self, userid: str, text: str, alarm: bool = True) -> bool:
        """Show a line on a logged-on user's console; False if not logged on."""
        vm = self.find_user(userid)
        if vm is None:
            return False
        vm.console.write_line(text, alarm)
        return True

    def log(self, text: str) -> None:
        """Append a line to the system log (log/system.log in the system
        directory, owner-only like everything there).  When the disk is full the line is kept and written
        with the next one that fits: no line is lost, nobody gets a traceback."""
        self.unlogged.append(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")
        try:
            logdir = private_dir(self.path / "log")
            with append_private(logdir / "system.log") as f:
                f.write("".join(self.unlogged))
        except OSError:
            return
        self.unlogged = []

    def account(self, userid: str, data: dict) -> bool:
        """An accounting record a virtual machine generated (DIAGNOSE X'4C',
        user data): one JSON line {"time", "userid", "data"} appended to
        log/accounting and made durable before it counts as written.  The
        CMS batch machine writes one per job (cms.batch), which ``vm370
        batch`` reads.  False (and a log line) when it could not be written."""
        line = (
            json.dumps({"time": time.time(), "userid": userid, "data": data}, sort_keys=True) + "\n"
        )
        try:
            private_dir((self.path / ACCOUNTING_FILE).parent)
            fd = open_private(self.path / ACCOUNTING_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            self.log(
                f"ACCOUNTING RECORD OF {userid} NOT WRITTEN: {err.strerror or err}: {line.strip()}"
            )
            return False
        return True

    def spool_trouble(self, text: str, userid: str = "") -> None:
        """The spool reports a damaged or quarantined file or a full disk:
        into the log, to the operator, and to the user concerned."""
        self.log(f"SPOOL: {text}")
        for who in dict.fromkeys(u for u in (userid, self.operator) if u):
            self.notify(who, text)

    # -- security ------------------------------------------------------------
    def alert_operator(self, text: str) -> None:
        """A security event: the system log, the operator's console (with the
        alarm) when the operator is logged on, and Python's log (the
        process's own console)."""
        self.log(text)
        self.notify(self.operator, text)
        _log.warning("%s", text)

    def report_guessing(self, what: str, verdict, peer: str, target: str) -> None:
        """Tell the operator of keys that just reached their failure limit:
        a user id (or linking user) disabled, an address or minidisk slowed."""
        for kind, name, *rest in verdict.limit_reached:
            locked = (kind, name, *rest) in verdict.newly_locked
            subject = " ".join(str(part) for part in (name, *rest))
            policy = self.safeguards.logon if what == "LOGON" else self.safeguards.link
            if locked:
                self.alert_operator(
                    f"DMKJRL092I {what} {kind} {subject} DISABLED FOR "
                    f"{int(policy.lockout_seconds // 60)} MIN AFTER "
                    f"{policy.limit} INCORRECT PASSWORDS; LAST FROM {peer} FOR {target}"
                )
            else:
                self.alert_operator(
                    f"DMKJRL093I {what} {kind} {subject} HAS {policy.limit} "
                    f"INCORRECT PASSWORDS; LAST FROM {peer} FOR {target}"
                )

    def _check_private(self) -> list[str]:
        """Warn (system log, operator, process log) about anything in the
        system directory that other users may read: user.direct holds
        passwords, the disks and spool the users' data."""
        warnings = [
            f"DMKCKP094W {path} IS ACCESSIBLE BY OTHER USERS (MODE {mode:04o}); CHMOD GO-RWX"
            for path, mode in exposed_paths(self.path)
        ]
        for line in warnings:
            self.log(line)
            _log.warning("%s", line)
        return warnings

    def autolog(self, userid: str):
        """Log ``userid`` on disconnected, as AUTOLOG does, when the directory
        has it (and it may log on) and it is not logged on already; returns
        the VirtualMachine or None."""
        entry = self.directory.get(userid.upper())
        if entry is None or entry.nolog or self.find_user(userid) is not None:
            return None
        self.log(f"AUTOLOG {userid.upper()}")
        return self.logon(userid, None)

    def logon(self, userid: str, session: Session | None, noipl: bool = False):
        """Log ``userid`` on (session None: disconnected, as XAUTOLOG does).

        A user already logged on and disconnected is reconnected instead.
        Returns the VirtualMachine, or None when refused (message shown).
        """
        userid = userid.upper()
        vm = self.users.get(userid)
        if vm is not None:
            return self._reconnect(vm, session)
        entry = self.directory.get(userid)
        vm = VirtualMachine(self, entry)
        self.users[userid] = vm
        if session is not None:
            vm.console.options = TerminalOptions.for_terminal(session.terminal.kind)
            vm.attach_session(session)
        for line in build_devices(vm):
            vm.console.write_line(line)
        for line in self.logmsg_lines() + self.files_lines(userid):
            vm.console.write_line(line)
        if userid == self.operator:
            for line in self.security_warnings:
                vm.console.write_line(line, alarm=True)
        vm.console.write_line(f"LOGON AT {timestamp()}")
        self.log(f"LOGON {userid} FROM {terminal_address(session)}{_peer(session)}")
        if entry.ipl and not noipl:
            _directory_ipl(vm)
        vm.console.show_status()
        return vm

    def logmsg_lines(self) -> list[str]:
        """The message of the day as LOGON shows it: a LOGMSG header with the
        time it was set, then one ``*`` line per line."""
        if not self.logmsg:
            return []
        logmsg_file = self.path / "logmsg"
        when = logmsg_file.stat().st_mtime if logmsg_file.exists() else None
        return [f"LOGMSG - {timestamp(when)}"] + [f"* {line}" for line in self.logmsg]

    def files_lines(self, userid: str) -> list[str]:
        """``FILES: nnn RDR, ...`` before LOGON AT when the user has spool
        files waiting, as VM/370's LOGON shows it (cp.spool)."""
        line = logon_files_line(self.spool, userid)
        return [line] if line else []

    def _reconnect(self, vm, session):
        if session is None:
            return vm
        if vm.session is not None:
            session.terminal.put_line(
                f"DMKLOG054E ALREADY LOGGED ON LINE {terminal_address(vm.session)}"
            )
            return None
        vm.attach_session(session)
        vm.console.write_line(f"RECONNECTED AT {timestamp()}")
        vm.console.enter_cp()
        self.log(f"RECONNECT {vm.userid} FROM {terminal_address(session)}{_peer(session)}")
        return vm

    def disconnect(self, vm, announce: bool = True) -> None:
        """DISCONNECT (or a dropped line): the terminal goes, the VM stays."""
        if announce:
            vm.console.write_line(f"DISCONNECT AT {timestamp()}")
        session = vm.detach_session()
        self.log(f"DISCONNECT {vm.userid}")
        if session is not None and announce:
            session.end()

    def logoff(self, vm, reason: str = "") -> None:
        """LOGOFF, FORCE and SHUTDOWN: close the user's files and end the VM;
        once its guest has ended the VM lets go of its parts (release)."""
        guest = vm.guest_task
        self.dispatcher.stop_guest(vm)
        for device in list(vm.devices.values()):
            _close_device(device)
        self.links.drop_user(vm.userid)
        vm.console.write_line(accounting_line(vm))
        suffix = f" {reason}" if reason else ""
        vm.console.write_line(f"LOGOFF AT {timestamp()}{suffix}")
        self.users.pop(vm.userid, None)
        self.log(f"LOGOFF {vm.userid}{suffix}")
        session = vm.detach_session()
        if session is not None:
            session.end()
        _release_when_ended(vm, guest)

    def shutdown(self, announce=None, issuer=None) -> None:
        """SHUTDOWN: log everybody off, checkpoint the spool, then tell the
        operator, in the order VM/370 does (System Logic and Problem
        Determination, SHUTDOWN: DMKCKP saves the spool and accounting data
        and says DMKCKP960I; DMKCPI then says DMKCPI961W and loads the
        disabled wait PSW).  ``announce`` gets the two operator messages
        (the SHUTDOWN command's response); the issuer is logged off last so
        that they reach its console."""
        for vm in list(self.users.values()):
            if vm is not issuer:
                self.logoff(vm, "SYSTEM SHUTDOWN")
        self.spool.close()
        self.lans.close()
        for line in (
            "DMKCKP960I SYSTEM WARM START DATA SAVED",
            "DMKCPI961W SYSTEM SHUTDOWN COMPLETE",
        ):
            if announce is not None:
                announce(line)
            self.log(line)
        if issuer is not None and issuer.userid in self.users:
            self.logoff(issuer, "SYSTEM SHUTDOWN")
        self.shut_down = True
        self.log("SHUTDOWN")


def _peer(session) -> str:
    """`` AT host:port`` (or `` AT LOCAL``) for a log line about a session."""
    if session is None or session.terminal is None:
        return ""
    return f" AT {session.terminal.peer}"


def _safeguards(given, logon_delay, max_logon_delay) -> Safeguards:
    """The safeguards, with the ``logon_delay``/``max_logon_delay``
    arguments applied to the LOGON policy."""
    if given is not None and logon_delay is None and max_logon_delay is None:
        return given
    safeguards = given or Safeguards()
    changes = {}
    if logon_delay is not None:
        changes["delay"] = logon_delay
    if max_logon_delay is not None:
        changes["max_delay"] = max_logon_delay
    logon = GuessPolicy(**{**safeguards.logon.__dict__, **changes})
    return Safeguards(logon=logon, link=safeguards.link)


def _directory_ipl(vm) -> None:
    """The directory's IPL statement at LOGON; a failure is shown, the user
    stays logged on in CP READ."""
    try:
        ipl(vm, vm.entry.ipl, parm=vm.entry.ipl_parm, reply=vm.console.write_line)
    except CommandError as err:
        vm.console.write_line(str(err))


def _release_when_ended(vm, guest) -> None:
    """Release a logged-off VM at once, or when its cancelled guest task has
    run its cleanup (which may still write to the console or close files)."""
    if guest is None or guest.done():
        vm.release()
    else:
        guest.add_done_callback(lambda _task: vm.release())


def _close_device(device) -> None:
    """Close a device at logoff: spool files closed, minidisk images closed
    (cp.devices.base: ``logoff`` detaches; a device with more to do overrides it)."""
    device.logoff()
