"""XEDIT on the Textual console, end to end: a user of the standard system
(CP + CMS with its system disks) logs on through the console, edits a new
file on the 3270 screen XEDIT writes (input mode, typing over the data
area, a prefix command, CHANGE, SCHANGE on PF5 and LOCATE), FILEs it,
and the bytes on the A-disk are what was typed."""

from s390.ebcdic import card
from tests.cms.xeditkit import a_disk_file, command_row, row_of
from tests.tui.tuikit import SIZE, enter_line, status, text, type_line, until
from tui.app import ConsoleApp
from vm370.lifecycle import RunningSystem


def model(app):
    return app.terminal(1).model


async def key_in(pilot, line):
    """Key ``line`` where the cursor is, one key at a time (no ENTER)."""
    await pilot.press(*[("space" if ch == " " else ch) for ch in line])


async def at(pilot, row, col):
    """Put the cursor on the screen at (row, col), as a click would."""
    screen = model(pilot.app)
    screen.cursor = screen.pos(row, col)
    await pilot.pause()


async def xedit_command(pilot, line):
    """A command on XEDIT's command line and ENTER (the keying of each
    character is what the input-mode and data-area lines test)."""
    screen = model(pilot.app)
    await at(pilot, command_row(screen), 7)
    await pilot.press("ctrl+e")
    await enter_line(pilot, line)


async def test_xedit_a_new_file_on_the_textual_console(tmp_path):
    running = RunningSystem(tmp_path, signals=False, logon_delay=0.0)
    system = running.start()
    app = ConsoleApp(system, lifecycle=running, panel_interval=0.1)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "VM/370 ONLINE" in text(app))
            await enter_line(pilot, "logon cmsuser cmsuser")
            await until(pilot, lambda: status(app) == "VM READ", timeout=10)
            await type_line(pilot, "xedit demo data a")
            await until(pilot, lambda: " ====>" in text(app) and "New file" in text(app))
            await type_line(pilot, "input")
            await until(pilot, lambda: "Input-mode" in text(app))
            first = model(app).rowcol(model(app).cursor)[0]
            for i, line in enumerate(("alpha line", "beta line", "gamma line")):
                await at(pilot, first + i, 6)
                await key_in(pilot, line)
            await pilot.press("enter")
            await until(pilot, lambda: "Size=3" in text(app))
            await pilot.press("enter")  # ENTER with nothing typed: input mode ends
            await until(pilot, lambda: "Input-mode" not in text(app))
            # A prefix command over =====, and a line typed over in the data area.
            await at(pilot, row_of(model(app), "beta line"), 0)
            await key_in(pilot, "d")
            await at(pilot, row_of(model(app), "gamma line"), 6)
            await key_in(pilot, "GAMMA")
            await pilot.press("enter")
            await until(pilot, lambda: "Size=2" in text(app))
            await xedit_command(pilot, "top")
            await xedit_command(pilot, "change /line/row/ *")
            await until(pilot, lambda: "2 occurrence(s) changed on 2 line(s)" in text(app))
            # PF5 (SCHANGE 6): the CHANGE typed is not run; F5 locates alpha's
            # "row", F5 again changes it and locates GAMMA's, which stays.
            await xedit_command(pilot, "top")
            await at(pilot, command_row(model(app)), 7)
            model(app).type_text("change /row/ROW/")
            await pilot.press("f5")
            await until(pilot, lambda: "Line=1 " in text(app))
            assert "alpha row" in text(app)
            await pilot.press("f5")
            await until(pilot, lambda: "alpha ROW" in text(app) and "Line=2 " in text(app))
            await xedit_command(pilot, "top")
            await until(pilot, lambda: "Line=0 " in text(app))
            await xedit_command(pilot, "locate /GAMMA/")
            await until(pilot, lambda: "Line=2 " in text(app))
            await xedit_command(pilot, "file")
            await until(pilot, lambda: status(app) == "VM READ" and "====>" not in text(app))
            await type_line(pilot, "type demo data a")
            await until(pilot, lambda: "GAMMA row" in text(app))
            assert "alpha ROW" in text(app) and "beta" not in text(app)
            records = a_disk_file(system, "CMSUSER", "DEMO", "DATA")
    finally:
        running.close()
    # XEDIT wrote a RECFM F 80 file: each line padded to 80 bytes of EBCDIC.
    assert records == [card("alpha ROW"), card("GAMMA row")]
