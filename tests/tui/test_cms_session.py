"""The Textual console on the standard system (CP + CMS, as ``vm370``
starts it): a user logs on, CMS comes up with its system disks, commands
run, and a deck punched from outside arrives while the console runs."""

from cp.spool import Spool
from cp.spool_cli import punch_deck
from tests.tui.tuikit import SIZE, enter_line, status, text, type_line, until
from tui.app import ConsoleApp
from vm370.lifecycle import RunningSystem


async def test_a_cms_session_on_the_textual_console(tmp_path):
    running = RunningSystem(tmp_path, signals=False, logon_delay=0.0)
    system = running.start()
    app = ConsoleApp(system, lifecycle=running, panel_interval=0.1)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "VM/370 ONLINE" in text(app))
            await enter_line(pilot, "logon cmsuser cmsuser")
            await until(pilot, lambda: status(app) == "VM READ", timeout=10)
            await type_line(pilot, "listfile * maclib s")
            await until(pilot, lambda: "CMSLIB   MACLIB   S2" in text(app))
            await enter_line(pilot, "cp query cmsbatch")
            await until(pilot, lambda: "CMSBATCH - DSC" in text(app))
            punch_deck(Spool.for_system(tmp_path, recover=False), b"ONE\nTWO\n", "CMSUSER")
            await until(pilot, lambda: "RDR FILE" in text(app) and "SENT FROM SYSTEM" in text(app))
            await pilot.press("escape")  # CLEAR: the held screen goes on
            await enter_line(pilot, "receive")
            await until(pilot, lambda: "received from SYSTEM" in text(app))
    finally:
        running.close()
