"""COMPARE: compare two files record by record (VM/370 CMS Command and Macro
Reference, COMPARE).

``COMPARE fn ft fm fn2 ft2 fm2 [(COL nnn-mmm]``: CMS says which files it
compares (DMSCMP179I), types each pair of records that differ (within the
columns, when COL limits them), and ends with DMSCMP209W and return code 4
when anything differed.  When one file ends before the other, the records
they have in common are compared and COMPARE ends with DMSCMP010E
PREMATURE EOF ON FILE (the shorter one), return code 40.  ``=`` in the second fileid means the same field as the first.
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import substitute, text_of
from cms.errors import (
    CMSError,
    incomplete_fileid,
    invalid_option,
    invalid_parameter,
    no_fileid,
)


def column_range(options: list[str]) -> tuple[int, int | None]:
    """(COL nnn[-mmm]: the columns compared (1-based, inclusive)."""
    if not options:
        return 1, None
    if options[0] not in ("COL", "COLUMN"):
        raise invalid_option(options[0])
    if len(options) != 2:
        raise (
            CMSError(5, "E", 24, "NO COL SPECIFIED")
            if len(options) < 2
            else invalid_parameter(options[2])
        )
    first, _, last = options[1].partition("-")
    try:
        start, end = int(first), int(last) if last else None
    except ValueError:
        raise invalid_parameter(options[1]) from None
    if start < 1 or (end is not None and end < start):
        raise CMSError(11, "E", 24, "COLUMN FIELDS OUT OF SEQUENCE")
    return start, end


def differs(a: bytes, b: bytes, start: int, end: int | None) -> bool:
    width = max(len(a), len(b))
    a, b = a.ljust(width, b"\x40"), b.ljust(width, b"\x40")
    return a[start - 1 : end] != b[start - 1 : end]


async def compare(cms, call) -> int:
    start, end = column_range(call.options)
    if len(call.args) < 6:
        raise incomplete_fileid() if call.args else no_fileid()
    if len(call.args) > 6:
        raise invalid_parameter(call.args[6])
    fn, ft, fm = call.args[:3]
    fn2, ft2, fm2 = (substitute(p, s) for p, s in zip(call.args[3:], call.args[:3]))
    for name in (fn, ft, fn2, ft2):
        if "*" in name:
            raise invalid_parameter(name)
    first = cms.disks.find_one(fn, ft, fm)
    second = cms.disks.find_one(fn2, ft2, fm2)
    if first.acc is second.acc and (first.fst.fn, first.fst.ft) == (second.fst.fn, second.fst.ft):
        raise CMSError(19, "E", 24, "IDENTICAL FILEIDS")
    names = [f"{f.fst.fn} {f.fst.ft} {f.acc.mode}" for f in (first, second)]
    cms.say(f"DMSCMP179I COMPARING '{names[0]}' WITH '{names[1]}'")
    a = first.acc.disk.read_file(first.fst.fn, first.fst.ft)
    b = second.acc.disk.read_file(second.fst.fn, second.fst.ft)
    different = False
    for ra, rb in zip(a, b):
        if differs(ra, rb, start, end):
            different = True
            cms.say(text_of(ra))
            cms.say(text_of(rb))
            cms.say("")
    if len(a) != len(b):
        shorter = names[0] if len(a) < len(b) else names[1]
        raise CMSError(10, "E", 40, f"PREMATURE EOF ON FILE '{shorter}'")
    if different:
        raise CMSError(209, "W", 4, "FILES DO NOT COMPARE")
    return 0


COMMANDS = [Command("COMPARE", 4, "CMP", compare, "fn ft fm fn2|= ft2|= fm2|= [(COL nnn-mmm]")]
