"""XEDIT macros: REXX programs ``fn XEDIT`` (z/VM XEDIT User's Guide, "Macros").

A macro runs through CMS's REXX interpreter with ``ADDRESS XEDIT`` as its
default environment: its commands are XEDIT subcommands of the current
file, ``ADDRESS CMS`` and ``ADDRESS CP`` reach CMS and CP, and EXTRACT sets
its variables.  Every clause is a safe point (CMS's time slice, HI, HX):
a macro in an endless loop is stopped by HI typed on the command line.
"""

from __future__ import annotations

from cms.commands.files import text_of
from cms.errors import CMSError
from cms.rexx import Interpreter
from cms.rexx.interpreter import on_host_thread
from cms.xedit.host import cp, run_cms


def find_macro(cms, name: str):
    if (
        not name
        or len(name) > 8
        or not name.replace("$", "").replace("#", "").replace("@", "").isalnum()
    ):
        return None
    found = cms.disks.find(name, "XEDIT", "*")
    return found[0] if found else None


def run_macro(ed, name: str, args: str) -> int:
    cms = ed.cms
    found = find_macro(cms, name)
    if found is None:
        raise CMSError(2, "E", 28, f"File '{name} XEDIT *' not found")
    lines = [text_of(r) for r in cms.disks.read(found)]
    if not (lines and lines[0].lstrip().startswith("/*")):
        raise CMSError(2, "E", 5, f"{name} XEDIT is not a REXX macro")
    wait_for = cms.services.wait_for

    def command(environment: str, text: str) -> int:
        env = environment.upper()
        if env == "XEDIT":
            return ed.execute(text)
        if env == "CP":
            return cp(ed, text)
        return run_cms(ed, text)

    def clause_boundary() -> bool:
        if cms.services.checkpoint_due():
            on_host_thread(cms.checkpoint)
        return False

    interp = Interpreter(
        lines,
        name=name,
        filetype="XEDIT",
        filemode=found.acc.mode,
        host_command=command,
        output=ed.msg,
        input=lambda: wait_for(cms.terminal_read()),
        stack=cms.stack,
        halt=clause_boundary,
        trace_output=lambda text: ed.msg(
            f"DMSREX460E {text}" if text.startswith("Error ") else text
        ),
        environment="XEDIT",
        userid=cms.services.userid,
        codepage="cp037",
    )
    outer_interp, cms.interp = cms.interp, interp
    outer_macro, ed.interp = ed.interp, interp
    try:
        result = interp.run([args])
    finally:
        cms.interp, ed.interp = outer_interp, outer_macro
    return result.return_code
