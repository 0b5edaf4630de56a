"""The CP user directory: the ``USER DIRECT`` file in VM/370's statement syntax.

Statements (VM/370 Planning and System Generation Guide, "The Directory
Program", and the z/VM CP Planning and Administration directory statements):

    DIRECTORY cuu devtype volser          optional first statement (accepted, not needed)
    USER userid password [stor [maxstor [classes [priority]]]]
    ACCOUNT number [distcode]
    OPTION option ...                     ECMODE REALTIMER BMX ACCT SVCOFF LNKNOPAS ...
    IPL vaddr|sysname [PARM text]
    CONSOLE vaddr devtype [class]
    SPOOL vaddr devtype [READER|PUNCH] [class]
    MDISK vaddr devtype start count volser [mode [readpw [writepw [multpw]]]]
    LINK userid vaddr1 vaddr2 [mode]
    SPECIAL vaddr devtype [userid]        CTCA 3088 3270 TIMER
    NICDEF vaddr TYPE QDIO|HIPERS [DEVICES n] [LAN owner name] [MACID hex]
    * comment                             (also blank lines)

Everything is case-insensitive and folded to upper case, except a salted
password hash (see cp.passwords).  Columns 73-80 of a card image may hold a
sequence number, which is ignored.  Errors name the line and the problem in
the style of the directory program's DMKDIR messages; all errors of a file
are collected before the directory is refused, as DMKDIR checks the rest of
the statements after the first error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cp.passwords import is_hashed

#: The LINK / MDISK access modes (VM/370 CP Command Reference, LINK).
ACCESS_MODES = ("R", "RR", "W", "WR", "M", "MR", "MW")

#: FBA devices: start and count are 512-byte blocks.
FBA_TYPES = {"3310", "3370", "9332", "9335", "9336", "FB-512"}
#: CKD device types accepted on MDISK: start/count are cylinders, converted to
#: 512-byte blocks of the image file by the capacity of one cylinder
#: (tracks/cylinder x track capacity / 512, rounded down).
CKD_BLOCKS_PER_CYL = {
    "2314": 280,
    "3330": 494,
    "3340": 197,
    "3350": 1050,
    "3375": 1152,
    "3380": 1410,
}

#: Device types per statement kind; each maps to the device class CP uses.
CONSOLE_TYPES = {
    "3215": "CONS",
    "3210": "CONS",
    "1052": "CONS",
    "3270": "CONS",
    "3277": "CONS",
    "3278": "CONS",
    "3279": "CONS",
}
SPOOL_TYPES = {
    "2540": None,
    "3505": "RDR",
    "2501": "RDR",
    "3525": "PUN",
    "1403": "PRT",
    "3211": "PRT",
    "3203": "PRT",
    "1443": "PRT",
}
SPECIAL_TYPES = {
    "CTCA": "CTCA",
    "3088": "CTCA",
    "3270": "GRAF",
    "3277": "GRAF",
    "3278": "GRAF",
    "3279": "GRAF",
    "GRAF": "GRAF",
    "TIMER": "TIMER",
}
KNOWN_OPTIONS = {
    "ECMODE",
    "REALTIMER",
    "BMX",
    "ISAM",
    "VIRT=REAL",
    "ACCT",
    "SVCOFF",
    "CPUID",
    "LNKNOPAS",
    "MAXCONN",
    "DIAG88",
    "RUN",
    "AUTOLOG",
}

MAX_STORAGE = 16 << 20
PAGE = 4096


class DirectoryError(Exception):
    """The directory was refused; ``errors`` lists one message per bad line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class MdiskDef:
    vaddr: int
    devtype: str
    start: int
    count: int  # in the device's unit (blocks or cylinders)
    volser: str
    mode: str = "W"
    read_pw: str | None = None
    write_pw: str | None = None
    mult_pw: str | None = None
    line: int = 0

    @property
    def blocks(self) -> int:
        """Size in 512-byte blocks of the image file backing this minidisk."""
        if self.devtype in FBA_TYPES:
            return self.count
        return self.count * CKD_BLOCKS_PER_CYL[self.devtype]


@dataclass
class LinkDef:
    userid: str
    vaddr: int
    as_vaddr: int
    mode: str = "R"
    line: int = 0


@dataclass
class DeviceDef:
    """CONSOLE, SPOOL and SPECIAL statements: a virtual device built at logon."""

    statement: str  # CONSOLE, SPOOL, SPECIAL
    vaddr: int
    devtype: str
    devclass: str  # CONS RDR PUN PRT CTCA GRAF TIMER
    spool_class: str = ""
    userid: str = ""  # SPECIAL CTCA: the user to couple to
    line: int = 0


@dataclass
class NicDef:
    vaddr: int
    nictype: str = "QDIO"
    devices: int = 3
    lan_owner: str = ""
    lan_name: str = ""
    macid: int | None = None  # MACID: the low 3 bytes of the MAC address
    line: int = 0


@dataclass
class UserEntry:
    userid: str
    password: str
    storage: int = 1 << 20
    max_storage: int = 1 << 20
    classes: str = "G"
    priority: int = 64
    account: str = ""
    distribution: str = ""
    options: set[str] = field(default_factory=set)
    ipl: str = ""  # device (hex) or named system
    ipl_parm: str = ""
    devices: list[DeviceDef] = field(default_factory=list)
    mdisks: list[MdiskDef] = field(default_factory=list)
    links: list[LinkDef] = field(default_factory=list)
    nics: list[NicDef] = field(default_factory=list)
    line: int = 0

    @property
    def nolog(self) -> bool:
        """A NOLOG user cannot log on; it only owns minidisks or receives files."""
        return self.password.upper() == "NOLOG"

    def mdisk(self, vaddr: int) -> MdiskDef | None:
        return next((m for m in self.mdisks if m.vaddr == vaddr), None)


class Directory:
    """A parsed user directory: ``users`` maps userid to UserEntry."""

    def __init__(self, users: dict[str, UserEntry] | None = None, source: str = ""):
        self.users = users or {}
        self.source = source

    def get(self, userid: str) -> UserEntry | None:
        return self.users.get(userid.upper())

    def __contains__(self, userid: str) -> bool:
        return userid.upper() in self.users

    def __iter__(self):
        return iter(self.users.values())


# -- parsing ---------------------------------------------------------------


class StatementError(Exception):
    """One bad statement; converted to a DirectoryError message naming the line."""


def parse_storage(text: str) -> int:
    """``512K``, ``4M`` or a plain number of bytes -> bytes, a multiple of 4K up to 16M."""
    t = text.upper()
    try:
        if t.endswith("K"):
            size = int(t[:-1]) * 1024
        elif t.endswith("M"):
            size = int(t[:-1]) << 20
        else:
            size = int(t)
    except ValueError:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {text}") from None
    if size <= 0 or size > MAX_STORAGE or size % PAGE:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {text}")
    return size


def parse_vaddr(text: str) -> int:
    """A virtual device address: one to four hex digits (VM/370 used three)."""
    try:
        value = int(text, 16)
    except ValueError:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {text}") from None
    if not 0 <= value <= 0xFFFF or len(text) > 4:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {text}")
    return value


def _need(words: list[str], count: int, statement: str) -> None:
    if len(words) < count:
        raise StatementError(f"DMKDIR752E {statement} STATEMENT INCOMPLETE")


def _user(words: list[str], raw: list[str], line: int) -> UserEntry:
    _need(words, 3, "USER")
    userid = words[1]
    if not (1 <= len(userid) <= 8) or not all(c.isalnum() or c in "$#@" for c in userid):
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {userid}")
    password = raw[2] if is_hashed(raw[2]) else words[2]
    entry = UserEntry(userid, password, line=line)
    if len(words) > 3:
        entry.storage = entry.max_storage = parse_storage(words[3])
    if len(words) > 4:
        entry.max_storage = parse_storage(words[4])
        if entry.max_storage < entry.storage:
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[4]}")
    if len(words) > 5:
        classes = words[5]
        if not all(c in "ABCDEFGH" for c in classes):
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {classes}")
        entry.classes = "".join(sorted(set(classes)))
    if len(words) > 6:
        if not words[6].isdigit() or int(words[6]) > 99:
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[6]}")
        entry.priority = int(words[6])
    if len(words) > 7:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[7]}")
    return entry


def _account(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 2, "ACCOUNT")
    entry.account = words[1][:8]
    entry.distribution = words[2][:8] if len(words) > 2 else entry.userid


def _option(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 2, "OPTION")
    for word in words[1:]:
        if word not in KNOWN_OPTIONS and not all(c in "0123456789ABCDEF" for c in word):
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {word}")
        entry.options.add(word)


def _ipl(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 2, "IPL")
    entry.ipl = words[1]
    if len(words) > 2:
        if words[2] != "PARM":
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[2]}")
        entry.ipl_parm = " ".join(raw[3:])[:64]


def _console(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 3, "CONSOLE")
    vaddr = parse_vaddr(words[1])
    if words[2] not in CONSOLE_TYPES:
        raise StatementError(f"DMKDIR753E INVALID DEVICE TYPE - {words[2]}")
    spool_class = words[3] if len(words) > 3 else "T"
    entry.devices.append(DeviceDef("CONSOLE", vaddr, words[2], "CONS", spool_class, line=line))


def _spool(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 3, "SPOOL")
    vaddr = parse_vaddr(words[1])
    devtype = words[2]
    if devtype not in SPOOL_TYPES:
        raise StatementError(f"DMKDIR753E INVALID DEVICE TYPE - {devtype}")
    rest = words[3:]
    devclass = SPOOL_TYPES[devtype]
    if rest and rest[0] in ("READER", "READ", "RDR", "PUNCH", "PUN"):
        chosen = "RDR" if rest[0].startswith("R") else "PUN"
        if devclass not in (None, chosen):
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {rest[0]}")
        devclass = chosen
        rest = rest[1:]
    if devclass is None:  # a 2540 must say READER or PUNCH
        raise StatementError("DMKDIR752E SPOOL STATEMENT INCOMPLETE")
    spool_class = rest[0] if rest else ("*" if devclass == "RDR" else "A")
    if len(spool_class) != 1 or not (spool_class.isalnum() or spool_class == "*"):
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {spool_class}")
    entry.devices.append(DeviceDef("SPOOL", vaddr, devtype, devclass, spool_class, line=line))


def _mdisk(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 6, "MDISK")
    vaddr = parse_vaddr(words[1])
    devtype = words[2]
    if devtype not in FBA_TYPES and devtype not in CKD_BLOCKS_PER_CYL:
        raise StatementError(f"DMKDIR753E INVALID DEVICE TYPE - {devtype}")
    try:
        start, count = int(words[3]), int(words[4])
    except ValueError:
        bad = words[3] if not words[3].isdigit() else words[4]
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {bad}") from None
    if start < 0 or count <= 0:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[4]}")
    volser = words[5]
    if len(volser) > 6:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {volser}")
    mode = words[6] if len(words) > 6 else "W"
    if mode.rstrip("V") not in ACCESS_MODES:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {mode}")
    pws = words[7:10] + [None] * 3
    if len(words) > 10:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {words[10]}")
    if entry.mdisk(vaddr) or any(d.vaddr == vaddr for d in entry.devices):
        raise StatementError(f"DMKDIR754E DUPLICATE DEVICE ADDRESS - {words[1]}")
    entry.mdisks.append(
        MdiskDef(
            vaddr,
            devtype,
            start,
            count,
            volser,
            mode.rstrip("V"),
            pws[0],
            pws[1],
            pws[2],
            line=line,
        )
    )


def _link(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 4, "LINK")
    mode = words[4] if len(words) > 4 else "R"
    if mode.rstrip("V") not in ACCESS_MODES:
        raise StatementError(f"DMKDIR751E INVALID OPERAND - {mode}")
    entry.links.append(
        LinkDef(words[1], parse_vaddr(words[2]), parse_vaddr(words[3]), mode.rstrip("V"), line=line)
    )


def _special(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 3, "SPECIAL")
    vaddr = parse_vaddr(words[1])
    devclass = SPECIAL_TYPES.get(words[2])
    if devclass is None:
        raise StatementError(f"DMKDIR753E INVALID DEVICE TYPE - {words[2]}")
    userid = words[3] if len(words) > 3 else ""
    entry.devices.append(DeviceDef("SPECIAL", vaddr, words[2], devclass, userid=userid, line=line))


def _is_hex(word: str, digits: int) -> bool:
    return 0 < len(word) <= digits and all(c in "0123456789ABCDEF" for c in word.upper())


def _nicdef(entry: UserEntry, words: list[str], raw: list[str], line: int) -> None:
    _need(words, 2, "NICDEF")
    nic = NicDef(parse_vaddr(words[1]), line=line)
    rest = words[2:]
    while rest:
        key = rest.pop(0)
        if key == "TYPE" and rest:
            nic.nictype = rest.pop(0)
            if nic.nictype not in ("QDIO", "HIPERS", "HIPERSOCKETS"):
                raise StatementError(f"DMKDIR751E INVALID OPERAND - {nic.nictype}")
        elif key == "DEVICES" and rest and rest[0].isdigit():
            nic.devices = int(rest.pop(0))
        elif key == "LAN" and len(rest) >= 2:
            nic.lan_owner, nic.lan_name = rest.pop(0), rest.pop(0)
        elif key == "SYSTEM" and rest:
            nic.lan_owner, nic.lan_name = "SYSTEM", rest.pop(0)
        elif key == "MACID" and rest and _is_hex(rest[0], 6):
            nic.macid = int(rest.pop(0), 16)
        else:
            raise StatementError(f"DMKDIR751E INVALID OPERAND - {key}")
    entry.nics.append(nic)


#: Statement name -> handler for statements inside a USER entry.
USER_STATEMENTS = {
    "ACCOUNT": _account,
    "OPTION": _option,
    "IPL": _ipl,
    "CONSOLE": _console,
    "SPOOL": _spool,
    "MDISK": _mdisk,
    "LINK": _link,
    "SPECIAL": _special,
    "NICDEF": _nicdef,
}


def _logical_lines(text: str):
    """(line number, raw words) for each statement line, comments dropped."""
    for number, line in enumerate(text.splitlines(), start=1):
        card = line[:72] if len(line) == 80 and line[72:].strip().isdigit() else line
        stripped = card.strip()
        if not stripped or stripped.startswith("*"):
            continue
        yield number, stripped.split()


def parse(text: str, source: str = "USER DIRECT") -> Directory:
    """Parse a USER DIRECT file; raise DirectoryError naming every bad line."""
    users: dict[str, UserEntry] = {}
    errors: list[str] = []
    current: UserEntry | None = None
    for number, raw in _logical_lines(text):
        words = [w.upper() for w in raw]
        try:
            current = _statement(words, raw, number, current, users)
        except StatementError as err:
            errors.append(f"{source} LINE {number}: {err}")
    if errors:
        raise DirectoryError(errors)
    return Directory(users, source)


def _statement(words, raw, number, current, users):
    keyword = words[0]
    if keyword == "DIRECTORY":
        if users:
            raise StatementError("DMKDIR752E STATEMENT SEQUENCE ERROR - DIRECTORY")
        return current
    if keyword == "USER":
        entry = _user(words, raw, number)
        if entry.userid in users:
            raise StatementError(f"DMKDIR755E DUPLICATE USERID - {entry.userid}")
        users[entry.userid] = entry
        return entry
    handler = USER_STATEMENTS.get(keyword)
    if handler is None:
        raise StatementError(f"DMKDIR750E INVALID STATEMENT - {raw[0]}")
    if current is None:
        raise StatementError(f"DMKDIR752E STATEMENT SEQUENCE ERROR - {keyword} BEFORE USER")
    handler(current, words, raw, number)
    return current


def load(path) -> Directory:
    """Read and parse a USER DIRECT file from disk."""
    p = Path(path)
    # Named as CMS would name the file: user.direct -> USER DIRECT.
    return parse(
        p.read_text(encoding="utf-8", errors="replace"), source=p.name.upper().replace(".", " ")
    )
