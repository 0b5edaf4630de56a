"""XEDIT and the CMS full-screen tools built on it (FILELIST, RDRLIST, PEEK).

``XEDIT fn ft [fm] [(NOPROFILE]`` edits a file: full screen on a 3270
(cms.xedit.screen through cms.fullscreen and CP's DIAGNOSE X'58'
interface), line by line on a typewriter terminal.  The package:

    file       a file of the ring: lines, current line, SET options, records
    targets    :n +n -n * /string/ & | (z/VM XEDIT targets)
    commands   the subcommands; settings: SET, QUERY, EXTRACT
    prefix     the prefix commands
    screen     the 3270 layout and how an ENTER is taken apart
    macros     REXX macros (ADDRESS XEDIT), PROFILE XEDIT
    host       CMS and CP commands from XEDIT (its message lines)
    editor     the ring and the loop
    lists      FILELIST, RDRLIST and PEEK: XEDIT sessions on lists
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import fileid_args
from cms.errors import CMSError
from cms.fs import check_name
from cms.xedit import lists
from cms.xedit.editor import run_editor, start_editor


async def xedit(cms, call) -> int:
    if not call.args:
        raise CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")
    fn, ft, fm = fileid_args(call.args, "A")
    if "*" in (fn, ft):
        raise CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")
    fid = f"{fn} {ft} {fm}"
    check_name(fn, fid)
    check_name(ft, fid)
    ed = start_editor(cms)
    ed.noprofile = any(o.startswith("NOPROF") for o in call.options)
    return run_editor(ed, lambda: ed.open(fn, ft, fm))


async def filelist(cms, call) -> int:
    return lists.filelist(cms, call)


async def rdrlist(cms, call) -> int:
    return lists.rdrlist(cms, call)


COMMANDS = [
    Command("XEDIT", 1, "XED", xedit, "fn ft [fm] [(NOPROFILE]"),
    Command("FILELIST", 5, "FLS", filelist, "[fn [ft [fm]]]"),
    Command("RDRLIST", 4, "RDL", rdrlist, ""),
]
