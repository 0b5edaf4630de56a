"""Source statements in the fixed card format of Assembler F / HLASM.

Columns (HLASM Language Reference, "Statement format"): begin column 1 (name field),
end column 71, continuation indicator column 72, continue column 16 on continuation
records, sequence field 73-80.  A ``*`` in column 1 is a comment; ``.*`` is an
internal macro comment (never generated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

END_COLUMN = 71
CONT_COLUMN = 72
CONTINUE_COLUMN = 16
ATTRIBUTE_LETTERS = "LTKNDISO"
#: Conditional-assembly instructions whose operands are expressions that may contain blanks.
EXPRESSION_OPS = frozenset({"AIF", "SETA", "SETB", "SETC", "AGO", "ACTR"})
SYMBOL_RE = re.compile(r"[A-Za-z$#@_][A-Za-z0-9$#@_]*")


@dataclass
class Statement:
    """One logical statement (one or more records)."""

    records: list[str]
    name: str = ""
    op: str = ""
    operands: str = ""
    remarks: str = ""
    comment: bool = False  # '*' comment
    internal_comment: bool = False  # '.*' macro comment
    origin: str = ""  # file:line of its first record
    level: int = 0  # macro nesting level that generated it (0 = open code)
    conditional: bool = False  # listed only: conditional assembly, macro call or definition
    repro: bool = False  # the record is punched as is (follows REPRO)
    macro_call: bool = False  # a macro instruction (its expansion follows)

    @property
    def text(self) -> str:
        return self.records[0][:END_COLUMN].rstrip() if self.records else ""


def _is_attribute_quote(text: str, i: int) -> bool:
    """True when the apostrophe at text[i] belongs to an attribute reference such as
    L'SYM or T'&P (a single attribute letter after a delimiter, a symbol after)."""
    if i < 1 or text[i - 1].upper() not in ATTRIBUTE_LETTERS:
        return False
    if i >= 2 and (text[i - 2].isalnum() or text[i - 2] in "$#@_&"):
        return False
    nxt = text[i + 1 : i + 2]
    return bool(nxt) and (nxt.isalpha() or nxt in "$#@_&*")


def scan_operand_end(text: str, start: int = 0, blanks_in_parens: bool = False) -> tuple[int, bool]:
    """Index of the blank that ends the operand field starting at ``start`` (or the
    length of text) and whether a quote was left open.  Conditional-assembly
    expressions may hold blanks inside parentheses (``AIF (&A EQ 1).X``)."""
    i, quoted, depth = start, False, 0
    while i < len(text):
        ch = text[i]
        if blanks_in_parens and not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        if ch == "'":
            if quoted:
                if text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                quoted = False
            elif not _is_attribute_quote(text, i):
                quoted = True
        elif ch == " " and not quoted and depth <= 0:
            return i, False
        i += 1
    return i, quoted


def _split_fields(first: str) -> tuple[str, str, int]:
    """Name, operation and the index where the operand field begins in the first record."""
    body = first[:END_COLUMN]
    name = ""
    i = 0
    if body and body[0] != " ":
        while i < len(body) and body[i] != " ":
            i += 1
        name = body[:i]
    while i < len(body) and body[i] == " ":
        i += 1
    j = i
    while j < len(body) and body[j] != " ":
        j += 1
    op = body[i:j]
    k = j
    while k < len(body) and body[k] == " ":
        k += 1
    if k - j > 0 and k < len(body):
        return name, op, k
    return name, op, len(body)


def parse_statement(records: list[str], origin: str = "", has_operands=None) -> Statement:
    """Split the records of one logical statement into its fields.

    Operands continue on the next record at column 16; a statement whose operand
    field ends in a comma followed by a blank continues there too (the remainder of
    that record being remarks), as macro calls are commonly written.
    ``has_operands(op)`` says whether an operation takes operands at all (when it does
    not, everything after the operation is remarks)."""
    first = records[0]
    stmt = Statement(records=records, origin=origin)
    if first.startswith(".*"):
        stmt.internal_comment = True
        return stmt
    if first.startswith("*"):
        stmt.comment = True
        return stmt
    name, op, opstart = _split_fields(first)
    stmt.name, stmt.op = name, op
    blanks_in_parens = op.upper() in EXPRESSION_OPS
    if has_operands is not None and not has_operands(op.upper()):
        stmt.remarks = first[opstart:END_COLUMN].strip()
        return stmt
    pieces = [first[opstart:END_COLUMN] if opstart < END_COLUMN else ""]
    pieces += [r[CONTINUE_COLUMN - 1 : END_COLUMN] for r in records[1:]]
    operands, remarks = [], []
    quoted = False
    for n, piece in enumerate(pieces):
        begin = 0
        if quoted:  # an open quote runs on through column 71
            begin, quoted = _continue_quote(piece)
            operands.append(piece[:begin])
            if quoted:
                continue
        end, quoted = scan_operand_end(piece, begin, blanks_in_parens)
        operands.append(piece[begin:end])
        if quoted or end >= len(piece):
            continue
        remarks.append(piece[end:].strip())
        if not "".join(operands).endswith(","):
            remarks += [p.strip() for p in pieces[n + 1 :]]
            break
    stmt.operands = "".join(operands).strip()
    stmt.remarks = " ".join(r for r in remarks if r)
    return stmt


def _continue_quote(piece: str) -> tuple[int, bool]:
    i = 0
    while i < len(piece):
        if piece[i] == "'":
            if piece[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1, False
        i += 1
    return len(piece), True


def group_records(lines: list[str], origin: str = "") -> list[tuple[list[str], str]]:
    """Group physical records into logical statements by the continuation column."""
    groups: list[tuple[list[str], str]] = []
    current: list[str] = []
    start = 0
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\n").rstrip("\r").expandtabs(8)
        if not current:
            start = n
        current.append(line)
        if len(line) >= CONT_COLUMN and line[CONT_COLUMN - 1] != " ":
            continue
        groups.append((current, f"{origin}:{start}" if origin else str(start)))
        current = []
    if current:
        groups.append((current, f"{origin}:{start}" if origin else str(start)))
    return groups


def split_operands(text: str) -> list[str]:
    """Split an operand field at top-level commas (outside parentheses and quotes)."""
    if not text:
        return []
    out, depth, cur, i, quoted = [], 0, [], 0, False
    while i < len(text):
        ch = text[i]
        if quoted:
            cur.append(ch)
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    cur.append("'")
                    i += 1
                else:
                    quoted = False
        elif ch == "'":
            cur.append(ch)
            if not _is_attribute_quote(text, i):
                quoted = True
        elif ch == "(":
            depth += 1
            cur.append(ch)
        elif ch == ")":
            depth -= 1
            cur.append(ch)
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def is_symbol(text: str) -> bool:
    return bool(SYMBOL_RE.fullmatch(text)) and len(text) <= 63
