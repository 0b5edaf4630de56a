"""``vm370 tour``: the guide goes on only when a step really happened,
and the commands each step gives do make it happen."""

from vm370.demo_console import TourApp
from vm370.stage import Stage, running_system
from vm370.tour import STEPS, USER, Guide, put_tour_exec


async def test_the_commands_of_every_step_complete_the_tour():
    async with running_system() as system:
        guide = Guide(system)
        stage = Stage(system, listeners=[])
        put_tour_exec(system)
        actor = await stage.user(USER)
        actor.shown = lambda text, shown=actor.shown: (shown(text), guide.shown(text))
        actor.seat.terminal.echo = actor.shown
        assert guide.step is STEPS[0]
        await actor.type("CP QUERY NAMES")  # not logged on: nothing happens
        assert guide.index == 0
        await actor.logon()
        assert guide.index == 1
        await actor.type("QUERY DISK", until=r"^Ready")
        assert guide.index == 1  # QUERY DISK alone is not the step
        for number, step in enumerate(STEPS[1:], start=1):
            for command in step.commands:
                if command == "LOGOFF":
                    await actor.type(command, until=r"^LOGOFF AT")
                else:
                    await actor.type(command, until=r"^Ready")
            if step.title == "Batch":
                await actor.wait_for(r"SENT FROM CMSBATCH", start=0)
            assert guide.index == number + 1, (step.title, guide.step_lines())
        assert guide.finished
        assert "The tour is complete" in guide.text()


async def test_the_tour_console_shows_the_step_and_follows_the_session():
    async with running_system() as system:
        app = TourApp(system)
        async with app.run_test(size=(100, 34)) as pilot:
            await pilot.pause(0.2)
            steps = str(app.query_one("#steps").render())
            assert "[NOW ] 1. Log on" in steps and "LOGON ALICE" in steps
            assert len(app.displays) == 1
            display = app.displays[0]
            from vm370.demo_console import ScreenSeat

            seat = ScreenSeat.__new__(ScreenSeat)
            seat.display = display
            seat.enter("LOGON ALICE ALICE")
            for _ in range(100):
                if app.guide.index:
                    break
                await pilot.pause(0.05)
            assert app.guide.index == 1
            assert "[done] 1. Log on" in str(app.query_one("#steps").render())
            await app.run_action("quit")
            await pilot.pause(0.1)
