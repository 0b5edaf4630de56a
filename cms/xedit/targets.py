"""XEDIT targets (z/VM XEDIT Command Reference, "Targets"): where a command
goes or how far it reaches.

    :n          line n (absolute)
    n  +n  -n   n lines down (up with -)
    *  -*       the end of file / the top of file
    /string/    the next line containing string (-/string/ searching up;
                ~/string/ or ^/string/ a line NOT containing it)
    t1 & t2     a line where both string targets match; t1 | t2 either

A string target is searched inside the zone, respecting case unless SET
CASE ... IGNORE; with SET WRAP ON the search goes on from the other end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cms.errors import CMSError
from s390.ebcdic import from_ebcdic

_NUMBER = re.compile(r"\s*([+-]?)(\d+|\*)")
_ABSOLUTE = re.compile(r"\s*:(\d+)")


class TargetError(CMSError):
    pass


def invalid_operand(text: str) -> CMSError:
    return CMSError(2, "E", 5, f"Invalid operand: {text.strip()}")


def invalid_target(text: str) -> CMSError:
    return CMSError(546, "E", 5, f"Target missing or invalid: {text.strip()}".rstrip())


def not_found() -> CMSError:
    return CMSError(546, "E", 2, "Target not found")


@dataclass
class StringTarget:
    text: str
    negated: bool = False


@dataclass
class Target:
    kind: str  # "absolute", "relative", "string"
    value: int = 0
    backward: bool = False
    strings: list = None  # [[StringTarget, ...] or-groups of and-terms]


def split_delimited(text: str) -> tuple[list[str], str] | None:
    """``/a/b/`` -> (["a", "b"], rest): the delimiter is the first non-blank."""
    text = text.lstrip()
    if not text:
        return None
    delim = text[0]
    parts = text[1:].split(delim)
    return parts, delim


def parse_target(text: str) -> tuple[Target, str]:
    """One target at the front of ``text``; the rest of the text."""
    m = _ABSOLUTE.match(text)
    if m:
        return Target("absolute", int(m.group(1))), text[m.end() :]
    m = _NUMBER.match(text)
    if m:
        sign, digits = m.groups()
        backward = sign == "-"
        if digits == "*":
            return Target("relative", -1, backward), text[m.end() :]
        return Target("relative", int(digits), backward), text[m.end() :]
    rest = text.lstrip()
    backward = False
    if rest.startswith("-"):
        backward, rest = True, rest[1:].lstrip()
    groups: list[list[StringTarget]] = [[]]
    while True:
        negated = False
        if rest[:1] in ("~", "^", "\u00ac"):
            negated, rest = True, rest[1:]
        if not rest or rest[0].isalnum() or rest[0] in " &|:+*":
            raise invalid_target(text)
        delim = rest[0]
        end = rest.find(delim, 1)
        string = rest[1:] if end < 0 else rest[1:end]
        rest = "" if end < 0 else rest[end + 1 :]
        groups[-1].append(StringTarget(string, negated))
        after = rest.lstrip()
        if after[:1] == "&":
            rest = after[1:].lstrip()
        elif after[:1] == "|":
            groups.append([])
            rest = after[1:].lstrip()
        else:
            break
    return Target("string", backward=backward, strings=groups), rest


def literal(f, text: str) -> str:
    """A string operand; with SET HEX ON, X'C1C2' is the bytes in hexadecimal."""
    if f.settings.hex and len(text) > 3 and text[:2] in ("x'", "X'") and text.endswith("'"):
        try:
            return from_ebcdic(bytes.fromhex(text[2:-1]))
        except ValueError:
            raise invalid_operand(text) from None
    return text


def matches(xfile, number: int, target: Target) -> bool:
    first, last = xfile.zone
    text = xfile.line(number)[first - 1 : last]
    respect = xfile.settings.case_respect
    for group in target.strings:
        ok = True
        for term in group:
            text_of_term = literal(xfile, term.text)
            needle = text_of_term if respect else text_of_term.upper()
            hay = text if respect else text.upper()
            found = needle in hay if needle else True
            if found == term.negated:
                ok = False
                break
        if ok:
            return True
    return False


def resolve(xfile, target: Target, start: int | None = None) -> int:
    """The line number the target names, from ``start`` (the current line);
    0 is the Top of File line, size + 1 the End of File line.  Raises
    "Target not found" for a string that is nowhere."""
    here = xfile.current if start is None else start
    if target.kind == "absolute":
        if target.value > xfile.size:
            raise not_found()
        return target.value
    if target.kind == "relative":
        if target.value < 0:
            return 0 if target.backward else xfile.size + 1
        step = -target.value if target.backward else target.value
        return min(max(here + step, 0), xfile.size + 1)
    step = -1 if target.backward else 1
    number = here + step
    order = range(number, 0, -1) if target.backward else range(number, xfile.size + 1)
    for n in order:
        if not xfile.is_hidden(n) and matches(xfile, n, target):
            return n
    if xfile.settings.wrap:
        order = range(xfile.size, here, -1) if target.backward else range(1, here + 1)
        for n in order:
            if matches(xfile, n, target):
                return n
    raise not_found()


def span(xfile, text: str, default: str = "1") -> tuple[int, int, str]:
    """The lines a command reaches (DELETE, COPY, UPPERCASE, ...): from the
    current line up to, not including, the target line; (first, count, rest).
    A target above the current line takes the current line and the lines
    above it, down to (not including) the target line: the range starts at
    the current line either way."""
    text = text.strip() or default
    target, rest = parse_target(text)
    here = xfile.current
    to = resolve(xfile, target)
    if to >= here:
        first, count = max(here, 1), to - max(here, 1)
        if target.kind == "relative" and target.value < 0:
            count = xfile.size - first + 1
    else:
        here = min(here, xfile.size)
        first, count = to + 1, here - to
    last_line = min(first + count - 1, xfile.size)
    return first, max(0, last_line - first + 1), rest
