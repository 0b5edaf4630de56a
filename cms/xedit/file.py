"""One file in XEDIT's ring: its lines, the current line, its settings.

Lines are kept as text in the file's own code page (cp037 decodes every
EBCDIC byte to one character and back), so any RECFM F or V file, binary
bytes included, is written back byte for byte unless it was edited.
Line 0 is the Top of File line, ``size + 1`` the End of File line
(z/VM XEDIT User's Guide, "The current line").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from s390.ebcdic import from_ebcdic, to_ebcdic

#: The LRECL XEDIT gives a RECFM V file (its lines may grow to it).
V_LRECL = 255


@dataclass
class Settings:
    """The SET options of one file (z/VM XEDIT Command Reference, SET)."""

    case: str = "M"  # M mixed (as typed) or U upper case
    case_respect: bool = True  # CASE M R: targets respect case (I: ignore)
    zone: tuple[int, int] = (1, 0)  # 0 = the truncation column
    trunc: int = 0  # 0 = LRECL
    verify: tuple[int, int] = (1, 0)  # columns shown; 0 = as many as fit
    number: bool = False
    prefix: str = "LEFT"  # LEFT, RIGHT or OFF
    scale: bool = True
    curline: str = "M"  # M (middle of the data area) or a row number
    tabs: list[int] = field(default_factory=lambda: [1, 10, 20, 30, 40, 50, 60, 70])
    hex: bool = False
    wrap: bool = False
    stay: bool = False
    msgmode: bool = True
    linend: str | None = None  # SET LINEND ON char (None: OFF)
    serial: str | None = None
    nulls: bool = False
    pf: dict[int, str] = field(default_factory=dict)


class XFile:
    """A file in the ring."""

    def __init__(
        self,
        fn: str,
        ft: str,
        fm: str,
        lines: list[str],
        recfm: str = "V",
        lrecl: int = 80,
        mode_number: int = 1,
        new: bool = False,
    ):
        self.fn, self.ft, self.fm = fn, ft, fm
        self.lines = lines
        self.hidden: set[int] = set()  # ids of excluded line objects (x/xx)
        self.recfm, self.lrecl, self.mode_number = recfm, lrecl, mode_number
        self.new = new
        self.current = 1 if lines else 0
        self.column = 1
        self.alt = 0  # changes since the last SAVE
        self.changed = False
        self.settings = Settings()
        self.pending: list[tuple[int, str]] = []  # (line id, prefix text) waiting for its pair
        self.line_ids: list[int] = list(range(len(lines)))
        self._next_id = len(lines)
        self.truncated = False  # text was cut at TRUNC/LRECL since the editor last said so

    # -- identity -----------------------------------------------------------
    @property
    def fileid(self) -> str:
        return f"{self.fn} {self.ft} {self.fm}"

    @property
    def size(self) -> int:
        return len(self.lines)

    @property
    def trunc(self) -> int:
        """The truncation column (SET TRUNC; ``*`` the record length)."""
        return min(self.settings.trunc or self.lrecl, self.lrecl)

    @property
    def zone(self) -> tuple[int, int]:
        """The columns string targets and CHANGE look at (SET ZONE): never
        past the truncation column."""
        first, last = self.settings.zone
        last = min(last or self.trunc, self.trunc)
        return min(first, last), last

    # -- editing (every change goes through these, so ALT and ids stay right) --
    def _new_ids(self, count: int) -> list[int]:
        ids = list(range(self._next_id, self._next_id + count))
        self._next_id += count
        return ids

    def changed_once(self, count: int = 1) -> None:
        self.changed = True
        self.alt += count

    def _cut(self, text: str, column: int) -> str:
        """``text`` up to ``column``; non-blank characters past it are lost
        and noted (the editor says "Truncated")."""
        if text[column:].strip(" "):
            self.truncated = True
        text = text[:column]
        return text.rstrip(" ") if self.recfm == "V" else text

    def fit(self, text: str) -> str:
        """A line as the file can hold it: cut at the record length."""
        return self._cut(text, self.lrecl)

    def typed(self, text: str) -> str:
        """A line the user typed in (INPUT, input mode, REPLACE): what goes
        past the truncation column is truncated (z/VM XEDIT, SET TRUNC)."""
        return self._cut(text, self.trunc)

    def insert(self, after: int, texts: list[str], *, typed: bool = False) -> None:
        """Lines after line ``after`` (0: before the first); ``typed`` lines
        are cut at the truncation column, others at the record length."""
        at = min(max(after, 0), self.size)
        self.lines[at:at] = [self.typed(t) if typed else self.fit(t) for t in texts]
        self.line_ids[at:at] = self._new_ids(len(texts))
        self.changed_once()

    def replace(self, number: int, text: str) -> None:
        if not 1 <= number <= self.size:
            return
        text = self.fit(text)
        if self.lines[number - 1] != text:
            self.lines[number - 1] = text
            self.changed_once()

    def replace_inside(self, number: int, inside: str) -> None:
        """Columns 1 to the truncation column of a line become ``inside``
        (CHANGE, typing over the data area); what it holds past the
        truncation column is truncated, and the columns after it stay as
        they were (z/VM XEDIT: subcommands act up to the truncation column)."""
        beyond = self.line(number)[self.trunc :]
        inside = self._cut(inside, self.trunc)
        self.replace(number, inside.ljust(self.trunc) + beyond if beyond else inside)

    def type_over(self, number: int, text: str) -> None:
        """A line as typed over on the screen: columns past the truncation
        column cannot change (what was typed there is truncated)."""
        old_beyond = self.line(number)[self.trunc :]
        if text[self.trunc :].rstrip(" ") != old_beyond.rstrip(" "):
            self.truncated = True
        inside = text[: self.trunc]
        self.replace(number, inside.ljust(self.trunc) + old_beyond if old_beyond else inside)

    def delete(self, first: int, count: int) -> list[str]:
        first = max(first, 1)
        gone = self.lines[first - 1 : first - 1 + count]
        for i in self.line_ids[first - 1 : first - 1 + count]:
            self.hidden.discard(i)
        del self.lines[first - 1 : first - 1 + count]
        del self.line_ids[first - 1 : first - 1 + count]
        if gone:
            self.changed_once()
        return gone

    def is_hidden(self, number: int) -> bool:
        return 1 <= number <= self.size and self.line_ids[number - 1] in self.hidden

    def set_hidden(self, number: int, hidden: bool) -> None:
        if 1 <= number <= self.size:
            (self.hidden.add if hidden else self.hidden.discard)(self.line_ids[number - 1])

    def number_of_id(self, line_id: int) -> int | None:
        try:
            return self.line_ids.index(line_id) + 1
        except ValueError:
            return None

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= self.size else ""

    # -- the records on disk ------------------------------------------------------
    @classmethod
    def from_records(
        cls, fn, ft, fm, records: list[bytes], recfm: str, lrecl: int, mode_number: int
    ) -> XFile:
        lines = [from_ebcdic(r) for r in records]
        if recfm == "F":
            lines = [x.rstrip(" ") for x in lines]
        else:
            # A V file's FST holds its longest record; XEDIT lets its lines
            # grow to 255 (z/VM's default LRECL for a V file) or that length.
            lrecl = max(lrecl, V_LRECL)
        return cls(fn, ft, fm, lines, recfm, lrecl, mode_number)

    def records(self) -> list[bytes]:
        """The lines as the file's records: RECFM F padded with blanks to
        LRECL, RECFM V without trailing blanks, as XEDIT writes them (at
        least one byte: CMS has no empty record)."""
        lines = self.serialized() if self.settings.serial else self.lines
        if self.recfm == "F":
            return [to_ebcdic(x[: self.lrecl].ljust(self.lrecl)) for x in lines]
        return [to_ebcdic(x[: self.lrecl].rstrip(" ") or " ") for x in lines]

    def serialized(self) -> list[str]:
        """SET SERIAL: columns 73-80 of each line get the serial id and a
        sequence number (by 10, from 10), as XEDIT writes them on FILE."""
        ident = self.settings.serial.upper()
        ident = (self.fn[:3] if ident == "ON" else ident)[:4]
        digits = 8 - len(ident)
        return [
            x[:72].ljust(72) + f"{ident}{(n + 1) * 10:0{digits}d}"[-8:]
            for n, x in enumerate(self.lines)
        ]
