"""UPDATE: apply an update file to a source file (VM/370 CMS Command and
Macro Reference, UPDATE).

``UPDATE fn [ft [fm [updfn [updft [updfm]]]]] [(REP|NOREP SEQ8|NOSEQ8 TERM|NOTERM]``
(defaults ASSEMBLE, A, fn UPDATE A) reads the source, whose records carry
sequence numbers in columns 73-80 (SEQ8; NOSEQ8: a 3-character label in
73-75 and the number in 76-80), and the update file, whose control records
start ``./`` in column 1:

    ./ S [seqstrt [seqincr [label]]]     resequence the whole output (first record only)
    ./ I seqno [$ [seqstrt [seqincr]]]   insert the records that follow after seqno
    ./ D seqno1 [seqno2]                 delete seqno1 through seqno2
    ./ R seqno1 [seqno2] [$ [seqstrt [seqincr]]]   replace them with the records that follow
    ./ * comment

``$`` numbers the inserted records (from seqno+seqincr; by default spread
evenly up to the next source record).  The control records must name
sequence numbers that exist, in ascending order.  The result is
``$fn ft A`` (with REP: ``fn ft`` itself); the control records and every
warning go to ``fn UPDLOG A``.  A warning (DMSUPDnnnW) raises the severity;
UPDATE ends with DMSUPD177I and the highest severity as its return code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.commands import Command
from cms.errors import CMSError, invalid_option, invalid_parameter, no_fileid
from s390.ebcdic import from_ebcdic, to_ebcdic

UPDATE_OPTIONS = {
    "REP",
    "NOREP",
    "SEQ8",
    "NOSEQ8",
    "TERM",
    "NOTERM",
    "DISK",
    "PRINT",
    "INC",
    "NOINC",
    "CTL",
    "NOCTL",
    "STK",
    "NOSTK",
}


class Problem(Exception):
    """A control record UPDATE cannot apply: the message and its severity."""

    def __init__(self, text: str, severity: int):
        super().__init__(text)
        self.text, self.severity = text, severity


@dataclass
class Updater:
    source: list[bytes]
    seq8: bool
    out: list[bytes] = field(default_factory=list)
    position: int = 0  # next source record to copy
    last: int = -1  # last sequence number a control record named
    resequence: tuple[int, int, str] | None = None

    # ---- sequence fields

    def number(self, record: bytes) -> int | None:
        text = from_ebcdic(record[72:80]) if self.seq8 else from_ebcdic(record[75:80])
        return int(text) if text.strip().isdigit() and " " not in text.strip() else None

    def with_number(self, record: bytes, value: int, label: str = "") -> bytes:
        record = record[:80].ljust(80, b"\x40")
        if self.seq8:
            return record[:72] + to_ebcdic(f"{value:08d}"[-8:])
        head = to_ebcdic(label[:3].ljust(3)) if label else record[72:75]
        return record[:72] + head + to_ebcdic(f"{value:05d}"[-5:])

    # ---- moving through the source

    def index_of(self, seqno: int) -> int:
        """The source record with this sequence number, at or after the current one."""
        if seqno <= self.last:
            raise Problem(
                f"DMSUPD210W INPUT FILE SEQUENCE ERROR: '{self.last:08d}' TO '{seqno:08d}'", 8
            )
        for i in range(self.position, len(self.source)):
            if self.number(self.source[i]) == seqno:
                return i
        raise Problem(f"DMSUPD207W SEQUENCE NUMBER '{seqno:08d}' NOT FOUND", 12)

    def copy_through(self, index: int) -> None:
        self.out.extend(self.source[self.position : index + 1])
        self.position = index + 1

    def skip_through(self, first: int, last: int) -> None:
        self.out.extend(self.source[self.position : first])
        self.position = last + 1

    def next_number(self) -> int | None:
        return self.number(self.source[self.position]) if self.position < len(self.source) else None

    # ---- control records

    def insert(self, lines: list[bytes], after: int, numbering: list[str]) -> None:
        if not numbering:
            self.out.extend(lines)
            return
        nxt = self.next_number()
        start = int(numbering[1]) if len(numbering) > 1 else None
        incr = int(numbering[2]) if len(numbering) > 2 else None
        if incr is None:
            gap = (nxt - after) if nxt is not None else 1000 * (len(lines) + 1)
            incr = max(gap // (len(lines) + 1), 1)
        value = start if start is not None else after + incr
        for line in lines:
            self.out.append(self.with_number(line, value))
            value += incr

    def apply(self, words: list[str], lines: list[bytes]) -> None:
        verb, operands = words[0], words[1:]
        dollar = operands.index("$") if "$" in operands else len(operands)
        numbers, numbering = operands[:dollar], operands[dollar:]
        if not all(w.isdigit() for w in numbers + numbering[1:]):
            raise Problem("DMSUPD185W NON-NUMERIC CHARACTER IN SEQUENCE FIELD", 8)
        if verb == "I":
            if len(numbers) != 1:
                raise Problem("DMSUPD207W INVALID UPDATE FILE CONTROL CARD", 8)
            seqno = int(numbers[0])
            self.copy_through(self.index_of(seqno))
            self.last = seqno
            self.insert(lines, seqno, numbering)
        elif verb in ("D", "R"):
            if not 1 <= len(numbers) <= 2 or (verb == "D" and numbering):
                raise Problem("DMSUPD207W INVALID UPDATE FILE CONTROL CARD", 8)
            first = self.index_of(int(numbers[0]))
            self.last = int(numbers[0])
            last = self.index_of(int(numbers[-1])) if len(numbers) == 2 else first
            self.last = int(numbers[-1])
            before = self.number(self.source[first - 1]) if first else 0
            self.skip_through(first, last)
            if verb == "R":
                self.insert(lines, before or 0, numbering)
            elif lines:
                raise Problem("DMSUPD207W INVALID UPDATE FILE CONTROL CARD", 8)
        else:
            raise Problem("DMSUPD207W INVALID UPDATE FILE CONTROL CARD", 8)

    def finish(self) -> list[bytes]:
        self.out.extend(self.source[self.position :])
        self.position = len(self.source)
        if self.resequence is None:
            return self.out
        start, incr, label = self.resequence
        return [self.with_number(r, start + i * incr, label) for i, r in enumerate(self.out)]


def control_words(record: bytes) -> list[str] | None:
    """The operands of a ``./`` control record, or None for a data record."""
    text = from_ebcdic(record[:72])
    if not text.startswith("./"):
        return None
    return text[2:].upper().split() or ["?"]


def groups(deck: list[bytes]) -> list[tuple[bytes, list[str], list[bytes]]]:
    """Each control record with the data records that follow it."""
    out: list[tuple[bytes, list[str], list[bytes]]] = []
    for record in deck:
        words = control_words(record)
        if words is not None:
            out.append((record, words, []))
        elif out:
            out[-1][2].append(record)
        else:
            out.append((record, ["?"], []))
    return out


def resequence_operands(words: list[str]) -> tuple[int, int, str]:
    start = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1000
    incr = int(words[2]) if len(words) > 2 and words[2].isdigit() else 1000
    label = words[3] if len(words) > 3 else ""
    if incr == 0:
        raise Problem("DMSUPD186W SEQUENCE INCREMENT IS ZERO", 8)
    return start, incr, label


def run_update(
    source: list[bytes], deck: list[bytes], seq8: bool
) -> tuple[list[bytes], list[str], int]:
    """The updated file, the log lines and the highest severity."""
    updater = Updater(source, seq8)
    log: list[str] = []
    severity = 0
    for n, (record, words, lines) in enumerate(groups(deck)):
        log.append(from_ebcdic(record).rstrip())
        try:
            if words[0] == "*":
                continue
            if words[0] == "S":
                if n:
                    raise Problem("DMSUPD184W './ S' NOT FIRST CARD IN UPDATE FILE -- IGNORED", 4)
                updater.resequence = resequence_operands(words)
                if lines:
                    raise Problem("DMSUPD207W INVALID UPDATE FILE CONTROL CARD", 8)
                continue
            updater.apply(words, lines)
        except Problem as problem:
            log.append(problem.text)
            severity = max(severity, problem.severity)
    return updater.finish(), log, severity


def update_operands(args: list[str]) -> tuple[str, str, str, str, str, str]:
    if not args:
        raise no_fileid()
    if len(args) > 6:
        raise invalid_parameter(args[6])
    fn = args[0]
    ft = args[1] if len(args) > 1 else "ASSEMBLE"
    fm = args[2] if len(args) > 2 else "A"
    ufn = args[3] if len(args) > 3 else fn
    uft = args[4] if len(args) > 4 else "UPDATE"
    ufm = args[5] if len(args) > 5 else fm
    for name in (fn, ft, ufn, uft):
        if "*" in name:
            raise invalid_parameter(name)
    return fn, ft, fm, ufn, uft, ufm


def update_options(options: list[str]) -> set[str]:
    chosen = set(options)
    for opt in options:
        if opt not in UPDATE_OPTIONS:
            raise invalid_option(opt)
    for a, b in (("REP", "NOREP"), ("SEQ8", "NOSEQ8"), ("TERM", "NOTERM")):
        if {a, b} <= chosen:
            raise CMSError(66, "E", 24, f"'{a}' AND '{b}' ARE CONFLICTING OPTIONS")
    if "STK" in chosen and "CTL" not in chosen:
        raise CMSError(187, "E", 24, "OPTION 'STK' INVALID WITHOUT 'CTL'")
    if "CTL" in chosen:
        raise invalid_option("CTL")  # control files (multiple updates) are not kept here
    return chosen


async def update(cms, call) -> int:
    options = update_options(call.options)
    fn, ft, fm, ufn, uft, ufm = update_operands(call.args)
    source_file = cms.disks.find_one(fn, ft, fm)
    if source_file.fst.recfm != "F" or source_file.fst.lrecl != 80:
        raise CMSError(7, "E", 32, f"FILE '{source_file.fileid}' IS NOT FIXED, 80 CHAR. RECORDS")
    update_file = cms.disks.find_one(ufn, uft, ufm)
    out = cms.disks.writable("A")
    cms.say(f"DMSUPD178I UPDATING '{source_file.fileid}' WITH '{update_file.fileid}'")
    source = source_file.acc.disk.read_file(source_file.fst.fn, source_file.fst.ft)
    deck = update_file.acc.disk.read_file(update_file.fst.fn, update_file.fst.ft)
    result, log, severity = run_update(source, deck, "NOSEQ8" not in options)
    if "TERM" in options:
        for line in log:
            cms.say(line)
    else:
        for line in log:
            if line.startswith("DMSUPD"):
                cms.say(line)
    out_fn = fn if "REP" in options else ("$" + fn)[:8]
    out.disk.write_file(out_fn, ft, [r[:80].ljust(80, b"\x40") for r in result], "F", 80)
    out.disk.write_file(fn, "UPDLOG", [to_ebcdic(line) for line in log] or [to_ebcdic("")], "F", 80)
    if severity:
        cms.say(f"DMSUPD177I WARNING MESSAGES ISSUED (SEVERITY={severity:02d}).")
    return severity


COMMANDS = [
    Command(
        "UPDATE", 1, "UPD", update, "fn [ft [fm [updfn [updft [updfm]]]]] [(REP SEQ8|NOSEQ8 TERM]"
    )
]
