"""Ctrl+C at the Textual console shuts the system down as CP's SHUTDOWN does,
while a guest runs a tight loop: users logged off, spool closed, the console
ends with the operator's messages."""

from decks.build import LOAD_ADDRESS
from s390.asm import assemble
from s390.asm.ipldeck import build_ipl_deck
from tests.cp.cpkit import make_system
from tests.tui.tuikit import SIZE, enter_line, status, text, until
from tui.app import ConsoleApp
from vm370.lifecycle import RunningSystem

LOOP = """\
LOOPER   CSECT
         BALR  12,0
         USING *,12
LOOP     B     LOOP
         END   LOOPER
"""


def loop_cards():
    result = assemble(LOOP, origin="loop.asm")
    assert result.rc == 0
    return build_ipl_deck([result.deck], LOAD_ADDRESS).cards


async def test_ctrl_c_shuts_the_system_down_while_a_guest_loops(tmp_path):
    running = RunningSystem(tmp_path, make_system=make_system, signals=False, logon_delay=0.0)
    system = running.start()
    system.spool.add_closed("OPERATOR", "PUN", [(0x01, c) for c in loop_cards()], owner="ALICE")
    app = ConsoleApp(system, lifecycle=running)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "VM/370 ONLINE" in text(app))
        await enter_line(pilot, "logon alice alicepw")
        await until(pilot, lambda: "LOGON AT" in text(app))
        await enter_line(pilot, "ipl 00c")
        await until(pilot, lambda: status(app) == "RUNNING")
        alice = system.find_user("ALICE")
        started = alice.cpu.instructions
        await until(pilot, lambda: alice.cpu.instructions > started)  # it loops
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app.return_code == 0)
    running.close()
    assert system.shut_down and system.find_user("ALICE") is None
    assert alice.guest_task is None
    log = (tmp_path / "log" / "system.log").read_text()
    assert "LOGOFF ALICE SYSTEM SHUTDOWN" in log and log.rstrip().endswith("SHUTDOWN")
