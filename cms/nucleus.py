"""The CMS nucleus: IPL, the command loop, command resolution and the ready message.

CMS is a paravirtualized guest (docs/interfaces.md §3, §5): this Python code
runs as the guest of a virtual machine and reaches everything outside it
through the GuestServices object CP hands to ``ipl_cms``.

Command resolution follows CMS (CMS User's Guide, "How CMS searches for a
command"): an EXEC file of that name (SET IMPEX ON), a nucleus command (the
table in cms.commands, with abbreviations), a MODULE file of that name, and
finally CP (SET IMPCP ON).  After each command typed at the terminal the
ready message ``Ready; T=v.vv/t.tt hh:mm:ss`` (or ``Ready(rc); ...``, the
return code in five digits) is shown; ``SET RDYMSG SMSG`` shortens it to
``Ready;``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from cms.commands import Call, Command, lookup
from cms.commands.programs import run_module
from cms.commands.table import build_table
from cms.disks import DiskTable
from cms.errors import CMSError, Halt
from cms.psw import CONSOLE_WAIT_PSW, NUCLEUS_PSW
from cms.rexx import ProgramStack
from cp.abbrev import abbreviates, full_name
from cp.errors import DeviceError

#: rc of a command that is neither CMS nor CP (z/VM CMS "Unknown CP/CMS command").
RC_UNKNOWN = -3
#: rc CMS returns after an abend took the command down.
RC_ABEND = 256


@dataclass
class Settings:
    """The CMS SET options (QUERY shows them)."""

    rdymsg: str = "LMSG"  # LMSG | SMSG
    impcp: bool = True
    impex: bool = True
    blip: str = "OFF"


def is_cp_refusal(exc: Exception) -> bool:
    """An error of CP's guest service interface: a CP message with its id
    and return code (docs/interfaces.md section 3, cp.errors.DeviceError)."""
    return isinstance(exc, DeviceError) and bool(exc.msgid)


class MachineReset(BaseException):
    """A CP command ended this CMS (IPL, SYSTEM RESET/CLEAR, LOGOFF): the
    virtual machine no longer runs it, so it stops at once, without a ready
    message.  A BaseException: no command's error handling may catch it."""


#: CP commands after which the machine no longer runs this CMS (verb, minimum
#: abbreviation, operands that must follow).
ENDING_CP_COMMANDS = (
    ("IPL", 1, ()),
    ("LOGOFF", 3, ()),
    ("LOGOUT", 4, ()),
    ("SYSTEM", 3, (("RESET", 3), ("CLEAR", 2))),
)


def ends_machine(text: str) -> bool:
    words = text.upper().split()
    if not words:
        return False
    for verb, shortest, operands in ENDING_CP_COMMANDS:
        if abbreviates(words[0], verb, shortest):
            return not operands or (len(words) > 1 and full_name(words[1], operands) is not None)
    return False


@dataclass
class Session:
    """State that lives for one IPL of CMS."""

    globals: dict[str, list[str]] = field(default_factory=lambda: {"MACLIB": [], "TXTLIB": []})
    filedefs: dict[str, dict] = field(default_factory=dict)
    loaded: object = None  # cms.program.LoadedProgram after LOAD
    load_names: list[str] = field(default_factory=list)  # TEXT files of the last LOAD/INCLUDE
    typing_halted: bool = False  # HT ... RT


class CMS:
    """One CMS in one virtual machine."""

    def __init__(self, services, parm: str = ""):
        self.services = services
        self.parm = parm.upper().split()
        self.table: list[Command] = build_table()
        self.disks = DiskTable(services)
        self.settings = Settings()
        self.session = Session()
        self.stack = ProgramStack()  # the console (program) stack
        self.interp = None  # the REXX interpreter of the running EXEC
        self.job = None  # cms.batch.Job while a batch job runs
        self.running = None  # cms.program.ProgramRun while one runs
        self.halted = False  # the last command ended by HX or an abend
        self.depth = 0  # commands running (EXECs call commands)
        self.screen = None  # cms.fullscreen.FullScreen of a 3270 tool
        self.output = None  # a full-screen tool takes the lines (say)
        self.network = None  # cms.tcpip.NetworkHost once TCP/IP started
        self._last_times = self._cpu_times()

    # ---- console

    def say(self, text: str) -> None:
        """One console line (suppressed between HT and RT)."""
        self.checkpoint()
        if self.output is not None:
            self.output(text)
        elif not self.session.typing_halted:
            self.services.write_line(text)

    def checkpoint(self) -> None:
        """A safe point in CMS's own work (each REXX clause, EXEC 1 statement,
        console line): CMS runs in its VM's time, so when the VM's slice is
        used up it gives the processor back to CP (GuestServices.checkpoint).
        An attention the user gave meanwhile (ENTER while RUNNING) is taken
        here: CMS reads the immediate command and obeys it at once."""
        if self.services.checkpoint():
            if self.network is not None:
                # A new slice: TCP/IP takes what arrived meanwhile, so a
                # user whose EXEC computes still answers PING and ARP.
                self.network.pump()
            self.take_attention()

    def take_attention(self) -> None:
        """An attention the user gave (ENTER while RUNNING) is taken: CMS
        reads the immediate command and obeys it at once (HX raises Halt).
        Every safe point and every wait of CMS's own (cms.tcpip) calls it."""
        if not self.services.attention_pending():
            return
        if self.screen is not None:
            # A full-screen tool owns the display: the attention is a
            # key pressed on its screen; its command line is the line.
            self.immediate(self.screen.read_immediate())
        else:
            self.immediate(self.services.wait_for(self.terminal_read()))

    async def read_line(self) -> str:
        """The next input line: from the program stack first, else the terminal."""
        line = self.stack.pull()
        if line is not None:
            return line
        return await self.terminal_read()

    async def terminal_read(self) -> str:
        """A line from the terminal; meanwhile the VM is in an enabled wait."""
        self.load_psw(CONSOLE_WAIT_PSW)
        try:
            return await self.console_wait(self.services.read_line())
        finally:
            self.load_psw(NUCLEUS_PSW)

    async def console_wait(self, reading):
        """Wait for a console read (a line, or a full-screen record): the
        coroutine ``reading``.  TCP/IP goes on meanwhile (cms.tcpip): an
        idle user still answers PING, its connections keep their timers."""
        if self.network is not None:
            return await self.network.read_console(reading)
        return await reading

    def load_psw(self, psw: bytes) -> None:
        """The VM's PSW shows what CMS is doing (none while a program of the
        user runs: that program's PSW is the VM's)."""
        vm = self.services.vm
        if vm is not None and self.running is None and vm.guest_task is asyncio.current_task():
            vm.cpu.load_psw(psw)  # (not once CP gave the machine to another guest)

    def immediate(self, line: str) -> None:
        """An immediate command typed after an attention (CMS User's Guide,
        "Immediate commands"): HX halt execution, HT/RT halt/resume typing,
        HI halt the EXEC, TS/TE trace start/end; any other line is stacked
        as input for the running command."""
        word = line.strip().upper()
        if word == "HX":
            raise Halt()
        if word in ("HT", "RT"):
            self.session.typing_halted = word == "HT"
        elif word == "HI" and self.interp is not None:
            self.interp.request_halt()
        elif word in ("TS", "TE") and self.interp is not None:
            self.interp.request_trace("R" if word == "TS" else "O")
        elif line.strip():
            self.stack.queue(line)

    def error(self, module: str, err: CMSError) -> int:
        """Show an error message as CP's SET EMSG wants it (DIAGNOSE X'5C':
        ON the whole message, CODE the id, TEXT the text, OFF nothing)."""
        message = err.message(module)
        message = self.services.emsg_edit(message)
        if message:
            self.say(message)
        return err.rc

    # ---- IPL

    async def ipl(self) -> None:
        """Banner, the standard disks, then PROFILE EXEC (unless ACCESS (NOPROF
        first) at the first line typed, then the ready message."""
        self.load_psw(NUCLEUS_PSW)
        date, clock, _, _ = self.services.pseudo_timer()
        self.say(f"VM/370 CMS - {date} {clock[:5]}")
        self.access_standard_disks()
        if "BATCH" in self.parm:
            return
        self.start_network()
        first = "" if "AUTOCR" in self.parm else await self.read_line()
        call = Call.parse(first) if first.strip() else None
        noprof = (
            call is not None
            and lookup(self.table, call.name) is not None
            and lookup(self.table, call.name).name == "ACCESS"
            and "NOPROF" in call.options
        )
        rc = 0 if noprof else await self.run_profile()
        if call is not None:
            await self.command_and_ready(first)
        else:
            # A null first line (or IPL CMS PARM AUTOCR): CMS has run the
            # PROFILE and says it is ready, as VM/370 CE and z/VM CMS do.
            self.ready(rc)

    def access_standard_disks(self) -> None:
        """191 as A, 190 as S, 19E as Y/S (CMS IPL; missing disks are skipped).
        IPL accesses the system disk read-only even for MAINT, who links it
        R/W: it is updated by accessing it at another mode (e.g. ACCESS 190 Z)."""
        for vaddr, mode, parent in ((0x191, "A", None), (0x190, "S", None), (0x19E, "Y", "S")):
            if self.services.device_info(vaddr) is None:
                continue
            try:
                self.disks.access(vaddr, mode, parent, read_only=mode == "S")
            except CMSError as err:
                self.say(err.message("ACC"))

    def start_network(self) -> None:
        """A VM with a NIC on a LAN and an address starts TCP/IP at IPL (as a
        z/VM user's TCP/IP is there before the first PING), quietly: what is
        missing is said by the first command that needs it."""
        from cms.tcpip import start_if_configured

        start_if_configured(self)

    def end_network(self) -> None:
        """This CMS ends (IPL, SYSTEM RESET, LOGOFF): its TCP/IP connections
        are reset, so their peers know at once (RFC 9293 ABORT) rather than
        after their timeouts; what the NIC no longer takes is lost."""
        network, self.network = self.network, None
        if network is not None:
            try:
                network.stack.close()
            except Exception:
                pass  # the machine goes away whatever its stack thinks

    async def run_profile(self) -> int:
        """PROFILE EXEC from the A-disk, if there is one; its return code."""
        if self.disks.find("PROFILE", "EXEC", "A") if "A" in self.disks.by_mode else []:
            return await self.execute("EXEC PROFILE")
        return 0

    # ---- the command loop

    async def run(self) -> None:
        await self.ipl()
        while True:
            line = await self.read_line()
            if not line.strip():
                continue
            await self.command_and_ready(line)

    async def command_and_ready(self, line: str) -> int:
        rc = await self.execute(line)
        self.ready(rc)
        return rc

    def ready(self, rc: int) -> None:
        """The ready message after a command (none after HX or an abend:
        CMS has typed "CMS" then)."""
        self.session.typing_halted = False  # HT lasts until the command ends
        if self.halted:
            self.halted = False
            return
        virt, total = self._cpu_times()
        dv, dt = virt - self._last_times[0], total - self._last_times[1]
        self._last_times = (virt, total)
        head = "Ready;" if rc == 0 else f"Ready({rc:05d});"  # -3 shows as -0003
        if self.settings.rdymsg == "SMSG":
            self.services.write_line(head)
        else:
            self.services.write_line(
                f"{head} T={dv / 1e6:.2f}/{dt / 1e6:.2f} {time.strftime('%H:%M:%S')}"
            )

    def _cpu_times(self) -> tuple[int, int]:
        _, _, virt, total = self.services.pseudo_timer()
        return virt, total

    # ---- command resolution

    async def execute(self, line: str) -> int:
        """Run one command line; the return code (messages already shown)."""
        call = Call.parse(line)
        if not call.name:
            return 0
        self.depth += 1
        try:
            return await self._resolve(call, line)
        except CMSError as err:
            return self.error(self._module_of(call), err)
        except Halt:
            if self.depth > 1:
                raise  # called by an EXEC: that ends too
            # HX or abend recovery: CMS types "CMS" instead of a ready message.
            self.session.typing_halted = False
            self.services.write_line("CMS")
            self.halted = True
            return RC_ABEND
        except Exception as exc:  # a nucleus defect must not kill the VM
            if is_cp_refusal(exc):
                # CP refused a service (cp.services.DeviceError: a detached
                # disk, a device of another kind): its message, its code.
                self.say(str(exc))
                return exc.rc
            self.say(f"DMSABN148T SYSTEM ABEND 0C4 CALLED FROM NUCLEUS ({type(exc).__name__})")
            return RC_ABEND
        finally:
            self.depth -= 1
            self.load_psw(NUCLEUS_PSW)  # back in the nucleus after the command

    def _module_of(self, call: Call) -> str:
        cmd = lookup(self.table, call.name)
        return cmd.module if cmd else "INT"

    async def _resolve(self, call: Call, line: str) -> int:
        if self.settings.impex and call.name != "EXEC" and self._file_exists(call.name, "EXEC"):
            return await self.run_command(Call.parse("EXEC " + line.strip()))
        cmd = lookup(self.table, call.name)
        if cmd is not None:
            return await cmd.handler(self, call)
        if self._file_exists(call.name, "MODULE"):
            return await run_module(self, call)
        if self.settings.impcp:
            return self.cp(line.strip(), unknown_is_cms=True)
        self.say("Unknown CMS command")
        return RC_UNKNOWN

    async def run_command(self, call: Call) -> int:
        cmd = lookup(self.table, call.name)
        if cmd is None:
            raise CMSError(1, "E", RC_UNKNOWN, f"UNKNOWN CMS COMMAND '{call.name}'")
        return await cmd.handler(self, call)

    def _file_exists(self, fn: str, ft: str) -> bool:
        if not fn or len(fn) > 8 or "*" in fn or "%" in fn:
            return False
        return bool(self.disks.find(fn, ft, "*"))

    # ---- CP

    def cp(self, text: str, unknown_is_cms: bool = False) -> int:
        """Pass a command to CP (DIAGNOSE X'08') and show its response."""
        if ends_machine(text):
            # LOGOFF or IPL from CMS: the connections are reset while the
            # NIC is still there to carry the resets.
            self.end_network()
        rc, lines = self.services.cp_command(text)
        if rc == 0 and ends_machine(text):
            raise MachineReset()
        if unknown_is_cms and rc == 1:
            # CP does not know it either (DMKCFM001E): CMS's answer to an unknown name.
            self.say("Unknown CP/CMS command")
            return RC_UNKNOWN
        for out in lines:
            self.say(out)
        return rc


async def ipl_cms(services, parm: str = "") -> None:
    """The named-system entry point CP runs for IPL CMS (docs/interfaces.md §5)."""
    cms = CMS(services, parm)
    try:
        if "BATCH" in cms.parm:
            from cms.batch import run_batch_machine

            await run_batch_machine(cms)
        else:
            await cms.run()
    except MachineReset:
        return
    finally:
        cms.end_network()
