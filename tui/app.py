"""The Textual 3270 console of a running system.

``ConsoleApp(system, lifecycle=running)`` paints and handles keys only: the
system is built and run by whoever starts the console (``vm370``, through
``vm370.console``, with a ``vm370.lifecycle.RunningSystem`` as
``lifecycle``).  The console ends when the lifecycle's ``wait()`` returns
(CP's SHUTDOWN, a signal), with the operator's messages; Ctrl+C asks the
lifecycle for the shutdown.  Each tab is one local 3270 display with its own logon; Ctrl+T opens another
(log on as several users at once).  The System tab shows the logged-on
virtual machines, their instruction rate over time and the spool queues.
Ctrl+G shows the key map.  On first start the default system directory is
created and the user ids and passwords it holds are shown.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TabbedContent, TabPane, Tabs

from cp import ds3270 as ds
from tui.local import LocalDisplay, local_address
from tui.panel import SystemPanel
from tui.widget import KEY_HELP, Terminal3270


class HelpScreen(ModalScreen):
    """The key map, and on first start the user ids and passwords."""

    BINDINGS = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("enter", "dismiss_help", "Close"),
        Binding("ctrl+g", "dismiss_help", "Close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 78; height: auto; border: round #40e0e0; background: #101010;
                            padding: 0 1; }
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.text, id="help-text")

    def action_dismiss_help(self) -> None:
        self.dismiss()


def help_text(welcome: list[tuple[str, str]] | None = None, sysdir: str = "") -> str:
    lines = []
    if welcome:
        lines += [
            f"A new system was created in {sysdir}.",
            "",
            "Log on with one of these user ids and passwords:",
        ]
        lines += [f"    LOGON {u:<9} password {p}" for u, p in welcome]
        lines += [""]
    lines += ["3270 keys:"]
    lines += [f"  {key:<20} {what}" for key, what in KEY_HELP]
    lines += [
        "",
        "Console:",
        "  Ctrl+T  new session   Ctrl+W  close session (disconnects)   Ctrl+N  next tab",
        "  Ctrl+G  this help     Ctrl+Q  quit   Ctrl+R  next 3270 model (2-5)",
        "  Ctrl+C  shut the system down",
        "",
        "Esc / Enter closes this window.",
    ]
    return "\n".join(lines)


class ConsoleApp(App):
    """The Textual 3270 console of one running system."""

    TITLE = "VM/370"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { background: #000000; }
    TabPane { padding: 0; }
    """
    BINDINGS = [
        Binding("ctrl+t", "new_session", "New session", priority=True),
        Binding("ctrl+g", "help", "Help (keys)", priority=True),
        Binding("ctrl+n", "next_tab", "Next tab", priority=True),
        Binding("ctrl+w", "close_session", "Close session", priority=True),
        Binding("ctrl+r", "next_model", "3270 model", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+c", "shutdown", "Shut down", priority=True, show=False),
    ]
    #: Rows besides the 3270 screen: tab bar (2), footer (1), OIA (1).
    TAB_ROWS, FOOTER_ROWS = 2, 1

    def __init__(
        self,
        system,
        *,
        lifecycle=None,
        model: int = 2,
        welcome: list[tuple[str, str]] | None = None,
        sysdir: str = "",
        more_seconds: float = 60.0,
        panel_interval: float = 1.0,
    ):
        super().__init__()
        self.system = system
        self.lifecycle = lifecycle
        self.model = model
        self.welcome = welcome
        self.sysdir = sysdir
        self.more_seconds = more_seconds
        self.panel_interval = panel_interval
        self.displays: list[LocalDisplay] = []
        self.opened = 0  # sessions opened so far (numbers and addresses)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("System", id="system"):
                yield SystemPanel(self.system, interval=self.panel_interval, id="panel")
        yield Footer()

    async def on_mount(self) -> None:
        if self.lifecycle is not None:
            self.run_worker(self._end_with_the_system(), exclusive=False)
        await self.action_new_session()
        if self.welcome:
            self.push_screen(HelpScreen(help_text(self.welcome, self.sysdir)))

    async def action_new_session(self) -> None:
        """Open one more 3270 display (a new tab) showing the logon screen."""
        self.opened += 1
        number = self.opened
        widget_box: list[Terminal3270] = []
        display = LocalDisplay(
            self.system,
            local_address(number - 1),
            model=self.model,
            more_seconds=self.more_seconds,
            changed=lambda: widget_box and widget_box[0].screen_changed(),
        )
        widget = Terminal3270(
            display.screen, display.aid, label=display.address, id=f"term{number}"
        )
        widget_box.append(widget)
        self.displays.append(display)
        tabs = self.query_one("#tabs", TabbedContent)
        await tabs.add_pane(
            TabPane(f"Session {number} ({display.address})", widget, id=f"session{number}"),
            before="system",
        )
        tabs.active = f"session{number}"
        display.start()
        widget.focus()
        self.fit(self.size.height)

    async def action_close_session(self) -> None:
        """Close the session in front: like switching the terminal off, the
        user is disconnected and the virtual machine keeps running."""
        tabs = self.query_one("#tabs", TabbedContent)
        if not tabs.active.startswith("session"):
            return
        pane = tabs.get_pane(tabs.active)
        widget = pane.query_one(Terminal3270)
        display = next(d for d in self.displays if d.screen is widget.model)
        display.hangup()
        self.displays.remove(display)
        await tabs.remove_pane(tabs.active)

    async def _end_with_the_system(self) -> None:
        """The console ends when the system does (CP's SHUTDOWN, a signal,
        Ctrl+C), showing the operator's shutdown messages."""
        await self.lifecycle.wait()
        lines: list[str] = []
        self.lifecycle.shutdown(lines.append)
        self.exit(return_code=0, message="\n".join(lines) or "VM/370 SHUTDOWN COMPLETE")

    def action_shutdown(self) -> None:
        """Ctrl+C: shut the system down as CP's SHUTDOWN does, whatever the
        guests are doing (the console then ends with the operator's
        messages); without a lifecycle to ask, the console just ends."""
        if self.lifecycle is not None:
            self.lifecycle.request_shutdown()
        else:
            self.exit(return_code=0)

    def action_next_model(self) -> None:
        """The session in front becomes the next 3270 model (2, 3, 4, 5, 2 ...)."""
        tabs = self.query_one("#tabs", TabbedContent)
        if not tabs.active.startswith("session"):
            return
        widget = tabs.get_pane(tabs.active).query_one(Terminal3270)
        display = next(d for d in self.displays if d.screen is widget.model)
        models = sorted(ds.MODEL_SIZES)
        following = models[(models.index(display.screen.model) + 1) % len(models)]
        widget.refused = not display.set_model(following)
        widget.refresh(layout=True)
        self.fit(self.size.height)

    def action_next_tab(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane)]
        if panes:
            tabs.active = panes[(panes.index(tabs.active) + 1) % len(panes)]

    def on_resize(self, event) -> None:
        self.fit(event.size.height)

    def fit(self, height: int) -> None:
        """Keep the whole 3270 screen visible on a small window: leave out the
        footer, then the tab bar (Ctrl+N still switches), then the OIA."""
        rows = max((d.screen.rows for d in self.displays), default=24)
        spare = height - rows
        self.query_one(Footer).display = spare >= self.FOOTER_ROWS + self.TAB_ROWS + 1
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.query_one(Tabs).display = spare >= self.TAB_ROWS + 1
        for widget in self.query(Terminal3270):
            widget.set_show_oia(spare >= 1)
            widget.set_max_rows(None if spare >= 0 else height)
            widget.set_max_cols(self.size.width)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_text()))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        for widget in event.pane.query(Terminal3270):
            widget.focus()

    def terminal(self, number: int) -> Terminal3270:
        return self.query_one(f"#term{number}", Terminal3270)

    def on_unmount(self) -> None:
        for display in self.displays:
            display.hangup()  # users are disconnected, as on a dropped line
