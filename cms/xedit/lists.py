"""FILELIST, RDRLIST and PEEK: XEDIT sessions on lists (as z/VM builds them).

The list is a file of the XEDIT ring (``userid FILELIST A0``, ``userid
RDRLIST A0``); a command typed over the start of a line runs for that
line's file: ``/`` in it stands for the file (fn ft fm for FILELIST, the
spoolid for RDRLIST), and a command without ``/`` gets it appended (CP's
reader commands PURGE, ORDER, CHANGE get ``RDR spoolid`` after the verb).
The line is marked ``*`` (or the return code) and the list is read again.
XEDIT typed on a line brings that file into the ring; QUIT (PF3) on it
comes back to the list.  PF keys (the list's own): PF2 refresh, PF3 quit,
PF4-6 and PF10-11 sort, PF7/PF8 page, PF9 (RDRLIST) PEEK.
PEEK is a read-only XEDIT view of a reader file (services.read_spool_file:
the file stays in the reader as it is).
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from cms.diskdump import undump_cards
from cms.errors import CMSError
from cms.xedit.editor import run_editor, start_editor
from cms.xedit.file import XFile
from cms.xedit.host import run_cms
from cms.xedit.screen import cursor_column
from s390.ebcdic import from_ebcdic

FILELIST_HEADER = "Cmd   Filename Filetype Fm Format Lrecl    Records     Blocks   Date     Time"
RDRLIST_HEADER = "Cmd   Filename Filetype Class User     Hold Records Date  Time     Type Spoolid"
CMD_WIDTH = 6


class ListFile(XFile):
    """A list in the ring: each line stands for one item (``items``)."""

    kind = "LIST"

    def __init__(self, ed, fn: str, ft: str, header: str, pf_lines: list[str], pf: dict):
        super().__init__(fn, ft, "A0", [], "V", 255)
        self.ed = ed
        self.items: list = []
        self.top_lines = [header]
        self.bottom_lines = pf_lines
        self.pf = pf
        self.sort_key = None
        self.last_command = ""
        s = self.settings
        s.prefix, s.scale, s.curline = "OFF", False, "4"
        self.refresh()

    def refresh(self) -> None:
        self.items = self.collect()
        if self.sort_key is not None:
            self.items.sort(key=self.sort_key)
        self.lines = [" " * CMD_WIDTH + self.describe(item) for item in self.items]
        self.line_ids = list(range(len(self.lines)))
        self._next_id = len(self.lines)
        self.hidden.clear()
        self.current = min(max(self.current, 1), self.size) if self.lines else 0
        self.changed = False
        self.alt = 0

    def take_commands(self, ed, changes: dict[int, str]) -> None:
        """Lines the user typed over: run each one's command, then refresh."""
        done = []
        for n in sorted(changes):
            if not 1 <= n <= self.size:
                continue
            command = typed_command(self.lines[n - 1], changes[n])
            if command == "=":
                command = self.last_command  # = : the command of the line before
            if command:
                self.last_command = command
                item = self.items[n - 1]
                done.append((self.identity(item), self.run_for(ed, item, command)))
                ed.cms.checkpoint()
        if done:
            current = self.current
            self.refresh()
            self.current = min(current, self.size)
            where = {self.identity(item): n for n, item in enumerate(self.items, 1)}
            for identity, rc in done:
                n = where.get(identity)
                if n is not None:  # (an ERASEd file, a RECEIVEd reader file: gone)
                    mark = "*" if rc == 0 else str(rc)
                    self.lines[n - 1] = mark.ljust(CMD_WIDTH) + self.lines[n - 1][CMD_WIDTH:]

    def run_for(self, ed, item, command: str) -> int:
        text = self.substitute(command, item)
        word = text.split()[0].upper()
        if word in ("X", "XE", "XED", "XEDI", "XEDIT") and self.ft == "FILELIST":
            fn, ft, fm = item[:3]
            ed.open(fn, ft, fm)
            return 0
        if word in ("PEEK", "PEE") and self.ft == "RDRLIST":
            return peek_file(ed.cms, ed, item)
        return run_cms(ed, text)


def typed_command(original: str, typed: str) -> str:
    """The command typed over a list line: what differs from the line as
    it was (the text after it, the rest of the line, dropped)."""
    typed = typed.rstrip()
    same = 0
    while same < len(typed) and same < len(original) and typed[-1 - same] == original[-1 - same]:
        same += 1
    head = typed[: len(typed) - same] if same else typed
    return head.strip()


class FileList(ListFile):
    def __init__(self, ed, pattern):
        self.pattern = pattern
        pf = {
            1: "HELP FILELIST",
            2: "REFRESH",
            3: "QUIT",
            4: "SORTLIST TYPE",
            5: "SORTLIST DATE",
            6: "SORTLIST SIZE",
            7: "BACKWARD",
            8: "FORWARD",
            10: "SORTLIST NAME",
            11: "SORTLIST MODE",
            12: "CURSOR HOME",
        }
        pf_lines = [
            "1= Help     2= Refresh  3= Quit     4= Sort(type) 5= Sort(date) 6= Sort(size)",
            "7= Backward 8= Forward  9=        10= Sort(name) 11= Sort(mode) 12= Cursor",
        ]
        super().__init__(ed, ed.cms.services.userid[:8], "FILELIST", FILELIST_HEADER, pf_lines, pf)

    def collect(self) -> list:
        fn, ft, fm = self.pattern
        items = []
        for found in self.ed.cms.disks.find(fn, ft, fm):
            fst = found.fst
            items.append(
                (
                    fst.fn,
                    fst.ft,
                    f"{found.acc.mode}{fst.mode_number}",
                    fst.recfm,
                    fst.lrecl,
                    fst.records,
                    fst.blocks,
                    fst.date,
                )
            )
        return items

    @staticmethod
    def identity(item):
        return item[:3]

    @staticmethod
    def describe(item) -> str:
        fn, ft, fm, recfm, lrecl, records, blocks, date = item
        return (
            f"{fn:<8} {ft:<8} {fm:<2} {recfm:<6} {lrecl:>5} {records:>10} {blocks:>10} "
            f"{date.month:>2}/{date.day:02d}/{date.year % 100:02d} {date:%H:%M:%S}"
        )

    def substitute(self, command: str, item) -> str:
        fn, ft, fm = item[:3]
        if "/" not in command:
            return f"{command} {fn} {ft} {fm}"
        return (
            command.replace("/n", fn)
            .replace("/N", fn)
            .replace("/t", ft)
            .replace("/T", ft)
            .replace("/m", fm)
            .replace("/M", fm)
            .replace("/", f"{fn} {ft} {fm}")
        )

    SORTS: ClassVar[dict] = {
        "NAME": lambda i: (i[0], i[1]),
        "TYPE": lambda i: (i[1], i[0]),
        "MODE": lambda i: (i[2], i[0], i[1]),
        "DATE": lambda i: i[7],
        "SIZE": lambda i: (-i[6], -i[5]),
    }


class RdrList(ListFile):
    def __init__(self, ed):
        pf = {
            1: "HELP RDRLIST",
            2: "REFRESH",
            3: "QUIT",
            4: "SORTLIST TYPE",
            5: "SORTLIST DATE",
            6: "SORTLIST USER",
            7: "BACKWARD",
            8: "FORWARD",
            9: "PEEKLINE",
            10: "SORTLIST NAME",
            11: "SORTLIST CLASS",
            12: "CURSOR HOME",
        }
        pf_lines = [
            "1= Help     2= Refresh  3= Quit     4= Sort(type) 5= Sort(date) 6= Sort(user)",
            "7= Backward 8= Forward  9= Peek   10= Sort(name) 11= Sort(class) 12= Cursor",
        ]
        super().__init__(ed, ed.cms.services.userid[:8], "RDRLIST", RDRLIST_HEADER, pf_lines, pf)

    def collect(self) -> list:
        return list(self.ed.cms.services.reader_files())

    @staticmethod
    def identity(sf):
        return sf.spoolid

    @staticmethod
    def describe(sf) -> str:
        when = datetime.datetime.fromtimestamp(getattr(sf, "created", 0) or 0)
        hold = "HOLD" if sf.held else "NONE"
        return (
            f"{(sf.name or '')[:8]:<8} {(sf.ftype or '')[:8]:<8} {sf.cls:<5} {sf.origin:<8} "
            f"{hold:<4} {sf.records:>7} {when:%m/%d} {when:%H:%M:%S} {sf.type:<4} "
            f"{sf.spoolid:04d}"
        )

    def substitute(self, command: str, sf) -> str:
        spoolid = f"{sf.spoolid:04d}"
        if "/" in command:
            return command.replace("/", spoolid)
        verb, _, rest = command.partition(" ")
        if verb.upper() in (
            "PURGE",
            "PUR",
            "ORDER",
            "ORD",
            "CHANGE",
            "CH",
            "CHA",
            "HOLD",
            "FREE",
            "TRANSFER",
            "TRANS",
        ):
            return f"{verb} RDR {spoolid} {rest}".rstrip()
        return f"{command} {spoolid}"

    SORTS: ClassVar[dict] = {
        "NAME": lambda s: (s.name, s.ftype),
        "TYPE": lambda s: (s.ftype, s.name),
        "USER": lambda s: s.origin,
        "CLASS": lambda s: s.cls,
        "DATE": lambda s: getattr(s, "created", 0),
    }


def sortlist(ed, ops: str) -> int:
    f = ed.file
    sorts = getattr(f, "SORTS", None)
    if sorts is None or ops.strip().upper() not in sorts:
        raise CMSError(2, "E", 5, f"Invalid operand: {ops.strip()}")
    f.sort_key = sorts[ops.strip().upper()]
    f.refresh()
    f.current = 1 if f.size else 0
    return 0


def refresh(ed, ops: str) -> int:
    f = ed.file
    if isinstance(f, ListFile):
        f.refresh()
    return 0


def peekline(ed, ops: str) -> int:
    """PF9 in RDRLIST: PEEK the file the cursor (or the current line) is on."""
    f = ed.file
    where = cursor_column(ed)
    n = where[0] if where else f.current
    if isinstance(f, RdrList) and 1 <= n <= f.size:
        return peek_file(ed.cms, ed, f.items[n - 1])
    return 0


def peek_file(cms, ed, sf) -> int:
    """PEEK as an XEDIT file of the ring: the records, read-only (FILE and
    SAVE are refused), the reader file left as it is."""
    cards = cms.services.read_spool_file(sf.spoolid)
    dumped = undump_cards(cards)
    records = dumped[1] if dumped else cards
    name = (sf.name or "NONAME")[:8]
    lines = [from_ebcdic(r).rstrip() for r in records]
    view = XFile(name, (sf.ftype or "PEEK")[:8], "A0", lines, "F", 80)
    view.read_only = True
    ed.ring.insert(ed.index + 1, view)
    ed.index += 1
    return 0


#: The subcommands of a list session, in front of XEDIT's own (Editor.subcommands):
#: REFRESH reads the list again, SORTLIST and PEEKLINE are its PF keys' commands.
LIST_SUBCOMMANDS = (("REFRESH", 3, refresh), ("SORTLIST", 8, sortlist), ("PEEKLINE", 8, peekline))


def _list_editor(cms):
    """An editor for a list session: XEDIT's subcommands and the list's."""
    ed = start_editor(cms)
    ed.subcommands[:0] = LIST_SUBCOMMANDS
    return ed


def filelist(cms, call) -> int:
    args = list(call.args) + ["*", "*", "A"][len(call.args) :]
    ed = _list_editor(cms)
    if ed.screen is None:
        raise CMSError(1, "E", 40, "FILELIST requires a display terminal")

    def first():
        ed.ring.append(FileList(ed, tuple(a.upper() for a in args[:3])))
        ed.index = 0
        if not ed.file.size:
            ed.ring.clear()
            raise CMSError(2, "E", 28, f"File '{' '.join(args[:3])}' not found")

    return run_editor(ed, first)


def rdrlist(cms, call) -> int:
    ed = _list_editor(cms)
    if ed.screen is None:
        raise CMSError(1, "E", 40, "RDRLIST requires a display terminal")

    def first():
        ed.ring.append(RdrList(ed))
        ed.index = 0
        if not ed.file.size:
            ed.ring.clear()
            raise CMSError(2, "E", 28, "No files in your reader")

    return run_editor(ed, first)


def peek_screen(cms, sf) -> int:
    """PEEK on a 3270: the reader file in a read-only XEDIT."""
    ed = _list_editor(cms)

    def first():
        peek_file(cms, ed, sf)
        ed.index = 0

    return run_editor(ed, first)
