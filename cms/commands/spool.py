"""Unit-record and spool commands: PRINT, PUNCH, READCARD, DISK DUMP/LOAD,
SENDFILE, RECEIVE, PEEK, TELL.

CMS drives its virtual printer (00E), punch (00D) and reader (00C) and uses
CP commands (SPOOL, CLOSE, ORDER, MSG) the way the real CMS commands do
(VM/370 CMS Command and Macro Reference; VM/SP SENDFILE/RECEIVE).  The
DISK DUMP card format is in docs/cms-disk-format.md.
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import fileid_args
from cms.diskdump import dump_cards, undump_cards
from cms.disks import split_mode
from cms.errors import CMSError, invalid_option, invalid_parameter
from cms.fs import check_name, not_found
from s390.ebcdic import card, from_ebcdic, to_ebcdic

READER, PUNCH, PRINTER = 0x00C, 0x00D, 0x00E
ASA_SPACING = {" ": 0, "0": 1, "-": 2, "+": -1, "1": 0}


def close_unit(cms, vaddr: int, fn: str = "", ft: str = "") -> int:
    """CLOSE the printer or punch at the end of a command, naming the spool
    file; inside a batch job the batch machine closes them at the job's end.
    CP's return code: a CLOSE CP refuses (SPOOL SPACE FULL; the file stays
    open) is the command's return code, CP's message shown."""
    if cms.job is not None:
        return 0
    return cms.cp(f"CLOSE {vaddr:03X}" + (f" NAME {fn} {ft}" if fn else ""))


def read_header(fn: str, ft: str, fm: str) -> bytes:
    """The ``:READ`` card PUNCH puts in front of a file (READCARD rebuilds from it)."""
    return card(f":READ  {fn:<8} {ft:<8} {fm:<2}")


def parse_read_header(image: bytes) -> tuple[str, str, str] | None:
    text = from_ebcdic(image)
    if not text.startswith(":READ"):
        return None
    parts = text[5:].split()
    if len(parts) < 2:
        return None
    return parts[0], parts[1], (parts[2] if len(parts) > 2 else "A1")


def require_unit(cms, vaddr: int, devclass: str) -> None:
    """The unit record device a command uses must be there: DMSxxx008E
    DEVICE vaddr INVALID OR NONEXISTENT, return code 100, as CMS says when
    the printer, punch or reader is detached or is something else."""
    info = cms.services.device_info(vaddr)
    if info is None or info.devclass != devclass:
        raise CMSError(8, "E", 100, f"DEVICE {vaddr:03X} INVALID OR NONEXISTENT")


# ---------------------------------------------------------------- PRINT


async def print_(cms, call) -> int:
    opts = set(call.options)
    for opt in opts - {"CC", "NOCC", "HEADER", "NOHEADER"}:
        raise invalid_option(opt)
    fn, ft, fm = fileid_args(call.args, "*")
    found = cms.disks.find_one(fn, ft, fm)
    require_unit(cms, PRINTER, "PRT")
    records = cms.disks.read(found)
    if "HEADER" in opts:
        cms.services.print_line(PRINTER, to_ebcdic(f"FILE: {found.fileid}"))
        cms.services.print_line(PRINTER, b"")
    for record in records:
        if "CC" in opts and record:
            control = from_ebcdic(record[:1])
            if control == "1":
                cms.services.print_line(PRINTER, b"\x0c")
            for _ in range(max(ASA_SPACING.get(control, 0), 0)):
                cms.services.print_line(PRINTER, b"")
            record = record[1:]
        cms.services.print_line(PRINTER, record.rstrip(b"\x40"))
    return close_unit(cms, PRINTER, found.fst.fn, found.fst.ft)


# ---------------------------------------------------------------- PUNCH


def punch_records(cms, found, records: list[bytes], header: bool) -> None:
    if found.fst.lrecl > 80:
        raise CMSError(33, "E", 32, f"FILE '{found.fileid}' IS NOT FIXED, 80 CHAR. RECORDS")
    if header:
        cms.services.punch(
            PUNCH,
            read_header(found.fst.fn, found.fst.ft, f"{found.acc.mode}{found.fst.mode_number}"),
        )
    for record in records:
        cms.services.punch(PUNCH, record.ljust(80, b"\x40"))


async def punch(cms, call) -> int:
    opts = set(call.options)
    for opt in opts - {"HEADER", "NOHEADER", "NOH"}:
        raise invalid_option(opt)
    fn, ft, fm = fileid_args(call.args, "*")
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    require_unit(cms, PUNCH, "PUN")
    for f in found:
        punch_records(cms, f, cms.disks.read(f), not opts & {"NOHEADER", "NOH"})
    return close_unit(cms, PUNCH, found[0].fst.fn, found[0].fst.ft)


# ---------------------------------------------------------------- reading the reader


def read_reader_file(cms) -> list[bytes]:
    """All cards of the next reader file (CP: end of file = None)."""
    cards = []
    while True:
        image = cms.services.read_card(READER)
        if image is None:
            return cards
        cards.append(bytes(image))


def reader_class(cms) -> str:
    """The class of the virtual reader (CP's QUERY VIRTUAL 00C: ``CL c``)."""
    _, lines = cms.services.cp_command(f"QUERY VIRTUAL {READER:03X}")
    words = " ".join(lines).split()
    if "CL" in words and words.index("CL") + 1 < len(words):
        return words[words.index("CL") + 1]
    return "*"


def readable_files(cms) -> list:
    """The reader files of the virtual reader's class (all of them when the
    reader's class is *), held or not, in reader order."""
    cls = reader_class(cms)
    return [f for f in cms.services.reader_files() if cls == "*" or f.cls == cls]


def next_reader_file(cms):
    """The file the reader reads next: the first of its class not held (CP's
    reader skips held files, VM/370 CP Command Reference, SPOOL/CHANGE HOLD)."""
    for f in readable_files(cms):
        if not f.held:
            return f
    raise CMSError(1101, "E", 28, "NO FILES IN YOUR READER")


def chosen_reader_file(cms, args: list[str]):
    """PEEK's and RECEIVE's file: the spoolid given first in ``args`` (taken
    off them; held files too, the user names it), else the next file."""
    if args and args[0].isdigit():
        spoolid = int(args.pop(0))
        for f in readable_files(cms):
            if f.spoolid == spoolid:
                return f
        raise CMSError(1101, "E", 28, f"SPOOL FILE {spoolid:04d} NOT FOUND IN YOUR READER")
    return next_reader_file(cms)


def reader_file_cards(cms, sf) -> list[bytes]:
    """The cards of reader file ``sf`` itself, selected by its spoolid
    (DIAGNOSE X'14' select file): never another file, and the file, its
    place in the reader and the reader are left as they were."""
    return [bytes(image) for image in cms.services.read_spool_file(sf.spoolid)]


def store(
    cms, fn: str, ft: str, fm: str, records: list[bytes], recfm="F", lrecl=80, replace=True
) -> str:
    letter, number = split_mode(fm if fm != "*" else "A")
    acc = cms.disks.writable(letter)
    fid = f"{fn} {ft} {letter}"
    check_name(fn, fid)
    check_name(ft, fid)
    if not replace and acc.disk.lookup(fn, ft) is not None:
        raise CMSError(24, "E", 28, f"FILE '{fid}' ALREADY EXISTS -- SPECIFY 'REPLACE'")
    acc.disk.write_file(fn, ft, records, recfm, lrecl, number if number is not None else 1)
    return f"{fn} {ft} {letter}{number if number is not None else 1}"


async def readcard(cms, call) -> int:
    if call.options:
        raise invalid_option(call.options[0])
    if not call.args:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    require_unit(cms, READER, "RDR")
    star = call.args[0] == "*"
    if not star:
        fn, ft, fm = fileid_args(call.args, "A")
    next_reader_file(cms)
    cards = read_reader_file(cms)
    files: list[tuple[tuple[str, str, str], list[bytes]]] = []
    for image in cards:
        header = parse_read_header(image)
        if header is not None and (star or not files):
            files.append((header if star else (fn, ft, fm), []))
            continue
        if not files:
            if star:
                raise CMSError(702, "E", 24, "NO ':READ' CARD: SPECIFY A FILEID")
            files.append(((fn, ft, fm), []))
        files[-1][1].append(image)
    if not files:
        cms.say("DMSRDC701I NULL FILE")
        return 0
    for (name, typ, mode), records in files:
        fid = store(cms, name, typ, mode, records)
        if star:
            cms.say(f"DMSRDC738I FILE '{fid}' READ")
    return 0


# ---------------------------------------------------------------- DISK DUMP / LOAD


def punch_dump(cms, found) -> None:
    for image in dump_cards(
        found.fst, f"{found.acc.mode}{found.fst.mode_number}", cms.disks.read(found)
    ):
        cms.services.punch(PUNCH, image)


async def disk(cms, call) -> int:
    if not call.args or call.args[0] not in ("DUMP", "LOAD"):
        raise invalid_parameter(call.args[0] if call.args else "")
    if call.args[0] == "DUMP":
        fn, ft, fm = fileid_args(call.args[1:], "*")
        found = cms.disks.find_one(fn, ft, fm)
        require_unit(cms, PUNCH, "PUN")
        punch_dump(cms, found)
        return close_unit(cms, PUNCH, found.fst.fn, found.fst.ft)
    require_unit(cms, READER, "RDR")
    next_reader_file(cms)
    result = undump_cards(read_reader_file(cms))
    if result is None:
        raise CMSError(104, "S", 32, "READER FILE IS NOT IN DISK DUMP FORMAT")
    (fn, ft, fm, recfm, lrecl), records = result
    fid = store(cms, fn, ft, fm, records, recfm, lrecl)
    cms.say(f"DMSDSK705I FILE '{fid}' LOADED")
    return 0


# ---------------------------------------------------------------- SENDFILE / RECEIVE / PEEK

#: SENDFILE options (z/VM CMS Command Reference): TYPE/NOTYPE show or not the
#: "File ... sent" line; the others concern networks and logs we keep none of.
SENDFILE_OPTIONS = {"TYPE", "NOTYPE", "LOG", "NOLOG", "ACK", "NOACK", "NEW", "OLD"}


async def sendfile(cms, call) -> int:
    for opt in call.options:
        if opt not in SENDFILE_OPTIONS:
            raise invalid_option(opt)
    args = [a for a in call.args if a != "TO"]
    if len(args) < 4:
        raise CMSError(
            54, "E", 24, "INCOMPLETE FILEID SPECIFIED" if len(args) < 3 else "NO USERID SPECIFIED"
        )
    fn, ft, fm, userid = args[:4]
    if len(args) > 4 and not (len(args) == 6 and args[4] == "AT"):
        raise invalid_parameter(args[4])
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    require_unit(cms, PUNCH, "PUN")
    saved = punch_settings(cms)
    rc = cms.cp(f"SPOOL PUNCH TO {userid} NOCONT")
    if rc:
        return rc
    try:
        for f in found:
            punch_dump(cms, f)
            cms.cp(f"CLOSE {PUNCH:03X} NAME {f.fst.fn} {f.fst.ft}")
            if "NOTYPE" not in call.options:
                date, clock, _, _ = cms.services.pseudo_timer()
                cms.say(
                    f"File {f.fst.fn} {f.fst.ft} {f.acc.mode}{f.fst.mode_number} "
                    f"sent to {userid} on {date} {clock}"
                )
    finally:
        cms.services.cp_command(f"SPOOL PUNCH {saved}")
    return 0


def punch_settings(cms) -> str:
    """The punch's destination and CONT setting as SPOOL operands, read from
    CP's QUERY VIRTUAL, so SENDFILE can put them back when it is done."""
    _, lines = cms.services.cp_command(f"QUERY VIRTUAL {PUNCH:03X}")
    words = " ".join(lines).split()
    where = "OFF"
    for verb in ("TO", "FOR"):
        if verb in words and words.index(verb) + 1 < len(words):
            where = f"{verb} {words[words.index(verb) + 1]}"
    return f"{where} {'CONT' if 'CONT' in words else 'NOCONT'}"


async def receive(cms, call) -> int:
    opts = set(call.options)
    for opt in opts - {"REPLACE", "REP", "LOG", "NOLOG"}:
        raise invalid_option(opt)
    require_unit(cms, READER, "RDR")
    args = list(call.args)
    sf = chosen_reader_file(cms, args)
    # The file leaves the reader only once it is on disk: a RECEIVE that
    # fails (file exists, disk full, damaged file) leaves it there.
    cards = reader_file_cards(cms, sf)
    dumped = undump_cards(cards)
    replace = bool(opts & {"REPLACE", "REP"})
    if dumped is not None:
        (fn, ft, fm, recfm, lrecl), records = dumped
    else:
        header = parse_read_header(cards[0]) if cards else None
        fn, ft, fm = header if header else (sf.name or "READER", sf.ftype or "FILE", "A1")
        records, recfm, lrecl = (cards[1:] if header else cards), "F", 80
    fm = "A" + fm[1:] if len(fm) > 1 else "A1"
    if args:
        fn = args[0] if args[0] != "=" else fn
        ft = args[1] if len(args) > 1 and args[1] != "=" else ft
        fm = args[2] if len(args) > 2 and args[2] != "=" else fm
    fid = store(cms, fn, ft, fm, records, recfm, lrecl, replace)
    cms.services.cp_command(f"PURGE READER {sf.spoolid:04d}")
    cms.say(f"File {fid} received from {sf.origin}")
    return 0


# ---------------------------------------------------------------- TELL


async def tell(cms, call) -> int:
    parts = call.text.split(None, 1)
    if len(parts) < 2:
        raise CMSError(1, "E", 24, "NO USERID SPECIFIED" if not parts else "NO MESSAGE SPECIFIED")
    return cms.cp(f"MSG {parts[0].upper()} {parts[1]}")


COMMANDS = [
    Command("PRINT", 2, "PRT", print_, "fn ft [fm] [(CC HEADER]"),
    Command("PUNCH", 2, "PUN", punch, "fn ft [fm] [(NOHEADER]"),
    Command("READCARD", 4, "RDC", readcard, "fn ft [fm]  |  *"),
    Command("DISK", 4, "DSK", disk, "DUMP fn ft [fm]  |  LOAD"),
    Command("SENDFILE", 4, "SND", sendfile, "fn ft fm [TO] userid"),
    Command("RECEIVE", 3, "RCV", receive, "[spoolid] [fn|= [ft|= [fm|=]]] [(REPLACE]"),
    Command("TELL", 4, "TEL", tell, "userid text"),
]
