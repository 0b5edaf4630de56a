"""Prefix commands (z/VM XEDIT Command Reference, "Prefix subcommands").

Typed over the ``=====`` of a line (n: a count, default 1):

    a[n] i[n]   add n blank lines after the line
    d[n] dd     delete the line (n lines, a block between two DD)
    c[n] cc     copy, m[n] mm move: to after an F line or before a P line
    "[n] ""     duplicate the line n times (a block n times)
    x[n] xx     exclude lines from the display; s[n] (s-n) on the shadow
                line shows them (the first n, the last n) again
    /           make the line the current line
    >[n] <[n]   shift the line n columns right/left; >>n <<n a block

A block, or a copy or move without its F or P, stays pending: the prefix
area shows it until the other half is typed.  An unknown prefix command is
flagged (message and the text left in the prefix area).
"""

from __future__ import annotations

import re

_PREFIX = re.compile(r'^(dd|xx|cc|mm|""|>>|<<|[adicmxs"/fp><])(-?\d*)$', re.IGNORECASE)
BLOCKS = {"dd", "xx", "cc", "mm", '""', ">>", "<<"}


def clean(text: str, shown: str) -> str:
    """What the user typed in a prefix area that showed ``shown``: the
    ``=`` (or the line number digits left in place) and blanks removed."""
    typed = text.replace(" ", "")
    if shown.isdigit():
        # SET NUMBER ON: the digits typed over stay; keep only what differs.
        keep = [c for i, c in enumerate(typed) if i >= len(shown) or c != shown[i]]
        typed = "".join(keep)
    return typed.replace("=", "").strip()


def parse(text: str) -> tuple[str, int | None] | None:
    m = _PREFIX.match(text)
    if not m:
        return None
    name, digits = m.group(1).lower(), m.group(2)
    return name, (int(digits) if digits not in ("", "-") else None)


def run(ed, typed: dict) -> None:
    """``typed``: {line number (0 = Top of File, size + 1 = End of File):
    the text typed}; the file's pending prefix commands take part too."""
    f = ed.file
    entries = []  # (line id or "TOF"/"EOF", name, count, text)
    for number, text in typed.items():
        parsed = parse(text)
        key = _key(f, number)
        if parsed is None:
            ed.msg(f"DMSXPR525E Invalid prefix subcommand: {text}")
            f.pending = [p for p in f.pending if p[0] != key] + [(key, text)]
            continue
        entries.append((key, *parsed, text))
    for key, text in f.pending:
        if not any(e[0] == key for e in entries) and parse(text):
            entries.append((key, *parse(text), text))
    f.pending = []
    entries.sort(key=lambda e: _number(f, e[0]))
    _singles(ed, [e for e in entries if e[1] not in BLOCKS and e[1] not in "cmfp"])
    _blocks_and_moves(ed, [e for e in entries if e[1] in BLOCKS or e[1] in "cmfp"])


def _key(f, number: int):
    if number <= 0:
        return "TOF"
    if number > f.size:
        return "EOF"
    return f.line_ids[number - 1]


def _number(f, key) -> int:
    if key == "TOF":
        return 0
    if key == "EOF":
        return f.size + 1
    n = f.number_of_id(key)
    return n if n is not None else -1


def _singles(ed, entries) -> None:
    f = ed.file
    for key, name, count, _ in sorted(entries, key=lambda e: -_number(f, e[0])):
        n = _number(f, key)
        if n < 0:
            continue
        many = count or 1
        if name in ("a", "i"):
            at = min(n, f.size)
            f.insert(at, [""] * many)
            ed.cursor = (("D", at + 1), 0)
        elif name == "d" and 1 <= n <= f.size:
            f.delete(n, many)
        elif name == '"' and 1 <= n <= f.size:
            f.insert(n, [f.line(n)] * many)
        elif name == "x" and 1 <= n <= f.size:
            for i in range(n, min(n + many, f.size + 1)):
                f.set_hidden(i, True)
        elif name == "s":
            _show(f, n, count)
        elif name == "/":
            f.current = n
        elif name in (">", "<"):
            _shift(f, n, n, many if name == ">" else -many)


def _show(f, n: int, count: int | None) -> None:
    """S on a shadow line (n is its first hidden line): show the lines."""
    run_lines = []
    i = n
    while i <= f.size and f.is_hidden(i):
        run_lines.append(i)
        i += 1
    if count is None:
        chosen = run_lines
    elif count < 0:
        chosen = run_lines[count:]
    else:
        chosen = run_lines[:count]
    for i in chosen:
        f.set_hidden(i, False)


def _shift(f, first: int, last: int, by: int) -> None:
    """> and <: the columns up to the truncation column move right (what
    goes past it is truncated) or left (over leading blanks only)."""
    for n in range(max(first, 1), min(last, f.size) + 1):
        line = f.line(n)[: f.trunc]
        f.replace_inside(
            n, " " * by + line if by > 0 else line[min(-by, len(line) - len(line.lstrip(" "))) :]
        )


def _blocks_and_moves(ed, entries) -> None:
    f = ed.file
    dests = [e for e in entries if e[1] in "fp"]
    sources = []  # (first, last, name) of c/m lines or blocks
    opened: dict[str, tuple] = {}
    for entry in entries:
        key, name, count, text = entry
        n = _number(f, key)
        if name in BLOCKS:
            if name in opened:
                start = opened.pop(name)
                first, last = sorted((_number(f, start[0]), n))
                _block(ed, name, first, last, start[2] or count, sources)
            else:
                opened[name] = entry
        elif name in "cm":
            sources.append((n, n + (count or 1) - 1, name))
    for key, name, count, text in opened.values():
        f.pending.append((key, text))  # the other half is still to come
    if sources and not dests:
        for first, _, name in sources:
            f.pending.append((_key(f, first), name))
        return
    if dests and not sources:
        for key, name, count, text in dests:
            f.pending.append((key, text))
        return
    if not sources:
        return
    key, where, _, _ = dests[0]
    dest_id = key
    for first, last, name in sorted(sources, reverse=True):
        block = f.lines[first - 1 : last]
        dn = _number(f, dest_id)
        after = dn if where == "f" else dn - 1
        if name == "m":
            if first <= after < last:
                ed.msg("DMSXPR525E Invalid prefix subcommand: the target is inside the block")
                return
            f.delete(first, last - first + 1)
            dn = _number(f, dest_id)
            after = dn if where == "f" else dn - 1
        f.insert(max(after, 0), block)


def _block(ed, name, first, last, count, sources) -> None:
    f = ed.file
    first, last = max(first, 1), min(last, f.size)
    if name == "dd":
        f.delete(first, last - first + 1)
    elif name == "xx":
        for n in range(first, last + 1):
            f.set_hidden(n, True)
    elif name == '""':
        f.insert(last, f.lines[first - 1 : last] * (count or 1))
    elif name in (">>", "<<"):
        _shift(f, first, last, (count or 1) * (1 if name == ">>" else -1))
    elif name in ("cc", "mm"):
        sources.append((first, last, name[0]))
