"""A demo in the Textual console: the Demo tab tells the story, every user
the demo drives has a 3270 session tab that was typed into, and quitting
ends the demo and its system."""

import argparse

from vm370.demo import DEMOS
from vm370.demo_console import DemoApp
from vm370.stage import running_system


def options():
    return argparse.Namespace(pace=0.0, pdf=None, system=None)


async def play(pilot, app, limit=600):
    for _ in range(limit):
        if app.finished:
            return
        await pilot.pause(0.1)
    raise AssertionError("the demo did not finish")


async def test_many_machines_in_the_console():
    async with running_system() as system:
        app = DemoApp(system, DEMOS["machines"], options())
        async with app.run_test(size=(100, 34)) as pilot:
            await play(pilot, app)
            assert app.failure is None
            story = str(app.query_one("#story").render())
            assert "Many machines, one CPU" in story and "1972" in story
            assert len(app.displays) == 4  # ALICE, BOB, CMSUSER, OPERATOR
            screens = [d.screen.text() for d in app.displays]
            assert "SPIN: COUNTING FOR EVER" in screens[1]  # BOB's 3270 shows his program
            assert "IPL 00C" in screens[1]  # typed on the screen, echoed
            assert any("BOB      RUN" in line for line in app.stage.transcript)
            await pilot.pause(0.3)
            assert app.query_one("#tabs").active == "system"  # the panel: CP sharing the CPU
            # Ctrl+C quits the demo (a priority binding: Textual's own Ctrl+C copies)
            assert any(
                b.key == "ctrl+c" and b.action == "quit" and b.priority for b in DemoApp.BINDINGS
            )
            await app.run_action("quit")
            await pilot.pause(0.2)
        assert not app.is_running
    assert system.shut_down  # and the system with it
