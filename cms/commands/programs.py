"""Program commands: ASSEMBLE, LOAD, INCLUDE, START, GENMOD, and running fn MODULE
(VM/370 CMS Command and Macro Reference).

ASSEMBLE reads ``fn ASSEMBLE``, assembles it with s390.asm using the
GLOBALed macro libraries (CMSLIB and OSMACRO when none are GLOBALed), and
writes ``fn TEXT`` and ``fn LISTING``.  LOAD places TEXT decks in the user
area (X'20000') with the s390.asm loader, INCLUDE adds more, START runs the
loaded program, GENMOD saves it as ``fn MODULE``; typing a MODULE's name
loads and runs it.  A MODULE file is RECFM V: a header record
(``MODULE``, origin, length, entry point) then the storage image in 4 KB records.
"""

from __future__ import annotations

import struct

from cms.commands import Command
from cms.errors import CMSError, invalid_option
from cms.fs import check_name, not_found
from cms.program import USER_AREA, LoadedProgram, machine, prepare_storage, run_program
from s390.ebcdic import from_ebcdic, to_ebcdic

DEFAULT_MACLIBS = ("CMSLIB", "OSMACRO")
MODULE_ID = to_ebcdic("MODULE")
MODULE_CHUNK = 4096


# ---------------------------------------------------------------- ASSEMBLE


def macro_libraries(cms) -> list:
    from s390.asm.maclib import MemberLibrary, split_maclib

    names = cms.session.globals["MACLIB"] or [
        n for n in DEFAULT_MACLIBS if cms.disks.find(n, "MACLIB", "*")
    ]
    libs = []
    for name in names:
        found = cms.disks.find(name, "MACLIB", "*")
        if found:
            lines = [from_ebcdic(r).rstrip() for r in cms.disks.read(found[0])]
            libs.append(MemberLibrary(split_maclib(lines)))
    return libs


async def assemble(cms, call) -> int:
    from s390.asm import assemble as run_assembler

    if not call.args:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    for opt in call.options:
        if opt not in ("DECK", "NODECK", "LIST", "NOLIST", "XREF", "NOXREF", "TERM", "NOTERM"):
            raise invalid_option(opt)
    fn = call.args[0]
    found = cms.disks.find_one(fn, "ASSEMBLE", call.args[1] if len(call.args) > 1 else "*")
    source = [from_ebcdic(r).rstrip() for r in cms.disks.read(found)]
    result = run_assembler(source, libraries=macro_libraries(cms))
    out = cms.disks.writable("A")
    if "NODECK" not in call.options:
        out.disk.write_file(fn, "TEXT", [bytes(c) for c in result.deck], "F", 80)
    if "NOLIST" not in call.options:
        out.disk.write_file(fn, "LISTING", [to_ebcdic(x) for x in result.listing] or [b"\x40"], "V")
    flagged = sorted({d.stmt for d in result.diagnostics if d.severity > 0})
    if "NOTERM" not in call.options:
        for d in result.diagnostics:
            if d.severity > 0:
                cms.say(f"{d.msgid} {d.text}" + (f" (STMT {d.stmt})" if d.stmt else ""))
    count = len(flagged) or len([d for d in result.diagnostics if d.severity > 0])
    cms.say(
        f"{count if count else 'NO'} STATEMENT{'S' if count != 1 else ''} FLAGGED IN THIS ASSEMBLY"
    )
    return result.rc


# ---------------------------------------------------------------- LOAD / INCLUDE


def text_decks(cms, names: list[str]) -> list[list[bytes]]:
    decks = []
    for name in names:
        check_name(name, f"{name} TEXT *")
        found = cms.disks.find(name, "TEXT", "*")
        if not found:
            raise not_found(f"{name} TEXT *")
        decks.append(cms.disks.read(found[0]))
    return decks


def undefined_names(decks: list[list[bytes]]) -> list[str]:
    """External references (ER) that no section or entry (SD, LD) of the decks defines."""
    from s390.asm.objdeck import ObjectDeckError, read_deck

    defined, wanted = set(), []
    for deck in decks:
        try:
            modules = read_deck(deck)
        except ObjectDeckError:
            continue  # the loader reports the bad card
        for module in modules:
            for item in module.esd:
                if item.type in ("SD", "LD") and item.name:
                    defined.add(item.name)
                elif item.type == "ER":
                    wanted.append(item.name)
    return sorted({n for n in wanted if n not in defined})


def auto_include(cms, names: list[str], decks: list[list[bytes]]) -> list[str]:
    """CMS LOAD's automatic search: a TEXT file named like an undefined
    external reference is loaded too, then the GLOBALed TXTLIBs are searched
    for decks that define what is still undefined."""
    while True:
        wanted = undefined_names(decks)
        more = [
            n for n in wanted if n not in names and len(n) <= 8 and cms.disks.find(n, "TEXT", "*")
        ]
        if more:
            names += more
            decks += text_decks(cms, more)
            continue
        found = txtlib_decks(cms, wanted)
        if not found:
            return wanted
        decks += found


def txtlib_decks(cms, wanted: list[str]) -> list[list[bytes]]:
    """Decks of the GLOBALed TXTLIBs that define any of the wanted names."""
    from cms.commands.libraries import deck_names, split_decks

    out = []
    for lib in cms.session.globals["TXTLIB"]:
        found = cms.disks.find(lib, "TXTLIB", "*")
        if not found:
            continue
        for deck in split_decks(cms.disks.read(found[0])):
            if set(deck_names(deck)) & set(wanted) and deck not in out:
                out.append(deck)
    return out


def place(cms, names: list[str], decks: list[list[bytes]], auto: bool = True) -> LoadedProgram:
    from s390.asm.loader import LoadError, load

    missing = auto_include(cms, names, decks) if auto else undefined_names(decks)
    if missing:
        raise CMSError(201, "W", 4, "THE FOLLOWING NAMES ARE UNDEFINED: " + " ".join(missing))
    cpu = machine(cms.services)
    prepare_storage(cpu)
    try:
        result = load(decks, cpu.mem, USER_AREA)
    except LoadError as err:
        raise CMSError(201, "E", 8, f"LOAD FAILED: {str(err).upper()}") from None
    return LoadedProgram(USER_AREA, result.end, result.entry, names, result.map)


def write_load_map(cms, program: LoadedProgram) -> None:
    lines = [to_ebcdic(f"{m.name or '(PC)':<8} {m.type}  {m.address:06X}") for m in program.map]
    acc = cms.disks.by_mode.get("A")
    if acc is not None and not acc.read_only:
        acc.disk.write_file("LOAD", "MAP", lines or [b"\x40"], "V", mode_number=5)


async def load_cmd(cms, call, include: bool = False) -> int:
    names = call.args
    if not names:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    for opt in call.options:
        if opt not in ("START", "NOMAP", "MAP", "CLEAR", "NOCLEAR", "NOAUTO", "AUTO"):
            raise invalid_option(opt)
    # INCLUDE adds to what the last LOAD named, even when that LOAD left
    # names undefined (CMS keeps such a program loaded, waiting for them).
    all_names = (cms.session.load_names if include else []) + names
    try:
        decks = text_decks(cms, all_names)
    except CMSError:
        # A TEXT file that is not there: INCLUDE leaves what is loaded as it
        # was; LOAD has already cleared the loader tables, so nothing stays.
        if not include:
            cms.session.load_names, cms.session.loaded = [], None
        raise
    cms.session.load_names, cms.session.loaded = [], None
    try:
        program = place(cms, list(all_names), decks, "NOAUTO" not in call.options)
    except CMSError as err:
        if (err.number, err.severity) == (201, "W"):
            cms.session.load_names = all_names  # loaded, waiting for the undefined names
        raise
    cms.session.load_names = all_names
    cms.session.loaded = program
    if "NOMAP" not in call.options:
        write_load_map(cms, program)
    if "START" in call.options:
        return await start_loaded(cms, program, "")
    return 0


async def include(cms, call) -> int:
    return await load_cmd(cms, call, include=True)


async def start_loaded(cms, program: LoadedProgram, args: str) -> int:
    cms.say("DMSLIO740I EXECUTION BEGINS...")
    return await run_program(cms, program, program.names[0] if program.names else "", args)


async def start(cms, call) -> int:
    program = cms.session.loaded
    if program is None:
        raise CMSError(55, "E", 40, "NO ENTRY POINT DEFINED")
    words = call.text.split("(")[0].split()
    if words and words[0] != "*":
        try:
            program.entry = next(m.address for m in program.map if m.name == words[0].upper())
        except StopIteration:
            raise CMSError(22, "E", 40, f"NO ENTRY POINT '{words[0].upper()}' FOUND") from None
    args = " ".join(words[1:]) if words else ""
    return await start_loaded(cms, program, args)


# ---------------------------------------------------------------- GENMOD / MODULE


async def genmod(cms, call) -> int:
    program = cms.session.loaded
    if program is None:
        raise CMSError(55, "E", 40, "NO ENTRY POINT DEFINED")
    if call.options and not set(call.options) <= {"NOMAP", "MAP"}:
        raise invalid_option(call.options[0])
    fn = call.args[0] if call.args else (program.names[0] if program.names else "")
    fm = call.args[2] if len(call.args) > 2 else "A1"
    mem = machine(cms.services).mem
    image = bytes(mem[program.origin : program.end])
    header = MODULE_ID + struct.pack(">III", program.origin, len(image), program.entry)
    records = [header] + [image[i : i + MODULE_CHUNK] for i in range(0, len(image), MODULE_CHUNK)]
    acc = cms.disks.writable(fm[0])
    check_name(fn, f"{fn} MODULE {fm}")
    acc.disk.write_file(
        fn, "MODULE", records, "V", mode_number=int(fm[1]) if len(fm) > 1 and fm[1].isdigit() else 1
    )
    return 0


def load_module(cms, name: str) -> LoadedProgram:
    found = cms.disks.find_one(name, "MODULE", "*")
    records = cms.disks.read(found)
    if not records or records[0][:6] != MODULE_ID:
        raise CMSError(106, "S", 32, f"FILE '{name} MODULE' IS NOT A MODULE")
    origin, length, entry = struct.unpack_from(">III", records[0], 6)
    image = b"".join(records[1:])[:length]
    cpu = machine(cms.services)
    prepare_storage(cpu)
    if origin + len(image) > len(cpu.mem):
        raise CMSError(109, "S", 104, "VIRTUAL STORAGE CAPACITY EXCEEDED")
    cpu.mem[origin : origin + len(image)] = image
    program = LoadedProgram(origin, origin + len(image), entry, [name])
    cms.session.loaded = program
    return program


async def loadmod(cms, call) -> int:
    """LOADMOD fn: bring a MODULE into storage without running it (START runs it)."""
    if not call.args:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    program = load_module(cms, call.args[0])
    cms.session.load_names = list(program.names)
    return 0


# ---------------------------------------------------------------- EXEC


async def exec_(cms, call) -> int:
    from cms.execs import run_exec

    if not call.args:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    name, _, rest = call.text.partition(" ")
    return await run_exec(cms, name.upper(), rest.strip())


COMMANDS = [
    Command("ASSEMBLE", 8, "ASM", assemble, "fn [fm] [(NODECK NOLIST NOTERM]"),
    Command("LOAD", 4, "LIO", load_cmd, "fn ... [(START NOMAP NOAUTO]"),
    Command("INCLUDE", 2, "LIO", include, "fn ... [(START NOMAP NOAUTO]"),
    Command("START", 5, "LIO", start, "[entry|*] [arguments]"),
    Command("GENMOD", 3, "MOD", genmod, "[fn [MODULE [fm]]]"),
    Command("LOADMOD", 5, "MOD", loadmod, "fn"),
    Command("EXEC", 2, "EXE", exec_, "fn [arguments]"),
]


async def run_module(cms, call) -> int:
    """Typing the name of a MODULE file loads and runs it."""
    program = load_module(cms, call.name)
    return await run_program(cms, program, call.name, call.text)
