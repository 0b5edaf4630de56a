"""One running system, from start to shutdown: what every front end attaches to.

The Textual console (``vm370``), the TN3270 server (``vm370 serve``) and
batch (``vm370 batch``) start, watch and stop the system the same way, so
that way is written once, here::

    running = RunningSystem(sysdir)          # nothing happens yet
    system = running.start()                 # or: async with RunningSystem(...) as running
    ...                                      # a front end attaches to running.system
    why = await running.wait()               # SHUTDOWN, a signal, or request_shutdown()
    running.shutdown(print)                  # as CP's SHUTDOWN does, unless it has
    running.close()                          # release the system directory

``start()`` holds the system directory for this process (an exclusive lock
on log/system.lock: two processes on one directory would write the same
minidisk images), builds the standard System (``vm370.boot.make_system``:
CP with CMS by name, the CMS system disks filled once, CMSBATCH
autologged), lets files another process puts into the spool reach their
readers, and makes SIGINT and SIGTERM shut the system down as the
operator's SHUTDOWN does (through the event loop, which the dispatcher gives
a turn between every two guest slices, so a guest in a loop does not keep a
signal out).  It raises :class:`CannotStart` with the lines that say why a
system cannot start (a refused USER DIRECT's DMKDIR messages, the process
that already runs the directory).

``wait()`` returns why the system is to end: ``"SHUTDOWN"`` when CP's
SHUTDOWN command ended it, the signal's name (``"SIGTERM"``), or what a
front end passed to ``request_shutdown(why)`` (the console's Ctrl+C).
While it waits it picks up decks ``vm370 punch`` put into the spool from
outside.  ``shutdown(say)`` ends the system as SHUTDOWN does unless that
has happened (every user logged off, the spool closed, DMKCKP960I and
DMKCPI961W told through ``say``; a signal is written to the system log);
``close()`` shuts down quietly if that is still to do, takes the signal
handlers away and releases the lock.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Self

#: How often the running system looks for files another process put into
#: the spool (and for the end of the system, should nothing wake it).
SHUTDOWN_POLL_SECONDS = 0.5

LOCK_FILE = Path("log") / "system.lock"

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class SystemRunning(Exception):
    """Another process runs the system in this directory; the text says which."""


class CannotStart(Exception):
    """The system cannot start; ``lines`` say why, as they are shown.
    ``already_running``: another process runs it (the lock is taken)."""

    def __init__(self, lines: list[str], already_running: bool = False):
        super().__init__("\n".join(lines))
        self.lines = lines
        self.already_running = already_running


def claim_system_dir(sysdir: Path):
    """Hold the system directory for this process (an exclusive lock on
    log/system.lock, released when the process ends): two processes on one
    directory would write the same minidisk images.  Returns the open lock
    file to keep; raises SystemRunning with the other process's id."""
    import fcntl
    import os

    from cp.security import open_private, private_dir

    path = sysdir / LOCK_FILE
    private_dir(path.parent)
    handle = os.fdopen(open_private(path, os.O_RDWR | os.O_CREAT | os.O_APPEND), "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise SystemRunning(
            f"the system in {sysdir} is already running (process {owner})"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def default_users(system) -> list[tuple[str, str]]:
    """(userid, password) of the directory users whose password is written in
    the clear: what a new user needs to log on the first time.  Service
    machines that only AUTOLOG starts (password AUTOONLY, NOLOG) are not
    users one logs on as, so they are left out."""
    from cp.passwords import is_hashed

    return [
        (u.userid, u.password)
        for u in system.directory.users.values()
        if not u.nolog
        and not is_hashed(u.password)
        and u.password.upper() not in ("NOLOG", "AUTOONLY")
    ]


def announce_outside_files(system) -> None:
    """Files another process puts into the spool (``vm370 punch`` into a
    running system) arrive as a punched file does: a waiting reader is told
    (the spool's arrival hooks) and the receiver gets CP's RDR FILE message,
    whoever's rescan finds them first."""
    from cp.devices.unitrecord import arrival_notice

    def tell_receiver(sf) -> None:
        if sf.queue == "RDR":
            system.notify(sf.owner, arrival_notice(sf))

    system.spool.outside_hooks.append(tell_receiver)


def pick_up_outside_files(system) -> None:
    """Look for files another process put into the spool (see above), and
    clear away what one that died while writing left (Spool.sweep_orphans)."""
    system.spool.sweep_orphans()
    system.spool.rescan()


class RunningSystem:
    """The system on one system directory while a front end runs it (see the
    module docstring for the life it has).  ``make_system(sysdir,
    **options)`` builds the System (default ``vm370.boot.make_system``);
    ``signals=False`` leaves SIGINT/SIGTERM alone (code that runs a system
    inside a larger process, such as a test)."""

    def __init__(self, sysdir=None, *, make_system=None, signals: bool = True, **options):
        from cp.sysdir import DIRECTORY_FILE, default_path

        self.sysdir = Path(sysdir) if sysdir is not None else default_path()
        #: No user directory yet: this start creates the system.
        self.first_start = not (self.sysdir / DIRECTORY_FILE).exists()
        self.system = None
        self._make_system = make_system
        self._options = options
        self._signals = signals
        self._lock = None
        self._loop = None
        self._handled: list[signal.Signals] = []
        self._requested: asyncio.Event | None = None
        self._why: str | None = None

    # -- start ---------------------------------------------------------------------

    def start(self):
        """Claim the directory and build the system; returns the System.
        Raises CannotStart (the lock is not kept then)."""
        from cp.directory import DirectoryError

        try:
            self._lock = claim_system_dir(self.sysdir)
            self.system = self._build()
        except DirectoryError as err:
            self._release()
            raise CannotStart(list(err.errors)) from None
        except SystemRunning as err:
            raise CannotStart([f"vm370: {err}"], already_running=True) from None
        except OSError as err:
            self._release()
            why = err.strerror or err
            raise CannotStart(
                [f"vm370: cannot use the system directory {self.sysdir}: {why}"]
            ) from None
        announce_outside_files(self.system)
        self._requested = asyncio.Event()
        if self._signals:
            self._handle_signals()
        return self.system

    def _build(self):
        make_system = self._make_system
        if make_system is None:
            from vm370.boot import make_system
        return make_system(self.sysdir, **self._options)

    def _handle_signals(self) -> None:
        """SIGINT and SIGTERM ask for the shutdown, through the event loop
        (only the main thread's running loop can take them)."""
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for sig in SHUTDOWN_SIGNALS:
            try:
                self._loop.add_signal_handler(sig, self.request_shutdown, sig.name)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                continue
            self._handled.append(sig)

    # -- running -------------------------------------------------------------------

    def request_shutdown(self, why: str = "") -> None:
        """Ask for the end of the system (a signal does; so may a front end's
        key): ``wait()`` returns ``why``."""
        if self._why is None:
            self._why = why
        if self._requested is not None:
            self._requested.set()

    @property
    def ended(self) -> bool:
        """CP's SHUTDOWN ended the system, or its end was asked for."""
        return self._why is not None or self.system is None or self.system.shut_down

    async def wait(self) -> str:
        """Run until the system is to end; returns why (see the module
        docstring).  Meanwhile decks punched in from outside reach the readers."""
        while not self.ended:
            pick_up_outside_files(self.system)
            try:
                await asyncio.wait_for(self._requested.wait(), SHUTDOWN_POLL_SECONDS)
            except TimeoutError:
                pass
        return self._why if self._why is not None else "SHUTDOWN"

    # -- end -------------------------------------------------------------------------

    def shutdown(self, say=None) -> None:
        """End the system as the operator's SHUTDOWN does, unless it has ended
        already; the operator's messages go to ``say``.  A signal that asked
        for it is written to the system log first."""
        system = self.system
        if system is None or system.shut_down:
            return
        if self._why and self._why.startswith("SIG"):
            system.log(f"{self._why} RECEIVED")
        system.shutdown(announce=say)

    def close(self) -> None:
        """Shut down (quietly) if still up, stop handling signals, release
        the system directory."""
        self.shutdown()
        for sig in self._handled:
            self._loop.remove_signal_handler(sig)
        self._handled.clear()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self.__enter__()

    async def __aexit__(self, *exc) -> None:
        self.close()


def start_or_explain(running: RunningSystem):
    """``running.start()`` for a command-line front end: the System, or None
    after writing why it cannot start to stderr."""
    try:
        return running.start()
    except CannotStart as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return None
