"""PEEK: look at a reader file without reading it (z/VM PEEK): on a 3270 a
read-only XEDIT view, on a line terminal the file's first lines."""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import text_of
from cms.commands.spool import (
    READER,
    chosen_reader_file,
    reader_file_cards,
    require_unit,
)
from cms.diskdump import undump_cards
from cms.errors import invalid_parameter
from cms.xedit.lists import peek_screen


async def peek(cms, call) -> int:
    """PEEK [spoolid]: show a reader file without reading it: the file stays
    where it is, as it is (z/VM PEEK; the file is selected by spoolid)."""
    require_unit(cms, READER, "RDR")
    args = list(call.args)
    if args and not args[0].isdigit():
        raise invalid_parameter(args[0])
    sf = chosen_reader_file(cms, args)
    records = reader_file_cards(cms, sf)
    if cms.services.fullscreen_size():
        return peek_screen(cms, sf)  # on a 3270: a read-only XEDIT view of the file
    cms.say(
        f"SPOOLID {sf.spoolid:04d} FROM {sf.origin} {sf.type} {sf.name} {sf.ftype} "
        f"RECS {sf.records:04d}"
    )
    dumped = undump_cards(records)
    shown = dumped[1] if dumped else records
    for record in shown[:50]:
        cms.say(text_of(record))
    return 0


COMMANDS = [
    Command("PEEK", 4, "PEK", peek, "[spoolid]"),
]
