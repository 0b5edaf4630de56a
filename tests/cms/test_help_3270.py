"""HELP on a 3270 display of the real CP: the panels go through the
full-screen path (DIAGNOSE X'58' write and read, Console3270), the keys come
back from the display, and CP's console layout returns when HELP ends."""

import asyncio
import re

from cp import ds3270 as ds
from tests.cms.cmskit import User
from tests.cp.screenkit import Display


async def until(condition, timeout=30.0):
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


def shows(display, text):
    return lambda: text in display.text()


def cursor_on(display, word):
    screen = display.screen
    for row in reversed(range(screen.rows)):
        found = re.search(rf"(?<!\S){word}(?!\S)", screen.row_text(row))
        if found:
            screen.cursor = row * screen.cols + found.start()
            return
    raise AssertionError(word)


async def test_help_panels_on_a_3270_and_back_to_cms(system):
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await until(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await until(lambda: vm.console.read_pending)
    d.type("HELP")
    await until(shows(d, "MENU OF HELP MENUS"))
    assert d.console.fullscreen_mode
    cursor_on(d, "CP")
    d.key(ds.AID_ENTER)
    await until(shows(d, "CP HELPMENU"))
    cursor_on(d, "Query")
    d.key(ds.AID_ENTER)
    await until(shows(d, "QUERY (CP command"))
    d.key(ds.AID_PF[4])  # leave HELP
    await until(lambda: not d.console.fullscreen_mode and "Ready;" in d.text())
    assert d.status() == "VM READ"


async def test_help_at_a_line_terminal_types_the_same_text(system):
    alice = User(system, "ALICE", "ALICE")
    await alice.cms()
    out = await alice.type("HELP CP QUERY")
    assert out[0] == "QUERY (CP command, privilege class A, B, C, D, E, F, G)"
    assert any(x.startswith("  Query  Names | USERS") for x in out)


async def test_a_message_during_help_then_clear_gives_the_panel_back(system):
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await until(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await until(lambda: vm.console.read_pending)
    d.type("HELP CP LINK")
    await until(shows(d, "LINK (CP command"))
    bob = User(system, "BOB", "BOB")
    await bob.type("CP MSG ALICE lunch?", until="Ready")
    await until(shows(d, "lunch?"))  # CP's layout, the message held
    assert not d.console.fullscreen_mode
    d.key(ds.AID_CLEAR)
    await until(shows(d, "LINK (CP command"))  # HELP draws its panel again
    d.key(ds.AID_PF[3])
    await until(lambda: "Ready;" in d.text())


async def test_help_after_a_dropped_line_comes_back_with_begin_and_clear(system):
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await until(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await until(lambda: vm.console.read_pending)
    d.type("HELP CP LINK")
    await until(shows(d, "LINK (CP command"))
    d.console.hangup()  # the line drops
    await until(lambda: vm.session is None)
    again = Display(system)
    again.type("LOGON ALICE ALICE")
    await until(shows(again, "RECONNECTED AT"))
    again.type("BEGIN")
    await until(lambda: again.status() == "RUNNING")
    again.key(ds.AID_CLEAR)  # the panel is drawn again
    await until(shows(again, "LINK (CP command"))
    again.key(ds.AID_PF[3])
    await until(lambda: "Ready;" in again.text())


async def test_help_left_with_pa1_twice_comes_back_after_begin(system):
    d = Display(system)
    d.type("LOGON ALICE ALICE")
    vm = system.find_user("ALICE")
    await until(lambda: vm.console.read_pending)
    d.type("ACCESS (NOPROF")
    await until(lambda: vm.console.read_pending)
    d.type("HELP CP QUERY")
    await until(shows(d, "QUERY (CP command"))
    d.key(ds.AID_PA[1])  # the first PA1: HELP's to take
    await until(lambda: vm.console.fullscreen_callback is not None)
    d.key(ds.AID_PA[1])  # the second PA1: CP mode
    await until(lambda: d.status() == "CP READ")
    assert not d.console.fullscreen_mode
    d.type("QUERY TIME")
    await until(shows(d, "TIME IS"))
    d.type("BEGIN")
    await until(lambda: d.status() == "RUNNING")
    d.key(ds.AID_CLEAR)
    await until(shows(d, "QUERY (CP command"))
    d.key(ds.AID_PF[4])
    await until(lambda: "Ready;" in d.text())
