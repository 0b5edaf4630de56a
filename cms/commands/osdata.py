"""OS simulation: FILEDEF and MOVEFILE (VM/370 CMS Command and Macro Reference).

FILEDEF binds a ddname to a device or CMS file; MOVEFILE copies records from
one ddname to another.  An undefined ddname means the disk file
``FILE ddname A1``, as in CMS.  Reading ``READER`` inside a batch job takes
cards from the job stream up to the ``/*`` card (CMS User's Guide, "Using the
CMS Batch Facility").
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import int_option, text_of
from cms.commands.spool import PRINTER, PUNCH, close_unit, read_reader_file, store
from cms.disks import split_mode
from cms.errors import CMSError, invalid_option, invalid_parameter
from s390.ebcdic import to_ebcdic

DEVICES = ("DISK", "READER", "PUNCH", "PRINTER", "TERMINAL", "DUMMY")


def filedef_options(options: list[str]) -> dict:
    out: dict = {}
    i = 0
    while i < len(options):
        opt = options[i]
        if opt == "RECFM":
            if i + 1 >= len(options) or options[i + 1][:1] not in ("F", "V"):
                raise invalid_parameter(options[i + 1] if i + 1 < len(options) else opt)
            out["recfm"] = options[i + 1][0]
            i += 1
        elif opt in ("LRECL", "BLOCK", "BLKSIZE"):
            out[opt.lower()] = int_option(options, i, opt)
            i += 1
        elif opt in ("PERM", "CHANGE", "NOCHANGE"):
            pass
        else:
            raise invalid_option(opt)
        i += 1
    return out


async def filedef(cms, call) -> int:
    args = call.args
    if not args:
        raise CMSError(1, "E", 24, "NO DDNAME SPECIFIED")
    ddname = args[0]
    if len(args) == 2 and args[1] == "CLEAR" or args == ["*", "CLEAR"]:
        if ddname == "*":
            cms.session.filedefs.clear()
        else:
            cms.session.filedefs.pop(ddname, None)
        return 0
    if len(args) < 2 or args[1] not in DEVICES:
        raise invalid_parameter(args[1] if len(args) > 1 else ddname)
    device = args[1]
    entry = {"device": device, **filedef_options(call.options)}
    if device == "DISK":
        fid = args[2:5]
        if len(fid) < 2:
            fid = ["FILE", ddname] + fid[:0]
        fid = fid + ["A1"][len(fid) - 2 :]
        split_mode(fid[2])
        entry["fileid"] = fid
    cms.session.filedefs[ddname] = entry
    return 0


def definition(cms, ddname: str) -> dict:
    return cms.session.filedefs.get(ddname) or {"device": "DISK", "fileid": ["FILE", ddname, "A1"]}


async def read_all(cms, fd: dict) -> tuple[list[bytes], str, int]:
    """(records, recfm, lrecl) from an input ddname."""
    device = fd["device"]
    if device == "DISK":
        fn, ft, fm = fd["fileid"]
        found = cms.disks.find_one(fn, ft, fm)
        return cms.disks.read(found), found.fst.recfm, found.fst.lrecl
    if device == "READER":
        if cms.job is not None:
            return cms.job.read_inline(), "F", 80
        return read_reader_file(cms), "F", 80
    if device == "TERMINAL":
        lines = []
        while (line := await cms.read_line()) != "":
            lines.append(to_ebcdic(line))
        return lines, "V", max((len(x) for x in lines), default=1)
    return [], "F", 80


def write_all(cms, fd: dict, records: list[bytes], recfm: str, lrecl: int) -> None:
    device = fd["device"]
    recfm, lrecl = fd.get("recfm", recfm), fd.get("lrecl", lrecl)
    if device == "DISK":
        fn, ft, fm = fd["fileid"]
        store(cms, fn, ft, fm, records, recfm, lrecl)
    elif device == "PRINTER":
        for r in records:
            cms.services.print_line(PRINTER, r.rstrip(b"\x40"))
        close_unit(cms, PRINTER)
    elif device == "PUNCH":
        for r in records:
            cms.services.punch(PUNCH, r[:80].ljust(80, b"\x40"))
        close_unit(cms, PUNCH)
    elif device == "TERMINAL":
        for r in records:
            cms.say(text_of(r))


async def movefile(cms, call) -> int:
    if call.options:
        raise invalid_option(call.options[0])
    names = (call.args + ["INMOVE", "OUTMOVE"][len(call.args) :])[:2]
    if len(call.args) > 2:
        raise invalid_parameter(call.args[2])
    records, recfm, lrecl = await read_all(cms, definition(cms, names[0]))
    write_all(cms, definition(cms, names[1]), records, recfm, lrecl)
    return 0


COMMANDS = [
    Command(
        "FILEDEF",
        2,
        "FLD",
        filedef,
        "ddname DISK|READER|PUNCH|PRINTER|TERMINAL|DUMMY [fn ft [fm]] [(RECFM F|V LRECL n]  |  ddname|* CLEAR",
    ),
    Command("MOVEFILE", 4, "MVE", movefile, "[inddname [outddname]]"),
]
