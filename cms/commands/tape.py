"""TAPE: CMS files to and from tape (VM/370 CMS Command and Macro Reference, TAPE).

``TAPE function [fn [ft [fm]]] [(TAPn|cuu WTM|NOWTM PRINT|TERM|NOPRINT]``:

    DUMP fn ft [fm]   write the files (wildcards allowed), then a tapemark (WTM,
                      the default; NOWTM leaves it off)
    LOAD [fn [ft [fm]]]  read files up to the next tapemark onto disk (fm, default
                      A), those matching fn ft (default * *)
    SCAN [fn [ft]]    list the files up to the next tapemark
    SKIP fn [ft]      move the tape past the named file
    REW, RUN          rewind; rewind and unload
    WVOL1 volid [owner]   rewind and write a standard VOL1 label (VM/SP)
    RVOL1             rewind and show the VOL1 label (VM/SP)
    FSF|FSR|BSF|BSR|WTM [n]   space files/blocks forward or back, write tapemarks

The drive is TAP1 (181) unless TAPn (TAP0-TAP4: 180-184) or a device
address says otherwise.  Each file is written as tape blocks laid out like
the DISK DUMP cards (docs/cms-disk-format.md): a header block, data blocks
of up to 800 bytes of the record stream, an end block.  CMS runs each tape
command through CP's general I/O service (GuestServices.channel_io).
"""

from __future__ import annotations

from cms.commands import Command
from cms.diskdump import DUMP_ID
from cms.disks import name_matches, split_mode
from cms.errors import CMSError, incomplete_fileid, invalid_option, invalid_parameter
from cms.fs import check_name, not_found, pack_records, unpack_records
from s390.ebcdic import from_ebcdic, to_ebcdic

WRITE, READ, WTM, REWIND, RUN = 0x01, 0x02, 0x1F, 0x07, 0x0F
FSF, FSR, BSF, BSR, ERG = 0x3F, 0x37, 0x2F, 0x27, 0x17
UNIT_CHECK, UNIT_EXCEPTION = 0x02, 0x01
BLOCK_DATA = 800  # data bytes per tape data block
MAX_BLOCK = 65535
SPACING = {"FSF": FSF, "FSR": FSR, "BSF": BSF, "BSR": BSR, "WTM": WTM, "ERG": ERG}
FUNCTIONS = {"DUMP", "LOAD", "SCAN", "SKIP", "REW", "RUN", "WVOL1", "RVOL1", *SPACING}
SYMBOLIC = {f"TAP{n}": 0x180 + n for n in range(5)}


class TapeMark(Exception):
    """A read met a tapemark."""


class Drive:
    """The tape drive a TAPE command works, through CP's channel_io service."""

    def __init__(self, cms, name: str, vaddr: int):
        self.cms, self.name, self.vaddr = cms, name, vaddr
        self.label = f"{name}({vaddr:03X})"

    def run(self, command: int, data: bytes = b"", count: int = 0):
        result = self.cms.services.channel_io(self.vaddr, command, data, count)
        if result.status & UNIT_CHECK:
            sense = result.sense or b"\0\0"
            if sense[0] & 0x80 and len(sense) > 1 and sense[1] & 0x02:
                raise CMSError(43, "E", 36, f"{self.label} IS FILE PROTECTED")
            if sense[0] & 0x40:
                raise CMSError(110, "S", 100, f"{self.label} IS NOT READY")
            if sense[0] & 0x08 or command in (FSF, FSR, BSF, BSR, READ):
                raise CMSError(58, "E", 40, "END-OF-FILE OR END-OF-TAPE")
            raise CMSError(105, "S", 100, f"ERROR {sense[0]:02X} ON {self.label}")
        return result

    def read_block(self) -> bytes:
        result = self.run(READ, count=MAX_BLOCK)
        if result.status & UNIT_EXCEPTION:
            raise TapeMark()
        return result.data

    def write_block(self, block: bytes) -> None:
        self.run(WRITE, block)


def choose_drive(cms, options: list[str]) -> tuple[Drive, set[str]]:
    """The drive (TAPn or cuu, default TAP1) and the other options."""
    name, vaddr, rest = "TAP1", 0x181, set()
    for opt in options:
        if opt in SYMBOLIC:
            name, vaddr = opt, SYMBOLIC[opt]
        elif opt in ("WTM", "NOWTM", "PRINT", "TERM", "NOPRINT", "EOT", "NOEOT", "9TRACK"):
            rest.add(opt)
        elif len(opt) == 3 and all(c in "0123456789ABCDEF" for c in opt):
            name, vaddr = f"TAP{opt}", int(opt, 16)
        else:
            raise invalid_option(opt)
    if {"WTM", "NOWTM"} <= rest:
        raise CMSError(66, "E", 24, "'WTM' AND 'NOWTM' ARE CONFLICTING OPTIONS")
    info = cms.services.device_info(vaddr)
    if info is None or info.devclass != "TAPE":
        raise CMSError(113, "S", 100, f"{name}({vaddr:03X}) NOT ATTACHED")
    return Drive(cms, name, vaddr), rest


# ---------------------------------------------------------------- the tape file format


def dump_blocks(fst, mode: str, records: list[bytes]) -> list[bytes]:
    head = f"H{fst.fn:<8}{fst.ft:<8}{mode:<2}{fst.recfm}{fst.lrecl:05d}{len(records):010d}"
    blocks = [DUMP_ID + to_ebcdic(head)]
    stream = pack_records(fst.recfm, fst.lrecl, records)
    for i in range(0, len(stream), BLOCK_DATA):
        chunk = stream[i : i + BLOCK_DATA]
        blocks.append(DUMP_ID + to_ebcdic("D") + len(chunk).to_bytes(2, "big") + b"\x40" + chunk)
    blocks.append(DUMP_ID + to_ebcdic(f"N{len(records):010d}"))
    return blocks


def parse_header(block: bytes) -> tuple[str, str, str, str, int, int]:
    if block[:4] != DUMP_ID or from_ebcdic(block[4:5]) != "H" or len(block) < 39:
        raise CMSError(57, "E", 32, "INVALID RECORD FORMAT")
    head = from_ebcdic(block[5:])
    return (
        head[0:8].strip(),
        head[8:16].strip(),
        head[16:18].strip(),
        head[18],
        int(head[19:24]),
        int(head[24:34]),
    )


def read_file(drive: Drive) -> tuple[tuple[str, str, str, str, int], list[bytes]] | None:
    """The next file on the tape, or None at a tapemark."""
    try:
        first = drive.read_block()
        if len(first) == 80 and from_ebcdic(first[:4]) == "VOL1":
            first = drive.read_block()  # a labeled tape: the files follow the VOL1
    except TapeMark:
        return None
    fn, ft, fm, recfm, lrecl, count = parse_header(first)
    stream = bytearray()
    while True:
        try:
            block = drive.read_block()
        except TapeMark:
            raise CMSError(57, "E", 32, "INVALID RECORD FORMAT") from None
        kind = from_ebcdic(block[4:5]) if block[:4] == DUMP_ID else ""
        if kind == "D":
            stream += block[8 : 8 + int.from_bytes(block[5:7], "big")]
        elif kind == "N":
            break
        else:
            raise CMSError(57, "E", 32, "INVALID RECORD FORMAT")
    return (fn, ft, fm, recfm, lrecl), unpack_records(recfm, lrecl, bytes(stream), count)


# ---------------------------------------------------------------- functions


def tape_dump(cms, drive: Drive, args: list[str], options: set[str]) -> int:
    if len(args) < 2:
        raise incomplete_fileid()
    fn, ft = args[0], args[1]
    fm = args[2] if len(args) > 2 else "A"
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    show = "NOPRINT" not in options
    if show:
        cms.say("DUMPING.....")
    for f in found:
        mode = f"{f.acc.mode}{f.fst.mode_number}"
        for block in dump_blocks(f.fst, mode, cms.disks.read(f)):
            drive.write_block(block)
        if show:
            cms.say(f"{f.fst.fn:<8} {f.fst.ft:<8} {mode}")
    if "NOWTM" not in options:
        drive.run(WTM)
    return 0


def tape_load(cms, drive: Drive, args: list[str], options: set[str]) -> int:
    want_fn = args[0] if args else "*"
    want_ft = args[1] if len(args) > 1 else "*"
    target = args[2] if len(args) > 2 else "A"
    letter, number = split_mode(target)
    out = cms.disks.writable(letter)
    show = "NOPRINT" not in options
    if show:
        cms.say("LOADING.....")
    while (entry := read_file(drive)) is not None:
        (fn, ft, fm, recfm, lrecl), records = entry
        if not (name_matches(want_fn, fn) and name_matches(want_ft, ft)):
            continue
        check_name(fn, f"{fn} {ft} {letter}")
        check_name(ft, f"{fn} {ft} {letter}")
        mode_number = number if number is not None else int(fm[1:] or 1)
        out.disk.write_file(fn, ft, records, recfm, lrecl if recfm == "F" else None, mode_number)
        if show:
            cms.say(f"{fn:<8} {ft:<8} {letter}{mode_number}")
    return 0


def tape_scan(cms, drive: Drive, args: list[str], options: set[str], skip: bool = False) -> int:
    """SCAN lists the files to the next tapemark; SKIP stops past the named file."""
    want_fn = args[0] if args else "*"
    want_ft = args[1] if len(args) > 1 else "*"
    show = "NOPRINT" not in options
    if show and not skip:
        cms.say("SCANNING.....")
    while (entry := read_file(drive)) is not None:
        (fn, ft, fm, _, _), _ = entry
        if show:
            cms.say(f"{fn:<8} {ft:<8} {fm}")
        if skip and name_matches(want_fn, fn) and name_matches(want_ft, ft):
            return 0
    if skip:
        drive.run(BSR)  # stay before the tapemark, as after the last file
        raise CMSError(58, "E", 40, "END-OF-FILE OR END-OF-TAPE")
    return 0


def vol1_label(volid: str, owner: str) -> bytes:
    """An 80-byte standard VOL1 label: VOL1, the volume serial (cols 5-10),
    security byte 0 (col 11), the owner (cols 42-51), blanks elsewhere."""
    text = f"VOL1{volid:<6}0" + " " * 30 + f"{owner:<10}"
    return to_ebcdic(text.ljust(80))


def tape_wvol1(cms, drive: Drive, args: list[str]) -> int:
    if not args:
        raise CMSError(54, "E", 24, "NO VOLUME LABEL SPECIFIED")
    if len(args) > 2:
        raise invalid_parameter(args[2])
    volid, owner = args[0], args[1] if len(args) > 1 else cms.services.userid
    if len(volid) > 6 or len(owner) > 10:
        raise invalid_parameter(volid if len(volid) > 6 else owner)
    drive.run(REWIND)
    drive.write_block(vol1_label(volid, owner))
    return 0


def tape_rvol1(cms, drive: Drive, args: list[str]) -> int:
    if args:
        raise invalid_parameter(args[0])
    drive.run(REWIND)
    try:
        block = drive.read_block()
    except TapeMark:
        block = b""
    except CMSError as err:
        if err.number != 58:  # a blank tape has no label either
            raise
        block = b""
    text = from_ebcdic(block[:80])
    if len(block) != 80 or not text.startswith("VOL1"):
        drive.run(REWIND)
        raise CMSError(44, "E", 32, f"{drive.label} IS NOT A LABELED TAPE")
    cms.say(f"VOL1 {text[4:10].rstrip()} OWNER {text[41:51].rstrip()}")
    return 0


def tape_spacing(drive: Drive, function: str, args: list[str]) -> int:
    if len(args) > 1:
        raise invalid_parameter(args[1])
    count = 1
    if args:
        if not args[0].isdigit() or int(args[0]) < 1:
            raise invalid_parameter(args[0])
        count = int(args[0])
    for _ in range(count):
        drive.run(SPACING[function])
    return 0


async def tape(cms, call) -> int:
    if not call.args:
        raise CMSError(47, "E", 24, "NO FUNCTION SPECIFIED")
    function, args = call.args[0], call.args[1:]
    if function not in FUNCTIONS:
        raise CMSError(14, "E", 24, f"INVALID FUNCTION '{function}'")
    drive, options = choose_drive(cms, call.options)
    if function == "DUMP":
        return tape_dump(cms, drive, args, options)
    if function == "LOAD":
        return tape_load(cms, drive, args, options)
    if function in ("SCAN", "SKIP"):
        if function == "SKIP" and not args:
            raise incomplete_fileid()
        return tape_scan(cms, drive, args, options, skip=function == "SKIP")
    if function == "WVOL1":
        return tape_wvol1(cms, drive, args)
    if function == "RVOL1":
        return tape_rvol1(cms, drive, args)
    if function in ("REW", "RUN"):
        if args:
            raise invalid_parameter(args[0])
        drive.run(REWIND if function == "REW" else RUN)
        return 0
    return tape_spacing(drive, function, args)


COMMANDS = [
    Command(
        "TAPE",
        4,
        "TPE",
        tape,
        "DUMP|LOAD|SCAN|SKIP [fn [ft [fm]]] | REW | RUN | FSF|FSR|BSF|BSR|WTM [n] | "
        "WVOL1 volid [owner] | RVOL1 "
        "[(TAPn|cuu WTM|NOWTM NOPRINT]",
    )
]
