"""The CMS functions a program calls with SVC 202 (CMS Command and Macro Reference).

R1 points at a plist whose first 8 bytes name the function.  The plists the
CMSLIB macros build (see cms/maclib/CMSLIB.MACLIB):

TYPLIN (WRTERM)   +8 AL1(1) AL3(text)  +12 C'B'  +13 AL3(length)
WAITRD (RDTERM)   +8 AL1(1) AL3(buffer) +12 C'U' +13 AL3(buffer length);  R0 = length read
RDBUF WRBUF FINIS STATE ERASE FSOPEN: the file system control block (FSCB)
                  +0 CL8 function  +8 CL8 fn  +16 CL8 ft  +24 CL2 fm  +26 H item number
                  +28 A(buffer)  +32 F buffer size  +36 CL1 recfm  +37 X'00'
                  +38 H number of items  +40 F bytes read (set by RDBUF)
PRINTR (PRINTL)   +8 A(line)  +12 F(length)
PUNCHC (PUNCHC)   +8 A(card)  +12 F(length)
CARDRD (RDCARD)   +8 A(buffer) +12 F(length);  R0 = bytes read
LINEDIT           +8 A(text) +12 F(length) +16 A(substitutions) +20 F(count) +24 C'Y'|C'N' (DOT)
                  each substitution: C'D'|C'H' +1 XL3 +4 F value

Any other name is a CMS command: the tokens up to the X'FF' fence make the
command line.  The return code goes back in R15.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cms.disks import split_mode
from cms.errors import CMSError
from cms.storage import (
    FENCE,
    FST_AREA,
    fullword,
    halfword,
    put_fullword,
    store,
    text_at,
    token,
    tokens_at,
)
from s390.ebcdic import from_ebcdic, to_ebcdic

READER, PUNCH, PRINTER = 0x00C, 0x00D, 0x00E


@dataclass
class OpenFile:
    """A file a program has open: all its records, read and write pointers."""

    fn: str
    ft: str
    mode: str
    records: list[bytes]
    recfm: str
    lrecl: int
    mode_number: int = 1
    read_pos: int = 0
    write_pos: int = 0
    dirty: bool = False


def fscb(mem, addr: int) -> dict:
    return {
        "fn": token(mem, addr + 8),
        "ft": token(mem, addr + 16),
        "fm": text_at(mem, addr + 24, 2).strip(),
        "item": halfword(mem, addr + 26),
        "buffer": fullword(mem, addr + 28) & 0xFFFFFF,
        "size": fullword(mem, addr + 32),
        "recfm": text_at(mem, addr + 36, 1).strip(),
        "items": halfword(mem, addr + 38),
    }


# ---------------------------------------------------------------- terminal


def typlin(run, plist: int) -> int:
    mem = run.cpu.mem
    addr = fullword(mem, plist + 8) & 0xFFFFFF
    length = fullword(mem, plist + 12) & 0xFFFFFF
    run.cms.say(text_at(mem, addr, min(length, 130)).rstrip())
    return 0


async def waitrd(run, plist: int) -> int:
    mem = run.cpu.mem
    addr = fullword(mem, plist + 8) & 0xFFFFFF
    size = fullword(mem, plist + 12) & 0xFFFFFF or 130
    line = await run.cms.read_line()
    if text_at(mem, plist + 12, 1) == "U":
        line = line.upper()
    data = to_ebcdic(line)[:size]
    store(mem, addr, data)
    run.cpu.gpr[0] = len(data)
    return 0


# ---------------------------------------------------------------- files


def lookup_open(run, fn: str, ft: str, fm: str) -> OpenFile | None:
    for (f, t, m), of in run.files.items():
        if f == fn and t == ft and (fm in ("", "*") or m == fm[0]):
            return of
    return None


def open_for_read(run, cb: dict) -> OpenFile | int:
    of = lookup_open(run, cb["fn"], cb["ft"], cb["fm"])
    if of is not None:
        return of
    try:
        found = run.cms.disks.find_one(cb["fn"], cb["ft"], cb["fm"] or "*")
    except CMSError as err:
        return {28: 1, 36: 1, 24: 24, 20: 20}.get(err.rc, 1)
    of = OpenFile(
        found.fst.fn,
        found.fst.ft,
        found.acc.mode,
        found.acc.disk.read_file(found.fst.fn, found.fst.ft),
        found.fst.recfm,
        found.fst.lrecl,
        found.fst.mode_number,
    )
    of.write_pos = len(of.records)
    run.files[(of.fn, of.ft, of.mode)] = of
    return of


def rdbuf(run, plist: int) -> int:
    mem, cb = run.cpu.mem, fscb(run.cpu.mem, plist)
    of = open_for_read(run, cb)
    if isinstance(of, int):
        return of
    if cb["item"]:
        of.read_pos = cb["item"] - 1
    count = max(cb["items"], 1)
    if of.recfm == "V" and count != 1:
        return 11
    if of.read_pos >= len(of.records):
        put_fullword(mem, plist + 40, 0)
        return 12
    records = of.records[of.read_pos : of.read_pos + count]
    of.read_pos += len(records)
    data = b"".join(records)
    rc = 0
    if len(data) > cb["size"]:
        data, rc = data[: cb["size"]], 8
    if cb["buffer"] + len(data) > len(mem):
        return 2
    store(mem, cb["buffer"], data)
    put_fullword(mem, plist + 40, len(data))
    store(mem, plist + 36, to_ebcdic(of.recfm))
    run.cpu.gpr[0] = len(data)
    return rc


def wrbuf(run, plist: int) -> int:
    mem, cb = run.cpu.mem, fscb(run.cpu.mem, plist)
    fm = cb["fm"] or "A1"
    try:
        letter, number = split_mode(fm)
    except CMSError:
        return 4
    for name, rc in ((cb["fn"], 20), (cb["ft"], 21)):
        if not name or not re.fullmatch(r"[A-Z0-9$#@+\-:_]{1,8}", name):
            return rc
    recfm = cb["recfm"] or "F"
    if recfm not in ("F", "V"):
        return 11
    acc = run.cms.disks.by_mode.get(letter)
    if acc is None:
        return 36
    if acc.read_only:
        return 12
    of = lookup_open(run, cb["fn"], cb["ft"], letter)
    if of is None:
        existing = acc.disk.lookup(cb["fn"], cb["ft"])
        records = acc.disk.read_file(cb["fn"], cb["ft"]) if existing else []
        of = OpenFile(
            cb["fn"],
            cb["ft"],
            letter,
            records,
            existing.recfm if existing else recfm,
            existing.lrecl if existing else cb["size"],
            number if number is not None else (existing.mode_number if existing else 1),
        )
        of.write_pos = len(records)
        run.files[(of.fn, of.ft, letter)] = of
    if recfm != of.recfm:
        return 16
    count = max(cb["items"], 1)
    size = cb["size"]
    if size <= 0:
        return 8
    if of.recfm == "V" and count != 1:
        return 18
    if size % count:
        return 14
    each = size // count
    if of.recfm == "F" and of.records and each != of.lrecl:
        return 15
    if cb["buffer"] + size > len(mem):
        return 2
    text_at(mem, cb["buffer"], size)  # addressing check
    data = bytes(mem[cb["buffer"] : cb["buffer"] + size])
    if cb["item"]:
        if cb["item"] - 1 > len(of.records):
            return 7
        of.write_pos = cb["item"] - 1
    for i in range(count):
        record = data[i * each : (i + 1) * each]
        if of.write_pos < len(of.records):
            of.records[of.write_pos] = record
        else:
            of.records.append(record)
        of.write_pos += 1
    if not of.records[:-1]:
        of.lrecl = each
    of.dirty = True
    return 0


def commit(run, of: OpenFile) -> int:
    """Write an open file back to its disk (FINIS); 13 when the disk is full."""
    if not of.dirty:
        return 0
    acc = run.cms.disks.by_mode.get(of.mode)
    if acc is None:
        return 36
    lrecl = of.lrecl if of.recfm == "F" else None
    try:
        acc.disk.write_file(of.fn, of.ft, of.records, of.recfm, lrecl, of.mode_number)
    except CMSError as err:
        run.cms.say(err.message("FNS"))
        return err.rc
    of.dirty = False
    return 0


def finis(run, plist: int) -> int:
    cb = fscb(run.cpu.mem, plist)
    rc = 0
    for key, of in list(run.files.items()):
        if (
            cb["fn"] in ("*", of.fn)
            and cb["ft"] in ("*", of.ft)
            and (cb["fm"] in ("", "*") or cb["fm"][0] == of.mode)
        ):
            rc = max(rc, commit(run, of))
            del run.files[key]
    return rc


def close_all(run) -> None:
    """CMS closes a program's files when the command ends."""
    for key, of in list(run.files.items()):
        commit(run, of)
        del run.files[key]


def state(run, plist: int) -> int:
    """FSSTATE: rc 0 and R1 -> a copy of the 64-byte FST, or 28 / 20 / 24 / 36."""
    mem, cb = run.cpu.mem, fscb(run.cpu.mem, plist)
    if not cb["fn"] or not cb["ft"]:
        return 20
    try:
        found = run.cms.disks.find_one(cb["fn"], cb["ft"], cb["fm"] or "*")
    except CMSError as err:
        return err.rc
    mem[FST_AREA : FST_AREA + 64] = found.fst.pack()
    run.cpu.gpr[1] = FST_AREA
    return 0


def fsopen(run, plist: int) -> int:
    """FSOPEN: 0, or 28 when the file does not exist (RDBUF says 1 for that)."""
    of = open_for_read(run, fscb(run.cpu.mem, plist))
    if isinstance(of, int):
        return 28 if of == 1 else of
    return 0


def erase(run, plist: int) -> int:
    cb = fscb(run.cpu.mem, plist)
    for key in [k for k in run.files if k[0] == cb["fn"] and k[1] == cb["ft"]]:
        del run.files[key]
    try:
        found = run.cms.disks.find_one(cb["fn"], cb["ft"], cb["fm"] or "A")
        run.cms.disks.writable(found.acc.mode).disk.erase(found.fst.fn, found.fst.ft)
    except CMSError as err:
        return err.rc
    return 0


# ---------------------------------------------------------------- unit record


def buffer_of(run, plist: int) -> tuple[int, int]:
    mem = run.cpu.mem
    return fullword(mem, plist + 8) & 0xFFFFFF, fullword(mem, plist + 12) & 0xFFFFFF


def printr(run, plist: int) -> int:
    addr, length = buffer_of(run, plist)
    text_at(run.cpu.mem, addr, min(length, 133))  # addressing check
    run.cms.services.print_line(PRINTER, bytes(run.cpu.mem[addr : addr + min(length, 133)]))
    run.printed = True
    return 0


def punchc(run, plist: int) -> int:
    addr, length = buffer_of(run, plist)
    text_at(run.cpu.mem, addr, min(length, 80))  # addressing check
    run.cms.services.punch(
        PUNCH, bytes(run.cpu.mem[addr : addr + min(length, 80)]).ljust(80, b"\x40")
    )
    run.punched = True
    return 0


def cardrd(run, plist: int) -> int:
    addr, length = buffer_of(run, plist)
    if run.cms.job is not None:
        image = run.cms.job.next_inline_card()
    else:
        image = run.cms.services.read_card(READER)
    if image is None:
        run.cpu.gpr[0] = 0
        return 12
    data = bytes(image)[: length or 80]
    store(run.cpu.mem, addr, data)
    run.cpu.gpr[0] = len(data)
    return 0


# ---------------------------------------------------------------- LINEDIT


def linedit(run, plist: int) -> int:
    mem = run.cpu.mem
    addr, length = buffer_of(run, plist)
    text = text_at(mem, addr, length)
    subs_addr, count = fullword(mem, plist + 16) & 0xFFFFFF, fullword(mem, plist + 20)
    values = []
    for i in range(min(count, 16)):
        kind = text_at(mem, subs_addr + 8 * i, 1)
        value = fullword(mem, subs_addr + 8 * i + 4)
        if kind == "H":
            values.append(f"{value:X}")
        else:
            values.append(str(value - (1 << 32) if value & 0x80000000 else value))
    it = iter(values)
    text = re.sub(r"\.{2,}", lambda m: next(it, m.group(0)), text)
    if text_at(mem, plist + 24, 1) != "N":
        text = text.rstrip() + "."
    run.cms.say(text.rstrip())
    return 0


FUNCTIONS = {
    "TYPLIN": typlin,
    "WAITRD": waitrd,
    "RDBUF": rdbuf,
    "WRBUF": wrbuf,
    "FINIS": finis,
    "STATE": state,
    "ERASE": erase,
    "FSOPEN": fsopen,
    "PRINTR": printr,
    "PUNCHC": punchc,
    "CARDRD": cardrd,
    "LINEDIT": linedit,
}


async def svc202(run) -> None:
    cpu = run.cpu
    plist = cpu.gpr[1] & 0xFFFFFF
    name = token(cpu.mem, plist)
    handler = FUNCTIONS.get(name)
    if handler is not None:
        rc = handler(run, plist)
        if hasattr(rc, "__await__"):
            rc = await rc
    else:
        words = tokens_at(cpu.mem, plist)
        rc = await run.cms.execute(" ".join(words)) if words else -3
    cpu.gpr[15] = rc & 0xFFFFFFFF
    return_with_error_address(cpu, rc)


def return_with_error_address(cpu, rc: int) -> None:
    """An X'00' byte after the SVC starts an error-address fullword (CMS convention)."""
    ia = cpu.ia
    if cpu.mem[ia] != 0:
        return
    error_address = fullword(cpu.mem, ia) & 0xFFFFFF
    target = error_address if rc != 0 and error_address > 1 else ia + 4
    psw = bytearray(cpu.get_psw())
    psw[5:8] = target.to_bytes(3, "big")
    cpu.load_psw(bytes(psw))


__all__ = ["svc202", "close_all", "FUNCTIONS", "FENCE", "from_ebcdic"]
