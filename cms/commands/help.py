"""HELP: menus and command descriptions, full screen on a 3270, as lines elsewhere.

The text lives in files on the Y-disk (MAINT 19E; shipped from
cms/system/help/ by cms.install), as CMS keeps its help files on a system
disk: ``name HELPCMS`` for a CMS command, ``name HELPCP`` for a CP command,
``name HELPMENU`` for a menu (``MENUS``: the menu of menus, ``CMS``, ``CP``).
A file of the same name on an earlier disk (the A-disk) is found first, so a
user or an installation may add or replace help.

Forms (z/VM CMS Command Reference, HELP; VM/370 has only the line form):

    HELP                  the menu of menus
    HELP CMS | CP | MENUS that menu
    HELP name             the CMS command (an abbreviation works), else a
                          HELPCMS file of that name, else the CP command
    HELP CP name          the CP command

Menu files: the first line is the title; lines starting with ``.`` are
control lines, not shown: ``.kind FT`` (the filetype its entries open),
``.menu`` (the lines after it are entries: words whose capitals are the
shortest abbreviation, as the manuals print command names) and
``.synonym NAME TARGET`` (another name of the same command).

On a 3270 display (GuestServices.fullscreen_size) each file is a panel through
DIAGNOSE X'58' full-screen writes and reads: PF1 help on HELP, PF2 top,
PF3 quit the panel (back to the one before), PF4 return (leave HELP),
PF7/PF8 page backward/forward, ENTER with the cursor on a menu entry opens
it, a topic typed on the command line (``====>``) opens that topic.  On a
line-mode terminal the same text is typed as lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.commands import Command, lookup
from cms.commands.files import text_of
from cms.errors import CMSError
from cms.fs import not_found
from cms.psw import CONSOLE_WAIT_PSW, NUCLEUS_PSW
from cp import ds3270 as ds

MENU_KIND, CMS_KIND, CP_KIND = "HELPMENU", "HELPCMS", "HELPCP"
MENUS = ("MENUS", "CMS", "CP")
PF_LINE = "PF1= Help  2= Top  3= Quit  4= Return  7= Backward  8= Forward"
MENU_PF_LINE = "PF1= Help 2= Top 3= Quit 4= Return 7= Backward 8= Forward ENTER= Select"
COMMAND_PROMPT = "====>"


@dataclass
class Entry:
    """A menu entry: where it is (line index, first and last column) and
    the topic it opens."""

    line: int
    start: int
    end: int
    name: str
    kind: str


@dataclass
class Topic:
    """One help file, ready to show."""

    name: str
    kind: str
    lines: list[str]
    entries: list[Entry] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.name} {self.kind}"


def text_lines(records) -> list[str]:
    return [text_of(r).rstrip() for r in records]


def read_help_file(cms, name: str, kind: str) -> list[str] | None:
    """The lines of ``name kind`` from the first accessed disk that has it."""
    if not name or len(name) > 8 or "*" in name:
        return None
    found = cms.disks.find(name, kind, "*")
    return text_lines(cms.disks.read(found[0])) if found else None


def parse_menu(name: str, lines: list[str]) -> Topic:
    """A HELPMENU file: shown lines, entries and synonyms (control lines)."""
    shown, entries, synonyms = [], [], {}
    kind, in_menu = MENU_KIND, False
    for line in lines:
        if line.startswith("."):
            words = line[1:].upper().split()
            if words[:1] == ["KIND"] and len(words) > 1:
                kind = words[1]
            elif words[:1] == ["MENU"]:
                in_menu = True
            elif words[:1] == ["SYNONYM"] and len(words) > 2:
                synonyms[words[1]] = words[2]
            continue
        if in_menu:
            entries.extend(menu_entries(len(shown), line, kind))
        shown.append(line)
    return Topic(name, MENU_KIND, shown, entries, synonyms)


def menu_entries(index: int, line: str, kind: str) -> list[Entry]:
    entries, column = [], 0
    for word in line.split():
        column = line.index(word, column)
        entries.append(Entry(index, column, column + len(word) - 1, word, kind))
        column += len(word)
    return entries


def abbreviates(typed: str, shown: str) -> bool:
    """``typed`` names the entry ``shown`` (capitals: the shortest form)."""
    shortest = len(shown) - len(shown.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$#@"))
    return len(typed) >= max(shortest, 1) and shown.upper().startswith(typed)


def load_menu(cms, name: str) -> Topic | None:
    lines = read_help_file(cms, name, MENU_KIND)
    return parse_menu(name, lines) if lines is not None else None


def cp_topic(cms, name: str) -> Topic | None:
    """The CP command ``name`` (full name, abbreviation or synonym, as the
    CP menu lists them)."""
    menu = load_menu(cms, "CP")
    target = name
    if menu is not None:
        target = menu.synonyms.get(name, name)
        target = next((e.name.upper() for e in menu.entries if abbreviates(target, e.name)), target)
    lines = read_help_file(cms, target, CP_KIND)
    return Topic(target, CP_KIND, lines) if lines is not None else None


def find_topic(cms, words: list[str]) -> Topic:
    """What ``HELP words`` shows; DMSHLP002E when there is no such help."""
    if not words:
        words = ["MENUS"]
    if len(words) > 2:
        raise CMSError(3, "E", 24, f"INVALID OPTION '{words[2]}'")
    if words[0] == "CP" and len(words) == 2:
        topic = cp_topic(cms, words[1])
        if topic is None:
            raise not_found(f"{words[1]} {CP_KIND} *")
        return topic
    if len(words) == 2 and words[0] == "CMS":
        words = words[1:]
    if len(words) == 2:
        raise CMSError(3, "E", 24, f"INVALID OPTION '{words[1]}'")
    name = words[0]
    if name in MENUS:
        menu = load_menu(cms, name)
        if menu is None:
            raise not_found(f"{name} {MENU_KIND} *")
        return menu
    cmd = lookup(cms.table, name)
    target = cmd.name if cmd is not None and cmd.module != "SYN" else name
    lines = read_help_file(cms, target, CMS_KIND)
    if lines is not None:
        return Topic(target, CMS_KIND, lines)
    topic = cp_topic(cms, name)
    if topic is not None:
        return topic
    raise not_found(f"{name} {CMS_KIND} *")


# ---------------------------------------------------------------- line mode


def type_topic(cms, topic: Topic) -> None:
    for line in topic.lines:
        cms.say(line)


# ---------------------------------------------------------------- full screen


@dataclass
class View:
    topic: Topic
    top: int = 0


class Panels:
    """The full-screen HELP session: a stack of panels on a rows x cols display."""

    def __init__(self, cms, rows: int, cols: int, first: Topic):
        self.cms, self.rows, self.cols = cms, rows, cols
        self.stack = [View(first)]
        self.message = ""
        #: Whether the last key needs the panel written again.  Not after PA1:
        #: CP gives the display to CP mode when a second PA1 comes before the
        #: guest writes again (VM/SP full screen mode), so HELP leaves the
        #: screen as it is and reads again.
        self.redraw = True

    @property
    def body_rows(self) -> int:
        return self.rows - 4

    @property
    def input_address(self) -> int:
        return (self.rows - 1) * self.cols + len(COMMAND_PROMPT) + 2

    # -- the screen
    def screen(self) -> bytes:
        """The 3270 Erase/Write of the top panel: title, text, message, PF
        keys and the command line (the only unprotected field)."""
        view = self.stack[-1]
        topic = view.topic
        last = min(view.top + self.body_rows, len(topic.lines))
        where = f"Line {view.top + 1} to {last} of {len(topic.lines)}" if topic.lines else ""
        # Erase/Write Alternate on a display larger than 24x80: Erase/Write
        # would put the 3270 back to its default 24x80 partition.
        erase = ds.CMD_EW if (self.rows, self.cols) == ds.DEFAULT_SIZE else ds.CMD_EWA
        out = bytearray([erase, ds.wcc(restore=True, reset_mdt=True)])
        out += self._row(0, topic.title.ljust(self.cols - 2 - len(where)) + where, bright=True)
        for i in range(self.body_rows):
            n = view.top + i
            out += self._row(1 + i, topic.lines[n] if n < len(topic.lines) else "")
        out += self._row(self.rows - 3, self.message, bright=True)
        keys = MENU_PF_LINE if topic.entries else PF_LINE
        out += self._row(self.rows - 2, keys)
        out += ds.order_sba((self.rows - 1) * self.cols) + ds.order_sf(ds.FA_PROTECTED)
        out += ds.to_ebcdic(COMMAND_PROMPT)
        out += ds.order_sf(0) + ds.ORDER_IC_BYTES
        return bytes(out)

    def _row(self, row: int, text: str, bright: bool = False) -> bytes:
        attr = ds.FA_PROTECTED | (ds.FA_INTENSIFIED if bright else 0)
        return (
            ds.order_sba(row * self.cols) + ds.order_sf(attr) + ds.to_ebcdic(text[: self.cols - 1])
        )

    # -- the keys
    def key(self, record: bytes) -> bool:
        """Act on one inbound record; False when HELP ends."""
        inbound = ds.parse_inbound(record)
        self.message = ""
        aid = inbound.aid
        if aid == ds.AID_PA[1]:
            self.redraw = False  # a second PA1 takes the display to CP
            return True
        self.redraw = True
        if aid == ds.AID_ENTER:
            self.enter(inbound)
        elif aid == ds.AID_PF[1]:
            self.open(["HELP"])
        elif aid == ds.AID_PF[2]:
            self.stack[-1].top = 0
        elif aid == ds.AID_PF[3]:
            self.stack.pop()
        elif aid == ds.AID_PF[4]:
            self.stack.clear()
        elif aid == ds.AID_PF[7]:
            self.page(-1)
        elif aid == ds.AID_PF[8]:
            self.page(1)
        elif aid in ds.AID_PF.values():
            self.message = f"{inbound.name} is not defined in HELP"
        return bool(self.stack)

    def enter(self, inbound: ds.Inbound) -> None:
        typed = " ".join(
            text
            for addr, text in ((a, ds.from_ebcdic(d).strip()) for a, d in inbound.fields)
            if text and addr >= (self.rows - 1) * self.cols
        )
        if typed:
            words = typed.upper().split()
            self.open(words[1:] if words[0] == "HELP" else words)
            return
        entry = self.entry_at(inbound.cursor)
        if entry is None:
            if self.stack[-1].topic.entries:
                self.message = "Place the cursor on a topic and press ENTER"
            return
        if entry.kind == MENU_KIND:
            self.open([entry.name.upper()])
        elif entry.kind == CP_KIND:
            self.open(["CP", entry.name.upper()])
        else:
            self.open(["CMS", entry.name.upper()])

    def entry_at(self, cursor: int | None) -> Entry | None:
        if cursor is None:
            return None
        view = self.stack[-1]
        row, column = divmod(cursor, self.cols)
        line = view.top + row - 1
        if not 1 <= row <= self.body_rows:
            return None
        return next(
            (e for e in view.topic.entries if e.line == line and e.start <= column - 1 <= e.end),
            None,
        )

    def open(self, words: list[str]) -> None:
        try:
            self.stack.append(View(find_topic(self.cms, words)))
        except CMSError as err:
            self.message = err.message("HLP")

    def page(self, direction: int) -> None:
        """PF7/PF8: a whole panel of lines back or on (the last page may be
        short); at either end the panel stays and says so."""
        view = self.stack[-1]
        if direction < 0 and view.top == 0:
            self.message = "Top of file reached"
        elif direction > 0 and view.top + self.body_rows >= len(view.topic.lines):
            self.message = "Bottom of file reached"
        else:
            view.top = max(view.top + direction * self.body_rows, 0)


async def fullscreen_session(cms, rows: int, cols: int, topic: Topic) -> None:
    panels = Panels(cms, rows, cols, topic)
    services = cms.services
    try:
        while True:
            if panels.redraw:
                services.fullscreen_write(panels.screen())
            cms.load_psw(CONSOLE_WAIT_PSW)
            try:
                record = await cms.console_wait(services.fullscreen_read())
            finally:
                cms.load_psw(NUCLEUS_PSW)
            if not panels.key(record):
                return
    finally:
        services.fullscreen_write(b"")  # the screen goes back to CP's console layout


# ---------------------------------------------------------------- the command


async def help_(cms, call) -> int:
    topic = find_topic(cms, call.args)
    size = cms.services.fullscreen_size()
    if size is None or cms.job is not None:
        type_topic(cms, topic)
        return 0
    rows, cols = size
    await fullscreen_session(cms, rows, cols, topic)
    return 0


COMMANDS = [Command("HELP", 4, "HLP", help_, "[MENUS | CMS | CP] [name] | CP name")]
