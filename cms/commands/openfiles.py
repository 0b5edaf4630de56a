"""FINIS, and the files CMS keeps open between commands of an EXEC.

A file EXECIO reads stays open, its read pointer after the last record
read, until FINIS closes it (the FINIS command, or EXECIO's (FINIS option):
the next ``EXECIO n DISKR`` without a record number goes on from there
(VM/SP CMS Command Reference, EXECIO; FINIS).  The open files belong to the
CMS of one virtual machine.
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import fileid_args
from cms.disks import name_matches, split_mode
from cms.errors import invalid_option, invalid_parameter
from s390.ebcdic import from_ebcdic


def record_text(record: bytes, recfm: str) -> str:
    """A record as EXECIO DISKR gives it to the EXEC: a V record as it is
    (every byte, also the EBCDIC control characters X'1C'-X'1F', X'25' that
    Python counts as white space: binary data must come back whole), an F
    record without the blanks that pad it to the record length."""
    text = from_ebcdic(record)
    return text.rstrip(" ") if recfm == "F" else text


def open_files(cms) -> dict[tuple[str, str, str], int]:
    """(fn, ft, mode letter) -> the number of the next record to read."""
    return vars(cms).setdefault("open_files", {})


def diskr(
    cms, count: str, fn: str, ft: str, fm: str, start: int | None, opts: dict
) -> tuple[list[str], int]:
    """EXECIO n|* DISKR fn ft fm [recno]: the lines read, and rc 2 when the
    file ended before n records.  Without recno the read goes on from where
    the last one on this open file stopped; (FINIS closes the file after."""
    found = cms.disks.find_one(fn, ft, fm)
    key = (found.fst.fn, found.fst.ft, found.acc.mode)
    files = open_files(cms)
    first = start if start is not None else files.get(key, 1)
    recfm = found.fst.recfm
    records = [record_text(r, recfm) for r in found.acc.disk.read_file(found.fst.fn, found.fst.ft)]
    chosen = records[first - 1 :] if count == "*" else records[first - 1 : first - 1 + int(count)]
    files[key] = first + len(chosen)
    if opts.get("finis"):
        files.pop(key, None)
    return chosen, 2 if count != "*" and len(chosen) < int(count) else 0


def close(cms, fn: str, ft: str, fm: str) -> int:
    """Close the open files matching the (wildcard) fileid; how many."""
    letter = "*" if fm == "*" else split_mode(fm)[0]
    files = open_files(cms)
    matching = [
        k
        for k in files
        if name_matches(fn, k[0]) and name_matches(ft, k[1]) and letter in ("*", k[2])
    ]
    for key in matching:
        del files[key]
    return len(matching)


async def finis(cms, call) -> int:
    """FINIS fn|* ft|* [fm|*]: close files left open (an EXEC's EXECIO reads)."""
    if call.options:
        raise invalid_option(call.options[0])
    if len(call.args) > 3:
        raise invalid_parameter(call.args[3])
    fn, ft, fm = fileid_args(call.args, "*")
    close(cms, fn, ft, fm)
    return 0


COMMANDS = [Command("FINIS", 5, "FNS", finis, "fn|* ft|* [fm|*]")]
