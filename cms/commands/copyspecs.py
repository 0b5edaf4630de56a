"""COPYFILE's record transformations (VM/370 CMS Command and Macro Reference,
COPYFILE): UPCASE and LOWCASE translate the letters, TRUNC drops trailing
blanks (of a V output file), SPECS rearranges columns after the
``DMSCPY601R ENTER SPECIFICATION:`` prompt, FILL c pads, and FRLABEL/TOLABEL
select records from the one beginning with a label up to the one before a
label.

A specification list is pairs of a source and an output column:
``n1-n2 m`` copies input columns n1 to n2 to output column m, ``n m`` one
column; a string between two like delimiters (``/ABC/ m``) or hex digits
after ``X`` inside them is put at column m.
"""

from __future__ import annotations

from dataclasses import dataclass

from cms.errors import CMSError
from s390.ebcdic import from_ebcdic, to_ebcdic


def _case_tables() -> tuple[bytes, bytes]:
    up, low = bytearray(range(256)), bytearray(range(256))
    for lower, upper in ((0x81, 0xC1), (0x91, 0xD1), (0xA2, 0xE2)):
        count = 9 if lower != 0xA2 else 8
        for i in range(count):
            up[lower + i] = upper + i
            low[upper + i] = lower + i
    return bytes(up), bytes(low)


#: EBCDIC a-i j-r s-z <-> A-I J-R S-Z.
TO_UPPER, TO_LOWER = _case_tables()


def invalid_spec(text: str) -> CMSError:
    return CMSError(68, "E", 24, f"INVALID SPECIFICATION '{text}'")


@dataclass(frozen=True)
class Spec:
    """One pair: a column range of the input (or a literal) to an output column."""

    target: int
    first: int = 0
    last: int = 0
    literal: bytes | None = None

    def apply(self, record: bytes, out: bytearray, fill: int) -> None:
        data = (
            self.literal
            if self.literal is not None
            else record[self.first - 1 : self.last].ljust(self.last - self.first + 1, bytes([fill]))
        )
        end = self.target - 1 + len(data)
        if len(out) < end:
            out.extend(bytes([fill]) * (end - len(out)))
        out[self.target - 1 : end] = data


def parse_source(word: str) -> tuple[int, int, bytes | None]:
    if word[0].isdigit():
        first, _, last = word.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise invalid_spec(word)
        start, end = int(first), int(last) if last else int(first)
        if not 1 <= start <= end:
            raise invalid_spec(word)
        return start, end, None
    hexed = word[0] in "Xx" and len(word) > 2 and word[1] == word[-1]
    body = word[2:-1] if hexed else word[1:-1]
    if len(word) < 3 or word[-1] != word[1 if hexed else 0]:
        raise invalid_spec(word)
    if hexed:
        try:
            return 0, 0, bytes.fromhex(body)
        except ValueError:
            raise invalid_spec(word) from None
    return 0, 0, to_ebcdic(body)


def parse_specs(text: str) -> list[Spec]:
    """The typed specification list (up to 20 pairs, as VM/370 takes)."""
    words = split_specs(text)
    if not words:
        raise CMSError(63, "E", 40, "NO LIST ENTERED")
    if len(words) % 2 or len(words) > 40:
        raise invalid_spec(text.strip())
    specs = []
    for source, target in zip(words[::2], words[1::2]):
        if not target.isdigit() or int(target) < 1:
            raise invalid_spec(target)
        first, last, literal = parse_source(source)
        specs.append(Spec(int(target), first, last, literal))
    return specs


def split_specs(text: str) -> list[str]:
    """Blank-separated words, a delimited string kept whole (blanks and all)."""
    words, i = [], 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        start = i
        if not text[i].isdigit():
            delim_at = (
                i + 1 if text[i] in "Xx" and i + 1 < len(text) and not text[i + 1].isalnum() else i
            )
            close = text.find(text[delim_at], delim_at + 1)
            i = len(text) if close < 0 else close + 1
        else:
            while i < len(text) and text[i] != " ":
                i += 1
        words.append(text[start:i])
    return words


def respecify(records: list[bytes], specs: list[Spec], fill: int) -> list[bytes]:
    out = []
    for record in records:
        built = bytearray()
        for spec in specs:
            spec.apply(record, built, fill)
        out.append(bytes(built) or bytes([fill]))
    return out


def select_labels(records: list[bytes], frlabel: str | None, tolabel: str | None) -> list[bytes]:
    """FRLABEL: from the first record that begins with the label; TOLABEL: up
    to, not including, the first that begins with it."""
    if frlabel is not None:
        start = next((i for i, r in enumerate(records) if from_ebcdic(r).startswith(frlabel)), None)
        if start is None:
            raise CMSError(34, "E", 32, f"LABEL '{frlabel}' NOT FOUND")
        records = records[start:]
    if tolabel is not None:
        end = next(
            (i for i, r in enumerate(records) if from_ebcdic(r).startswith(tolabel)), len(records)
        )
        records = records[:end]
    return records


def transform(records: list[bytes], opts: dict, specs: list[Spec] | None) -> list[bytes]:
    """UPCASE/LOWCASE, SPECS and TRUNC in the order COPYFILE applies them."""
    fill = opts["fill"]
    if specs is not None:
        records = respecify(records, specs, fill)
    if opts["case"] == "UPCASE":
        records = [r.translate(TO_UPPER) for r in records]
    elif opts["case"] == "LOWCASE":
        records = [r.translate(TO_LOWER) for r in records]
    if opts["trunc"]:
        records = [r.rstrip(bytes([fill])) or r[:1] for r in records]
    return records


def fill_character(word: str) -> int:
    """FILL c or FILL hh (two hex digits)."""
    if len(word) == 1:
        return to_ebcdic(word)[0]
    if len(word) == 2:
        try:
            return int(word, 16)
        except ValueError:
            pass
    raise CMSError(70, "E", 24, f"INVALID PARAMETER '{word}'")
