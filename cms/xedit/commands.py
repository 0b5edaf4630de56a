"""XEDIT subcommands (z/VM XEDIT Command Reference; the everyday subset).

``run(editor, text)`` resolves the first word (the minimum abbreviations
of TABLE, as the reference prints them), a target typed alone (``:5``, ``/string/``, ``-3``) is LOCATE, a name that
is no subcommand is a macro (fn XEDIT) and then a CMS command (SET
IMPCMSCP ON).  Each handler is ``handler(editor, operands) -> rc``.
"""

from __future__ import annotations

from cms.errors import CMSError
from cms.xedit import settings
from cms.xedit.file import XFile
from cms.xedit.host import cp, run_cms
from cms.xedit.macros import find_macro, run_macro
from cms.xedit.screen import cursor_column, data_rows, data_width, verify_first
from cms.xedit.targets import (
    invalid_operand,
    invalid_target,
    literal,
    matches,
    parse_target,
    resolve,
    span,
    split_delimited,
)
from s390.ebcdic import from_ebcdic, to_ebcdic


def too_many(text: str) -> CMSError:
    return CMSError(8, "E", 5, f"Too many operands: {text.strip()}")


def count_of(text: str, default: int = 1) -> int:
    text = text.strip()
    if not text:
        return default
    if text == "*":
        return 1 << 30
    if not text.isdigit():
        raise invalid_operand(text)
    return int(text)


# -- moving around --------------------------------------------------------------------


def top(ed, ops):
    ed.file.current = 0
    return 0


def bottom(ed, ops):
    ed.file.current = ed.file.size
    return 0


def move(ed, lines: int) -> int:
    f = ed.file
    target = f.current + lines
    f.current = min(max(target, 0), f.size + 1)
    if target > f.size + 1 or target < 0:
        ed.msg("DMSXCT561I " + ("End of file reached" if lines > 0 else "Top of file reached"))
        return 1
    return 0


def down(ed, ops):
    return move(ed, count_of(ops))


def up(ed, ops):
    return move(ed, -count_of(ops))


def page_size(ed) -> int:
    return max(1, data_rows(ed) - 2)


def forward(ed, ops):
    f = ed.file
    n = count_of(ops)
    if f.current > f.size:
        f.current = 0  # FORWARD at End of File wraps to the top (z/VM)
        return 0
    f.current = min(f.current + n * page_size(ed), f.size + 1)
    return 0


def backward(ed, ops):
    f = ed.file
    n = count_of(ops)
    if f.current == 0:
        f.current = f.size + 1  # BACKWARD at Top of File wraps to the end
        return 0
    f.current = max(f.current - n * page_size(ed), 0)
    return 0


def locate(ed, ops):
    f = ed.file
    if not ops.strip():
        raise invalid_target(ops)
    target, rest = parse_target(ops)
    f.current = resolve(f, target)
    if rest.strip():
        return run(ed, rest.strip())
    return 0


def find(ed, ops):
    """FIND text: the next line that begins with text (blanks match anything)."""
    f = ed.file
    text = ops.removeprefix(" ")
    for n in range(f.current + 1, f.size + 1):
        line = f.line(n)
        if all(c == " " or (i < len(line) and line[i] == c) for i, c in enumerate(text)):
            f.current = n
            return 0
    ed.msg("DMSXCT546E Target not found")
    return 2


# -- changing -------------------------------------------------------------------------


def change(ed, ops):
    """CHANGE /old/new/ [target [n [m]]]: in the lines up to the target,
    the first n occurrences (``*`` all) from the m-th of each line."""
    f = ed.file
    split = split_delimited(ops)
    if split is None or len(split[0]) < 2:
        raise invalid_operand(ops)
    parts, delim = split
    old, new = literal(f, parts[0]), literal(f, parts[1])
    rest = delim.join(parts[2:]).split()
    first, count, _ = span(f, rest[0] if rest else "1")
    per_line = count_of(rest[1]) if len(rest) > 1 else 1
    start_at = count_of(rest[2]) if len(rest) > 2 else 1
    zone_first, zone_last = f.zone
    changed_lines = occurrences = 0
    for n in range(first, first + count):
        if f.is_hidden(n):
            continue
        # Only the zone is searched; what the change pushes past the
        # truncation column is truncated, the columns after it stay.
        line = f.line(n)[: f.trunc]
        head, body, tail = (
            line[: zone_first - 1],
            line[zone_first - 1 : zone_last],
            line[zone_last:],
        )
        made, seen, pos, out = 0, 0, 0, []
        while made < per_line:
            at = body.find(old, pos) if old else pos
            if at < 0 or (not old and at > len(body)):
                break
            seen += 1
            if seen < start_at:
                pos = at + max(len(old), 1)
                continue
            out.append(body[pos:at] + new)
            pos = at + len(old)
            made += 1
            if not old:
                break
        if made:
            f.replace_inside(n, head + "".join(out) + body[pos:] + tail)
            changed_lines += 1
            occurrences += made
        ed.cms.checkpoint()
    if count and not f.settings.stay:
        f.current = first + count - 1  # SET STAY ON: the current line stays
    if not changed_lines:
        ed.msg("DMSXCT520I No change")  # z/VM: no occurrence was found
        return 4
    ed.msg(f"DMSXCT517I {occurrences} occurrence(s) changed on {changed_lines} line(s)")
    return 0


def all_(ed, ops):
    """ALL /string/: only the lines that match are shown (the others are
    excluded); ALL alone shows every line again."""
    f = ed.file
    if not ops.strip():
        f.hidden.clear()
        return 0
    target, _ = parse_target(ops)
    if target.kind != "string":
        raise invalid_operand(ops)
    shown = 0
    for n in range(1, f.size + 1):
        hit = matches(f, n, target)
        f.set_hidden(n, not hit)
        shown += hit
        if n % 1000 == 0:
            ed.cms.checkpoint()
    if not shown:
        f.hidden.clear()
        ed.msg("DMSXCT546E Target not found")
        return 2
    f.current = next(n for n in range(1, f.size + 1) if not f.is_hidden(n))
    ed.msg(f"DMSXCT518I {shown} line(s) selected")
    return 0


def input_(ed, ops):
    f = ed.file
    text = ops.removeprefix(" ")
    if text:
        f.insert(f.current, [text if f.settings.case == "M" else text.upper()], typed=True)
        f.current += 1
        return 0
    ed.input_mode = True
    if ed.screen is None:
        ed.msg("DMSXMD573I Input mode:")
    return 0


def add(ed, ops):
    f = ed.file
    n = count_of(ops)
    f.current = min(f.current, f.size)
    f.insert(f.current, [""] * n)
    ed.cursor = (("D", f.current + 1), 0)
    return 0


def delete(ed, ops):
    f = ed.file
    first, count, _ = span(f, ops)
    if f.current == 0 and count == 0 and not ops.strip():
        return 0
    f.delete(first, count)
    f.current = min(first, f.size + 1)
    return 0


def duplicate(ed, ops):
    f = ed.file
    words = ops.split()
    times = count_of(words[0]) if words else 1
    first, count, _ = span(f, words[1] if len(words) > 1 else "1")
    block = f.lines[first - 1 : first - 1 + count]
    f.insert(first + count - 1, block * times)
    f.current = first + count * (times + 1) - 1
    return 0


def replace(ed, ops):
    f = ed.file
    text = ops.removeprefix(" ")
    if 1 <= f.current <= f.size:
        f.replace(f.current, f.typed(text))
    else:
        f.insert(f.current, [text], typed=True)
        f.current += 1
    return 0


def case_lines(ed, ops, upper: bool):
    f = ed.file
    first, count, _ = span(f, ops)
    zf, zl = f.zone
    for n in range(first, first + count):
        line = f.line(n)
        body = line[zf - 1 : zl]
        f.replace(n, line[: zf - 1] + (body.upper() if upper else body.lower()) + line[zl:])
    return 0


def uppercase(ed, ops):
    return case_lines(ed, ops, True)


def lowercase(ed, ops):
    return case_lines(ed, ops, False)


def sort(ed, ops):
    """SORT target [A|D col1 col2 ...]: the lines up to the target, by the
    column ranges (default the zone), ascending or descending."""
    f = ed.file
    words = ops.split()
    first, count, _ = span(f, words[0] if words else "*")
    descending, fields = False, []
    rest = words[1:]
    if rest and rest[0].upper() in ("A", "D"):
        descending = rest.pop(0).upper() == "D"
    try:
        nums = [int(w) for w in rest]
    except ValueError:
        raise invalid_operand(" ".join(rest)) from None
    fields = list(zip(nums[::2], nums[1::2])) or [f.zone]
    block = f.lines[first - 1 : first - 1 + count]
    # EBCDIC collating order (the file's bytes), as CMS SORT sorts.
    block.sort(
        key=lambda x: [to_ebcdic(x[a - 1 : b].ljust(b - a + 1)) for a, b in fields],
        reverse=descending,
    )
    f.delete(first, count)
    f.insert(first - 1, block)
    ed.msg(f"DMSXSO530I {count} line(s) sorted")
    return 0


def copy_or_move(ed, ops, moving: bool):
    """COPY/MOVE target1 target2: the lines up to target1 after the line target2 names."""
    f = ed.file
    first, count, rest = span(f, ops)
    if not rest.strip():
        raise invalid_target(ops)
    block = f.lines[first - 1 : first - 1 + count]
    dest_target, _ = parse_target(rest)
    dest = resolve(f, dest_target, first + count - 1)
    dest = min(dest, f.size)
    if moving:
        if first <= dest < first + count:
            raise invalid_operand(rest)
        f.delete(first, count)
        if dest >= first + count:
            dest -= count
    f.insert(dest, block)
    f.current = dest + count
    return 0


def copy(ed, ops):
    return copy_or_move(ed, ops, False)


def move_(ed, ops):
    return copy_or_move(ed, ops, True)


def split_line(ed, ops):
    f = ed.file
    where = cursor_column(ed)
    number, column = where if where else (f.current, f.column)
    if not 1 <= number <= f.size:
        return 0
    line = f.line(number)
    f.replace(number, line[: column - 1])
    f.insert(number, [line[column - 1 :]])
    return 0


def join(ed, ops):
    f = ed.file
    where = cursor_column(ed)
    number, column = where if where else (f.current, 0)
    if not 1 <= number < f.size:
        return 0
    line, nxt = f.line(number), f.line(number + 1)
    if column and column - 1 >= len(line.rstrip()):
        joined = line.ljust(column - 1) + nxt.lstrip()
    else:
        joined = line.rstrip() + " " + nxt.lstrip()
    if len(joined) > f.trunc:
        raise CMSError(556, "E", 3, "Truncated")
    f.replace(number, joined)
    f.delete(number + 1, 1)
    return 0


def spltjoin(ed, ops):
    where = cursor_column(ed)
    if where is None:
        return 0
    number, column = where
    if column - 1 >= len(ed.file.line(number).rstrip()):
        return join(ed, ops)
    return split_line(ed, ops)


# -- files ----------------------------------------------------------------------------


def fileid_operands(ed, ops) -> tuple[str, str, str] | None:
    words = ops.upper().split()
    if not words:
        return None
    f = ed.file
    fn = words[0] if words[0] != "=" else f.fn
    ft = words[1] if len(words) > 1 and words[1] != "=" else f.ft
    fm = words[2] if len(words) > 2 and words[2] != "=" else f.fm
    if len(words) > 3:
        raise too_many(ops)
    return fn, ft, fm


def save(ed, ops):
    ed.save(ed.file, fileid_operands(ed, ops))
    return 0


def file_(ed, ops):
    f = ed.file
    ed.save(f, fileid_operands(ed, ops))
    ed.drop(f)
    return 0


def quit_(ed, ops):
    f = ed.file
    if f.changed and ed.quit_asked is not f:
        ed.quit_asked = f
        ed.msg("DMSXCT577E File has been changed; type QQUIT to quit anyway")
        return 12
    ed.drop(f)
    return 0


def qquit(ed, ops):
    ed.drop(ed.file)
    return 0


def get(ed, ops):
    """GET fn [ft [fm]] [first [count]]: lines of another file after the current line."""
    words = ops.upper().split() or list(PUT_BUFFER)  # GET alone: what PUT kept
    f = ed.file
    fn = words[0]
    ft = words[1] if len(words) > 1 else f.ft
    fm = words[2] if len(words) > 2 else "*"
    found = ed.cms.disks.find(fn, ft, fm[0])
    if not found:
        raise CMSError(2, "E", 28, f"File '{fn} {ft} {fm}' not found")
    x = found[0]
    records = x.acc.disk.read_file(x.fst.fn, x.fst.ft)
    lines = [from_ebcdic(r).rstrip(" ") for r in records]
    first = int(words[3]) if len(words) > 3 else 1
    count = int(words[4]) if len(words) > 4 else len(lines)
    lines = lines[first - 1 : first - 1 + count]
    f.insert(min(f.current, f.size), lines)
    f.current = min(f.current, f.size) + len(lines)
    ed.msg(f"DMSXGT573I {len(lines)} line(s) inserted")
    return 0


#: Where PUT without a fileid keeps the lines for GET without one.
PUT_BUFFER = ("XEDTEMP", "CMSUT1", "A1")


def put(ed, ops, deleting: bool = False):
    """PUT target [fn ft fm]: the lines up to the target to a file (PUTD
    deletes them too); without a fileid to XEDIT's own PUT buffer."""
    f = ed.file
    first, count, rest = span(f, ops)
    words = rest.upper().split()
    lines = f.lines[first - 1 : first - 1 + count]
    fn, ft, fm = (words + [f.ft, "A1"][len(words) - 1 :])[:3] if words else PUT_BUFFER
    target = XFile(fn, ft, fm, lines, f.recfm, f.lrecl)
    ed.save(target, (fn, ft, fm))
    if deleting:
        f.delete(first, count)
        f.current = min(first, f.size + 1)
    return 0


def putd(ed, ops):
    return put(ed, ops, True)


def xedit(ed, ops):
    """XEDIT fn ft fm from inside: the file joins the ring (or becomes
    current); XEDIT alone makes the next file of the ring current."""
    ids = fileid_operands(ed, ops)
    if ids is None:
        ed.index = (ed.index + 1) % len(ed.ring)
        return 0
    ed.open(*ids)
    return 0


# -- CMS and CP -----------------------------------------------------------------------


def cms_(ed, ops):
    if not ops.strip():
        raise invalid_operand(ops)
    return run_cms(ed, ops.strip())


def macro(ed, ops):
    words = ops.split(None, 1)
    if not words:
        raise invalid_operand(ops)
    return run_macro(ed, words[0].upper(), words[1] if len(words) > 1 else "")


def help_(ed, ops):
    return run_cms(ed, "HELP " + (ops.strip() or "XEDIT"))


# -- screen keys as commands ----------------------------------------------------------


def sos(ed, ops):
    word = ops.strip().upper()
    if word == "LINEADD":
        where = cursor_column(ed)
        f = ed.file
        after = where[0] if where else f.current
        after = min(after, f.size)
        f.insert(after, [""])
        ed.cursor = (("D", after + 1), 0)
        return 0
    raise invalid_operand(ops)


def tab(ed, ops):
    where = cursor_column(ed)
    if where is None:
        return 0
    number, column = where
    nxt = [t for t in ed.file.settings.tabs if t > column]
    ed.cursor = (("D", number), (nxt[0] if nxt else column) - verify_first(ed))
    return 0


def rgtleft(ed, ops):
    ed.shift = 0 if ed.shift else data_width(ed) // 2
    return 0


def cursor(ed, ops):
    words = ops.upper().split()
    if words and words[0] == "HOME":
        ed.cursor = ("CMD", 0)
    return 0


def schange(ed, ops):
    """SCHANGE n (PF5 by default): selective change (z/VM XEDIT).  A CHANGE
    typed on the command line is not run; the key locates the next
    occurrence of its string1, the cursor under it and the CHANGE kept on
    the command line.  The key again with the cursor still there changes
    that occurrence and locates the next; with the cursor moved away it
    only locates the next (the occurrence is skipped).  With the command
    line blank the CHANGE is the one SCHANGE has, else the last command."""
    text = ed.command_line or (ed.schange_state[0] if ed.schange_state else ed.last_command)
    ed.command_line = ""  # the command line is SCHANGE's, not run after it
    word, rest = split_word(text.strip())
    if not text.strip() or lookup(ed.subcommands, word) is not change:
        raise invalid_operand(text or ops)
    split = split_delimited(rest)
    if split is None or len(split[0]) < 2 or not split[0][0]:
        raise invalid_operand(rest)
    old, new = literal(ed.file, split[0][0]), literal(ed.file, split[0][1])
    f = ed.file
    ed.keep = text.strip()
    where = cursor_column(ed)
    state = ed.schange_state
    if where and state and state[0] == text.strip() and _still_at(f, where, state, old):
        number, column = where
        inside = f.line(number)[: f.trunc]
        f.replace_inside(number, inside[: column - 1] + new + inside[column - 1 + len(old) :])
        where = (number, column + len(new) - 1)
    elif where is None:
        where = (f.current + 1, 0)  # not in the file area: from the next line, as LOCATE
    found = _next_occurrence(f, old, where)
    if found is None:
        ed.schange_state = None
        ed.msg("DMSXCT546E Target not found")
        return 2
    number, column = found
    f.current = number
    ed.schange_state = (text.strip(), f.line_ids[number - 1], column)
    ed.cursor = (("D", number), column - verify_first(ed))
    return 0


def _still_at(f, where, state, old: str) -> bool:
    """The cursor is on the occurrence SCHANGE located, and it is still there."""
    number, column = where
    return (
        f.number_of_id(state[1]) == number
        and column == state[2]
        and f.line(number)[column - 1 : column - 1 + len(old)] == old
    )


def _next_occurrence(f, old: str, after: tuple[int, int]) -> tuple[int, int] | None:
    """(line, column) of the next ``old`` inside the zone after column
    ``after[1]`` of line ``after[0]``; the lines after it from their start."""
    zone_first, zone_last = f.zone
    number, column = after
    for n in range(max(number, 1), f.size + 1):
        if f.is_hidden(n):
            continue
        start = max(column if n == number else 0, zone_first - 1)
        at = f.line(n)[:zone_last].find(old, start)
        if at >= 0:
            return n, at + 1
    return None


def refresh(ed, ops):
    """REFRESH: the screen is written again (it is, at the next read); a
    list session (FILELIST, RDRLIST) adds its own REFRESH that reads the
    list again (cms.xedit.lists)."""
    return 0


def noop(ed, ops):
    return 0


# -- SET / QUERY / EXTRACT live in cms.xedit.settings ---------------------------------

#: (name, minimum abbreviation, handler), as the Command Reference prints them.
#: An editor starts with these (Editor.subcommands); a list session puts its
#: own in front of them (cms.xedit.lists.LIST_SUBCOMMANDS).
TABLE = (
    ("ADD", 1, add),
    ("ALL", 3, all_),
    ("BACKWARD", 2, backward),
    ("BOTTOM", 1, bottom),
    ("CHANGE", 1, change),
    ("CMS", 3, cms_),
    ("COPY", 3, copy),
    ("CP", 2, cp),
    ("CURSOR", 3, cursor),
    ("DELETE", 2, delete),
    ("DOWN", 1, down),
    ("DUPLICATE", 3, duplicate),
    ("EXTRACT", 3, settings.extract),
    ("FILE", 4, file_),
    ("FIND", 1, find),
    ("FORWARD", 2, forward),
    ("GET", 3, get),
    ("HELP", 4, help_),
    ("INPUT", 1, input_),
    ("JOIN", 1, join),
    ("LOCATE", 1, locate),
    ("LOWERCASE", 3, lowercase),
    ("MACRO", 5, macro),
    ("MOVE", 4, move_),
    ("NEXT", 1, down),
    ("PUT", 3, put),
    ("PUTD", 4, putd),
    ("QQUIT", 2, qquit),
    ("QUERY", 1, settings.query),
    ("QUIT", 4, quit_),
    ("REFRESH", 3, refresh),
    ("REPLACE", 1, replace),
    ("RGTLEFT", 7, rgtleft),
    ("SAVE", 4, save),
    ("SCHANGE", 7, schange),
    ("SET", 3, settings.set_option),
    ("SORT", 4, sort),
    ("SOS", 3, sos),
    ("SPLIT", 2, split_line),
    ("SPLTJOIN", 8, spltjoin),
    ("TAB", 3, tab),
    ("TOP", 3, top),
    ("UP", 1, up),
    ("UPPERCASE", 3, uppercase),
    ("XEDIT", 1, xedit),
)


def lookup(table, word: str):
    """The handler ``word`` names in ``table`` (its first entry that fits), or None."""
    word = word.upper()
    for name, shortest, handler in table:
        if word == name or (len(word) >= shortest and name.startswith(word)):
            return handler
    return None


def run(ed, text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if text[0] in ":+-/~^*" or text[0].isdigit() or text[0] == "\u00ac":
        return locate(ed, text)
    word, rest = split_word(text)
    handler = lookup(ed.subcommands, word)
    if handler is not None:
        return handler(ed, rest)
    if find_macro(ed.cms, word.upper()) is not None:
        return run_macro(ed, word.upper(), rest.strip())
    # SET IMPCMSCP ON: not an XEDIT subcommand or macro: a CMS command (then CP).
    return run_cms(ed, text)


def split_word(text: str) -> tuple[str, str]:
    """The command name and its operands: a name ends at a blank or at the
    first character that is not a letter or digit (``c/a/b/``, ``l/x/``)."""
    i = 0
    while i < len(text) and (text[i].isalnum() or text[i] in "$#@"):
        i += 1
    if i == 0:
        i = 1
    return text[:i], text[i:]


def verify(ed) -> None:
    """Line mode: type the current line (SET VERIFY ON)."""
    f = ed.file
    if f.current == 0:
        ed.msg("* * * Top of File * * *")
    elif f.current > f.size:
        ed.msg("* * * End of File * * *")
    else:
        first, last = f.settings.verify
        ed.msg(f.line(f.current)[first - 1 : last or None])
