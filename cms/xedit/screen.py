"""XEDIT's 3270 screen (z/VM XEDIT User's Guide, "The XEDIT screen").

    row 0          the file identification line: fn ft fm, RECFM, LRECL,
                   Trunc=, Size=, Line=, Col=, Alt=
    row 1          the message line (more messages overlay the rows below)
    rows 2..R-3    the file area: prefix area ``=====`` then the data; the
                   current line (intensified) in the middle (SET CURLINE),
                   the scale line under it, ``* * * Top of File * * *`` and
                   ``* * * End of File * * *`` around the data, a shadow line
                   for excluded lines
    row R-2        the command line ``====>``
    row R-1        the status area ``X E D I T  n File(s)``

The layout adapts to the rows and columns the display reported (models 2
to 5 and any TN3270 client size).  A field's attribute byte takes one
screen position: a line's prefix field starts at the last position of the
row above, so the prefix area is columns 1-5 and the data starts at 7.
"""

from __future__ import annotations

from cms.fullscreen import BRIGHT, PROTECTED, UNPROTECTED, Layout, Reply
from cms.xedit import prefix

PREFIX_WIDTH = 5
TOF_TEXT = "* * * Top of File * * *"
EOF_TEXT = "* * * End of File * * *"


def size(ed) -> tuple[int, int]:
    return ed.screen.size() or (24, 80)


def data_rows(ed) -> int:
    rows, _ = size(ed) if ed.screen is not None else (24, 80)
    f = ed.file
    return rows - 4 - len(getattr(f, "top_lines", ())) - len(getattr(f, "bottom_lines", ()))


def data_width(ed) -> int:
    _, cols = size(ed) if ed.screen is not None else (24, 80)
    return cols - 7 if ed.file.settings.prefix != "OFF" else cols - 1


def verify_first(ed) -> int:
    return ed.file.settings.verify[0] + ed.shift


def cursor_column(ed) -> tuple[int, int] | None:
    """(line, column) where the cursor is in the data area, or None."""
    reply = ed.reply
    if reply is None or not isinstance(reply.cursor_field, tuple) or reply.cursor_field[0] != "D":
        return None
    return reply.cursor_field[1], verify_first(ed) + reply.cursor_offset


def scale_text(first: int, width: int, column: int) -> str:
    out = []
    for c in range(first, first + width):
        if c == column:
            out.append("|")
        elif c % 10 == 0:
            out.append(str(c // 10 % 10))
        elif c % 5 == 0:
            out.append("+")
        else:
            out.append(".")
    return "".join(out)


def header(ed) -> str:
    f = ed.file
    return (
        f"{f.fn:<8} {f.ft:<8} {f.fm:<2}  {f.recfm} {f.lrecl}  Trunc={f.trunc} "
        f"Size={f.size} Line={f.current} Col={f.column} Alt={f.alt}"
    )


def _rows_above(f, current: int, count: int) -> list[tuple]:
    out = []
    n = current - 1
    while len(out) < count and n >= 0:
        if n == 0:
            out.append(("tof", 0))
            n -= 1
        elif f.is_hidden(n):
            last = n
            while n >= 1 and f.is_hidden(n):
                n -= 1
            out.append(("shadow", n + 1, last - n))
        else:
            out.append(("line", n))
            n -= 1
    return list(reversed(out))


def _rows_below(f, current: int, count: int) -> list[tuple]:
    out = []
    n = current + 1
    while len(out) < count and n <= f.size + 1:
        if n == f.size + 1:
            out.append(("eof", n))
            n += 1
        elif f.is_hidden(n):
            first = n
            while n <= f.size and f.is_hidden(n):
                n += 1
            out.append(("shadow", first, n - first))
        else:
            out.append(("line", n))
            n += 1
    return out


def current_row_index(ed, rows: int) -> int:
    curline = ed.file.settings.curline
    if curline.isdigit():
        above = 3 + len(getattr(ed.file, "top_lines", ()))
        return min(max(int(curline) - above, 0), rows - 2)
    return (rows - 1) // 2


def entries(ed) -> list[tuple]:
    """What each row of the file area shows, top to bottom."""
    f = ed.file
    rows = data_rows(ed)
    at = current_row_index(ed, rows)
    here = (
        ("tof", 0)
        if f.current == 0
        else ("eof", f.size + 1)
        if f.current > f.size
        else ("line", f.current)
    )
    below_count = rows - at - 1
    after = []
    if ed.input_mode:
        after = [("input", k) for k in range(below_count)]
    else:
        if f.settings.scale:
            after.append(("scale",))
        after += _rows_below(f, f.current, below_count - len(after))
    above = _rows_above(f, f.current, at)
    return [("blank",)] * (at - len(above)) + above + [here] + after


def build(ed) -> Layout:
    rows, cols = size(ed)
    f = ed.file
    layout = Layout(rows, cols)
    layout.add(0, 0, PROTECTED | BRIGHT, header(ed))
    # The message line, and (z/VM SET MSGLINE ON 2 n) the rows under it
    # for more messages, up to half the file area.
    messages = ed.messages[-max(1, min(10, data_rows(ed) // 2)) :]
    layout.add(1, 0, PROTECTED | BRIGHT, messages[0] if messages else "", color=0xF2)
    first = verify_first(ed)
    width = data_width(ed)
    with_prefix = f.settings.prefix != "OFF"
    top = list(getattr(f, "top_lines", ()))
    overlay = {2 + len(top) + i: text for i, text in enumerate(messages[1:])}
    for i, text in enumerate(top):
        layout.add(2 + i, 0 if i else -1, PROTECTED | BRIGHT, text, color=0xF6)
    bottom = list(getattr(f, "bottom_lines", ()))
    for i, text in enumerate(bottom):
        layout.add(rows - 2 - len(bottom) + i, -1, PROTECTED, text, color=0xF1)
    shown = entries(ed)
    ed.prefix_shown = {}
    ed.data_shown = {}
    for i, entry in enumerate(shown):
        row = 2 + len(top) + i
        if row in overlay:
            layout.add(row, 0, PROTECTED | BRIGHT, overlay[row], color=0xF2)
            continue
        _data_row(ed, layout, row, entry, first, width, with_prefix)
    cmd_row = rows - 2
    layout.add(cmd_row - 1, cols - 1, PROTECTED, "")  # the last file row's data ends here
    layout.add(cmd_row, 0, PROTECTED | BRIGHT, "====>")
    keep, ed.keep = ed.keep, None
    if keep and keep.startswith("&"):
        ed.keep = keep
    cmd = layout.add(cmd_row, 6, UNPROTECTED, keep or "", key="CMD")
    files = len(ed.ring)
    status = f"X E D I T  {files} File{'s' if files > 1 else ''}"
    mode = "Input-mode" if ed.input_mode else ""
    layout.add(rows - 1, 0, PROTECTED, (mode.ljust(cols - 22) + status)[: cols - 2])
    layout.cursor = _cursor(ed, layout, cmd)
    return layout


def _data_row(ed, layout, row, entry, first, width, with_prefix) -> None:
    f = ed.file
    kind = entry[0]
    cols = layout.cols
    # SET PREFIX ON (LEFT): the prefix field's attribute ends the row above
    # and the data starts in column 7; ON RIGHT: the data starts in column 1
    # and the prefix area is the last five columns but one.
    prefix_col = cols - PREFIX_WIDTH - 2 if f.settings.prefix == "RIGHT" else -1
    if with_prefix:
        if kind in ("line", "tof", "eof", "shadow"):
            n = entry[1]
            shown = _prefix_text(f, n) if kind != "shadow" else "====="
            pending = next((t for k, t in f.pending if k == _pending_key(f, n)), None)
            text = pending.ljust(PREFIX_WIDTH, "=")[:PREFIX_WIDTH] if pending else shown
            layout.add(
                row,
                prefix_col,
                UNPROTECTED | (BRIGHT if pending else 0),
                text,
                key=("P", n),
                color=0xF2 if pending else 0xF4,
            )
            ed.prefix_shown[n] = text
        else:
            layout.add(row, prefix_col, PROTECTED, "")
        data_col = PREFIX_WIDTH if prefix_col < 0 else -1
    else:
        data_col = -1  # the data field's attribute ends the row above
    current = (
        kind == "line"
        and entry[1] == f.current
        or kind in ("tof", "eof")
        and entry[1] == f.current
        or (kind == "eof" and f.current > f.size)
    )
    if kind == "line":
        n = entry[1]
        text = f.line(n)[first - 1 : first - 1 + width]
        if not f.settings.nulls:
            # SET NULLS OFF (z/VM's default): the line is padded with blanks
            # to the end of the field; ON leaves nulls there for insert mode.
            text = text.ljust(width)
        layout.add(
            row,
            data_col,
            UNPROTECTED | (BRIGHT if current else 0),
            text,
            key=("D", n),
            color=0xF7 if current else 0xF4,
        )
        ed.data_shown[n] = text
    elif kind == "tof":
        layout.add(row, data_col, PROTECTED | (BRIGHT if current else 0), TOF_TEXT, color=0xF1)
    elif kind == "eof":
        layout.add(row, data_col, PROTECTED | (BRIGHT if current else 0), EOF_TEXT, color=0xF1)
    elif kind == "shadow":
        text = f" {entry[2]} line(s) not displayed ".center(width, "-")
        layout.add(row, data_col, PROTECTED, text, color=0xF5)
    elif kind == "scale":
        layout.add(row, data_col, PROTECTED, scale_text(first, width, f.column), color=0xF6)
    elif kind == "input":
        layout.add(row, data_col, UNPROTECTED, "", key=("I", entry[1]))
    else:
        layout.add(row, data_col, PROTECTED, "")
    if 0 <= data_col and data_col + 1 + width < cols - 1:
        layout.add(row, data_col + 1 + width, PROTECTED, "")


def _prefix_text(f, n: int) -> str:
    if f.settings.number and 1 <= n <= f.size:
        return f"{n:05d}"[-PREFIX_WIDTH:]
    return "=" * PREFIX_WIDTH


def _pending_key(f, n: int):
    return prefix._key(f, n)


def _cursor(ed, layout: Layout, cmd) -> tuple[int, int]:
    wanted, ed.cursor = ed.cursor, None
    if ed.input_mode:
        wanted = (("I", 0), 0)
    if wanted and wanted[0] != "CMD":
        key, offset = wanted
        for fld in layout.fields:
            if fld.key == key:
                pos = (fld.row * layout.cols + fld.col + 1 + offset) % (layout.rows * layout.cols)
                return divmod(pos, layout.cols)
    return cmd.row, cmd.col + 1


def take_reply(ed, reply: Reply) -> None:
    """One ENTER (or PF key) in XEDIT's order: data, prefix, command."""
    if reply.key in ("CLEAR", "PA1", "PA2", "PA3", "NONE"):
        return
    f = ed.file
    if ed.input_mode:
        _take_input(ed, reply)
    else:
        _take_data(ed, reply)
    ed.say_truncated()
    typed = {}
    for key, text in reply.changed.items():
        if isinstance(key, tuple) and key[0] == "P":
            cleaned = prefix.clean(text, ed.prefix_shown.get(key[1], "====="))
            if cleaned:
                typed[key[1]] = cleaned
    if typed or f.pending:
        prefix.run(ed, typed)
        ed.say_truncated()  # a shift (>) past the record length
    # A PF key's command runs first; SCHANGE takes the command line as its
    # CHANGE (Editor.command_line is then emptied).
    ed.command_line = reply.changed.get("CMD", "").strip()
    if reply.pf is not None:
        action = (getattr(f, "pf", None) or ed.pf).get(reply.pf, "")
        if action:
            ed.execute(action)
            if not ed.ring:
                return
    command, ed.command_line = ed.command_line, ""
    if command:
        ed.execute(command, typed=True)


def _take_data(ed, reply: Reply) -> None:
    f = ed.file
    first = verify_first(ed)
    width = data_width(ed)
    if hasattr(f, "take_commands"):
        f.take_commands(
            ed, {k[1]: t for k, t in reply.changed.items() if isinstance(k, tuple) and k[0] == "D"}
        )
        return
    for key, text in reply.changed.items():
        if not (isinstance(key, tuple) and key[0] == "D"):
            continue
        n = key[1]
        if f.settings.case == "U":
            text = text.upper()
        line = f.line(n)
        head = line[: first - 1].ljust(first - 1)
        tail = line[first - 1 + width :]
        body = text.ljust(width) if tail else text
        f.type_over(n, head + body + tail)


def _take_input(ed, reply: Reply) -> None:
    f = ed.file
    typed = sorted(
        (k[1], t) for k, t in reply.changed.items() if isinstance(k, tuple) and k[0] == "I"
    )
    texts = [t.upper() if f.settings.case == "U" else t for _, t in typed]
    if not texts and not reply.changed.get("CMD", "").strip():
        ed.input_mode = False
        return
    if texts:
        last = max(k for k, _ in typed)
        lines = [""] * (last + 1)
        for k, t in typed:
            lines[k] = t.upper() if f.settings.case == "U" else t
        at = min(f.current, f.size)
        f.insert(at, lines, typed=True)
        f.current = at + len(lines)
