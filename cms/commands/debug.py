"""DEBUG: the CMS debug environment (VM/370 CMS Command and Macro Reference, DEBUG).

Typing DEBUG shows ``DMSDBG728I DEBUG ENTERED`` and reads DEBUG
subcommands until RETURN (or GO), working on the virtual machine's storage
and registers as the last program left them:

    ORIGIN hexloc             base for the locations typed after it
    DEFINE symbol hexloc [n]  name a location (n bytes, default 4)
    X hexloc|symbol [n]       examine n bytes (default 4, at most 56)
    STORE hexloc hexdata      store up to 12 bytes
    GPR reg1 [reg2]           general registers (decimal)
    SET GPR reg hexdata ...   set registers; SET PSW|CAW|CSW hexdata
    PSW, CAW, CSW             the PSW, and the CAW and CSW in low storage
    DUMP [hexloc1 [hexloc2 [id]]]   print storage on the virtual printer
    RETURN, GO                leave DEBUG (Ready)

Breakpoints (BREAK) need the program stopped in the middle: this CMS hands
that to CP, whose ADSTOP, TRACE, DISPLAY, STORE and BEGIN do it; BREAK says
so (DMSDBG727E) rather than pretend.
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.spool import PRINTER, close_unit, require_unit
from cms.errors import CMSError
from cms.program import machine
from cp.abbrev import full_name
from s390.ebcdic import to_ebcdic

MAX_EXAMINE = 56
MAX_STORE = 12


class DebugError(Exception):
    """A subcommand DEBUG cannot do: its message; DEBUG goes on reading."""


def invalid(text: str) -> DebugError:
    return DebugError(f"DMSDBG729E INVALID OPERAND: {text}")


class Debug:
    def __init__(self, cms):
        self.cms = cms
        self.cpu = machine(cms.services)
        self.origin = 0
        self.symbols: dict[str, tuple[int, int]] = {}

    # ---- operands

    def location(self, word: str) -> tuple[int, int | None]:
        """(address, length) of a hexloc (from ORIGIN) or a DEFINEd symbol."""
        if word in self.symbols:
            return self.symbols[word]
        try:
            offset = int(word, 16)
        except ValueError:
            raise invalid(word) from None
        address = self.origin + offset
        if not 0 <= address < len(self.cpu.mem):
            raise DebugError(f"DMSDBG730E ADDRESS {address:06X} EXCEEDS STORAGE")
        return address, None

    @staticmethod
    def hexdata(word: str, limit: int) -> bytes:
        try:
            data = bytes.fromhex(word.zfill(len(word) + len(word) % 2))
        except ValueError:
            raise invalid(word) from None
        if not data or len(data) > limit:
            raise invalid(word)
        return data

    @staticmethod
    def register(word: str) -> int:
        if not word.isdigit() or not 0 <= int(word) <= 15:
            raise invalid(word)
        return int(word)

    # ---- subcommands

    def x(self, args: list[str]) -> list[str]:
        if not args or len(args) > 2:
            raise invalid(" ".join(args) or "X")
        address, length = self.location(args[0])
        if len(args) > 1:
            if not args[1].isdigit() or not 1 <= int(args[1]) <= MAX_EXAMINE:
                raise invalid(args[1])
            length = int(args[1])
        data = bytes(self.cpu.mem[address : address + (length or 4)])
        words = " ".join(data[i : i + 4].hex().upper() for i in range(0, len(data), 4))
        return [f"{address:06X}  {words}"]

    def store(self, args: list[str]) -> list[str]:
        if len(args) != 2:
            raise invalid(" ".join(args) or "STORE")
        address, _ = self.location(args[0])
        data = self.hexdata(args[1], MAX_STORE)
        if address + len(data) > len(self.cpu.mem):
            raise DebugError(f"DMSDBG730E ADDRESS {address + len(data):06X} EXCEEDS STORAGE")
        self.cpu.mem[address : address + len(data)] = data
        return []

    def gpr(self, args: list[str]) -> list[str]:
        if not args or len(args) > 2:
            raise invalid(" ".join(args) or "GPR")
        first = self.register(args[0])
        last = self.register(args[1]) if len(args) > 1 else first
        if last < first:
            raise invalid(args[1])
        lines = []
        for r in range(first, last + 1, 4):
            group = range(r, min(r + 4, last + 1))
            lines.append(f"GPR {r:2d} = " + " ".join(f"{self.cpu.gpr[n]:08X}" for n in group))
        return lines

    def set(self, args: list[str]) -> list[str]:
        if len(args) < 2:
            raise invalid(" ".join(args) or "SET")
        what, values = args[0], args[1:]
        if what == "GPR":
            first = self.register(values[0])
            data = [self.hexdata(v, 4) for v in values[1:]]
            if not data or first + len(data) > 16:
                raise invalid(" ".join(values))
            for n, d in enumerate(data):
                self.cpu.gpr[first + n] = int.from_bytes(d.rjust(4, b"\0"), "big")
        elif what == "PSW":
            image = b"".join(self.hexdata(v, 8) for v in values)
            if len(image) != 8:
                raise invalid(" ".join(values))
            self.cpu.load_psw(image)
        elif what in ("CAW", "CSW"):
            image = b"".join(self.hexdata(v, 8) for v in values)
            size = 4 if what == "CAW" else 8
            if len(image) > size:
                raise invalid(" ".join(values))
            at = 0x48 if what == "CAW" else 0x40
            self.cpu.mem[at : at + size] = image.rjust(size, b"\0")
        else:
            raise invalid(what)
        return []

    def psw(self, args: list[str]) -> list[str]:
        psw = self.cpu.get_psw().hex().upper()
        return [f"PSW = {psw[:8]} {psw[8:]}"]

    def caw(self, args: list[str]) -> list[str]:
        return [f"CAW = {bytes(self.cpu.mem[0x48:0x4C]).hex().upper()}"]

    def csw(self, args: list[str]) -> list[str]:
        csw = bytes(self.cpu.mem[0x40:0x48]).hex().upper()
        return [f"CSW = {csw[:8]} {csw[8:]}"]

    def origin_(self, args: list[str]) -> list[str]:
        if len(args) != 1:
            raise invalid(" ".join(args) or "ORIGIN")
        try:
            value = int(args[0], 16)
        except ValueError:
            raise invalid(args[0]) from None
        if not 0 <= value < len(self.cpu.mem):
            raise DebugError(f"DMSDBG730E ADDRESS {value:06X} EXCEEDS STORAGE")
        self.origin = value
        return []

    def define(self, args: list[str]) -> list[str]:
        if not 2 <= len(args) <= 3 or not args[0][:1].isalpha() or len(args[0]) > 8:
            raise invalid(" ".join(args) or "DEFINE")
        address, _ = self.location(args[1])
        length = 4
        if len(args) == 3:
            if not args[2].isdigit() or not 1 <= int(args[2]) <= MAX_EXAMINE:
                raise invalid(args[2])
            length = int(args[2])
        self.symbols[args[0]] = (address, length)
        return []

    def dump(self, args: list[str]) -> list[str]:
        """DUMP [hexloc1 [hexloc2|* [ident]]]: storage on the printer, 32 bytes a line."""
        if len(args) > 3:
            raise invalid(args[3])
        start = self.location(args[0])[0] if args else 0
        end = (
            len(self.cpu.mem) - 1 if len(args) < 2 or args[1] == "*" else self.location(args[1])[0]
        )
        if end < start:
            raise invalid(" ".join(args[:2]))
        try:
            require_unit(self.cms, PRINTER, "PRT")
        except CMSError as err:
            raise DebugError(err.message("DBG")) from None
        title = args[2] if len(args) > 2 else ""
        self.cms.services.print_line(PRINTER, to_ebcdic(f"DEBUG DUMP {title}".rstrip()))
        self.cms.services.print_line(PRINTER, to_ebcdic(self.gpr(["0", "15"])[0]))
        for at in range(start & ~0x1F, end + 1, 32):
            data = bytes(self.cpu.mem[at : at + 32])
            words = " ".join(data[i : i + 4].hex().upper() for i in range(0, 32, 4))
            self.cms.services.print_line(PRINTER, to_ebcdic(f"{at:06X}  {words}"))
        close_unit(self.cms, PRINTER, "DEBUG", "DUMP")
        return []

    def brk(self, args: list[str]) -> list[str]:
        raise DebugError("DMSDBG727E BREAK IS NOT AVAILABLE; USE CP ADSTOP, TRACE AND BEGIN")


#: DEBUG subcommand -> (minimum abbreviation, method); RETURN and GO end DEBUG.
SUBCOMMANDS = {
    "X": (1, "x"),
    "STORE": (2, "store"),
    "GPR": (3, "gpr"),
    "SET": (3, "set"),
    "PSW": (3, "psw"),
    "CAW": (3, "caw"),
    "CSW": (3, "csw"),
    "ORIGIN": (2, "origin_"),
    "DEFINE": (3, "define"),
    "DUMP": (2, "dump"),
    "BREAK": (2, "brk"),
}
ENDING = {"RETURN": 3, "GO": 2}


def subcommand_of(word: str, table: dict) -> str | None:
    """The subcommand of SUBCOMMANDS (name -> (minimum, method)) or ENDING
    (name -> minimum) a word names, or None."""
    return full_name(
        word,
        ((name, entry[0] if isinstance(entry, tuple) else entry) for name, entry in table.items()),
    )


async def debug(cms, call) -> int:
    if call.args or call.options:
        raise CMSError(70, "E", 24, f"INVALID PARAMETER '{(call.args + call.options)[0]}'")
    session = Debug(cms)
    cms.say("DMSDBG728I DEBUG ENTERED")
    while True:
        words = (await cms.read_line()).upper().split()
        if not words:
            continue
        if subcommand_of(words[0], ENDING):
            return 0
        name = subcommand_of(words[0], SUBCOMMANDS)
        if name is None:
            cms.say(f"DMSDBG726E '{words[0]}' IS AN INVALID SUBCOMMAND")
            continue
        try:
            for line in getattr(session, SUBCOMMANDS[name][1])(words[1:]):
                cms.say(line)
        except DebugError as err:
            cms.say(str(err))


COMMANDS = [
    Command(
        "DEBUG",
        5,
        "DBG",
        debug,
        "(then X STORE GPR SET PSW CAW CSW ORIGIN DEFINE DUMP RETURN; "
        "breakpoints: CP ADSTOP, TRACE, BEGIN)",
    )
]
