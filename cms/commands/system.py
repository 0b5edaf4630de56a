"""Environment commands: QUERY, SET, CP, GLOBAL (VM/370 and VM/SP CMS)."""

from __future__ import annotations

from cms.commands import Command
from cms.errors import CMSError, invalid_parameter

CMS_LEVEL = "VM370 CMS Level 1, Service Level 000"


# ---------------------------------------------------------------- QUERY


def query_disk(cms, which: str) -> list[str]:
    """QUERY DISK in the VM/SP table form (column heading BLKSZ, so a line
    fits the 80 columns of a 3270 screen)."""
    disks = cms.disks.ordered() if which in ("", "*") else [cms.disks.get(which)]
    lines = ["LABEL  VDEV M  STAT   CYL TYPE BLKSZ  FILES  BLKS USED-(%) BLKS LEFT  BLK TOTAL"]
    for acc in disks:
        used, left, total = acc.disk.usage()
        mode = f"{acc.mode}/{acc.parent}" if acc.parent else acc.mode
        stat = "R/O" if acc.read_only else "R/W"
        pct = used * 100 // total if total else 0
        info = cms.services.device_info(acc.vaddr)
        devtype = info.devtype if info is not None and info.devtype else "3370"
        lines.append(
            f"{acc.disk.label.volid:<6} {acc.vaddr:03X}  {mode:<3} {stat:<4}"
            f"    - {devtype:<4}   512 {len(acc.disk.files):6d} {used:9d}-{pct:02d}"
            f" {left:10d} {total:11d}"
        )
    return lines


def query_search(cms) -> list[str]:
    lines = []
    for acc in cms.disks.ordered():
        mode = f"{acc.mode}/{acc.parent}" if acc.parent else acc.mode
        lines.append(
            f"{acc.disk.label.volid:<6} {acc.vaddr:03X}  {mode:<4} "
            f"{'R/O' if acc.read_only else 'R/W'}"
        )
    return lines


def query_accessed(cms) -> list[str]:
    lines = ["Mode  Stat  Files  Vdev  Label/Directory"]
    for acc in cms.disks.ordered():
        mode = f"{acc.mode}/{acc.parent}" if acc.parent else acc.mode
        lines.append(
            f"{mode:<5} {'R/O' if acc.read_only else 'R/W':<5} {len(acc.disk.files):5d}"
            f"  {acc.vaddr:03X}   {acc.disk.label.volid}"
        )
    return lines


#: SET LDRTBLS: the loader table pages CMS starts with (VM/370 CMS: 2).
DEFAULT_LDRTBLS = 2


def extra_settings(cms) -> dict:
    """The SET options kept beside the nucleus's own (cms.nucleus.Settings)."""
    return vars(cms).setdefault("extra_settings", {"LDRTBLS": DEFAULT_LDRTBLS})


def query_setting(cms, name: str) -> list[str]:
    s = cms.settings
    values = {
        "RDYMSG": s.rdymsg,
        "IMPCP": "ON" if s.impcp else "OFF",
        "IMPEX": "ON" if s.impex else "OFF",
        "BLIP": s.blip,
        "ABBREV": "ON" if cms.table.abbrev else "OFF",
        "CMSTYPE": "HT" if cms.session.typing_halted else "RT",
        "LDRTBLS": str(extra_settings(cms)["LDRTBLS"]),
    }
    if name in ("INPUT", "OUTPUT"):
        from cms.commands.translate import query_translation

        return query_translation(cms, name)
    return [f"{name} = {values[name]}"]


SETTINGS = ("RDYMSG", "IMPCP", "IMPEX", "BLIP", "ABBREV", "CMSTYPE", "LDRTBLS", "INPUT", "OUTPUT")


def query_library(cms, kind: str) -> list[str]:
    names = cms.session.globals[kind]
    return [f"{kind} = {' '.join(names) if names else 'NONE'}"]


async def query(cms, call) -> int:
    if not call.args:
        raise CMSError(5, "E", 24, "NO OPTION SPECIFIED")
    what, rest = call.args[0], call.args[1:]
    if what == "DISK":
        lines = query_disk(cms, rest[0] if rest else "")
    elif what == "SEARCH":
        lines = query_search(cms)
    elif what == "ACCESSED":
        lines = query_accessed(cms)
    elif what == "CMSLEVEL":
        lines = [CMS_LEVEL]
    elif what in SETTINGS:
        if rest:
            raise invalid_parameter(rest[0])
        lines = query_setting(cms, what)
    elif what in ("SYNONYM", "SYN"):
        from cms.commands.synonym import query_synonym

        lines = query_synonym(cms, rest)
    elif what in ("MACLIB", "TXTLIB"):
        lines = query_library(cms, what)
    elif what in ("FILEDEF", "FI"):
        lines = [
            f"{dd} {fd['device']} {' '.join(fd.get('fileid', []))}".rstrip()
            for dd, fd in sorted(cms.session.filedefs.items())
        ] or ["NO USER DEFINED FILEDEF'S IN EFFECT"]
    else:
        # VM/SP CMS passes operands it does not know to CP (QUERY READER, ...).
        return cms.cp("QUERY " + call.text)
    for line in lines:
        cms.say(line)
    return 0


# ---------------------------------------------------------------- SET


def on_off(value: str) -> bool:
    if value not in ("ON", "OFF"):
        raise invalid_parameter(value)
    return value == "ON"


async def set_(cms, call) -> int:
    if call.args and call.args[0] in ("INPUT", "OUTPUT"):
        from cms.commands.translate import set_translation

        set_translation(
            cms, call.args[0], call.text.split(None, 1)[1] if len(call.args) > 1 else ""
        )
        return 0
    if len(call.args) < 2:
        if call.args and call.args[0] in (
            "RDYMSG",
            "IMPCP",
            "IMPEX",
            "BLIP",
            "ABBREV",
            "CMSTYPE",
            "LDRTBLS",
        ):
            raise CMSError(5, "E", 24, "NO VALUE SPECIFIED")
        if not call.args:
            raise CMSError(5, "E", 24, "NO OPTION SPECIFIED")
    what = call.args[0]
    s = cms.settings
    if what == "RDYMSG":
        if call.args[1] not in ("LMSG", "SMSG"):
            raise invalid_parameter(call.args[1])
        s.rdymsg = call.args[1]
    elif what == "IMPCP":
        s.impcp = on_off(call.args[1])
    elif what == "IMPEX":
        s.impex = on_off(call.args[1])
    elif what == "BLIP":
        s.blip = call.args[1]
    elif what == "ABBREV":
        cms.table.abbrev = on_off(call.args[1])
    elif what == "CMSTYPE":
        # SET CMSTYPE HT|RT: the HT and RT immediate commands, from an EXEC.
        if call.args[1] not in ("HT", "RT"):
            raise invalid_parameter(call.args[1])
        cms.session.typing_halted = call.args[1] == "HT"
    elif what == "LDRTBLS":
        if not call.args[1].isdigit() or not 1 <= int(call.args[1]) <= 99:
            raise invalid_parameter(call.args[1])
        extra_settings(cms)["LDRTBLS"] = int(call.args[1])
    else:
        return cms.cp("SET " + call.text)
    return 0


# ---------------------------------------------------------------- CP


async def cp(cms, call) -> int:
    if not call.text:
        return 0
    return cms.cp(call.text)


# ---------------------------------------------------------------- GLOBAL


async def global_(cms, call) -> int:
    if not call.args or call.args[0] not in ("MACLIB", "TXTLIB"):
        raise invalid_parameter(call.args[0] if call.args else "")
    kind, names = call.args[0], call.args[1:]
    if len(names) > 8:
        raise CMSError(8, "E", 24, "TOO MANY LIBRARIES SPECIFIED")
    missing = [n for n in names if not cms.disks.find(n, kind, "*")]
    cms.session.globals[kind] = [n for n in names if n not in missing]
    for n in missing:
        cms.say(f"DMSGLB002W FILE '{n} {kind} *' NOT FOUND")
    return 28 if missing else 0


COMMANDS = [
    Command(
        "QUERY",
        1,
        "QRY",
        query,
        "DISK [mode|*] | SEARCH | ACCESSED | CMSLEVEL | BLIP | RDYMSG | IMPCP | IMPEX | ABBREV | "
        "CMSTYPE | LDRTBLS | INPUT | OUTPUT | SYNONYM [SYSTEM|USER|ALL] | MACLIB | TXTLIB | "
        "FILEDEF | (CP operands)",
    ),
    Command(
        "SET",
        3,
        "SET",
        set_,
        "RDYMSG LMSG|SMSG | IMPCP ON|OFF | IMPEX ON|OFF | BLIP ON|OFF|c | ABBREV ON|OFF | "
        "CMSTYPE HT|RT | LDRTBLS n | INPUT [a [xx]] | OUTPUT [xx [a]]",
    ),
    Command("CP", 2, "CPX", cp, "cp-command"),
    Command("GLOBAL", 2, "GLB", global_, "MACLIB|TXTLIB name ..."),
]
