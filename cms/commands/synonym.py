"""SYNONYM: the user synonym table (VM/370 CMS Command and Macro Reference,
SYNONYM; z/VM CMS Commands and Utilities Reference keeps the same syntax).

``SYNONYM [fn [ft|SYNONYM [fm|*]]] [(STD|NOSTD CLEAR]`` reads a table file
(default filetype SYNONYM, searched from A and its extensions) whose records
are ``command synonym [count]``: the synonym, or at least ``count`` of its
letters, then means the command.  The full name of a command always works;
NOSTD turns the standard truncations off; CLEAR drops the table.  The table
lives on the nucleus command table (cms.commands.CommandTable), which is
what command resolution consults (cms.commands.lookup).
"""

from __future__ import annotations

from cms.commands import Command, Synonym
from cms.errors import CMSError, invalid_option, invalid_parameter
from s390.ebcdic import from_ebcdic


def conflicting(a: str, b: str) -> CMSError:
    return CMSError(66, "E", 24, f"'{a}' AND '{b}' ARE CONFLICTING OPTIONS")


def parse_entries(records: list[bytes], fileid: str) -> dict[str, Synonym]:
    """The synonym records: ``command synonym [count]`` in free form; a
    record that is not is DMSSYN056E and nothing of the file is used."""
    entries: dict[str, Synonym] = {}
    for record in records:
        words = from_ebcdic(record).upper().split()
        if not words:
            continue
        if not 2 <= len(words) <= 3 or any(len(w) > 8 for w in words[:2]):
            raise CMSError(56, "E", 32, f"FILE '{fileid}' CONTAINS INVALID RECORD FORMATS")
        count = 0
        if len(words) == 3:
            if not words[2].isdigit() or not 1 <= int(words[2]) <= len(words[1]):
                raise CMSError(56, "E", 32, f"FILE '{fileid}' CONTAINS INVALID RECORD FORMATS")
            count = int(words[2])
        entries[words[1]] = Synonym(words[0], count)
    return entries


def synonym_options(options: list[str]) -> set[str]:
    chosen = set()
    for opt in options:
        if opt not in ("STD", "NOSTD", "CLEAR"):
            raise invalid_option(opt)
        chosen.add(opt)
    if {"STD", "NOSTD"} <= chosen:
        raise conflicting("STD", "NOSTD")
    return chosen


async def synonym(cms, call) -> int:
    options = synonym_options(call.options)
    table = cms.table
    if len(call.args) > 3:
        raise invalid_parameter(call.args[3])
    if "CLEAR" in options:
        if call.args:
            raise invalid_parameter(call.args[0])
        table.synonyms = {}
    elif call.args:
        fn = call.args[0]
        ft = call.args[1] if len(call.args) > 1 else "SYNONYM"
        fm = call.args[2] if len(call.args) > 2 else "A"
        found = cms.disks.find_one(fn, ft, fm)
        if found.fst.recfm != "F" or found.fst.lrecl != 80:
            raise CMSError(7, "E", 32, f"FILE '{found.fileid}' IS NOT FIXED, 80 CHAR. RECORDS")
        table.synonyms = parse_entries(cms.disks.read(found), found.fileid)
    elif not options:
        raise CMSError(1, "E", 24, "NO FILENAME SPECIFIED")
    if "NOSTD" in options:
        table.standard = False
    elif "STD" in options or call.args:
        table.standard = True
    return 0


# ---------------------------------------------------------------- QUERY SYNONYM


def system_synonym_lines(table) -> list[str]:
    """The standard truncations: each command and its shortest form."""
    lines = ["SYSTEM   SYSTEM", "COMMAND  ABBREV"]
    for cmd in sorted(table, key=lambda c: c.name):
        if cmd.min_abbrev < len(cmd.name):
            lines.append(f"{cmd.name:<8} {cmd.name[: cmd.min_abbrev]}")
    return lines


def user_synonym_lines(table) -> list[str]:
    if not table.synonyms:
        return ["NO SYNONYMS DEFINED"]
    lines = ["SYSTEM   USER     USER", "COMMAND  SYNONYM  ABBREV"]
    for name, entry in sorted(table.synonyms.items(), key=lambda kv: (kv[1].command, kv[0])):
        count = str(entry.count) if entry.count else ""
        lines.append(f"{entry.command:<8} {name:<8} {count}".rstrip())
    return lines


def query_synonym(cms, rest: list[str]) -> list[str]:
    """QUERY SYNONYM SYSTEM|USER|ALL (ALL when omitted)."""
    which = rest[0] if rest else "ALL"
    if len(rest) > 1 or which not in ("SYSTEM", "USER", "ALL"):
        raise invalid_parameter(rest[1] if len(rest) > 1 else which)
    lines: list[str] = []
    if which in ("SYSTEM", "ALL"):
        lines += (
            system_synonym_lines(cms.table)
            if cms.table.standard
            else ["NO SYSTEM ABBREVIATIONS (SYNONYM NOSTD IN EFFECT)"]
        )
    if which in ("USER", "ALL"):
        lines += user_synonym_lines(cms.table)
    return lines


COMMANDS = [
    Command("SYNONYM", 3, "SYN", synonym, "[fn [ft|SYNONYM [fm|*]]] [(STD|NOSTD CLEAR]"),
]
