"""The Textual console on windows smaller than the 3270 screen, resized
windows and a 3270 model switched with Ctrl+R, driven with the pilot."""

from cp.system import System
from tests.tui.tuikit import enter_line, text, type_line, until
from tui.app import ConsoleApp


def shown_rows(widget):
    """What the widget paints, line by line (its own rendering)."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.region.height)]


async def test_a_small_window_keeps_the_input_area_with_a_notice(tmp_path):
    app = ConsoleApp(System(tmp_path, logon_delay=0.01))
    async with app.run_test(size=(80, 12)) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        t = app.terminal(1)
        await pilot.pause()
        assert t.clipped and t.region.height == 12
        rows = shown_rows(t)
        assert rows[0].startswith("Too small for model 2 (24x80): rows ")
        assert rows[0].rstrip().endswith(", 23-24 shown")  # input area and status
        assert any("VM/370 ONLINE" in row for row in rows)  # the newest text above
        assert rows[-1].rstrip().endswith("CP READ")  # the status row is there
        await type_line(pilot, "logon operator operator")  # keyed, row by row shown
        await until(pilot, lambda: "LOGON AT" in text(app))
        assert any("LOGON AT" in row for row in shown_rows(t))  # the newest output shows
        await pilot.pause(0.3)  # CP has done writing
        row = t.shown_rows()[0]
        await pilot.click("#term1", offset=(5, 1))  # a click: that screen row's cell
        assert t.model.cursor == row * 80 + 5


async def test_resizing_the_window_keeps_the_screen_and_what_was_typed(tmp_path):
    app = ConsoleApp(System(tmp_path, logon_delay=0.01))
    async with app.run_test(size=(100, 30)) as pilot:
        await enter_line(pilot, "logon operator operator")
        await until(pilot, lambda: "LOGON AT" in text(app))
        t = app.terminal(1)
        await pilot.press("q", "u", "e", "r", "y")
        before = t.model.text()
        await pilot.resize_terminal(80, 10)
        await pilot.pause()
        assert t.clipped and t.model.text() == before
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not t.clipped and t.model.text() == before and t.show_oia
        await pilot.press("space", "t", "i", "m", "e", "enter")
        await until(pilot, lambda: "TIME IS" in text(app))


async def test_ctrl_r_switches_the_model_keeping_cp_output(tmp_path):
    app = ConsoleApp(System(tmp_path, logon_delay=0.01))
    async with app.run_test(size=(140, 50)) as pilot:
        await enter_line(pilot, "logon operator operator")
        await until(pilot, lambda: "LOGON AT" in text(app))
        t = app.terminal(1)
        await pilot.press("ctrl+r")  # model 3: 32 x 80
        await until(pilot, lambda: t.model.rows == 32)
        assert "LOGON AT" in text(app) and t.model.row_text(31)[-20:].strip() == "CP READ"
        await pilot.press("ctrl+r")  # model 4: 43 x 80
        await until(pilot, lambda: t.model.rows == 43)
        await enter_line(pilot, "query terminal")
        await until(pilot, lambda: "LINEND" in text(app))
        assert app.system.find_user("OPERATOR").services.fullscreen_size() == (43, 80)
        await pilot.press("ctrl+r")  # model 5: 27 x 132
        await until(pilot, lambda: (t.model.rows, t.model.cols) == (27, 132))
        await pilot.press("ctrl+r")  # and back to model 2
        await until(pilot, lambda: (t.model.rows, t.model.cols) == (24, 80))
        assert "LINEND" in text(app)


def test_the_command_line_chooses_the_model():
    from vm370.console import parse_args

    assert parse_args(["--model", "4"]).model == 4
    assert parse_args([]).model == 2


async def test_the_model_key_is_refused_while_a_full_screen_program_owns_the_display():
    from tests.cp.termkit import FakeSystem

    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        display = app.displays[0]
        display.console.fullscreen(bytes([0xF5, 0xC3]) + b"\x11\x40\x40" + b"\xc1")
        await pilot.press("ctrl+r")
        t = app.terminal(1)
        assert t.refused and (t.model.rows, t.model.model) == (24, 2)


async def test_a_narrow_window_shows_the_columns_around_the_cursor(tmp_path):
    app = ConsoleApp(System(tmp_path, logon_delay=0.01))
    async with app.run_test(size=(40, 12)) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        await pilot.pause()
        t = app.terminal(1)
        assert t.narrow and t.region.width == 40
        assert shown_rows(t)[0].startswith("24x80: rows ")
        await type_line(pilot, "logon operator operator")
        await until(pilot, lambda: "LOGON AT" in text(app))
        await pilot.press(*"query", *["space"] * 40, "x")  # the cursor at column 47
        await pilot.pause()
        assert t.first_col() > 0
        assert shown_rows(t)[-2].rstrip().endswith("x")  # the typed end shows
        assert shown_rows(t)[0].rstrip().endswith("cols 8-47")
