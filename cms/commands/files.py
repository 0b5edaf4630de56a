"""File commands: LISTFILE, TYPE, COPYFILE, RENAME, ERASE, STATE, ESTATE.

Syntax and messages follow the VM/370 CMS Command and Macro Reference.
Fileid fields accept ``*`` (any) and, in COPYFILE and RENAME output fields,
``=`` (the same as the input).
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.copyspecs import fill_character, parse_specs, select_labels, transform
from cms.disks import Found, split_mode
from cms.errors import (
    CMSError,
    incomplete_fileid,
    invalid_option,
    invalid_parameter,
    no_fileid,
)
from cms.fs import check_name, not_found
from s390.ebcdic import from_ebcdic, to_ebcdic


def fileid_args(args: list[str], default_fm: str, need: int = 2) -> tuple[str, str, str]:
    """fn ft [fm] from the command tokens (DMS054E when too few)."""
    if not args:
        raise no_fileid()
    if len(args) < need:
        raise incomplete_fileid()
    fn, ft = args[0], args[1] if len(args) > 1 else "*"
    fm = args[2] if len(args) > 2 else default_fm
    split_mode(fm)
    return fn, ft, fm


def int_option(options: list[str], i: int, name: str) -> int:
    try:
        value = int(options[i + 1])
    except (IndexError, ValueError):
        raise invalid_parameter(options[i + 1] if i + 1 < len(options) else name) from None
    if value < 0:
        raise invalid_parameter(str(value))
    return value


def text_of(record: bytes) -> str:
    return from_ebcdic(record).rstrip()


# ---------------------------------------------------------------- LISTFILE

LISTFILE_OPTIONS = {
    "LABEL",
    "DATE",
    "EXEC",
    "HEADER",
    "NOHEADER",
    "FORMAT",
    "ALLOC",
    "FILENAME",
    "STACK",
    "FIFO",
    "LIFO",
}


def listfile_line(found: Found, options: set[str]) -> str:
    fst, acc = found.fst, found.acc
    line = f"{fst.fn:<8} {fst.ft:<8} {acc.mode}{fst.mode_number}"
    if options & {"DATE", "LABEL", "FORMAT", "ALLOC"}:
        line += f" {fst.recfm} {fst.lrecl:10d} {fst.records:10d} {max(fst.blocks, 1 if fst.records else 0):10d}"
    if "DATE" in options or "LABEL" in options:
        d = fst.date
        line += f" {d.month:2d}/{d.day:02d}/{d.year % 100:02d} {d:%H:%M:%S}"
    if "LABEL" in options:
        line += f" {acc.disk.label.volid}"
    return line


def listfile_header(options: set[str]) -> str:
    head = "FILENAME FILETYPE FM"
    if options & {"DATE", "LABEL", "FORMAT", "ALLOC"}:
        head += " FORMAT      LRECL       RECS     BLOCKS"
    if "DATE" in options or "LABEL" in options:
        head += "     DATE     TIME"
    if "LABEL" in options:
        head += " LABEL"
    return head


async def listfile(cms, call) -> int:
    options = set(call.options)
    for opt in options - LISTFILE_OPTIONS:
        raise invalid_option(opt)
    args = call.args + ["*", "*", "A"][len(call.args) :]
    fn, ft, fm = args[:3]
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise CMSError(2, "E", 28, "FILE NOT FOUND")
    if "EXEC" in options:
        records = [
            to_ebcdic(f"&1 &2 {f.fst.fn:<8} {f.fst.ft:<8} {f.acc.mode}{f.fst.mode_number}")
            for f in found
        ]
        cms.disks.writable("A").disk.write_file("CMS", "EXEC", records, "F", 80)
        return 0
    lines = ([listfile_header(options)] if "HEADER" in options else []) + [
        listfile_line(f, options) for f in found
    ]
    if options & {"STACK", "FIFO", "LIFO"}:
        # STACK [FIFO|LIFO]: the lines go to the program stack, not the
        # terminal (VM/SP CMS Command Reference, LISTFILE).
        if "LIFO" in options:
            for line in reversed(lines):
                cms.stack.push(line)
        else:
            for line in lines:
                cms.stack.queue(line)
        return 0
    for line in lines:
        cms.say(line)
    return 0


# ---------------------------------------------------------------- TYPE


def hex_lines(number: int, record: bytes) -> list[str]:
    """TYPE (HEX: each record as hex, 32 bytes to a line."""
    lines = [f"RECORD {number}, LENGTH {len(record)}:"] if number else []
    for i in range(0, max(len(record), 1), 32):
        chunk = record[i : i + 32]
        words = " ".join(chunk[j : j + 4].hex().upper() for j in range(0, len(chunk), 4))
        lines.append(f"  {i:04X}  {words}")
    return lines


async def type_(cms, call) -> int:
    for opt in call.options:
        if opt != "HEX":
            raise invalid_option(opt)
    fn, ft, fm = fileid_args(call.args, "*")
    first, last = 1, None
    rest = call.args[3:]
    try:
        if rest:
            first = int(rest[0])
        if len(rest) > 1:
            last = None if rest[1] == "*" else int(rest[1])
    except ValueError:
        raise invalid_parameter(rest[0] if len(rest) < 2 else rest[1]) from None
    if first < 1 or len(rest) > 2 or (last is not None and last < first):
        raise invalid_parameter(" ".join(rest))
    found = cms.disks.find_one(fn, ft, fm)
    records = cms.disks.read(found)
    selected = records[first - 1 : last]
    if records and not selected:
        raise CMSError(6, "E", 32, f"NO RECORDS TYPED: FILE HAS {len(records)} RECORDS")
    for n, record in enumerate(selected, start=first):
        if "HEX" in call.options:
            for out in hex_lines(n, record):
                cms.say(out)
        else:
            cms.say(text_of(record))
    return 0


# ---------------------------------------------------------------- COPYFILE


def substitute(pattern: str, source: str) -> str:
    """An output fileid field: ``=`` is the input field."""
    return source if pattern == "=" else pattern


def copy_options(options: list[str]) -> dict:
    out = {
        "replace": False,
        "append": False,
        "recfm": None,
        "lrecl": None,
        "from": 1,
        "for": None,
        "type": False,
        "newdate": False,
        "case": None,
        "trunc": False,
        "specs": False,
        "fill": 0x40,
        "frlabel": None,
        "tolabel": None,
    }
    i = 0
    while i < len(options):
        opt = options[i]
        if opt in ("REPLACE", "REP"):
            out["replace"] = True
        elif opt in ("APPEND", "APP"):
            out["append"] = True
        elif opt == "TYPE":
            out["type"] = True
        elif opt in ("NOTYPE", "OLDDATE", "NEWDATE", "NOSPECS", "NOTRUNC"):
            pass
        elif opt in ("NEWFILE", "NEWF"):
            out["newfile"] = True  # the default: an existing target is refused
        elif opt in ("UPCASE", "LOWCASE"):
            if out["case"] not in (None, opt):
                raise CMSError(66, "E", 24, "'UPCASE' AND 'LOWCASE' ARE CONFLICTING OPTIONS")
            out["case"] = opt
        elif opt in ("TRUNC", "SPECS"):
            out[opt.lower()] = True
        elif opt == "FILL":
            if i + 1 >= len(options):
                raise invalid_parameter("FILL")
            out["fill"] = fill_character(options[i + 1])
            i += 1
        elif opt in ("FRLABEL", "TOLABEL"):
            if i + 1 >= len(options):
                raise invalid_parameter(opt)
            out[opt.lower()] = options[i + 1]
            i += 1
        elif opt == "RECFM":
            if i + 1 >= len(options) or options[i + 1] not in ("F", "V"):
                raise invalid_parameter(options[i + 1] if i + 1 < len(options) else "RECFM")
            out["recfm"] = options[i + 1]
            i += 1
        elif opt in ("LRECL", "FROM", "FOR"):
            out[opt.lower()] = int_option(options, i, opt)
            i += 1
        else:
            raise invalid_option(opt)
        i += 1
    if out["from"] != 1 and out["frlabel"] is not None:
        raise CMSError(66, "E", 24, "'FROM' AND 'FRLABEL' ARE CONFLICTING OPTIONS")
    if out["for"] is not None and out["tolabel"] is not None:
        raise CMSError(66, "E", 24, "'FOR' AND 'TOLABEL' ARE CONFLICTING OPTIONS")
    for other in ("replace", "append"):
        if out.get("newfile") and out[other]:
            raise CMSError(66, "E", 24, f"'NEWFILE' AND '{other.upper()}' ARE CONFLICTING OPTIONS")
    if out["replace"] and out["append"]:
        raise CMSError(66, "E", 24, "'REPLACE' AND 'APPEND' ARE CONFLICTING OPTIONS")
    if out["lrecl"] is not None and not 1 <= out["lrecl"] <= 65535:
        raise invalid_parameter(str(out["lrecl"]))
    return out


def convert(records: list[bytes], recfm: str, lrecl: int, fill: int = 0x40) -> list[bytes]:
    """Records in the output format: F pads (with the FILL character) or
    truncates to LRECL, V strips trailing blanks."""
    if recfm == "F":
        return [r[:lrecl].ljust(lrecl, bytes([fill])) for r in records]
    return [(r.rstrip(b"\x40") or r[:1])[:lrecl] for r in records]


async def copyfile(cms, call) -> int:
    if len(call.args) < 6:
        raise incomplete_fileid() if call.args else no_fileid()
    if len(call.args) > 6:
        raise invalid_parameter(call.args[6])
    fn, ft, fm, fn2, ft2, fm2 = call.args
    opts = copy_options(call.options)
    sources = cms.disks.find(fn, ft, fm)
    if not sources:
        raise not_found(f"{fn} {ft} {fm}")
    specs = None
    if opts["specs"]:
        cms.say("DMSCPY601R ENTER SPECIFICATION:")
        specs = parse_specs(await cms.read_line())
    for src in sources:
        target_fm = substitute(fm2, src.acc.mode)
        letter, number = split_mode(target_fm)
        out = cms.disks.writable(letter)
        tfn, tft = substitute(fn2, src.fst.fn), substitute(ft2, src.fst.ft)
        if "*" in (tfn, tft):
            raise invalid_parameter("*")
        tid = f"{tfn} {tft} {letter}"
        check_name(tfn, tid)
        check_name(tft, tid)
        existing = out.disk.lookup(tfn, tft)
        if existing is not None and not (opts["replace"] or opts["append"]):
            raise CMSError(
                24,
                "E",
                28,
                f"FILE '{tid}{existing.mode_number}' ALREADY EXISTS -- SPECIFY 'REPLACE'",
            )
        records = select_labels(cms.disks.read(src), opts["frlabel"], opts["tolabel"])
        start = opts["from"] - 1
        records = records[start : start + opts["for"] if opts["for"] is not None else None]
        records = transform(records, opts, specs)
        recfm = opts["recfm"] or src.fst.recfm
        lrecl = opts["lrecl"] or src.fst.lrecl
        if opts["append"] and existing is not None:
            recfm, lrecl = existing.recfm, existing.lrecl
            records = out.disk.read_file(tfn, tft) + convert(records, recfm, lrecl, opts["fill"])
        else:
            records = convert(records, recfm, lrecl, opts["fill"])
        if opts["type"]:
            cms.say(f"COPY '{src.fst.fn} {src.fst.ft} {src.acc.mode}{src.fst.mode_number}'")
        mode_number = number if number is not None else src.fst.mode_number
        out.disk.write_file(tfn, tft, records, recfm, lrecl, mode_number)
    return 0


# ---------------------------------------------------------------- RENAME, ERASE


async def rename(cms, call) -> int:
    for opt in call.options:
        if opt not in ("TYPE", "NOTYPE", "UPDIRT", "NOUPDIRT"):
            raise invalid_option(opt)
    if len(call.args) < 6:
        raise incomplete_fileid() if call.args else no_fileid()
    fn, ft, fm, fn2, ft2, fm2 = call.args[:6]
    if fm == "*":
        raise invalid_parameter("*")
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    for src in found:
        letter, number = split_mode(substitute(fm2, src.acc.mode))
        if letter != src.acc.mode:
            raise CMSError(49, "E", 24, "INVALID MODE CHANGE")
        acc = cms.disks.writable(letter)
        acc.disk.rename(
            src.fst.fn, src.fst.ft, substitute(fn2, src.fst.fn), substitute(ft2, src.fst.ft), number
        )
        if "TYPE" in call.options:
            cms.say(f"{src.fst.fn} {src.fst.ft} {letter} RENAMED")
    return 0


async def erase(cms, call) -> int:
    for opt in call.options:
        if opt not in ("TYPE", "NOTYPE"):
            raise invalid_option(opt)
    fn, ft, fm = fileid_args(call.args, "A")
    if fm == "*" and fn == "*" and ft == "*":
        raise invalid_parameter("*")
    found = [f for f in cms.disks.find(fn, ft, fm) if not f.acc.read_only or fm != "*"]
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    for f in found:
        cms.disks.writable(f.acc.mode).disk.erase(f.fst.fn, f.fst.ft)
        if "TYPE" in call.options:
            cms.say(f"{f.fileid} ERASED")
    return 0


# ---------------------------------------------------------------- STATE, ESTATE


async def state(cms, call) -> int:
    if call.options:
        raise invalid_option(call.options[0])
    fn, ft, fm = fileid_args(call.args, "*")
    cms.disks.find_one(fn, ft, fm)
    return 0


COMMANDS = [
    Command(
        "LISTFILE", 1, "LST", listfile, "[fn [ft [fm]]] [(LABEL DATE EXEC HEADER STACK FIFO LIFO]"
    ),
    Command("TYPE", 1, "TYP", type_, "fn ft [fm] [rec1 [rec2|*]] [(HEX]"),
    Command(
        "COPYFILE",
        4,
        "CPY",
        copyfile,
        "fn ft fm fn2|= ft2|= fm2|= [(REPLACE APPEND RECFM F|V LRECL n FROM n|FRLABEL x "
        "FOR n|TOLABEL x UPCASE|LOWCASE TRUNC SPECS FILL c]",
    ),
    Command("RENAME", 3, "REN", rename, "fn ft fm fn2|= ft2|= fm2|="),
    Command("ERASE", 5, "ERS", erase, "fn ft [fm]"),
    Command("STATE", 5, "STT", state, "fn ft [fm]"),
    Command("ESTATE", 6, "STT", state, "fn ft [fm]"),
]
