"""EDIT: the CMS line-mode context editor (VM/370 CMS EDIT, a useful subset).

``EDIT fn ft [fm]`` reads the file into storage (``NEW FILE:`` when it does
not exist) and prompts ``EDIT:`` for subcommands.  A current-line pointer
moves through the file; ``TOF:`` and ``EOF:`` are shown when it passes the
top or the end.  Subcommands (minimum abbreviation in capitals):

    Input [line]         insert after the current line; without a line:
                         input mode (``INPUT:``), a null line ends it
    Replace [line]       replace the current line
    TOP / Bottom         to the top of file / to the last line
    Next [n] / Up [n]    down / up n lines (default 1)
    Locate /s/  or /s/   down to the next line containing s
    Change /a/b/ [n|*] [G]  change a to b in n lines (G: every occurrence)
    DELete [n|*]         delete n lines from the current one
    Type [n|*]           type n lines from the current one (at the top of
                         file the null line ``TOF:`` is the first of them;
                         passing the last line shows ``EOF:``)
    Find [text]          down to the next line that begins with text (a
                         blank in text matches any character)
    GETfile fn [ft [fm [first [count]]]]
                         insert records of a file after the current line
                         (ft: the edited file's; fm: *; from record first,
                         count records or to the end); the last one inserted
                         becomes the current line
    = / REUSE            do the last subcommand again
    ?                    show the last subcommand
    CMS [command]        one CMS command, or the CMS subset (``CMS SUBSET``)
                         until RETURN; the file stays in storage
    CASE U|M             input translated to upper case (U) or kept (M);
                         with U the text LOCATE, FIND and CHANGE look for
                         (and CHANGE puts in) is translated too
    SAVE [fn [ft [fm]]]  write the file, stay in EDIT
    FILE [fn [ft [fm]]]  write the file and leave
    QUIT                 leave without writing

A subcommand EDIT does not know is answered ``?EDIT: subcommand``.  New
files are RECFM F, LRECL 80; an existing file keeps its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.commands import Command
from cms.commands.files import fileid_args
from cms.disks import split_mode
from cms.errors import CMSError, no_fileid
from cms.fs import check_name, not_found
from cp.abbrev import full_name
from s390.ebcdic import from_ebcdic, to_ebcdic


@dataclass
class Buffer:
    fn: str
    ft: str
    fm: str
    lines: list[str] = field(default_factory=list)
    recfm: str = "F"
    lrecl: int = 80
    mode_number: int = 1
    current: int = 0  # 0 = top of file; 1..n = a line; n+1 = end of file
    upper: bool = True
    changed: bool = False
    last: str = ""  # the last subcommand (= repeats it, ? shows it)

    def line(self) -> str | None:
        return self.lines[self.current - 1] if 1 <= self.current <= len(self.lines) else None


def count_operand(words: list[str], buffer: Buffer) -> int:
    """n, * (to the end) or 1 when omitted."""
    if not words:
        return 1
    if words[0] == "*":
        return max(len(buffer.lines) - buffer.current + 1, 1)
    if not words[0].isdigit():
        raise ValueError(words[0])
    return int(words[0])


def show_position(cms, buffer: Buffer) -> None:
    if buffer.current <= 0:
        cms.say("TOF:")
    elif buffer.current > len(buffer.lines):
        cms.say("EOF:")
    else:
        cms.say(buffer.line())


def delimited(text: str) -> list[str] | None:
    """'/a/b/ rest' -> ['a', 'b', ' rest']: fields between the first character."""
    text = text.lstrip()
    if not text:
        return None
    return text[1:].split(text[0])


# ---------------------------------------------------------------- subcommands


def move(cms, buffer: Buffer, delta: int) -> None:
    buffer.current = min(max(buffer.current + delta, 0), len(buffer.lines) + 1)
    show_position(cms, buffer)


def locate(cms, buffer: Buffer, target: str) -> None:
    for n in range(buffer.current + 1, len(buffer.lines) + 1):
        if target in buffer.lines[n - 1]:
            buffer.current = n
            cms.say(buffer.line())
            return
    buffer.current = len(buffer.lines) + 1
    cms.say("NOT FOUND")
    cms.say("EOF:")


def change(cms, buffer: Buffer, operand: str) -> None:
    fields = delimited(operand)
    if fields is None or len(fields) < 2:
        cms.say(f"?EDIT: CHANGE {operand}")
        return
    old, new = fields[0], fields[1]
    rest = (fields[2] if len(fields) > 2 else "").upper().split()
    # CHANGE /old/new/ [n|*] [G|*]: n lines (* to the end of the file); G,
    # or * as the second operand, changes every occurrence in a line.
    every = "G" in rest or rest[1:2] == ["*"]
    rest = [w for w in rest if w != "G"][:1]
    if buffer.current <= 0 and rest and buffer.lines:
        buffer.current = 1  # from the top: the first line on
    if buffer.line() is None:
        show_position(cms, buffer)
        return
    count = count_operand(rest, buffer)
    found = False
    for n in range(buffer.current, min(buffer.current + count, len(buffer.lines) + 1)):
        text = buffer.lines[n - 1]
        if old in text or old == "":
            buffer.lines[n - 1] = (
                text.replace(old, new)
                if every and old
                else new + text
                if old == ""
                else text.replace(old, new, 1)
            )
            buffer.changed = found = True
            cms.say(buffer.lines[n - 1])
        buffer.current = n
    if not found:
        cms.say("NOT FOUND")


def insert(buffer: Buffer, text: str) -> None:
    buffer.lines.insert(buffer.current, text.upper() if buffer.upper else text)
    buffer.current += 1
    buffer.changed = True


async def input_mode(cms, buffer: Buffer) -> None:
    cms.say("INPUT:")
    while True:
        line = await cms.read_line()
        if line == "":
            cms.say("EDIT:")
            return
        insert(buffer, line)


def delete(cms, buffer: Buffer, words: list[str]) -> None:
    if buffer.line() is None:
        show_position(cms, buffer)
        return
    count = count_operand(words, buffer)
    del buffer.lines[buffer.current - 1 : buffer.current - 1 + count]
    buffer.changed = True
    buffer.current -= 1
    if buffer.current > len(buffer.lines):
        buffer.current = len(buffer.lines) + 1
    show_position(cms, buffer)


def type_lines(cms, buffer: Buffer, words: list[str]) -> None:
    """TYPE n: n lines from the current one, which may be the null line at
    the top of the file (shown ``TOF:``); the last line typed becomes the
    current line, and running off the end shows ``EOF:`` (CMS EDIT, TYPE)."""
    if buffer.current > len(buffer.lines):
        show_position(cms, buffer)
        return
    if words[:1] == ["*"]:
        count = len(buffer.lines) - buffer.current + 2  # through the end of file
    else:
        count = count_operand(words, buffer)
    if count < 1:
        raise ValueError(words[0])
    last = buffer.current + count - 1
    for n in range(buffer.current, min(last, len(buffer.lines)) + 1):
        cms.say("TOF:" if n == 0 else buffer.lines[n - 1])
    buffer.current = min(last, len(buffer.lines) + 1)
    if buffer.current > len(buffer.lines):
        cms.say("EOF:")


def find(cms, buffer: Buffer, text: str) -> None:
    """FIND text: down to the next line that begins with ``text``, compared
    column by column; a blank in ``text`` matches any character."""

    def begins(line: str) -> bool:
        return len(line) >= len(text.rstrip()) and all(
            want == " " or line[i] == want for i, want in enumerate(text.rstrip())
        )

    for n in range(buffer.current + 1, len(buffer.lines) + 1):
        if begins(buffer.lines[n - 1]):
            buffer.current = n
            cms.say(buffer.line())
            return
    buffer.current = len(buffer.lines) + 1
    cms.say("NOT FOUND")
    cms.say("EOF:")


def getfile(cms, buffer: Buffer, words: list[str]) -> None:
    """GETFILE fn [ft [fm [first [count]]]]: the records of another file
    inserted after the current line."""
    if not words:
        raise no_fileid()
    numbers = [w for w in words[1:] if w.isdigit() or w == "*"]
    names = words[: len(words) - len(numbers)]
    if len(names) > 3 or len(numbers) > 2:
        raise ValueError(words)
    fn, ft, fm = (names + [buffer.ft, "*"][len(names) - 1 :])[:3]
    first = int(numbers[0]) if numbers and numbers[0] != "*" else 1
    count = int(numbers[1]) if len(numbers) > 1 and numbers[1] != "*" else None
    if first < 1:
        raise ValueError(words)
    check_name(fn, f"{fn} {ft} {fm}")
    check_name(ft, f"{fn} {ft} {fm}")
    found = cms.disks.find(fn, ft, fm)
    if not found:
        raise not_found(f"{fn} {ft} {fm}")
    records = cms.disks.read(found[0])[first - 1 :]
    for record in records[:count] if count is not None else records:
        buffer.lines.insert(buffer.current, from_ebcdic(record).rstrip())
        buffer.current += 1
        buffer.changed = True
    show_position(cms, buffer)


async def cms_subset(cms, operand: str) -> None:
    """CMS command: one CMS command and back to EDIT.  CMS alone: the CMS
    subset, CMS commands with their ready messages until RETURN, the file
    still in storage (CMS EDIT, CMS subcommand)."""
    if operand.strip():
        await cms.execute(operand)
        return
    cms.say("CMS SUBSET")
    while True:
        line = await cms.read_line()
        if line.strip().upper() == "RETURN":
            cms.say("EDIT:")
            return
        if line.strip():
            await cms.command_and_ready(line)


def write(cms, buffer: Buffer, words: list[str]) -> None:
    fn, ft, fm = (words + [buffer.fn, buffer.ft, buffer.fm][len(words) :])[:3]
    letter, number = split_mode(fm)
    fid = f"{fn} {ft} {letter}"
    check_name(fn, fid)
    check_name(ft, fid)
    acc = cms.disks.writable(letter)
    records = [to_ebcdic(x) for x in buffer.lines]
    acc.disk.write_file(
        fn,
        ft,
        records,
        buffer.recfm,
        buffer.lrecl if buffer.recfm == "F" else None,
        number if number is not None else buffer.mode_number,
    )
    buffer.fn, buffer.ft, buffer.fm, buffer.changed = fn, ft, letter, False


SUBCOMMANDS = [  # name, minimum abbreviation
    ("INPUT", 1),
    ("REPLACE", 1),
    ("TOP", 3),
    ("BOTTOM", 1),
    ("NEXT", 1),
    ("DOWN", 1),
    ("UP", 1),
    ("LOCATE", 1),
    ("CHANGE", 1),
    ("DELETE", 3),
    ("TYPE", 1),
    ("CASE", 4),
    ("SAVE", 4),
    ("FILE", 4),
    ("QUIT", 4),
    ("FIND", 1),
    ("GETFILE", 3),
    ("REUSE", 5),
    ("CMS", 3),
]


def subcommand_name(word: str) -> str | None:
    return full_name(word, SUBCOMMANDS)


async def subcommand(cms, buffer: Buffer, line: str) -> bool:
    """Carry out one subcommand, ``=`` (REUSE: the last one again) and ``?``
    (show the last one) included; False when EDIT ends."""
    stripped = line.strip()
    if stripped == "?":
        cms.say(buffer.last)
        return True
    if stripped == "=" or stripped.upper() == "REUSE":
        if not buffer.last:
            return True
        line = stripped = buffer.last
    else:
        buffer.last = line
    return await carry_out(cms, buffer, line, stripped)


#: Subcommands whose text operands CASE U translates to upper case, as it
#: does the lines typed in (what is searched for matches what was stored).
TRANSLATED = ("LOCATE", "FIND", "CHANGE")


async def carry_out(cms, buffer: Buffer, line: str, stripped: str) -> bool:
    if stripped.startswith("/"):
        fields = delimited(stripped.upper() if buffer.upper else stripped)
        locate(cms, buffer, fields[0] if fields else "")
        return True
    word, _, operand = stripped.partition(" ")
    name = subcommand_name(word.upper())
    if buffer.upper and name in TRANSLATED:
        line, stripped, operand = line.upper(), stripped.upper(), operand.upper()
    words = operand.upper().split()
    try:
        if name == "INPUT":
            if operand:
                insert(buffer, operand)
            else:
                await input_mode(cms, buffer)
        elif name == "REPLACE":
            if buffer.line() is not None:
                buffer.lines[buffer.current - 1] = operand.upper() if buffer.upper else operand
                buffer.changed = True
            else:
                insert(buffer, operand)
        elif name == "TOP":
            buffer.current = 0
            cms.say("TOF:")
        elif name == "BOTTOM":
            buffer.current = len(buffer.lines)
            show_position(cms, buffer)
        elif name in ("NEXT", "DOWN"):
            move(cms, buffer, count_operand(words, buffer))
        elif name == "UP":
            move(cms, buffer, -count_operand(words, buffer))
        elif name == "LOCATE":
            fields = delimited(operand)
            locate(cms, buffer, fields[0] if fields else "")
        elif name == "CHANGE":
            change(cms, buffer, operand)
        elif name == "DELETE":
            delete(cms, buffer, words)
        elif name == "TYPE":
            type_lines(cms, buffer, words)
        elif name == "FIND":
            find(cms, buffer, line.lstrip()[len(word) + 1 :])
        elif name == "GETFILE":
            getfile(cms, buffer, words)
        elif name == "CMS":
            await cms_subset(cms, operand)
        elif name == "CASE" and words in (["U"], ["M"]):
            buffer.upper = words == ["U"]
        elif name in ("SAVE", "FILE"):
            write(cms, buffer, words)
            return name == "SAVE"
        elif name == "QUIT":
            return False
        else:
            cms.say(f"?EDIT: {stripped}")
    except ValueError:
        cms.say(f"?EDIT: {stripped}")
    return True


async def edit(cms, call) -> int:
    fn, ft, fm = fileid_args(call.args, "A")
    if "*" in (fn, ft) or fm == "*":
        raise CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")
    letter, number = split_mode(fm)
    fid = f"{fn} {ft} {letter}"
    check_name(fn, fid)
    check_name(ft, fid)
    buffer = Buffer(fn, ft, letter)
    found = cms.disks.find(fn, ft, letter)
    if found:
        f = found[0]
        buffer.lines = [from_ebcdic(r).rstrip() for r in f.acc.disk.read_file(f.fst.fn, f.fst.ft)]
        buffer.recfm, buffer.lrecl, buffer.mode_number = f.fst.recfm, f.fst.lrecl, f.fst.mode_number
    else:
        cms.disks.get(letter)
        cms.say("NEW FILE:")
    cms.say("EDIT:")
    while True:
        line = await cms.read_line()
        try:
            if not await subcommand(cms, buffer, line):
                return 0
        except CMSError as err:  # SAVE/FILE on a read-only or full disk
            cms.say(err.message("EDT"))


COMMANDS = [Command("EDIT", 1, "EDT", edit, "fn ft [fm]")]
