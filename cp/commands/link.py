"""LINK [TO] userid vaddr1 [AS] vaddr2 [mode] [[PASS=] password] (VM/370 CP
Command Reference for General Users, LINK): the words of the command; the
access modes, the password rules and the link table are cp.links's.
"""

from __future__ import annotations

from cp.commands.base import Command, CommandError, operand_error
from cp.links import LINK_MODE_NAMES, link_minidisk, password_needed


def link_command(ctx, args) -> int:
    """LINK [TO] userid vaddr1 [AS] vaddr2 [mode] [[PASS=] password]."""
    words = [w for w in args]
    if words and words[0].upper() == "TO":
        words.pop(0)
    if len(words) >= 3 and words[2].upper() == "AS":
        words.pop(2)
    if len(words) < 3:
        raise operand_error()
    userid = words[0].upper()
    if userid == "*":  # "*": a device of one's own directory entry
        userid = ctx.userid
    try:
        vaddr, as_vaddr = int(words[1], 16), int(words[2], 16)
    except ValueError:
        raise operand_error(words[1]) from None
    rest = words[3:]
    own = userid == ctx.userid
    entry = ctx.system.directory.get(userid)
    default_mode = entry.mdisk(vaddr).mode if own and entry and entry.mdisk(vaddr) else "R"
    mode = default_mode
    if rest and rest[0].upper().rstrip("V") in LINK_MODE_NAMES:
        mode = rest.pop(0).upper().rstrip("V")
    if rest and rest[0].upper().startswith("PASS="):
        rest[0] = rest[0][5:]
        if not rest[0]:
            rest.pop(0)
    password = rest.pop(0) if rest else None
    if rest:
        raise operand_error(rest[0])
    if (
        password is None
        and ctx.ask_password is not None
        and password_needed(ctx.system, ctx.vm, userid, vaddr, mode)
    ):
        ctx.ask_password(
            "ENTER PASSWORD:",
            lambda typed: _link_with_reply(ctx, userid, vaddr, as_vaddr, mode, typed),
        )
        return 0
    return _link(ctx, userid, vaddr, as_vaddr, mode, password)


def _link(ctx, userid: str, vaddr: int, as_vaddr: int, mode: str, password) -> int:
    for line in link_minidisk(ctx.system, ctx.vm, userid, vaddr, as_vaddr, mode, password):
        ctx.reply(line)
    link = ctx.system.links.link_of(ctx.userid, as_vaddr)
    ctx.reply(f"DASD {as_vaddr:03X} LINKED {'R/W' if link.write else 'R/O'}")
    return 0


def _link_with_reply(ctx, userid, vaddr, as_vaddr, mode, password) -> None:
    """The LINK after ENTER PASSWORD: its messages as the command's would be."""
    try:
        _link(ctx, userid, vaddr, as_vaddr, mode, password or None)
    except CommandError as err:
        ctx.reply(str(err))


COMMANDS = [Command("LINK", 4, "BG", link_command)]
