"""A demo in the Textual console: the Demo tab tells the story and shows
the transcript; each user the demo drives gets a 3270 session tab of its
own, typed into as a person would, so the audience sees every screen; the
System tab shows CP sharing the CPU.  Ctrl+Q (or Ctrl+C) ends the demo and
the system with it.  ``vm370 demo`` and ``vm370 tour`` start here
(demo_main, tour_main): the front end on top of the demos' scripts.
"""

from __future__ import annotations

import asyncio
import sys

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, RichLog, Static, TabbedContent, TabPane, Tabs

from cp import ds3270 as ds
from tui.app import ConsoleApp
from tui.panel import SystemPanel
from vm370 import demo as demos
from vm370 import tour as tours
from vm370.demo import explanation, run_script
from vm370.lifecycle import CannotStart
from vm370.stage import DemoError, running_system
from vm370.tour import Guide, put_tour_exec

#: Seconds a full 3270 screen waits in MORE... before CP clears it: short,
#: so a demo never stands still in front of an audience.
DEMO_MORE_SECONDS = 3.0
GREENBAR = "on #1f3d1f"


#: How often a demo's console looks whether CP's SHUTDOWN ended its system.
SHUTDOWN_POLL_SECONDS = 0.5


def ended_with_the_system(app) -> None:
    """A demo's console ends when CP's SHUTDOWN ends its system (the demo
    starts and stops the system itself: vm370.stage.running_system)."""
    if app.system.shut_down:
        app.exit(message="VM/370 SHUTDOWN COMPLETE")


class ScreenSeat:
    """A demo actor's seat at a local 3270 display of the console: lines
    are typed into the input field and entered with ENTER; what CP writes
    on the screen's output area is also shown to the demo (``shown``)."""

    def __init__(self, display, shown):
        self.display = display
        console = display.console
        put_line = console.put_line

        def put_and_show(text: str, alarm: bool = False) -> None:
            put_line(text, alarm)
            shown(text)

        console.put_line = put_and_show

    def enter(self, line: str) -> None:
        screen = self.display.screen
        screen.home()
        screen.erase_eof()
        screen.type_text(line)
        self.display.aid(ds.AID_ENTER)

    @property
    def status(self) -> str:
        return self.display.console.cp_status


class DemoApp(ConsoleApp):
    """The console with a Demo tab in front, playing one demo."""

    BINDINGS = ConsoleApp.BINDINGS + [Binding("ctrl+c", "quit", "Quit", priority=True)]

    def __init__(self, system, demo, options, **kwargs):
        kwargs.setdefault("more_seconds", DEMO_MORE_SECONDS)
        super().__init__(system, **kwargs)
        self.demo, self.options = demo, options
        self.stage = None
        self.finished = False
        self.failure: str | None = None
        self._printer_lines = 0

    def compose(self):
        with TabbedContent(id="tabs"):
            with TabPane("Demo", id="demo"), Vertical():
                yield Static("\n".join(explanation(self.demo)), id="story", markup=False)
                yield RichLog(id="transcript", wrap=True, max_lines=5000)
            with TabPane("System", id="system"):
                yield SystemPanel(self.system, interval=self.panel_interval, id="panel")
        yield Footer()

    async def on_mount(self, event) -> None:
        event.prevent_default()  # no empty logon session of ConsoleApp's: the demo opens them
        self.set_interval(SHUTDOWN_POLL_SECONDS, lambda: ended_with_the_system(self))
        self.run_worker(self.play(), exclusive=True)

    async def seat(self, system, shown, userid):
        """A new session tab for the demo's next user."""
        await self.action_new_session()
        return ScreenSeat(self.displays[-1], shown)

    def show(self, line: str) -> None:
        """A transcript line on the Demo tab; printer output on greenbar."""
        log = self.query_one("#transcript", RichLog)
        if line.startswith("PRINTER"):
            band = (self._printer_lines // 3) % 2
            self._printer_lines += 1
            log.write(Text(line[10:].ljust(132), style=GREENBAR if band else ""))
            return
        self._printer_lines = 0
        log.write(Text(line, style="bold #40e0e0" if line.startswith("--") else ""))

    async def play(self) -> None:
        pace = 1.0 if self.options.pace is None else self.options.pace
        try:
            self.stage = await run_script(
                self.demo,
                self.system,
                self.options,
                pace=pace,
                seat_factory=self.seat,
                listeners=[self.show],
            )
            self.show(
                "-- The demo is over.  Look around (Ctrl+N: next tab, the Demo tab "
                "has the story); Ctrl+Q ends it."
            )
        except DemoError as err:
            self.failure = str(err)
            self.show(f"-- The demo stopped: {err}")
        self.show_tab(self.demo.finale if self.failure is None else "demo")
        self.finished = True

    def show_tab(self, pane: str) -> None:
        """Bring a tab to the front.  The tab bar takes the focus first: a
        3270 session keeping it would bring its own tab back."""
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.query_one(Tabs).focus()
        self.call_after_refresh(setattr, tabs, "active", pane)


async def run_console(demo, options) -> int:
    async with running_system(options.system) as system:
        app = DemoApp(system, demo, options)
        await app.run_async()
    return 0 if app.failure is None else 1


class TourApp(ConsoleApp):
    """The console with a Tour tab: the steps, and one 3270 session the
    user types into; the tour follows what the session is shown."""

    BINDINGS = ConsoleApp.BINDINGS + [Binding("ctrl+c", "quit", "Quit", priority=True)]

    def __init__(self, system, **kwargs):
        super().__init__(system, **kwargs)
        self.guide = Guide(system, changed=self.refresh_tour)

    def compose(self):
        with TabbedContent(id="tabs"):
            with TabPane("Tour", id="tour"):
                yield Static(self.guide.text(), id="steps", markup=False)
            with TabPane("System", id="system"):
                yield SystemPanel(self.system, interval=self.panel_interval, id="panel")
        yield Footer()

    async def on_mount(self, event) -> None:
        event.prevent_default()  # the tour opens its one session itself
        self.set_interval(SHUTDOWN_POLL_SECONDS, lambda: ended_with_the_system(self))
        self.set_interval(SHUTDOWN_POLL_SECONDS, self.guide.check)  # state, not only lines
        put_tour_exec(self.system)
        await self.action_new_session()
        ScreenSeat(self.displays[-1], self.guide.shown)
        self.query_one("#tabs", TabbedContent).active = "tour"

    def refresh_tour(self) -> None:
        self.query_one("#steps", Static).update(self.guide.text())


async def run_tour(options) -> int:
    async with running_system(options.system) as system:
        app = TourApp(system)
        await app.run_async()
    return 0


def demo_main(argv: list[str] | None = None) -> int:
    """``vm370 demo [NAME]``: list the demos, or run one (headless, served or in the console)."""
    options = demos.parse_args(list(sys.argv[1:] if argv is None else argv))
    if options.name is None:
        print("VM/370 demos (vm370 demo NAME):")
        print("\n".join(demos.list_text()))
        return 0
    demo = demos.DEMOS.get(options.name.lower())
    if demo is None:
        print(f"vm370 demo: no demo named {options.name!r}; the demos are:", file=sys.stderr)
        print("\n".join(demos.list_text()), file=sys.stderr)
        return 2
    if demo.script is None:
        print(f"vm370 demo: {demo.title} is not ready yet: it needs {demo.needs}.", file=sys.stderr)
        return 3
    try:
        if options.headless:
            asyncio.run(demos.run_headless(demo, options))
            return 0
        if options.serve:
            return asyncio.run(demos.run_served(demo, options))
        return asyncio.run(run_console(demo, options))
    except KeyboardInterrupt:
        print("vm370 demo: interrupted; the system is shut down", file=sys.stderr)
        return 130
    except DemoError as err:
        print(f"vm370 demo: {err}", file=sys.stderr)
        return 1
    except (OSError, CannotStart) as err:
        print(f"vm370 demo: {err}", file=sys.stderr)
        return 1


def tour_main(argv: list[str] | None = None) -> int:
    """``vm370 tour``: the guided tour in the console."""
    options = tours.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return asyncio.run(run_tour(options))
    except KeyboardInterrupt:
        print("vm370 tour: interrupted; the system is shut down", file=sys.stderr)
        return 130
    except (OSError, CannotStart) as err:
        print(f"vm370 tour: {err}", file=sys.stderr)
        return 1
