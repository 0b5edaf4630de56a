"""SET and TERMINAL: a user's console and message options.

VM/370 CP Command Reference for General Users, SET and TERMINAL; SET LOGMSG
and SET SHARE (for another user) are class A/B operator forms.
"""

from __future__ import annotations

from cp import sysdir
from cp.commands.base import (
    Command,
    CommandError,
    abbreviates,
    operand_error,
    unknown_command,
)
from cp.console import TerminalOptions

ON_OFF = {"ON": True, "OFF": False}


def _on_off(args, name) -> bool:
    if len(args) != 1 or args[0].upper() not in ON_OFF:
        raise operand_error(args[0] if args else None)
    return ON_OFF[args[0].upper()]


def _flag(attribute):
    def handler(ctx, args) -> int:
        setattr(ctx.vm.settings, attribute, _on_off(args, attribute))
        return 0

    return handler


def set_emsg(ctx, args) -> int:
    if len(args) != 1 or args[0].upper() not in ("ON", "OFF", "CODE", "TEXT"):
        raise operand_error(args[0] if args else None)
    ctx.vm.settings.emsg = args[0].upper()
    return 0


def set_run(ctx, args) -> int:
    ctx.vm.settings.run = _on_off(args, "run")
    return 0


#: SET PFnn modes: IMMED enters the text at once, DELAYED puts it in the
#: input area to edit first; IMMED is the default.
PF_MODES = ("IMMED", "DELAYED")


def set_pf(ctx, number_text: str, args) -> int:
    """SET PFnn [IMMED|DELAYED] text | RETRIEVE: what a PF key does on a 3270
    console; SET PFnn alone makes the key undefined (it then acts as ENTER)."""
    if not number_text.isdigit() or not 1 <= int(number_text) <= 24:
        raise operand_error(f"PF{number_text}")
    words = list(args)
    mode = "IMMED"
    if words and words[0].upper() in PF_MODES:
        mode = words.pop(0).upper()
    number = int(number_text)
    if not words:
        ctx.vm.settings.pf.pop(number, None)
    elif len(words) == 1 and words[0].upper() == "RETRIEVE":
        ctx.vm.settings.pf[number] = "RETRIEVE"
    else:
        ctx.vm.settings.pf[number] = f"{mode} {' '.join(words)}"
    return 0


def set_logmsg(ctx, args) -> int:
    """SET LOGMSG text | OFF (class A/B): the message of the day shown at logon."""
    if not any(c in ctx.vm.classes for c in "AB"):
        raise unknown_command()
    if not args:
        raise operand_error()
    if len(args) == 1 and args[0].upper() == "OFF":
        ctx.system.logmsg = []
    else:
        ctx.system.logmsg = ctx.system.logmsg + [" ".join(args)]
    sysdir.save_logmsg(ctx.system.path, ctx.system.logmsg)
    return 0


def set_share(ctx, args) -> int:
    """SET SHARE [userid] [RELATIVE] nnn: relative share of the CPU (100 = normal);
    another user's share needs class A or E (z/VM SET SHARE)."""
    args = [a for a in args if a.upper() not in ("RELATIVE", "REL")]
    if not args:
        raise operand_error()
    target = ctx.vm
    if len(args) == 2:
        if not any(c in ctx.vm.classes for c in "AE"):
            raise unknown_command()
        target = ctx.system.find_user(args[0])
        if target is None:
            raise CommandError(f"DMKCFS045E {args[0].upper()} NOT LOGGED ON", 45)
        args = args[1:]
    text = args[0]
    if len(args) > 1:
        raise operand_error(args[1])
    if not text.isdigit() or not 1 <= int(text) <= 10000:
        raise operand_error(args[0])
    target.share = int(text)
    return 0


SETTINGS = {
    "MSG": _flag("msg"),
    "WNG": _flag("wng"),
    "IMSG": _flag("imsg"),
    "SMSG": _flag("smsg"),
    "EMSG": set_emsg,
    "RUN": set_run,
    "LOGMSG": set_logmsg,
    "SHARE": set_share,
}


def set_command(ctx, args) -> int:
    if not args:
        raise operand_error()
    key = args[0].upper()
    if key.startswith("PF") and len(key) > 2:
        return set_pf(ctx, key[2:], args[1:])
    if key == "LAN":  # SET LAN (cp.commands.lan)
        from cp.commands.lan import set_lan

        return set_lan(ctx, args[1:])
    handler = SETTINGS.get(key)
    if handler is None:
        raise operand_error(args[0])
    return handler(ctx, args[1:])


def _character(attribute: str):
    """The parser of one TERMINAL line-editing operand: OFF, ON (the system
    default symbol, z/VM TERMINAL) or one character."""

    def parse(word: str) -> str | None:
        if word.upper() == "OFF":
            return None
        if word.upper() == "ON":
            return getattr(TerminalOptions(), attribute)
        if len(word) != 1:
            raise operand_error(word)
        return word

    return parse


#: TERMINAL operand -> (attribute, parser).
TERMINAL_OPTIONS = {
    name: (name.lower(), _character(name.lower()))
    for name in ("LINEND", "LINEDEL", "CHARDEL", "ESCAPE")
}


def _more_seconds(words: list[str]) -> tuple[int, int]:
    """TERMINAL MORE n m: two numbers of seconds, 0-255 each (z/VM TERMINAL)."""
    if len(words) < 2:
        raise operand_error()
    n, m = words.pop(0), words.pop(0)
    for value in (n, m):
        if not value.isdigit() or int(value) > 255:
            raise operand_error(value)
    return int(n), int(m)


def terminal_command(ctx, args) -> int:
    if not args:
        raise operand_error()
    options = ctx.vm.console.options
    words = list(args)
    while words:
        key = words.pop(0).upper()
        if key == "MORE":
            options.more = _more_seconds(words)
            continue
        if not words:
            raise operand_error()
        value = words.pop(0)
        name = next((n for n in TERMINAL_OPTIONS if abbreviates(key, n, 4)), None)
        if name is not None:
            attribute, parse = TERMINAL_OPTIONS[name]
            setattr(options, attribute, parse(value))
        elif key == "MODE" and value.upper() in ("VM", "CP"):
            options.mode = value.upper()
        elif key == "ATTN" and value.upper() in ON_OFF:
            options.attn = ON_OFF[value.upper()]
        elif abbreviates(key, "LINESIZE", 5) and value.isdigit() and 1 <= int(value) <= 255:
            options.linesize = int(value)
        else:
            raise operand_error(key)
    return 0


COMMANDS = [
    Command("SET", 3, "ABCDEFG", set_command),
    Command("TERMINAL", 4, "ABCDEFG", terminal_command),
]
