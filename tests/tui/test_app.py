"""The Textual console driven with the pilot: typing, PF keys, a logon, the
status area, a second session, the system panel and the help key."""

from cp import ds3270 as ds
from cp.system import System
from tests.cp.termkit import FakeSystem, stand_in_vm
from tests.tui.tuikit import SIZE, enter_line, status, text, type_line, until
from tui.app import ConsoleApp
from vm370.lifecycle import RunningSystem, default_users


async def test_logon_screen_typing_and_logon():
    app = ConsoleApp(FakeSystem(), panel_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        assert "TERMINAL 0C" in text(app) and status(app) == "CP READ"
        assert app.focused is app.terminal(1)
        await type_line(pilot, "logon maint")
        await until(pilot, lambda: "ENTER PASSWORD:" in text(app))
        await type_line(pilot, "cpcms")
        await until(pilot, lambda: "LOGON AT" in text(app))
        assert "cpcms" not in text(app)


async def test_editing_keys_in_the_input_area():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        t = app.terminal(1)
        await pilot.press("a", "b", "c", "d", "left", "left", "backspace")
        assert t.model.field_at_text(t.model.cursor) == "acd"
        await pilot.press("insert", "x")
        assert t.model.field_at_text(t.model.cursor) == "axcd" and t.model.insert_mode
        assert "^" in t.oia_text() and "0C0" in t.oia_text()
        await pilot.press("home", "delete")
        assert t.model.field_at_text(t.model.cursor) == "xcd"
        await pilot.press("right", "ctrl+e")
        assert t.model.field_at_text(t.model.cursor) == "x"
        await pilot.press("tab")  # one input field: tab comes back to it
        assert t.model.cursor == 22 * 80 and app.focused is t
        await pilot.press("ctrl+u")
        assert t.model.field_at_text(t.model.cursor) == ""


async def test_pf_keys_pa1_clear_and_the_status_area():
    system = FakeSystem()
    app = ConsoleApp(system, more_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon maint cpcms")
        session = app.displays[0].console.session
        await enter_line(pilot, "lines 30")
        await until(pilot, lambda: status(app) == "MORE...")
        await pilot.press("enter")  # empty ENTER: HOLDING
        await until(pilot, lambda: status(app) == "HOLDING")
        await pilot.press("escape")  # CLEAR
        await until(pilot, lambda: "LINE 030" in text(app) and status(app) == "CP READ")
        await pilot.press("f12")  # RETRIEVE
        t = app.terminal(1)
        assert t.model.field_at_text(22 * 80) == "lines 30"
        await pilot.press("ctrl+p")  # PA1
        await until(pilot, lambda: session.attentions == 1)
        await pilot.press("f12")  # RETRIEVE goes further back
        assert t.model.field_at_text(22 * 80) == "logon maint"  # never the password
        await pilot.press("f12", "f7")  # round again; unset PF key: like ENTER
        await until(pilot, lambda: session.entered[-1] == "lines 30")


async def test_a_second_session_gets_a_message_with_the_alarm():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon maint cpcms")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: len(app.displays) == 2 and app.focused is app.terminal(2))
        assert app.displays[0].address != app.displays[1].address
        await enter_line(pilot, "logon cmsuser cmsuser")
        await until(pilot, lambda: "LOGON AT" in text(app, 2))
        app.query_one("#tabs").active = "session1"
        await until(pilot, lambda: app.focused is app.terminal(1))
        await enter_line(pilot, "msg cmsuser hi there")
        await until(pilot, lambda: "MSG FROM MAINT: hi there" in text(app, 2))
        assert app.terminal(2).model.alarm_count == 1 and status(app, 2) == "HOLDING"


async def test_help_key_shows_the_key_map_and_closes():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        shown = str(app.screen.query_one("#help-text").render())
        assert "PA1" in shown and "Shift+F1-F12" in shown
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.__class__.__name__ != "HelpScreen")


async def test_first_start_shows_the_default_users(tmp_path):
    system = System(tmp_path)
    users = default_users(system)
    assert ("MAINT", "CPCMS") in users
    assert all(p not in ("NOLOG", "AUTOONLY") for _, p in users)  # no service machines
    app = ConsoleApp(system, welcome=users, sysdir=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        shown = str(app.screen.query_one("#help-text").render())
        assert "LOGON MAINT" in shown and "CPCMS" in shown and str(tmp_path) in shown


async def test_system_panel_lists_vms_state_and_spool(tmp_path):
    system = System(tmp_path, logon_delay=0.01)
    app = ConsoleApp(system, panel_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon operator operator noipl")
        await until(pilot, lambda: "LOGON AT" in text(app))
        app.query_one("#tabs").active = "system"
        table = app.query_one("#vms")
        await until(pilot, lambda: table.row_count == 1)
        row = table.get_row_at(0)
        assert row[0] == "OPERATOR" and row[1] == app.displays[0].address and row[2] == "CP READ"
        spool = str(app.query_one("#spool").render())
        assert "RDR 0" in spool and "PRT" in spool
        assert len(app.query_one("#rate").data) > 0


async def test_shifted_function_keys_are_pf13_to_pf24_and_a_click_moves_the_cursor():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon maint cpcms")
        session = app.displays[0].console.session
        session.vm = stand_in_vm(pf={13: "IMMED PF THIRTEEN", 24: "IMMED PF TWENTYFOUR"})
        await pilot.press("shift+f1")
        await until(pilot, lambda: session.entered[-1] == "PF THIRTEEN")
        await pilot.press("f24")
        await until(pilot, lambda: session.entered[-1] == "PF TWENTYFOUR")
        t = app.terminal(1)
        offset = t.region.offset
        await pilot.click(offset=(offset.x + 5, offset.y + 23))
        assert t.model.cursor == 23 * 80 + 5


async def test_the_console_ends_when_cp_shuts_down(tmp_path):
    with RunningSystem(tmp_path, make_system=System, signals=False, logon_delay=0.01) as running:
        app = ConsoleApp(running.system, lifecycle=running)
        async with app.run_test(size=SIZE) as pilot:
            await enter_line(pilot, "logon operator operator")
            await until(pilot, lambda: "LOGON AT" in text(app))
            await enter_line(pilot, "shutdown")
            await until(pilot, lambda: app.return_code == 0)
        assert running.system.shut_down


async def test_tab_and_shift_tab_move_between_a_full_screen_guests_fields():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon maint cpcms")
        await until(pilot, lambda: "LOGON AT" in text(app))
        form = (
            bytes([ds.CMD_EW, 0xC3])
            + ds.order_sf(ds.FA_PROTECTED)
            + b"\xd5\xc1\xd4\xc5"
            + ds.order_sf(0)
            + ds.ORDER_IC_BYTES
            + ds.order_sba(20)
            + ds.order_sf(ds.FA_PROTECTED)
            + ds.order_sba(80)
            + ds.order_sf(ds.FA_NUMERIC)
            + ds.order_sba(90)
            + ds.order_sf(ds.FA_PROTECTED)
        )
        app.displays[0].console.fullscreen(form)
        t = app.terminal(1)
        await pilot.pause()
        assert t.model.cursor == 6
        await pilot.press("a", "tab")
        assert t.model.cursor == 81
        await pilot.press("x")  # a numeric field refuses letters
        assert t.refused and "X -f" in t.oia_text()
        await pilot.press("4", "2", "shift+tab")
        assert t.model.cursor == 81
        await pilot.press("shift+tab")
        assert t.model.cursor == 6
        await pilot.press("f5")
        session = app.displays[0].console.session
        inbound = ds.parse_inbound(session.fullscreen_inputs[-1])
        assert inbound.name == "PF5" and inbound.fields == [(6, b"\x81"), (81, b"\xf4\xf2")]


async def test_a_24_line_window_still_shows_the_whole_3270_screen():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        t = app.terminal(1)
        assert t.region.y == 0 and t.region.height == 24 and not t.show_oia
        await pilot.press("ctrl+n")  # tabs hidden: Ctrl+N switches
        assert app.query_one("#tabs").active == "system"
        await pilot.press("ctrl+n")
        assert app.query_one("#tabs").active == "session1"
    async with ConsoleApp(FakeSystem()).run_test(size=(80, 28)) as pilot:
        await pilot.pause()
        t = pilot.app.terminal(1)
        assert t.show_oia and t.region.y == 2 and t.region.height == 25


async def test_closing_a_session_disconnects_its_user_and_new_ones_get_new_addresses(tmp_path):
    system = System(tmp_path, logon_delay=0.01)
    app = ConsoleApp(system)
    async with app.run_test(size=SIZE) as pilot:
        await enter_line(pilot, "logon operator operator")
        await until(pilot, lambda: "LOGON AT" in text(app))
        await pilot.press("ctrl+w")
        await until(pilot, lambda: not app.displays)
        assert system.find_user("OPERATOR").session is None  # disconnected, VM kept
        await pilot.press("ctrl+t")
        await until(pilot, lambda: len(app.displays) == 1)
        assert app.displays[0].address == "0C1"
        await enter_line(pilot, "logon operator operator")
        await until(pilot, lambda: "RECONNECTED AT" in text(app, 2))


async def test_a_model_4_console_uses_43_rows():
    app = ConsoleApp(FakeSystem(), model=4)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        t = app.terminal(1)
        assert (t.model.rows, t.model.cols) == (43, 80) and t.region.height == 44
        assert t.model.row_text(42)[-20:].strip() == "CP READ"


async def test_keys_the_terminal_does_not_know_are_ignored_not_a_crash():
    app = ConsoleApp(FakeSystem())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        await pilot.press("euro_sign", "ctrl+b", "f13", "x")
        await pilot.pause(0.1)
        assert app.is_running
        m = app.terminal(1).model
        assert "x" in m.row_text(m.cursor // m.cols)
