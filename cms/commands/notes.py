"""NOTE: write a note and send it through the spool to other users' readers
(VM/SP CMS Command Reference, NOTE; VM/370 has no NOTE, so its behaviour is
VM/SP's, with this CMS's line editor in place of XEDIT).

``NOTE userid [userid ...] [(LOG|NOLOG ACK|NOACK]``: CMS writes the note
header (date, sender, addressees) into ``userid NOTE A`` and starts EDIT on
it.  FILE sends the note: it is punched (card images, no :READ header) to
each addressee's reader as a file named ``sender NOTE``, erased, and, with
LOG (the default), appended to ``ALL NOTEBOOK A``.  QUIT, or FILE without a
line added to the header, sends nothing (DMSNOT001W NOTE NOT SENT, rc 4).
"""

from __future__ import annotations

import datetime

from cms.commands import Call, Command
from cms.commands.edit import edit
from cms.commands.spool import PUNCH, punch_settings, require_unit
from cms.errors import CMSError, invalid_option
from s390.ebcdic import card, from_ebcdic, to_ebcdic

NOTE_OPTIONS = {"LOG", "NOLOG", "ACK", "NOACK", "SHORT", "LONG"}


def note_header(cms, addressees: list[str]) -> list[str]:
    sender = cms.services.userid
    stamp = datetime.datetime.now().strftime("%m/%d/%y %H:%M:%S")
    return [f"Date: {stamp}", f"From: {sender}", f"To:   {' '.join(addressees)}", ""]


USERID_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@#$")


def check_userid(name: str) -> None:
    if not 1 <= len(name) <= 8 or not set(name) <= USERID_CHARACTERS:
        raise CMSError(70, "E", 24, f"INVALID PARAMETER '{name}'")


def send_cards(cms, userid: str, records: list[bytes]) -> int:
    """Punch the note to one user's reader and put the punch back as it was."""
    saved = punch_settings(cms)
    rc = cms.cp(f"SPOOL PUNCH TO {userid} NOCONT")
    if rc:
        return rc
    try:
        for record in records:
            cms.services.punch(PUNCH, card(from_ebcdic(record)))
        cms.cp(f"CLOSE {PUNCH:03X} NAME {cms.services.userid} NOTE")
    finally:
        cms.services.cp_command(f"SPOOL PUNCH {saved}")
    return 0


async def note(cms, call) -> int:
    options = set(call.options)
    for opt in options - NOTE_OPTIONS:
        raise invalid_option(opt)
    addressees = list(call.args)
    if not addressees:
        raise CMSError(1, "E", 24, "NO USERID SPECIFIED")
    for name in addressees:
        check_userid(name)
    require_unit(cms, PUNCH, "PUN")
    disk = cms.disks.writable("A").disk
    fn = addressees[0]
    header = [to_ebcdic(line) for line in note_header(cms, addressees)]
    disk.write_file(fn, "NOTE", header, "F", 80)
    # The note's text goes after the header: EDIT starts at its last line.
    cms.stack.push("BOTTOM")
    await edit(cms, Call("EDIT", [fn, "NOTE", "A"]))
    written = disk.read_file(fn, "NOTE") if disk.lookup(fn, "NOTE") else []
    if [r.rstrip(b"\x40") for r in written] == [r.rstrip(b"\x40") for r in header]:
        if disk.lookup(fn, "NOTE"):
            disk.erase(fn, "NOTE")
        raise CMSError(1, "W", 4, "NOTE NOT SENT")
    for userid in addressees:
        rc = send_cards(cms, userid, written)
        if rc:
            return rc
        date, clock, _, _ = cms.services.pseudo_timer()
        cms.say(f"Note {fn} NOTE A1 sent to {userid} on {date} {clock}")
    if "NOLOG" not in options:
        book = disk.read_file("ALL", "NOTEBOOK") if disk.lookup("ALL", "NOTEBOOK") else []
        disk.write_file(
            "ALL", "NOTEBOOK", book + [r[:80].ljust(80, b"\x40") for r in written], "F", 80
        )
    disk.erase(fn, "NOTE")
    return 0


COMMANDS = [Command("NOTE", 4, "NOT", note, "userid [userid ...] [(LOG|NOLOG]")]
