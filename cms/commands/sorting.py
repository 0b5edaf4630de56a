"""SORT: sort the records of a file (VM/370 CMS Command and Macro Reference, SORT).

``SORT fn ft fm fn2 ft2 fm2``: CMS asks ``DMSSRT604R ENTER SORT FIELDS:``
and reads pairs of starting and ending columns; the first pair is the major
key.  Records are ordered by the EBCDIC values of their fields (the
machine's collating sequence), records with equal keys keep their order,
and the output file gets the input's record format.  A field past the end
of a short (variable-length) record compares as blanks.
"""

from __future__ import annotations

from cms.commands import Command
from cms.disks import split_mode
from cms.errors import (
    CMSError,
    incomplete_fileid,
    invalid_option,
    invalid_parameter,
    no_fileid,
)
from cms.fs import check_name

MAX_FIELDS = 8  # pairs of columns SORT accepts on its prompt line


def sort_fields(text: str, lrecl: int) -> list[tuple[int, int]]:
    """The pairs typed at the prompt: ``start end ...``, 1 <= start <= end <= LRECL."""
    words = text.split()
    if not words:
        raise CMSError(63, "E", 40, "NO LIST ENTERED")
    if len(words) % 2 or len(words) > 2 * MAX_FIELDS or not all(w.isdigit() for w in words):
        raise CMSError(53, "E", 24, "INVALID SORT FIELD PAIR DEFINED")
    pairs = [(int(words[i]), int(words[i + 1])) for i in range(0, len(words), 2)]
    for start, end in pairs:
        if not 1 <= start <= end or end > lrecl:
            raise CMSError(53, "E", 24, "INVALID SORT FIELD PAIR DEFINED")
    return pairs


def sort_key(fields: list[tuple[int, int]]):
    def key(record: bytes) -> tuple[bytes, ...]:
        return tuple(
            record[start - 1 : end].ljust(end - start + 1, b"\x40") for start, end in fields
        )

    return key


async def sort(cms, call) -> int:
    if call.options:
        raise invalid_option(call.options[0])
    if len(call.args) < 6:
        raise incomplete_fileid() if call.args else no_fileid()
    if len(call.args) > 6:
        raise invalid_parameter(call.args[6])
    fn, ft, fm, fn2, ft2, fm2 = call.args
    for name in (fn, ft, fn2, ft2, fm, fm2):
        if "*" in name or "=" in name:
            raise invalid_parameter(name)
    letter2, number2 = split_mode(fm2)
    if (fn, ft, split_mode(fm)[0]) == (fn2, ft2, letter2):
        raise CMSError(19, "E", 24, "IDENTICAL FILEIDS")
    found = cms.disks.find_one(fn, ft, fm)
    out = cms.disks.writable(letter2)
    target = f"{fn2} {ft2} {letter2}"
    check_name(fn2, target)
    check_name(ft2, target)
    cms.say("DMSSRT604R ENTER SORT FIELDS:")
    fields = sort_fields(await cms.read_line(), found.fst.lrecl)
    records = cms.disks.read(found)
    ordered = sorted(records, key=sort_key(fields))
    out.disk.write_file(
        fn2,
        ft2,
        ordered,
        found.fst.recfm,
        found.fst.lrecl if found.fst.recfm == "F" else None,
        number2 if number2 is not None else found.fst.mode_number,
    )
    return 0


COMMANDS = [Command("SORT", 4, "SRT", sort, "fn ft fm fn2 ft2 fm2")]
