"""The System: everything CP knows about one running VM/370.

``System(sysdir, named_systems=...)`` reads the user directory of a system
directory (cp.sysdir), keeps the logged-on virtual machines, the spool, the
minidisk link table, the dispatcher, the message of the day and the log.
Terminals come in through ``connect`` (cp.terminal contract).
"""
from __future__ import annotations

import time
from pathlib import Path

from cp.dispatcher import Dispatcher
from cp.commands.link import LinkTable
from cp.logon import Session, accounting_line, terminal_address, timestamp
from cp.spool import Spool
from cp.vm import VirtualMachine, build_devices


#: The system identifier when none is given (z/VM: SYSTEM_IDENTIFIER in SYSTEM CONFIG).
DEFAULT_NAME = "VM370"


class System:
    """One VM/370 system built from a system directory."""

    def __init__(self, sysdir, named_systems: dict | None = None, directory=None,
                 logon_delay: float = 1.0, max_logon_delay: float = 30.0, format_disk=None,
                 name: str = DEFAULT_NAME):
        from cp import sysdir as sysdir_mod
        self.path = Path(sysdir)
        self.name = name.upper()[:8]       # the system identifier (logon screen, QUERY USERID)
        self.directory = (directory if directory is not None
                          else sysdir_mod.load_directory(self.path, format_disk))
        self.named_systems = dict(named_systems or {})
        self.users: dict[str, VirtualMachine] = {}
        self.links = LinkTable(self)
        self.dispatcher = Dispatcher(self)
        self.spool = Spool.for_system(self.path)
        for line in self.spool.recovery_log:
            self.log(f"SPOOL RECOVERY: {line}")   # what a crash left half-done, at start
        self.logmsg: list[str] = sysdir_mod.read_logmsg(self.path)
        self.logon_failures: dict[str, int] = {}
        self.logon_delay = logon_delay
        self.max_logon_delay = max_logon_delay
        self.started = time.time()
        self.shut_down = False
        self.operator = "OPERATOR"

    # -- terminals ---------------------------------------------------------
    def connect(self, terminal) -> Session:
        return Session(self, terminal)

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
        """Append a line to the system log (log/system.log in the system directory)."""
        logdir = self.path / "log"
        logdir.mkdir(parents=True, exist_ok=True)
        with open(logdir / "system.log", "a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")

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
            vm.attach_session(session)
        for line in build_devices(vm):
            vm.console.write_line(line)
        for line in self.logmsg_lines() + self.files_lines(userid):
            vm.console.write_line(line)
        vm.console.write_line(f"LOGON AT {timestamp()}")
        self.log(f"LOGON {userid} FROM {terminal_address(session)}")
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
        files waiting, as VM/370's LOGON shows it (cp.spoolcmds)."""
        from cp.spoolcmds import logon_files_line
        line = logon_files_line(self.spool, userid)
        return [line] if line else []

    def _reconnect(self, vm, session):
        if session is None:
            return vm
        if vm.session is not None:
            session.terminal.put_line(
                f"DMKLOG054E ALREADY LOGGED ON LINE {terminal_address(vm.session)}")
            return None
        vm.attach_session(session)
        vm.console.write_line(f"RECONNECTED AT {timestamp()}")
        vm.console.enter_cp()
        self.log(f"RECONNECT {vm.userid} FROM {terminal_address(session)}")
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

    def shutdown(self) -> None:
        """SHUTDOWN: log everybody off, close spool files and minidisks."""
        for vm in list(self.users.values()):
            vm.console.write_line("DMKDMP907I SYSTEM SHUTDOWN IN PROGRESS")
            self.logoff(vm, "SYSTEM SHUTDOWN")
        self.spool.close()
        self.shut_down = True
        self.log("SHUTDOWN")


def _directory_ipl(vm) -> None:
    """The directory's IPL statement at LOGON; a failure is shown, the user
    stays logged on in CP READ."""
    from cp.commands import CommandError
    from cp.commands.machine import ipl
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
    (cp.devices: ``logoff`` where a device has more to do than ``detach``)."""
    closer = getattr(device, "logoff", None) or device.detach
    closer()
