"""Driving the Textual console (tui.app.ConsoleApp) with the pilot: waiting,
keying lines, reading the screen and the status area.
"""

from __future__ import annotations

SIZE = (100, 30)


async def until(pilot, condition, timeout=5.0):
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not met")


def text(app, n=1):
    return app.terminal(n).model.text()


def status(app, n=1):
    m = app.terminal(n).model
    return m.row_text(m.rows - 1)[-20:].strip()


async def type_line(pilot, line):
    """Key a line and ENTER through the pilot, one key at a time."""
    await pilot.press(*[("space" if ch == " " else ch) for ch in line])
    await pilot.press("enter")


async def enter_line(pilot, line):
    """Put a line in the focused terminal's input area and press ENTER (the
    keying itself is tested by type_line)."""
    pilot.app.focused.model.type_text(line)
    await pilot.press("enter")
