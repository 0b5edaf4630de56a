"""A virtual machine: one logged-on user's System/370.

The VirtualMachine ties together what CP keeps per user (docs/interfaces.md
section 6): the directory entry, the CPU from s390 with storage sized from the
directory, the virtual devices, the line console, the guest service object,
the settings of SET, the accounting of CONNECT/VIRTCPU/TOTCPU, and the run
state the dispatcher reads.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field

from cp.console import LineConsole
from cp.devices import CTCA, couple, make_device
from cp.errors import CommandError
from cp.links import link_minidisk
from cp.services import GuestServices
from cp.trace import set_trace
from s390.cpu import CPU
from s390.exits import TOD_PER_TICK


@dataclass
class Settings:
    """What SET changes and QUERY SET shows (VM/370 CP Command Reference, SET)."""

    msg: bool = True
    wng: bool = True
    emsg: str = "ON"  # ON OFF CODE TEXT
    imsg: bool = True
    smsg: bool = False
    run: bool = False
    #: SET PFnn: key -> "IMMED text", "DELAYED text" or "RETRIEVE"; PF12 is
    #: RETRIEVE until set otherwise (VM/SP CP Command Reference, SET PFnn).
    pf: dict[int, str] = field(default_factory=lambda: {12: "RETRIEVE"})


@dataclass
class Accounting:
    """Connect time and CPU use (LOGOFF's CONNECT= VIRTCPU= TOTCPU= line)."""

    logon_time: float = field(default_factory=time.time)
    virtual_us: int = 0
    total_us: int = 0
    instructions: int = 0
    io_count: int = 0


def storage_text(size: int) -> str:
    """Storage as VM/370 shows it: ``01024K`` below 16M... ``16M`` style for megabytes."""
    return f"{size // 1024:05d}K"


class VirtualMachine:
    """One user's virtual machine (created by LOGON or XAUTOLOG)."""

    def __init__(self, system, entry, storage: int | None = None):
        self.system = system
        self.entry = entry
        self.userid = entry.userid
        self.classes = entry.classes
        self.settings = Settings()
        self.account = Accounting()
        self.storage_size = storage or entry.storage
        self.cpu = new_cpu(self.storage_size)
        self.devices: dict = {}
        self.console = LineConsole(self)
        self.services = GuestServices(self)
        self.share = 100  # SET SHARE relative share
        self.running = False  # IPLed and not stopped by CP
        self.slice_deadline = 0.0  # perf_counter end of a Python guest's slice
        self.ipled = ""  # what was IPLed: device hex or system name
        self.guest_task: asyncio.Task | None = None
        self.session = None  # cp.logon.Session while connected
        self.adstop: int | None = None
        self.ipl_psw_pending = False  # IPL ... STOP: BEGIN loads the PSW at 0
        self.stopped_reason = None  # the CPU exit that last put the VM in CP READ
        self.trace: dict = {}  # TRACE event -> cp.trace.TraceMode
        self.trace_seen = 0  # CPU trace records already shown
        #: SMSG texts for the guest's program: (sender, text), oldest first.
        self.special_messages: deque[tuple[str, str]] = deque(maxlen=256)
        self._wakeup = asyncio.Event()

    # -- the user's terminal ------------------------------------------------
    def attach_session(self, session) -> None:
        """LOGON or reconnect: the console shows on the session's terminal."""
        self.session = session
        self.console.attach(session.terminal)

    def detach_session(self):
        """DISCONNECT, a dropped line or LOGOFF: the console has no terminal
        any more (its output is discarded); returns the session it had."""
        session, self.session = self.session, None
        self.console.detach()
        return session

    # -- run state --------------------------------------------------------
    def stop(self) -> None:
        """CP stops the VM (CP READ with RUN OFF, ADSTOP, TRACE).  A slice
        running on a worker thread stops at its next instruction and CP
        waits for it (microseconds), so the VM is stopped when CP READ
        shows, as on the event loop."""
        self.running = False
        self.system.dispatcher.end_slice_in_flight(self)

    def halt(self) -> None:
        """CP takes the VM whatever SET RUN says (a disabled wait, an address
        stop, a reset, IPL ... STOP, a guest that ended): it stops and the
        console shows CP READ."""
        self.stop()
        self.console.cp_mode = True
        self.console.show_status()

    def resume(self) -> None:
        if self.ipled:
            self.running = True
            self.wake()

    def wake(self) -> None:
        """Something the guest may be waiting for happened (input, interrupt)."""
        self._wakeup.set()

    async def wait_for_wakeup(self, timeout: float) -> bool:
        """Sleep until ``wake()`` or ``timeout`` seconds; True when woken."""
        # asyncio.timeout, not wait_for: wait_for in 3.11 can swallow a
        # cancellation that arrives as the event is set (LOGOFF would hang).
        woken = True
        try:
            async with asyncio.timeout(timeout):
                await self._wakeup.wait()
        except TimeoutError:
            woken = self._wakeup.is_set()
        self._wakeup.clear()
        return woken

    # -- logoff ------------------------------------------------------------
    def release(self) -> None:
        """After LOGOFF (cp.system.System.logoff), once its guest has ended:
        break the references between the VM and its parts, which all point
        back at it (devices, console, guest services), so that reference
        counting frees the machine and its storage as soon as the last holder
        lets go.  Left to the cycle collector, logged-off machines pile up:
        it counts objects, not bytes, and a 16M storage buffer is one object."""
        self.devices.clear()
        self.guest_task = None
        self.session = None
        self.console.release()
        self.services.vm = None
        self.special_messages.clear()

    # -- storage -----------------------------------------------------------
    def redefine_storage(self, size: int) -> None:
        """DEFINE STORAGE: new storage size; the VM is reset (VM/370 DEFINE)."""
        self.storage_size = size
        self.cpu = new_cpu(size)
        self.adstop = None  # a reset removes the address stop
        set_trace(self, self.trace)  # TRACE goes on with the new machine
        self.system.dispatcher.stop_guest(self)
        self.ipled = ""
        self.halt()

    def connect_seconds(self) -> int:
        return int(time.time() - self.account.logon_time)


def set_adstop(vm, address: int | None) -> None:
    """The VM's address stop (None: none); the CPU stops before it (ADSTOP:
    one at a time, removed when reached, by an IPL or a system reset)."""
    vm.adstop = address
    vm.cpu.adstop = -1 if address is None else address


#: Seconds from the TOD clock's epoch (1900-01-01 00:00 UTC) to the Unix epoch.
TOD_EPOCH_OFFSET = 2_208_988_800


def wall_clock_tod() -> int:
    """The TOD clock value of this moment (GA22-7000: bit 51 = 1 microsecond)."""
    return int((time.time() + TOD_EPOCH_OFFSET) * 1_000_000) << 12


def tie_tod_to_wall_clock(cpu) -> None:
    """Make the guest's TOD clock read the wall clock from now on."""
    elapsed = cpu.instructions + cpu.idle  # the CPU's time base (s390.cpu)
    cpu.tod_offset = (wall_clock_tod() - elapsed * TOD_PER_TICK) & ((1 << 64) - 1)


def new_cpu(storage_size: int):
    """The s390 CPU of a VM, its TOD clock set to the wall clock."""
    cpu = CPU(storage_size=storage_size)
    tie_tod_to_wall_clock(cpu)
    return cpu


def reset_cpu(cpu, clear: bool) -> None:
    """A CPU reset (clear reset with ``clear``); the TOD clock keeps the wall clock."""
    cpu.reset(clear=clear)
    tie_tod_to_wall_clock(cpu)


# -- building a VM's devices from its directory entry ----------------------


def build_devices(vm) -> list[str]:
    """Devices of the directory entry: CONSOLE, SPOOL, SPECIAL, MDISK, LINK.

    Returns the messages LOGON shows (e.g. a minidisk forced read-only).
    """
    entry, messages = vm.entry, []
    for d in entry.devices:
        options = {"spool_class": d.spool_class} if d.statement == "SPOOL" else {}
        if d.devtype == "2540":
            options["role"] = "READER" if d.devclass == "RDR" else "PUNCH"
        if d.statement == "CONSOLE":  # the VM's console, a 3215 whatever terminal it names
            options["role"] = "CONSOLE"
        try:
            make_device(d.devtype, d.vaddr, vm, **options)
        except ValueError as err:  # cp.devices.DeviceTypeError: CP's message
            messages.append(f"{err} ({d.statement} {d.vaddr:03X})")
    for d in entry.devices:
        if d.devclass == "CTCA" and d.userid:
            messages += auto_couple(vm, d)
    if entry.nics:
        from cp.lan import logon_nics

        messages += logon_nics(vm)
    links = [(entry.userid, m.vaddr, m.vaddr, m.mode) for m in entry.mdisks]
    links += [(l.userid, l.vaddr, l.as_vaddr, l.mode) for l in entry.links]
    for owner, vaddr, as_vaddr, mode in links:
        try:
            messages += link_minidisk(
                vm.system, vm, owner, vaddr, as_vaddr, mode, need_password=False
            )
        except CommandError as err:
            messages.append(str(err))
    return messages


def auto_couple(vm, ctca_def) -> list[str]:
    """``SPECIAL vaddr CTCA userid``: the adapter is coupled at logon to the
    adapter of ``userid`` whose own SPECIAL statement names this user, when
    that user is logged on and its adapter is free (else it is coupled when
    that user logs on).  Both users are told as COUPLE tells them; returns
    the line for this user's logon."""
    other = vm.system.find_user(ctca_def.userid)
    mine = vm.devices.get(ctca_def.vaddr)
    if other is None or other is vm or not isinstance(mine, CTCA):
        return []
    for theirs_def in other.entry.devices:
        theirs = other.devices.get(theirs_def.vaddr)
        if (
            theirs_def.devclass == "CTCA"
            and theirs_def.userid.upper() == vm.userid
            and isinstance(theirs, CTCA)
            and theirs.peer is None
        ):
            couple(mine, theirs)
            vm.system.notify(
                other.userid, f"CTCA {theirs.vaddr:03X} COUPLE BY {vm.userid} {mine.vaddr:03X}"
            )
            return [f"CTCA {mine.vaddr:03X} COUPLE TO {other.userid} {theirs.vaddr:03X}"]
    return []
