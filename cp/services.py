"""GuestServices: the one door between a virtual machine's guest and CP.

One object per logged-on virtual machine (docs/interfaces.md section 3).  An
S/370 guest reaches it through the DIAGNOSE instruction (cp.diag decodes the
registers and calls these methods); the Python CMS nucleus calls the methods
directly.  Either way the same service runs, so CMS could be replaced by
S/370 code without changing CP.

Blocking operations (console read, CPU slices) are coroutines.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from cp.errors import DeviceError
from cp.passwords import check_password
from cp.pyguest import on_processor, wait_for
from cp.security import client_host
from cp.spool import SpoolError
from s390.ebcdic import to_ebcdic


@dataclass(frozen=True)
class DeviceInfo:
    """What DIAGNOSE X'24' (and X'210' in spirit) tells a guest about a device."""

    vaddr: int
    devtype: str  # "3215", "2540R", "2540P", "1403", "3370", "3270", "CTCA"
    devclass: str  # "CONS", "RDR", "PUN", "PRT", "DASD", "GRAF", "CTCA", "TIMER"
    blocks: int = 0  # FBA minidisks: number of 512-byte blocks
    block_size: int = 0
    read_only: bool = False


@dataclass(frozen=True)
class PasswordCheck:
    """What ``check_password`` found (DIAGNOSE X'88' in spirit)."""

    accepted: bool
    #: "" when accepted; else INCORRECT, DISABLED (too many failures: the
    #: user id is locked as LOGON locks it), NOT CHECKED (the throttle's
    #: turn has not come: ask again after ``retry_after`` seconds) or
    #: NOT AUTHORIZED (the asking VM lacks OPTION DIAG88).
    reason: str = ""
    retry_after: float = 0.0


@dataclass(frozen=True)
class IOResult:
    """The end of one channel command run by ``channel_io``."""

    status: int  # unit status: CE DE, with unit exception or unit check
    data: bytes = b""  # an input command's data, at most the count asked for
    sense: bytes = b""  # after a unit check: the device's sense bytes


class GuestServices:
    """CP's services for the guest of one virtual machine ``vm``."""

    def __init__(self, vm):
        self.vm = vm

    # -- identification (DIAG X'00') ---------------------------------------
    @property
    def userid(self) -> str:
        return self.vm.userid

    def ext_id(self) -> bytes:
        """Extended identification data (DIAG X'00', VM/370 CP Programming
        guide): system name, version, level/PLC, version code, MCEL length,
        processor address, userid, program-product bitmap."""
        return extended_identification(self.vm)

    # -- console -----------------------------------------------------------
    def write_line(self, text: str) -> None:
        self.vm.console.write_line(text)
        if self.vm.console.output_held():
            # The terminal is behind (MORE..., HOLDING): the slice ends, so
            # the guest waits at its next safe point until the lines are shown.
            self.vm.slice_deadline = 0.0

    async def read_line(self) -> str:
        """Wait for one console input line; the console shows VM READ."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        def deliver(line: str) -> None:
            if not answer.done():
                answer.set_result(line)

        self.vm.console.request_read(deliver)
        try:
            line = await answer
        finally:
            if not answer.done():
                self.vm.console.cancel_read()
        # A VM that has just been given terminal input starts a fresh slice
        # at once (VM/370's interactive queue, Q1): the user's answer does not
        # wait behind the VMs that compute.
        self.vm.system.dispatcher.fresh_slice(self.vm)
        return line

    async def read_password(self, prompt: str) -> str:
        """A console read whose line is not shown (the 3270's non-display
        input field; a line terminal does not echo it either) and never goes
        to the console spool file: a guest asking for a password (z/VM's FTP
        client) uses it as CP's LINK does (LineConsole.ask_password)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        def deliver(line: str) -> None:
            if not answer.done():
                answer.set_result(line)

        self.vm.console.ask_password(prompt, deliver)
        try:
            return await answer
        finally:
            if not answer.done() and self.vm is not None:  # (None: logged off meanwhile)
                self.vm.console.cancel_password()

    def attention_pending(self) -> bool:
        """True once per attention (ENTER while RUNNING) the user gave."""
        return self.vm.console.take_attention()

    # -- full screen (DIAG X'58' CCWs X'29' and X'2A') ---------------------
    def fullscreen_size(self) -> tuple[int, int] | None:
        """(rows, columns) of the user's display when it is a 3270 (the size
        the display reported: models 2-5 or a TN3270 client's own), None for a
        line terminal or while the user is disconnected (DIAG X'24' on the
        console tells an S/370 guest the same)."""
        terminal = self.vm.console.terminal
        if terminal is None or getattr(terminal, "kind", "3215") == "3215":
            return None
        return int(getattr(terminal, "rows", 24)), int(getattr(terminal, "cols", 80))

    def fullscreen_write(self, data: bytes) -> None:
        """A full-screen write (DIAG X'58' CCW X'29'): ``data`` is a 3270 write
        record (command byte, WCC, orders and text); empty data gives the
        screen back to CP's layout."""
        self.vm.console.fullscreen_write(bytes(data))

    async def fullscreen_read(self) -> bytes:
        """Wait for the display's next inbound record while the guest owns the
        screen (DIAG X'58' CCW X'2A'): AID, cursor address, modified fields.
        A key pressed before the read is kept by CP and given at once."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        def deliver(data: bytes) -> None:
            if not answer.done():
                answer.set_result(bytes(data))

        self.vm.console.request_fullscreen_read(deliver)
        try:
            data = await answer
        finally:
            if not answer.done() and self.vm.console.fullscreen_callback is deliver:
                self.vm.console.fullscreen_callback = None
        self.vm.system.dispatcher.fresh_slice(self.vm)
        return data

    # -- CP commands (DIAG X'08') -----------------------------------------
    def cp_command(self, text: str) -> tuple[int, list[str]]:
        """Run CP command(s) as this user; X'15' separates several commands.
        Returns the return code of the last one run and all response lines.
        A command that fails ends the string: CP ignores the commands after
        it (VM/370 System Programmer's Guide, DIAGNOSE X'08')."""
        lines: list[str] = []
        rc = 0
        for command in text.split("\x15"):
            if command.strip():
                rc = self.vm.system.execute_command(self.vm, command, reply=lines.append)
                if rc != 0:
                    break
        return rc, lines

    def emsg_edit(self, message: str) -> str:
        """DIAG X'5C': edit an error message per SET EMSG (ON, CODE, TEXT, OFF)."""
        return edit_message(self.vm.settings.emsg, message)

    # -- time (DIAG X'0C') -------------------------------------------------
    def pseudo_timer(self) -> tuple[str, str, int, int]:
        """(MM/DD/YY, HH:MM:SS, virtual CPU microseconds, total CPU microseconds)."""
        now = time.localtime()
        return (
            time.strftime("%m/%d/%y", now),
            time.strftime("%H:%M:%S", now),
            self.vm.account.virtual_us,
            self.vm.account.total_us,
        )

    # -- storage (DIAG X'60') -----------------------------------------------
    def storage_size(self) -> int:
        return self.vm.storage_size

    # -- devices (DIAG X'24') -------------------------------------------------
    def device_info(self, vaddr: int) -> DeviceInfo | None:
        device = self.vm.devices.get(vaddr)
        if device is None:
            return None
        return describe_device(vaddr, device)

    def _device(self, vaddr: int, wanted: str):
        device = self.vm.devices.get(vaddr)
        if device is None:
            # DMKxxx040E: VM/370's "DEV vaddr DOES NOT EXIST"
            raise DeviceError(f"DMKDIA040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        if describe_device(vaddr, device).devclass != wanted:
            raise DeviceError(f"DMKDIA022E VADDR {vaddr:03X} IS NOT A {wanted} DEVICE", 22)
        return device

    # -- minidisk block I/O (in the spirit of DIAG X'A4' / X'250') ---------
    def block_read(self, vaddr: int, block: int, count: int = 1) -> bytes:
        disk = self._device(vaddr, "DASD")
        try:
            return bytes(disk.read_blocks(block, count))
        except Exception as err:  # cp.minidisk.MinidiskError: outside the disk
            raise DeviceError(f"DMKDIA034E DASD {vaddr:03X} {err}", 34) from None

    def block_write(self, vaddr: int, block: int, data: bytes) -> None:
        disk = self._device(vaddr, "DASD")
        if disk.read_only:
            raise DeviceError(f"DMKDIA036E DASD {vaddr:03X} IS READ-ONLY", 36)
        try:
            disk.write_blocks(block, bytes(data))
        except Exception as err:
            raise DeviceError(f"DMKDIA034E DASD {vaddr:03X} {err}", 34) from None

    # -- spooled unit record (punch, printer, reader; DIAG X'14') ----------
    def punch(self, vaddr: int, card: bytes) -> None:
        self._write_record(self._device(vaddr, "PUN"), card)

    def print_line(self, vaddr: int, line: bytes) -> None:
        self._write_record(self._device(vaddr, "PRT"), line)

    @staticmethod
    def _write_record(device, record: bytes) -> None:
        """A record into the device's open spool file; no room for a new file
        is CP's SPOOL SPACE FULL (a DeviceError), never a traceback."""
        try:
            device.write_record(bytes(record))
        except SpoolError as err:
            raise DeviceError(str(err), err.rc) from None

    def close(self, vaddr: int, **options) -> list[str]:
        device = self.vm.devices.get(vaddr)
        if device is None:
            raise DeviceError(f"DMKDIA040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        try:
            return device.close(**options) or []
        except SpoolError as err:
            raise DeviceError(str(err), err.rc) from None

    def reader_files(self):
        return self.vm.system.spool.reader_files(self.vm.userid)

    def read_card(self, vaddr: int) -> bytes | None:
        return self._device(vaddr, "RDR").read_record()

    # -- the Python guest's processor (cp.pyguest) ----------------------------
    def checkpoint_due(self) -> bool:
        """Is the VM's slice used up?  Cheap, and safe from any thread."""
        return time.perf_counter() >= self.vm.slice_deadline

    def checkpoint(self) -> bool:
        """A safe point in a Python guest's own work (a REXX clause, an EXEC
        statement, a console line).  When the VM's slice is used
        up the guest gives the host processor back and goes on at its next
        turn; while CP holds the VM stopped it stays here.  True when it gave
        the processor up (input and attentions may have arrived meanwhile).
        Outside a guest processor it does nothing."""
        if not self.checkpoint_due() or not on_processor():
            return False
        wait_for(self.vm.system.dispatcher.next_turn(self.vm))
        return True

    def wait_for(self, awaitable):
        """Synchronous guest code waits for a coroutine of CP or of the guest
        (cp.pyguest.wait_for): only this VM waits."""
        return wait_for(awaitable)

    # -- waiting for a device (the enabled wait of a Python guest) -------------
    async def wait_io(self, timeout: float) -> bool:
        """Sleep in an enabled wait until something wakes the VM (an I/O
        interruption posted by a device, such as a NIC's attention when a
        frame arrives; console input; an attention) or ``timeout`` seconds
        pass.  True when woken.  Costs no host processor while it sleeps."""
        return await self.vm.wait_for_wakeup(max(0.0, timeout))

    def interruption_pending(self, vaddr: int) -> bool:
        """Is an I/O interruption of device ``vaddr`` waiting (TEST I/O's cc 1)?"""
        return bool(self.vm.cpu.io_interrupt_pending(vaddr))

    def withdraw_interruption(self, vaddr: int) -> bytes | None:
        """Clear the waiting I/O interruption of ``vaddr`` and return its CSW
        (None when there was none), as TEST I/O and START I/O clear it
        (GA22-7000): a guest that drives the device with ``channel_io``
        takes its attention this way."""
        return self.vm.cpu.withdraw_io_interrupt(vaddr)

    # -- general I/O, one command at a time (in the spirit of DIAG X'20') -----
    def channel_io(self, vaddr: int, command: int, data: bytes = b"", count: int = 0) -> IOResult:
        """Run one channel command on a virtual device synchronously (a tape's
        READ, WRITE, WTM, REW, FSF, ...): its status, input data and, after a
        unit check, the sense bytes, which are taken from the device."""
        device = self.vm.devices.get(vaddr)
        if device is None:
            raise DeviceError(f"DMKDIA040E DEV {vaddr:03X} DOES NOT EXIST", 40)
        outcome = device.execute(command, bytes(data) if data else None, count or len(data))
        if outcome.wait:
            device.halt()
            raise DeviceError(f"DMKDIA041E DEV {vaddr:03X} BUSY", 41)
        sense = b""
        if outcome.status & 0x02:  # unit check: read the sense now
            sense = bytes(device.execute(0x04, None, device.sense_length).data or b"")
        received = bytes(outcome.data or b"")
        return IOResult(outcome.status, received[:count] if count else received, sense)

    # -- logon passwords and minidisk rights for service machines (DIAG X'88')
    def check_password(self, userid: str, password: str, peer: str = "") -> PasswordCheck:
        """Check ``userid``'s LOGON password for a service machine that logs
        users in on its own (FTPSERVE), as z/VM's DIAGNOSE X'88' does for a
        machine with OPTION DIAG88.  Attempts are paced and counted like
        LOGON's (cp.security: keys the user id and ``peer``'s host, the same
        lockout) and failures are in the system log."""
        if "DIAG88" not in self.vm.entry.options:
            return PasswordCheck(False, "NOT AUTHORIZED")
        system = self.vm.system
        userid = userid.upper()
        where = peer or "DSC"
        keys = (("USER", userid), ("ADDR", client_host(where)))
        throttle = system.logon_throttle
        if throttle.locked(keys):
            system.log(f"LOGON REFUSED {userid} BY {self.vm.userid} FROM {where}: LOGON DISABLED")
            return PasswordCheck(False, "DISABLED")
        wait = throttle.wait(keys)
        if wait > 0:
            return PasswordCheck(False, "NOT CHECKED", wait)
        entry = system.directory.get(userid)
        if entry is not None and check_password(entry.password, password):
            throttle.succeeded(keys)
            return PasswordCheck(True)
        verdict = throttle.failed(keys)
        system.log(
            f"LOGON FAILED {userid} BY {self.vm.userid} FROM {where} "
            f"ATTEMPT {throttle.failures(keys[0])}"
        )
        system.report_guessing("LOGON", verdict, where, userid)
        return PasswordCheck(False, "INCORRECT")

    def minidisk_rights(self, userid: str, owner: str, vaddr: int) -> str | None:
        """What ``userid`` may do with ``owner``'s minidisk ``vaddr`` without
        a link password: "W" (its own read/write disk, or a write or multiple
        password of ALL), "R" (its own read-only disk, or a read password of
        ALL) or None; None also when the disk is not in the directory or the
        asking VM lacks OPTION DIAG88 (cp.links has the password rules)."""
        if "DIAG88" not in self.vm.entry.options:
            return None
        entry = self.vm.system.directory.get(owner)
        mdisk = entry.mdisk(vaddr) if entry is not None else None
        if mdisk is None:
            return None
        if owner.upper() == userid.upper():
            return "R" if mdisk.mode in ("R", "RR") else "W"
        if "ALL" in (mdisk.write_pw, mdisk.mult_pw):
            return "W"
        return "R" if mdisk.read_pw == "ALL" else None

    def accounting_record(self, data: dict) -> None:
        """DIAGNOSE X'4C' (generate an accounting record, user data): CP
        writes ``data`` as a record of this user to log/accounting
        (System.account; one it could not write is in the system log)."""
        self.vm.system.account(self.vm.userid, dict(data))

    def read_spool_file(self, spoolid: int) -> list[bytes]:
        """The cards of reader file ``spoolid`` as the reader would read them
        (80 columns), held or not, without reading it through the reader: the
        file, its place and the reader are left as they are (DIAGNOSE X'14'
        "select file" by spoolid, then its records, as CMS PEEK and RECEIVE
        use it).  No such file in this user's reader: DMKCSP042E; a damaged
        file: its message (CP put it in system hold and told the operator)."""
        spool = self.vm.system.spool
        spool.rescan()
        sf = spool.get(spoolid)
        if sf is None or sf.queue != "RDR" or sf.owner != self.vm.userid:
            raise DeviceError(f"DMKCSP042E SPOOLID {spoolid:04d} DOES NOT EXIST", 42)
        try:
            records = spool.records(sf)
        except SpoolError as err:
            raise DeviceError(str(err), err.rc) from None
        return [data.ljust(80, b"\x40")[:80] for _, data in records]

    # -- the CPU under CP's dispatcher ---------------------------------------
    async def run_cpu(self, budget: int) -> int:
        """Run this VM's CPU for one fair slice; I/O exits are handled by CP,
        every other exit reason is returned to the caller."""
        return await self.vm.system.dispatcher.run_slice(self.vm, budget)


def describe_device(vaddr: int, device) -> DeviceInfo:
    """A DeviceInfo from a virtual device's own attributes (cp.devices)."""
    return DeviceInfo(
        vaddr, device.devtype, device.devclass, device.blocks, device.block_size, device.read_only
    )


def extended_identification(vm) -> bytes:
    """The 40-byte DIAG X'00' data: system name (8), version, level, PLC (3),
    version code (1), MCEL length (2), processor address (2), userid (8),
    program-product bitmap (8), then 8 reserved bytes (no nested VM)."""
    return (
        to_ebcdic("VM/370  ")
        + bytes([0x06, 0x00, 0x17])
        + b"\xff"
        + bytes(2)
        + bytes(2)
        + to_ebcdic(f"{vm.userid:<8}")
        + bytes(8)
        + bytes(8)
    )


def edit_message(emsg: str, message: str) -> str:
    """A message as SET EMSG wants it shown: ON all, CODE the 10-character
    message id, TEXT the text after it, OFF nothing."""
    if emsg == "CODE":
        return message[:10]
    if emsg == "TEXT":
        return message[11:]
    if emsg == "OFF":
        return ""
    return message
