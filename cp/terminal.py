"""The terminal contract: how CP talks to any terminal, and how a terminal talks to CP.

CP's console is line mode (docs/interfaces.md section 4).  A terminal is
anything that can show a line, show a status word and take input: the 3270
console manager (``cp.console3270``) builds 3270 screens on top of it for the
Textual console and the TN3270 server; ``LineTerminal`` below is the plain
in-memory one used by tests and by ``vm370 ipl``.

CP calls on the terminal::

    put_line(text, alarm=False)   one output line (alarm: ring the bell, e.g. MSG)
    set_status(word)              "CP READ", "VM READ", "RUNNING" (the 3270 status area)
    ask_password(prompt)          show prompt; the next line entered is not echoed
    fullscreen(data)              a DIAGNOSE X'58' full-screen write (3270 data stream)
    clear_output()                DIAGNOSE X'58' display control: erase the output area
    display(row, lines)           DIAGNOSE X'58' display: lines from output-area row ``row``
    closed()                      CP ended the connection (LOGOFF, FORCE, SHUTDOWN)
    peer                          (attribute) the client's host:port, or LOCAL

The terminal calls on CP::

    session = system.connect(terminal)
    session.enter(line)           the user pressed ENTER with this input line
    session.attention()           PA1 / break: enter CP (CP READ)
    session.fullscreen_input(data) the 3270 inbound data after a full-screen write
    session.hangup()              the connection dropped: the user is disconnected,
                                  the virtual machine keeps running

All calls are plain (non-blocking) method calls made on the event loop's thread.
"""

from __future__ import annotations

from typing import Protocol

#: Status words CP shows in the screen status area (VM/370 CP Command Reference,
#: "The 3270 screen status area").
CP_READ = "CP READ"
VM_READ = "VM READ"
RUNNING = "RUNNING"


class Session(Protocol):
    """What a terminal holds after ``system.connect(terminal)`` (see cp.logon)."""

    def enter(self, line: str) -> None: ...
    def attention(self) -> None: ...
    def fullscreen_input(self, data: bytes) -> None: ...
    def hangup(self) -> None: ...


class Terminal:
    """Base class for terminals; subclasses override what they can show.

    ``address`` is the terminal address QUERY NAMES shows for the user
    (a real system shows the line address, e.g. ``0C1``); ``kind`` is the
    device type CP reports for the console (``3215`` line mode, ``3278`` for
    a 3270 display), ``width`` the line length.  ``peer`` is where the
    terminal is for the system log and the password throttle: the
    client's ``host:port`` for a TN3270 display, ``LOCAL`` for a console of
    this process.
    """

    address = "L001"
    peer = "LOCAL"
    kind = "3215"
    width = 80
    #: Rows of the output area (a 3278 model 2: 24 rows less the input area).
    out_rows = 22

    def put_line(self, text: str, alarm: bool = False) -> None:
        raise NotImplementedError

    def set_status(self, word: str) -> None:
        pass

    def ask_password(self, prompt: str) -> None:
        self.put_line(prompt)

    def fullscreen(self, data: bytes) -> None:
        pass

    def clear_output(self) -> None:
        """Erase the output area.  A line terminal (typewriter, 3215) has
        nothing to erase: the default does nothing."""

    def display(self, row: int, lines: list[str]) -> None:
        """Show ``lines`` from output-area row ``row`` on.  A line terminal
        cannot position its output: the default writes the lines in turn."""
        for text in lines:
            self.put_line(text)

    def output_held(self) -> bool:
        """Whether output waits for the user (a 3270 in MORE... or HOLDING).
        A terminal that shows every line at once never holds any."""
        return False

    def closed(self) -> None:
        pass


class LineTerminal(Terminal):
    """An in-memory line terminal: remembers everything CP sent it.

    ``lines`` collects output lines, ``status`` the last status word,
    ``alarms`` how many lines rang the bell, ``password_prompts`` the
    prompts asked for non-displayed input, ``screens`` full-screen writes,
    ``clears`` how often the output area was erased, ``displays`` the
    (row, lines) of each positioned display and ``is_closed`` whether CP
    closed the connection.
    """

    _next_address = 0

    def __init__(
        self, address: str | None = None, kind: str = "3215", echo=None, peer: str = "LOCAL"
    ):
        self.peer = peer
        self.lines: list[str] = []
        self.status = ""
        self.alarms = 0
        self.password_prompts: list[str] = []
        self.screens: list[bytes] = []
        self.clears = 0
        self.displays: list[tuple[int, list[str]]] = []
        self.is_closed = False
        self.kind = kind
        self.echo = echo
        if address is None:
            LineTerminal._next_address += 1
            address = f"L{LineTerminal._next_address:03X}"
        self.address = address

    def put_line(self, text: str, alarm: bool = False) -> None:
        self.lines.append(text)
        if alarm:
            self.alarms += 1
        if self.echo is not None:
            self.echo(text)

    def set_status(self, word: str) -> None:
        self.status = word

    def ask_password(self, prompt: str) -> None:
        self.password_prompts.append(prompt)
        self.put_line(prompt)

    def fullscreen(self, data: bytes) -> None:
        self.screens.append(bytes(data))

    def clear_output(self) -> None:
        self.clears += 1

    def display(self, row: int, lines: list[str]) -> None:
        self.displays.append((row, list(lines)))
        super().display(row, lines)

    def closed(self) -> None:
        self.is_closed = True

    def take(self) -> list[str]:
        """Return the lines shown since the last take() and forget them."""
        out, self.lines = self.lines, []
        return out

    def text(self) -> str:
        """All lines shown so far, joined by newlines (for assertions)."""
        return "\n".join(self.lines)
