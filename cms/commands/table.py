"""The CMS nucleus command table, built from the command modules' COMMANDS
lists (cms.commands holds the row type and the name resolution)."""

from __future__ import annotations

from cms import execs, xedit
from cms.commands import (
    CommandTable,
    compare,
    debug,
    disks,
    edit,
    files,
    help,
    libraries,
    network,
    notes,
    openfiles,
    osdata,
    peek,
    programs,
    sorting,
    spool,
    synonym,
    system,
    tape,
    update,
)
from cms.ftp import commands as ftp


def build_table() -> CommandTable:
    """The nucleus command table: every module's COMMANDS."""
    return CommandTable(
        [
            *files.COMMANDS,
            *disks.COMMANDS,
            *system.COMMANDS,
            *help.COMMANDS,
            *spool.COMMANDS,
            *osdata.COMMANDS,
            *programs.COMMANDS,
            *libraries.COMMANDS,
            *edit.COMMANDS,
            *execs.COMMANDS,
            *synonym.COMMANDS,
            *sorting.COMMANDS,
            *compare.COMMANDS,
            *notes.COMMANDS,
            *update.COMMANDS,
            *openfiles.COMMANDS,
            *tape.COMMANDS,
            *debug.COMMANDS,
            *peek.COMMANDS,
            *xedit.COMMANDS,
            *network.COMMANDS,
            *ftp.COMMANDS,
        ]
    )
