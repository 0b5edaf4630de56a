"""A 3270 display as a Textual widget: paints a ``tui.screen.Screen`` and maps keys.

Painting only: the screen model keeps the buffer, fields and cursor; the
widget draws them (colours of a 3279: unprotected normal green, unprotected
intensified red, protected normal blue, protected intensified white, or the
extended colour a field or character carries) and draws an operator
information area under the screen as x3270 does (keyboard lock, insert
mode, cursor position).  Keys become screen-model edits or attention keys;
an attention key is handed to ``on_aid(aid)``.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from cp import ds3270 as ds
from tui.screen import Screen

# 3279 colours (GA23-0059 colour identifiers) as terminal colours.
COLORS = {
    0xF1: "#5c8cff",
    0xF2: "#ff4040",
    0xF3: "#ff70d0",
    0xF4: "#40ff40",
    0xF5: "#40e0e0",
    0xF6: "#ffff40",
    0xF7: "#ffffff",
    0xF0: "#40ff40",
}
# Base colours from the field attribute when no extended colour is set.
DEFAULT_COLORS = {
    (False, False): 0xF4,
    (False, True): 0xF2,
    (True, False): 0xF1,
    (True, True): 0xF7,
}
BACKGROUND = "#000000"

#: Key -> what it does.  One table: the help screen is printed from it.
KEYMAP: dict[str, tuple[str, object]] = {
    "enter": ("aid", ds.AID_ENTER),
    "escape": ("aid", ds.AID_CLEAR),
    "ctrl+l": ("aid", ds.AID_CLEAR),
    "ctrl+p": ("aid", ds.AID_PA[1]),
    "alt+1": ("aid", ds.AID_PA[1]),
    "ctrl+o": ("aid", ds.AID_PA[2]),
    "alt+2": ("aid", ds.AID_PA[2]),
    "alt+3": ("aid", ds.AID_PA[3]),
    "tab": ("edit", "tab"),
    "shift+tab": ("edit", "backtab"),
    "home": ("edit", "home"),
    "ctrl+e": ("edit", "erase_eof"),
    "ctrl+u": ("edit", "erase_input"),
    "insert": ("edit", "toggle_insert"),
    "backspace": ("edit", "backspace"),
    "delete": ("edit", "delete"),
    "up": ("move", (-1, 0)),
    "down": ("move", (1, 0)),
    "left": ("move", (0, -1)),
    "right": ("move", (0, 1)),
}
for _n in range(1, 13):
    KEYMAP[f"f{_n}"] = ("aid", ds.AID_PF[_n])
    KEYMAP[f"shift+f{_n}"] = ("aid", ds.AID_PF[_n + 12])
    KEYMAP[f"f{_n + 12}"] = ("aid", ds.AID_PF[_n + 12])

#: What the help screen says about each group of keys.
KEY_HELP = [
    ("Enter", "ENTER: send the input area"),
    ("F1-F12", "PF1-PF12 (SET PFnn; PF12 is RETRIEVE unless set)"),
    ("Shift+F1-F12", "PF13-PF24"),
    ("Ctrl+P or Alt+1", "PA1: enter CP (CP READ)"),
    ("Ctrl+O or Alt+2", "PA2: clear the output area (MORE... / HOLDING)"),
    ("Alt+3", "PA3"),
    ("Esc or Ctrl+L", "CLEAR"),
    ("Tab / Shift+Tab", "next / previous input field"),
    ("Home", "first input field"),
    ("Ctrl+E", "Erase EOF (to the end of the field)"),
    ("Ctrl+U", "Erase Input (all input fields)"),
    ("Insert", "insert mode on/off (^ in the status line)"),
    ("Backspace / Delete", "delete left / at the cursor within the field"),
    ("Arrows", "move the cursor"),
]


@lru_cache(maxsize=1024)
def cell_style(
    color: int, protected: bool, intensified: bool, highlight: int, cursor: bool
) -> Style:
    """The terminal style of a cell: its colour (extended, or the 3279 default
    for its field attribute), highlighting, and the cursor as reverse video."""
    rgb = COLORS.get(color) or COLORS[DEFAULT_COLORS[(protected, intensified)]]
    reverse = (highlight == 0xF2) != cursor
    return Style(
        color=rgb,
        bgcolor=BACKGROUND,
        bold=intensified,
        reverse=reverse,
        underline=highlight == 0xF4,
        blink=highlight == 0xF1,
    )


class Terminal3270(Widget, can_focus=True):
    """One 3270 display: the screen and an operator information area."""

    DEFAULT_CSS = """
    Terminal3270 { width: auto; height: auto; background: #000000; }
    """

    def __init__(
        self,
        screen: Screen,
        on_aid,
        *,
        label: str = "",
        name: str | None = None,
        id: str | None = None,
    ):
        super().__init__(name=name, id=id)
        self.model = screen
        self.label = label  # the terminal address, shown in the OIA
        self.on_aid = on_aid
        self.refused = False  # the last key was refused (shown in the OIA)
        self.show_oia = True
        #: Rows the window leaves for the display (None: all of them).  On a
        #: window shorter than the 3270 screen the widget shows a notice line
        #: and the rows around the cursor, so the input area never disappears.
        self.max_rows: int | None = None
        #: Columns the window leaves (None: all): a narrower window shows the
        #: columns around the cursor.
        self.max_cols: int | None = None

    # -- size ------------------------------------------------------------------
    def get_content_width(self, container, viewport) -> int:
        return self.max_cols if self.narrow else self.model.cols

    def get_content_height(self, container, viewport, width: int) -> int:
        if self.clipped:
            return self.max_rows
        return self.model.rows + (1 if self.show_oia else 0)

    def set_show_oia(self, show: bool) -> None:
        """The operator information area is left out on a window too small for it."""
        if show != self.show_oia:
            self.show_oia = show
            self.refresh(layout=True)

    def set_max_rows(self, rows: int | None) -> None:
        """The window has ``rows`` rows for the display (None: enough)."""
        rows = None if rows is None or rows >= self.model.rows else max(rows, 2)
        if rows != self.max_rows:
            self.max_rows = rows
            self.refresh(layout=True)

    def set_max_cols(self, cols: int | None) -> None:
        """The window has ``cols`` columns for the display (None: enough)."""
        cols = None if cols is None or cols >= self.model.cols else max(cols, 10)
        if cols != self.max_cols:
            self.max_cols = cols
            self.refresh(layout=True)

    @property
    def clipped(self) -> bool:
        return self.max_rows is not None and self.max_rows < self.model.rows

    @property
    def narrow(self) -> bool:
        return self.max_cols is not None and self.max_cols < self.model.cols

    def first_col(self) -> int:
        """The first screen column shown: 0, or so that the cursor shows."""
        if not self.narrow:
            return 0
        column = self.model.cursor % self.model.cols
        return min(self.model.cols - self.max_cols, max(0, column - self.max_cols + 1))

    def shown_rows(self) -> list[int]:
        """The screen rows painted under the notice line when clipped.  With
        the cursor in the bottom rows (CP's input area and status) those rows
        and the newest output above them; else the rows around the cursor."""
        m = self.model
        room = self.max_rows - 1
        cursor_row = m.cursor // m.cols
        if cursor_row < m.rows - 4:
            first = min(max(0, cursor_row - room // 2), m.rows - room)
            return list(range(first, first + room))
        tail = list(range(min(cursor_row, m.rows - 2), m.rows))[-room:]
        above = room - len(tail)
        filled = [r for r in range(tail[0]) if m.row_text(r).strip()]
        last = filled[-1] if filled else 0
        first = max(0, min(last - above + 1, tail[0] - above))
        return list(range(first, min(first + above, tail[0]))) + tail

    def screen_row(self, y: int) -> int | None:
        """The screen row painted on widget line ``y`` (None: not a screen row)."""
        if not self.clipped:
            return y if y < self.model.rows else None
        rows = self.shown_rows()
        return rows[y - 1] if 1 <= y <= len(rows) else None

    def clipped_notice(self) -> str:
        rows = self.shown_rows()
        spans, start = [], rows[0]
        for previous, row in zip(rows, rows[1:] + [None]):
            if row != previous + 1:
                spans.append(f"{start + 1}-{previous + 1}" if previous > start else f"{start + 1}")
                start = row
        m = self.model
        columns = ""
        if self.narrow:
            columns = f", columns {self.first_col() + 1}-{self.first_col() + self.max_cols}"
        notice = (
            f"Too small for model {m.model} ({m.rows}x{m.cols}): "
            f"rows {', '.join(spans)}{columns} shown"
        )
        if self.narrow and len(notice) > self.max_cols:  # the short form
            notice = (
                f"{m.rows}x{m.cols}: rows {','.join(spans)}{columns.replace(', columns', ' cols')}"
            )
        return notice

    def screen_changed(self) -> None:
        """The model changed (an outbound write): repaint."""
        if self.size.width != self.model.cols or self.size.height != self.virtual_size.height:
            self.refresh(layout=True)
        else:
            self.refresh()

    # -- painting -----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        if self.clipped and y == 0:
            width = self.max_cols if self.narrow else self.model.cols
            return Strip(
                [
                    Segment(
                        self.clipped_notice().ljust(width)[:width],
                        Style(color="#ffff40", bgcolor=BACKGROUND, reverse=True),
                    )
                ],
                width,
            )
        strip = self._screen_line(y)
        if not self.narrow:
            return strip
        left = self.first_col()
        return strip.crop(left, left + self.max_cols)

    def _screen_line(self, y: int) -> Strip:
        m = self.model
        row = self.screen_row(y)
        if row is not None:
            return Strip(Segment.simplify(self._row_segments(row)), m.cols)
        if self.clipped:
            return Strip.blank(m.cols)
        if y == m.rows and self.show_oia:
            return Strip(
                [
                    Segment(
                        self.oia_text().ljust(m.cols)[: m.cols],
                        Style(color="#40e0e0", bgcolor=BACKGROUND, underline=True),
                    )
                ],
                m.cols,
            )
        return Strip.blank(m.cols)

    def _row_segments(self, y: int) -> list[Segment]:
        m = self.model
        segments = []
        for x in range(m.cols):
            pos = y * m.cols + x
            cell = m.cell(pos)
            char = " " if cell.hidden else cell.char
            key = (
                cell.color,
                cell.protected,
                cell.intensified,
                cell.highlight,
                pos == m.cursor and self.has_focus,
            )
            segments.append(Segment(char, cell_style(*key)))
        return segments

    def oia_text(self) -> str:
        """x3270-style operator information area."""
        m = self.model
        lock = "X SYSTEM" if m.keyboard_locked else ("X -f" if self.refused else "")
        insert = "^" if m.insert_mode else " "
        row, col = m.rowcol(m.cursor)
        return (
            f"4A  {lock:<12} {insert}  {self.label:<8} model {m.model}  {row + 1:03d}/{col + 1:03d}"
        )

    # -- keys -----------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if self.terminal_key(event.key, event.character if event.is_printable else None):
            event.stop()
            event.prevent_default()

    def terminal_key(self, key: str, character: str | None) -> bool:
        """Do what ``key`` does; False when the key is not the terminal's (it
        then goes on to Textual: bindings, or nothing).  Not ``handle_key``:
        that name is Textual's own per-event hook and must keep its meaning."""
        action = KEYMAP.get(key)
        m = self.model
        self.refused = False
        if action is None:
            if not character:
                return False
            self.refused = not m.type_char(character)
        elif action[0] == "aid":
            if m.keyboard_locked:
                self.refused = True
            else:
                self.on_aid(action[1])
        elif action[0] == "edit":
            result = getattr(m, action[1])()
            self.refused = result is False
        elif action[0] == "move":
            m.move_cursor(*action[1])
        self.refresh()
        return True

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on that cell (as the 3270 cursor-select
        keys do not: this is the emulator's convenience, like x3270's)."""
        m = self.model
        row, column = self.screen_row(event.y), event.x + self.first_col()
        if row is not None and 0 <= column < m.cols:
            m.cursor = m.pos(row, column)
            self.focus()
            self.refresh()

    def on_paste(self, event: events.Paste) -> None:
        """Pasted text is keyed in, line ends as Newline (next input field row)."""
        for index, line in enumerate(event.text.splitlines()):
            if index:
                self.model.newline()
            self.model.type_text(line)
        event.stop()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
