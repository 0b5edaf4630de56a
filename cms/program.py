"""Running user programs on the virtual machine's S/370 CPU.

CMS loads programs into the user area (X'20000', as VM/370 CMS did) and runs
them with storage key E and, as DMSITS starts a program in the user area,
enabled for all interruptions: the BC-mode PSW a user program runs with (and
CP's DISPLAY PSW shows) is ``FFE5xxxx`` — system mask X'FF' (channels 0-5,
the other channels, external), key E, machine checks enabled, problem state
(VM/370 System Programmer's Guide, "CMS Handling of PSW Keys" and the
called-routine start-up table).  The problem state is this CMS's own choice:
real CMS runs user programs in supervisor state, but this nucleus does not
simulate a program's own channel programs, so a privileged instruction is a
program check (0C2) rather than I/O behind the nucleus's back.  The nucleus
area below is key 0 and so protected.

Interruptions the enabled program takes (a timer, a device's unsolicited
status) go through new PSWs that point at the nucleus's interruption
handlers: disabled wait PSWs at ``IO_HANDLER`` and ``EXTERNAL_HANDLER`` that
end the slice; the runner then resumes the program from the old PSW, as
CMS's DMSITI and DMSITE return to the interrupted program.

Every SVC is intercepted (s390.cpu ``set_svc_intercept``) and
served here, as CMS's SVC handler DMSITS does:

* SVC 202: the CMS function or command named by the plist at R1 (CMS
  Command and Macro Reference, "SVC 202"); the functions are in
  ``cms.svc202``.  When the byte after the SVC is X'00' the fullword there is
  an error address: it is skipped on return, and control goes to it when the
  return code is not zero.
* OS simulation: SVC 3 EXIT, SVC 10 GETMAIN/FREEMAIN (R form), SVC 13
  ABEND, SVC 35 WTO.

A program check, an ABEND or an unknown SVC ends the program with the CMS
abend message (``DMSABN148T SYSTEM ABEND 0C4 CALLED FROM 020010``) and the
command returns to Ready.  A program that never ends is stopped by the
immediate command HX typed while it runs (ENTER is the attention and the
line at once; an empty ENTER first works too), or by a batch job's time
limit.  CP's stops (PA1, ADSTOP, TRACE) happen inside ``run_cpu``: the
program simply waits in CP READ until BEGIN.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from cms.commands.spool import PRINTER, PUNCH, close_unit
from cms.errors import CMSError, Halt

# The guest storage helpers are cms.storage's; the names stay importable from here.
from cms.storage import (  # noqa: F401
    FENCE,
    FST_AREA,
    AddressingError,
    fullword,
    halfword,
    put_fullword,
    store,
    text_at,
    token,
    tokenize,
    tokens_at,
)
from cms.svc202 import close_all, svc202
from s390.ebcdic import to_ebcdic

USER_AREA = 0x20000
NUCLEUS_EXIT = 0x1000  # SVC 3: a started program's R14 returns here
IO_HANDLER = 0x1008  # where the I/O new PSW goes (a disabled wait, see above)
EXTERNAL_HANDLER = 0x1010  # where the external new PSW goes
TRANSIENT = 0x1F000  # 4 KB below the user area, in the user's key:
SAVE_AREA = 0x1F000  # 18 fullwords: the save area given in R13
PLIST_AREA = 0x1F100  # tokenized plist of the START/module arguments
EPLIST_AREA = 0x1F300  # extended plist: begin, end of arguments
ARGS_AREA = 0x1F400  # the argument string the extended plist points at
USER_KEY = 0xE  # storage key of the user area and the program's PSW
SLICE = 50_000  # instructions per dispatcher slice
#: SET BLIP types its character every 2 seconds of virtual CPU; the machine's
#: time base is the instruction count, at INSTRUCTIONS_PER_SECOND (cms.batch).
BLIP_INSTRUCTIONS = 2_000_000

SVC_EXIT, SVC_GETMAIN, SVC_ABEND, SVC_WTO, SVC_CMS = 3, 10, 13, 35, 202

#: Program interruption codes and the names DMSITP141T gives them (VM/SP
#: System Programmer's Guide, "Introduction to Debugging"; GA22-7000 ch. 6).
EXCEPTIONS = {
    0x1: "OPERATION",
    0x2: "PRIVILEGED OPERATION",
    0x3: "EXECUTE",
    0x4: "PROTECTION",
    0x5: "ADDRESSING",
    0x6: "SPECIFICATION",
    0x7: "DECIMAL DATA",
    0x8: "FIXED-POINT OVERFLOW",
    0x9: "FIXED-POINT DIVIDE",
    0xA: "DECIMAL OVERFLOW",
    0xB: "DECIMAL DIVIDE",
    0xC: "EXPONENT OVERFLOW",
    0xD: "EXPONENT UNDERFLOW",
    0xE: "SIGNIFICANCE",
    0xF: "FLOATING-POINT DIVIDE",
}
CMS_SVCS = (202, 203)
#: Immediate commands that act on a running EXEC only.
EXEC_IMMEDIATE = ("HI", "TS", "TE")


class ProgramEnd(Exception):
    """The program finished: ``rc`` is its return code (R15 at EXIT)."""

    def __init__(self, rc: int):
        super().__init__(rc)
        self.rc = rc


class Abend(Exception):
    """The program is ended abnormally; ``messages`` are the lines CMS types
    (DMSITP141T for a program exception, then DMSABN148T or DMSABN155T)."""

    def __init__(self, *messages: str):
        super().__init__(messages[-1])
        self.messages = messages


# ---------------------------------------------------------------- free storage


@dataclass
class FreeStorage:
    """GETMAIN/FREEMAIN over the storage between the program and the top of the VM."""

    low: int
    high: int
    free: list[tuple[int, int]] = field(default_factory=list)  # (address, length), sorted

    def __post_init__(self):
        self.low = (self.low + 7) & ~7
        self.free = [(self.low, self.high - self.low)] if self.high > self.low else []

    def get(self, length: int) -> int | None:
        length = (length + 7) & ~7
        for i, (addr, size) in enumerate(self.free):
            if size >= length:
                self.free[i : i + 1] = [(addr + length, size - length)] if size > length else []
                return addr
        return None

    def release(self, addr: int, length: int) -> bool:
        length = (length + 7) & ~7
        if addr & 7 or addr < self.low or addr + length > self.high:
            return False
        for a, s in self.free:
            if a < addr + length and addr < a + s:
                return False  # freeing storage that is already free
        self.free.append((addr, length))
        self.free.sort()
        merged: list[tuple[int, int]] = []
        for a, s in self.free:
            if merged and merged[-1][0] + merged[-1][1] == a:
                merged[-1] = (merged[-1][0], merged[-1][1] + s)
            else:
                merged.append((a, s))
        self.free = merged
        return True


# ---------------------------------------------------------------- the loaded program


@dataclass
class LoadedProgram:
    """What LOAD/INCLUDE (or a MODULE) put in storage."""

    origin: int
    end: int
    entry: int
    names: list[str] = field(default_factory=list)  # the TEXT files loaded
    map: list = field(default_factory=list)  # s390.asm.loader MapEntry

    def routine_at(self, address: int) -> str:
        """The name DMSITP141T gives the routine at ``address``: CMS looks it
        up in the loader tables, so it is the entry point or control section
        (of whichever deck LOAD or INCLUDE brought in) that the address falls
        in, the nearest one below it; a MODULE, which keeps no loader
        tables, is known by its own name."""
        sections = [
            m
            for m in self.map
            if m.type in ("SD", "PC") and m.address <= address < m.address + max(m.length, 1)
        ]
        if not sections:
            return self.names[0] if self.names else ""
        section = sections[-1]
        entries = [
            m
            for m in self.map
            if m.type == "LD" and m.name and section.address <= m.address <= address
        ]
        named = max(entries, key=lambda m: m.address, default=section)
        return named.name or (self.names[0] if self.names else "")


#: BC-mode PSW bits (GA22-7000 "Program-Status Word"): system mask byte 0
#: (channels 0-5, bit 6 the other channels, bit 7 external), and in byte 1
#: the machine-check mask, wait state and problem state bits below the key.
ENABLED_ALL = 0xFF
MACHINE_CHECK, WAIT_STATE, PROBLEM_STATE = 0x04, 0x02, 0x01


def bc_psw(
    address: int,
    key: int = USER_KEY,
    problem: bool = True,
    mask: int = ENABLED_ALL,
    wait: bool = False,
) -> bytes:
    """A BC-mode PSW: system ``mask`` (machine checks enabled with it),
    ``key``, problem state or not, instruction address.  The default is the
    PSW CMS starts a user program with: enabled for all interruptions, key E."""
    byte1 = (
        (key << 4)
        | (MACHINE_CHECK if mask else 0)
        | (PROBLEM_STATE if problem else 0)
        | (WAIT_STATE if wait else 0)
    )
    return bytes([mask, byte1, 0, 0, 0]) + (address & 0xFFFFFF).to_bytes(3, "big")


#: The nucleus's interruption handlers: where each new PSW points, and the
#: old PSW the interrupted program resumes from.
HANDLERS = {IO_HANDLER: (0x78, 0x38), EXTERNAL_HANDLER: (0x58, 0x18)}


def machine(services):
    """The VM's CPU: GuestServices keeps the VM it serves (cp.services)."""
    cpu = getattr(services, "cpu", None)
    if cpu is None:
        vm = getattr(services, "vm", None)
        cpu = getattr(vm, "cpu", None)
    if cpu is None:
        raise CMSError(109, "S", 104, "VIRTUAL STORAGE CAPACITY EXCEEDED")
    return cpu


def prepare_storage(cpu) -> None:
    """Nucleus area key 0; the transient area and the user area key E; the
    exit SVC where R14 returns."""
    blocks = len(cpu.keys)
    first_user = TRANSIENT >> 11
    for b in range(blocks):
        cpu.keys[b] = (USER_KEY << 4) if b >= first_user else 0
    cpu.mem[NUCLEUS_EXIT : NUCLEUS_EXIT + 2] = bytes([0x0A, SVC_EXIT])
    for handler, (new_psw, _) in HANDLERS.items():
        cpu.mem[new_psw : new_psw + 8] = bc_psw(handler, key=0, problem=False, mask=0, wait=True)
    for n in range(256):
        cpu.set_svc_intercept(n, True)
    cpu.program_intercept = True


def release_storage(cpu) -> None:
    """After a program: SVCs and program checks go back to the architecture's
    PSW swaps, so whatever the machine runs next (an IPL) finds it plain."""
    for n in range(256):
        cpu.set_svc_intercept(n, False)
    cpu.program_intercept = False


def set_arguments(cpu, name: str, args: str) -> None:
    """R1 -> tokenized plist (name, arguments, fence); R0 -> extended plist."""
    tokens = tokenize(f"{name} {args}")[:60]
    plist = b"".join(tokens) + FENCE
    cpu.mem[PLIST_AREA : PLIST_AREA + len(plist)] = plist
    raw = to_ebcdic(f"{name} {args}".strip())[:255]
    cpu.mem[ARGS_AREA : ARGS_AREA + len(raw)] = raw
    cpu.mem[EPLIST_AREA : EPLIST_AREA + 16] = struct.pack(
        ">IIII",
        PLIST_AREA,
        ARGS_AREA + len(name) + 1 if args else ARGS_AREA + len(raw),
        ARGS_AREA + len(raw),
        0,
    )
    cpu.gpr[1] = PLIST_AREA
    cpu.gpr[0] = EPLIST_AREA


# ---------------------------------------------------------------- running


class ProgramRun:
    """One execution of a loaded program, with the open files and storage it owns."""

    def __init__(self, cms, cpu, program: LoadedProgram, cpu_limit: int | None = None):
        self.cms, self.cpu, self.program = cms, cpu, program
        self.storage = FreeStorage(program.end, len(cpu.mem) - 4096)
        self.files: dict = {}  # (fn, ft, fm) -> cms.svc202.OpenFile
        self.cpu_limit = cpu_limit
        self.printed = self.punched = False  # unit-record output to close at the end

    async def run(self, name: str, args: str) -> int:
        cpu = self.cpu
        prepare_storage(cpu)
        set_arguments(cpu, name, args)
        cpu.gpr[13] = SAVE_AREA
        cpu.gpr[14] = NUCLEUS_EXIT
        cpu.gpr[15] = self.program.entry
        cpu.load_psw(bc_psw(self.program.entry))
        started = next_blip = cpu.instructions
        try:
            while True:
                reason = await self.cms.services.run_cpu(SLICE)
                await self._exit(reason)
                await self._immediate_commands()
                if cpu.instructions - next_blip >= BLIP_INSTRUCTIONS:
                    next_blip = cpu.instructions
                    self._blip()
                if self.cpu_limit is not None and cpu.instructions - started > self.cpu_limit:
                    raise Abend(f"DMSABN155T USER ABEND 0322 CALLED FROM {cpu.ia:06X}")
        except ProgramEnd as end:
            return end.rc
        except Abend as ab:
            # Abend recovery (VM/370 CMS, DMSABN): the messages, then "CMS";
            # the program's files are closed and its storage released below.
            for message in ab.messages:
                self.cms.say(message)
            raise Halt("ABEND") from None
        finally:
            release_storage(self.cpu)
            close_all(self)
            if self.printed:
                close_unit(self.cms, PRINTER)
            if self.punched:
                close_unit(self.cms, PUNCH)

    async def _exit(self, reason: int) -> None:
        import s390.cpu as cpu_mod

        cpu = self.cpu
        if reason == cpu_mod.EXIT_SVC:
            await self.svc(cpu.exit_addr & 0xFF)
        elif reason == cpu_mod.EXIT_PROGRAM:
            code, where = cpu.exit_code & 0xFF, self._psw_address()
            name = EXCEPTIONS.get(code & 0xF, "PROGRAM")
            routine = self.program.routine_at(where)
            raise Abend(
                f"DMSITP141T {name} EXCEPTION OCCURRED AT {where:06X} IN ROUTINE {routine}",
                f"DMSABN148T SYSTEM ABEND 0C{code & 0xF:X} CALLED FROM {where:06X}",
            )
        elif reason == cpu_mod.EXIT_DISABLED_WAIT and cpu.ia in HANDLERS:
            self._interruption_handled(HANDLERS[cpu.ia][1])
        elif reason in (cpu_mod.EXIT_DISABLED_WAIT, cpu_mod.EXIT_WAIT, cpu_mod.EXIT_PGM_LOOP):
            raise Abend(f"DMSABN148T SYSTEM ABEND 0C1 CALLED FROM {self._psw_address():06X}")

    def _interruption_handled(self, old_psw: int) -> None:
        """An I/O or external interruption the program was enabled for: the
        nucleus has nothing to do for it (its own I/O is synchronous; the
        console's attention reaches it as ``attention_pending``), so the
        program resumes where it was interrupted, as from CMS's handlers."""
        self.cpu.load_psw(bytes(self.cpu.mem[old_psw : old_psw + 8]))

    def _blip(self) -> None:
        """SET BLIP: a character typed for every 2 seconds of CPU time a program uses."""
        blip = self.cms.settings.blip
        if blip not in ("OFF", ""):
            self.cms.say("*" if blip == "ON" else blip)

    def _psw_address(self) -> int:
        return int.from_bytes(self.cpu.get_psw()[5:8], "big")

    async def _immediate_commands(self) -> None:
        """After an attention CMS reads one line (the line typed with the
        attention, or the next one): HX, HT, RT, or a line for the stack.
        HI, TS and TE act on an EXEC; with none running CMS ignores them
        (CMS Command and Macro Reference, immediate commands)."""
        services = self.cms.services
        if not services.attention_pending():
            return
        line = await services.read_line()
        if line.strip().upper() in EXEC_IMMEDIATE and getattr(self.cms, "interp", None) is None:
            return
        self.cms.immediate(line)

    async def svc(self, number: int) -> None:
        cpu = self.cpu
        if number == SVC_CMS:
            try:
                await svc202(self)
            except AddressingError:
                # The plist or a buffer it names is outside storage: CMS
                # touching it takes an addressing exception, an abend.
                raise Abend(
                    f"DMSABN148T SYSTEM ABEND 0C5 CALLED FROM {self._psw_address() - 2:06X}"
                ) from None
        elif number == SVC_EXIT:
            raise ProgramEnd(cpu.gpr[15] if cpu.gpr[15] < 0x80000000 else cpu.gpr[15] - (1 << 32))
        elif number == SVC_GETMAIN:
            self.getmain_freemain()
        elif number == SVC_ABEND:
            code = cpu.gpr[1] & 0xFFF
            raise Abend(
                f"DMSABN155T USER ABEND {code:04d} CALLED FROM {self._psw_address() - 2:06X}"
            )
        elif number == SVC_WTO:
            try:
                length = halfword(cpu.mem, cpu.gpr[1])
                self.cms.say(text_at(cpu.mem, cpu.gpr[1] + 4, max(length - 4, 0)).rstrip())
            except AddressingError:
                raise Abend(
                    f"DMSABN148T SYSTEM ABEND 0C5 CALLED FROM {self._psw_address() - 2:06X}"
                ) from None
            cpu.gpr[15] = 0
        else:
            raise Abend(
                f"DMSABN148T SYSTEM ABEND 0{number:02X} CALLED FROM {self._psw_address() - 2:06X}"
            )

    def getmain_freemain(self) -> None:
        """SVC 10, R form: R0 length; R1 negative = GETMAIN, else the address to free."""
        cpu = self.cpu
        length = cpu.gpr[0] & 0xFFFFFF
        if cpu.gpr[1] & 0x80000000:
            addr = self.storage.get(length)
            if addr is None:
                raise Abend(
                    f"DMSABN148T SYSTEM ABEND 80A CALLED FROM {self._psw_address() - 2:06X}"
                )
            cpu.gpr[1] = addr
            cpu.gpr[15] = 0
        elif not self.storage.release(cpu.gpr[1] & 0xFFFFFF, length):
            raise Abend(f"DMSABN148T SYSTEM ABEND 30A CALLED FROM {self._psw_address() - 2:06X}")
        else:
            cpu.gpr[15] = 0


async def run_program(cms, program: LoadedProgram, name: str, args: str) -> int:
    """Run ``program`` (already in storage) with the given arguments."""
    if cms.running is not None:
        raise CMSError(109, "E", 40, "A PROGRAM IS ALREADY RUNNING")
    cpu = machine(cms.services)
    limit = cms.job.cpu_limit() if cms.job is not None else None
    run = ProgramRun(cms, cpu, program, limit)
    cms.running = run
    try:
        return await run.run(name, args)
    finally:
        cms.running = None
