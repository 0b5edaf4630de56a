"""How XEDIT reaches CMS and CP: the CMS subcommand, SET IMPCMSCP ON, the
commands of a list line (FILELIST, RDRLIST) and a macro's ADDRESS CMS and
ADDRESS CP all come here; the output of the command goes to XEDIT's
message lines (z/VM XEDIT Command Reference, "CMS", "CP")."""

from __future__ import annotations


def run_cms(ed, text: str) -> int:
    """A CMS command (then CP's, as CMS resolves it); its return code."""
    cms = ed.cms
    outer, cms.output = cms.output, ed.msg
    try:
        return cms.services.wait_for(cms.execute(text))
    finally:
        cms.output = outer


def cp(ed, ops: str) -> int:
    """A CP command; its response lines are XEDIT messages."""
    rc, lines = ed.cms.services.cp_command(ops.strip())
    for line in lines:
        ed.msg(line)
    return rc
