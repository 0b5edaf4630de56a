"""The XEDIT editor: the ring of files, the command loop, full screen or line mode.

On a 3270 (``services.fullscreen_size()`` gives its size) the screen of
cms.xedit.screen is written and read through CP's full-screen interface;
on a line terminal XEDIT works as z/VM's XEDIT does on a typewriter
terminal: it types the current line (VERIFY) and reads subcommands.

Each ENTER is taken in XEDIT's order (z/VM XEDIT User's Guide, "Entering
commands"): the changes typed in the data area first, then the prefix
commands, then the command line (a PF key's command before it).
"""

from __future__ import annotations

from cms.errors import CMSError
from cms.fullscreen import FullScreen
from cms.xedit import commands
from cms.xedit.file import XFile
from cms.xedit.macros import find_macro, run_macro
from cms.xedit.screen import build, take_reply

#: z/VM's default PF keys (XEDIT User's Guide, "PF key settings").
DEFAULT_PF = {
    1: "HELP XEDIT",
    2: "SOS LINEADD",
    3: "QUIT",
    4: "TAB",
    5: "SCHANGE 6",
    6: "?",
    7: "BACKWARD",
    8: "FORWARD",
    9: "=",
    10: "RGTLEFT",
    11: "SPLTJOIN",
    12: "?",
}


class Editor:
    """One XEDIT session: a ring of files and how the user talks to it."""

    def __init__(self, cms, fullscreen=None):
        self.cms = cms
        self.ring: list[XFile] = []
        self.index = 0
        self.screen = fullscreen  # cms.fullscreen.FullScreen or None (line mode)
        self.messages: list[str] = []
        self.last_command = ""  # for =
        self.history: list[str] = []  # for ?
        self.keep: str | None = None  # & keeps a command on the command line
        self.pf = dict(DEFAULT_PF)
        self.subcommands = list(commands.TABLE)  # (name, abbreviation, handler)
        self.interp = None  # the REXX interpreter of a running macro
        self.cursor: tuple | None = None  # where the cursor goes next (field key, offset)
        self.reply = None  # the last screen reply (cursor for SPLIT/JOIN)
        self.input_mode = False
        self.shift = 0  # RGTLEFT: columns scrolled right
        self.quit_asked: XFile | None = None
        self.noprofile = False  # XEDIT ... (NOPROFILE
        self.prefix_shown: dict = {}  # what each prefix area showed (screen)
        self.data_shown: dict = {}
        self.rc = 0
        self.command_line = ""  # what the command line held at this ENTER or PF key
        self.schange_state: tuple | None = None  # (CHANGE, line id, column) SCHANGE located

    # -- the ring -------------------------------------------------------------------
    @property
    def file(self) -> XFile:
        return self.ring[self.index]

    def open(
        self, fn: str, ft: str, fm: str, *, lines: list[str] | None = None, profile: bool = True
    ) -> XFile:
        """Make ``fn ft fm`` current: from the ring when it is there, else
        read from disk (or a new file: "New file" on the message line)."""
        for i, f in enumerate(self.ring):
            if (f.fn, f.ft) == (fn, ft) and f.fm[0] == fm[0]:
                self.index = i
                return f
        xfile = self._load(fn, ft, fm) if lines is None else XFile(fn, ft, fm, lines)
        self.ring.insert(self.index + 1 if self.ring else 0, xfile)
        self.index = self.ring.index(xfile)
        if xfile.new:
            self.msg("DMSXIN561I New file")
        if profile:
            self.run_profile()
        return xfile

    def _load(self, fn: str, ft: str, fm: str) -> XFile:
        letter = fm[0]
        number = int(fm[1]) if len(fm) > 1 and fm[1].isdigit() else 1
        found = self.cms.disks.find(fn, ft, letter if letter != "*" else "*")
        if found:
            f = found[0]
            records = f.acc.disk.read_file(f.fst.fn, f.fst.ft)
            return XFile.from_records(
                fn,
                ft,
                f"{f.acc.mode}{f.fst.mode_number}",
                records,
                f.fst.recfm,
                f.fst.lrecl,
                f.fst.mode_number,
            )
        if letter == "*":
            letter = "A"
        self.cms.disks.get(letter)  # DMS069E when the disk is not accessed
        return XFile(
            fn, ft, f"{letter}{number}", [], "F" if ft != "SCRIPT" else "V", 80, number, new=True
        )

    def drop(self, xfile: XFile) -> None:
        """The file leaves the ring (QUIT, FILE); the next one is current."""
        i = self.ring.index(xfile)
        del self.ring[i]
        self.index = i % len(self.ring) if self.ring else 0

    def save(self, xfile: XFile, fileid: tuple[str, str, str] | None = None) -> None:
        """Write the file (SAVE, FILE).  CMS writes the new file first and
        replaces the old one when it is complete (cms.fs commits), so a
        failure midway leaves the old file as it was."""
        fn, ft, fm = fileid or (xfile.fn, xfile.ft, xfile.fm)
        if getattr(xfile, "read_only", False) or hasattr(xfile, "take_commands"):
            raise CMSError(38, "E", 12, f"File {xfile.fileid} is read-only; not written")
        if not xfile.lines:
            raise CMSError(561, "E", 6, "No lines to be saved; file not written")
        acc = self.cms.disks.writable(fm[0])
        number = int(fm[1]) if len(fm) > 1 and fm[1].isdigit() else xfile.mode_number
        acc.disk.write_file(
            fn,
            ft,
            xfile.records(),
            xfile.recfm,
            xfile.lrecl if xfile.recfm == "F" else None,
            number,
        )
        if fileid is None:
            xfile.changed, xfile.alt, xfile.new = False, 0, False

    # -- messages -------------------------------------------------------------------
    def msg(self, text: str) -> None:
        """A message for the user: the message lines of the screen, or the
        terminal in line mode."""
        if (
            self.ring
            and not self.file.settings.msgmode
            and len(text) > 9
            and text.startswith("DMS")
            and text[9] == "I"
        ):
            return  # SET MSGMODE OFF: no informational messages
        if self.screen is not None:
            self.messages.append(text)
        else:
            self.cms.services.write_line(text)

    def error(self, err: CMSError) -> int:
        self.msg(err.message("XED"))
        return err.rc

    # -- commands -------------------------------------------------------------------
    def execute(self, line: str, *, typed: bool = False) -> int:
        """One command line (several with SET LINEND); its return code."""
        linend = self.ring[self.index].settings.linend if self.ring else None
        parts = line.split(linend) if linend else [line]
        rc = 0
        for part in parts:
            rc = self.execute_one(part, typed=typed)
        return rc

    def execute_one(self, line: str, *, typed: bool = False) -> int:
        text = line.strip()
        if not text or not self.ring:  # (a macro after its file was QUIT)
            return 0
        if typed and text.startswith("&"):
            self.keep = text  # & : the command stays on the command line
            text = text[1:].strip()
        if text == "=":
            text = self.last_command
            if not text:
                return 0
        elif text == "?":
            if self.history:
                self.keep = self.history[-1]
                if self.screen is None:
                    self.msg(self.keep)  # line mode: the command is typed back
            return 0
        elif typed:
            self.last_command = text
            self.history.append(text)
            del self.history[:-20]
        self.cms.checkpoint()
        try:
            self.rc = commands.run(self, text)
        except CMSError as err:
            self.rc = self.error(err)
        if self.say_truncated() and self.rc == 0:
            self.rc = 3
        return self.rc

    def say_truncated(self) -> bool:
        """ "Truncated" (rc 3) once for the text a command or the screen cut
        at the truncation column (z/VM XEDIT, SET TRUNC); True when it was."""
        cut = [f for f in self.ring if f.truncated]
        for f in cut:
            f.truncated = False
        if cut:
            self.error(CMSError(556, "E", 3, "Truncated"))
        return bool(cut)

    def run_profile(self) -> None:
        """PROFILE XEDIT (any accessed disk) runs as a macro for each file
        XEDIT reads, unless the file came with NOPROFILE."""
        if find_macro(self.cms, "PROFILE") is not None and not self.noprofile:
            run_macro(self, "PROFILE", "")

    # -- the loop -------------------------------------------------------------------
    def run(self) -> int:
        """Until the last file leaves the ring (QUIT, FILE)."""
        while self.ring:
            if self.screen is not None:
                self.screen_turn()
            else:
                self.line_turn()
        return self.rc

    def screen_turn(self) -> None:
        layout = build(self)
        self.messages = []
        self.screen.show(layout)
        reply = self.screen.read()
        self.reply = reply
        take_reply(self, reply)

    def line_turn(self) -> None:
        line = self.cms.services.wait_for(self.cms.read_line())
        if self.input_mode:
            if not line:
                self.input_mode = False
                return
            self.file.insert(
                self.file.current,
                [line if self.file.settings.case == "M" else line.upper()],
                typed=True,
            )
            self.file.current += 1
            self.say_truncated()
            return
        self.execute(line, typed=True)
        if self.ring and not self.input_mode:
            commands.verify(self)


def start_editor(cms) -> Editor:
    """An Editor on the display CMS has: full screen on a 3270."""
    screen = FullScreen(cms)
    return Editor(cms, screen if screen.size() else None)


def run_editor(ed: Editor, first) -> int:
    """Open the first file and run the loop, the display held meanwhile."""
    if ed.screen is None:
        first()
        commands.verify(ed)
        return ed.run()
    with ed.screen:
        first()
        return ed.run()
