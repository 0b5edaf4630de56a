"""CP's 3270 console: the VM screen layout on top of the line-mode terminal contract.

One :class:`Console3270` per display terminal.  CP sees a ``cp.terminal``
terminal (``put_line``, ``set_status``, ``ask_password``, ``fullscreen``,
``closed``); the display sees 3270 data streams: every outbound record goes
through ``send(record)``, every inbound record comes back through
``receive(record)``.  The TN3270 server and the Textual console are the two
front doors that carry those bytes.

Layout (VM/370 Terminal User's Guide GC20-1810, display terminals; the
project reference §7), for R rows and C columns:

* rows 1 to R-2: the output area, filled top to bottom;
* row R-1 column 1 to row R column C-21: the unprotected input area (139
  characters on an 80-column screen); its attribute byte sits in the last
  column of row R-2;
* row R columns C-19..C: the protected screen status area (VM READ, CP READ,
  RUNNING, MORE..., HOLDING, NOT ACCEPTED).

Output that does not fit waits behind MORE...; CP clears the area after
``more_seconds`` or at once on CLEAR or PA2; ENTER with an empty input area
freezes it (HOLDING).  A line that rings the alarm (a MSG or WNG) holds the
screen so it cannot scroll away unseen.  PA1 enters CP; PF keys do what
``SET PFnn`` says (RETRIEVE recalls earlier input lines).  Full-screen
guests (DIAGNOSE X'58') own the screen until CP has output for the user, as
the VM/SP System Programmer's Guide SC19-6203 describes ("full screen mode").
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from cp import ds3270 as ds
from cp.security import mask_passwords
from cp.terminal import RUNNING, Terminal

log = logging.getLogger(__name__)

MORE = "MORE..."
HOLDING = "HOLDING"
NOT_ACCEPTED = "NOT ACCEPTED"

STATUS_WIDTH = 20  # the status area: the last 20 columns of the last row
RETRIEVE_DEPTH = 10  # input lines RETRIEVE cycles through
ONLINE_BANNER = "VM/370 ONLINE"  # what CP says on connect (cp.logon)
DEFAULT_SYSTEM_NAME = "VM370"  # used when the system has no ``name``

# Attributes of the three fields of the layout.
ATTR_OUTPUT = ds.FA_PROTECTED  # status + output area (one field, wraps)
ATTR_INPUT = 0x00  # unprotected, normal
ATTR_INPUT_HIDDEN = ds.FA_NONDISPLAY  # unprotected, non-display (passwords)

INPUT_COLOR = 0xF4  # green, on a 3279

# The big letters of the logo, drawn from '*' like an installation logo.
LOGO = [
    "  **     **  **     **     *******   *******    *******  ",
    "  **     **  ***   ***        **    **     **  **     ** ",
    "  **     **  **** ****       **           **   **     ** ",
    "   **   **   ** *** **      **        ****     **     ** ",
    "    ** **    **  *  **     **            **    **     ** ",
    "     ***     **     **    **      **     **    **     ** ",
    "      *      **     **   **        ******       *******  ",
]


def pf_action(setting) -> tuple[str, str]:
    """What a ``SET PFnn`` value does: ("RETRIEVE", ""), ("IMMED", text),
    ("DELAYED", text) or ("", "") when the key is not set.  IMMED is the
    default (VM/SP CP Command Reference, SET PFnn)."""
    if not setting:
        return "", ""
    if isinstance(setting, tuple):
        mode, text = setting
        return str(mode).upper(), text
    text = str(setting).strip()
    word, _, rest = text.partition(" ")
    if word.upper() == "RETRIEVE" and not rest:
        return "RETRIEVE", ""
    if word.upper() in ("IMMED", "DELAYED"):
        return word.upper(), rest.strip()
    return "IMMED", text


def echo_text(line: str, linend: str | None = "#", logged_on: bool = False) -> str:
    """The input line as the output area shows it and RETRIEVE gives it
    back: never with a password (LOGON at the logon screen; LINK, XAUTOLOG
    once logged on, typed at CP READ, as ``#CP ...`` or as CMS's CP
    command), cp.security.mask_passwords."""
    return mask_passwords(line, linend, logged_on)


class Console3270(Terminal):
    """The 3270 console for one display: CP's screen layout and its keys."""

    kind = "3278"

    def __init__(
        self,
        system,
        send,
        *,
        size: tuple[int, int] = ds.DEFAULT_SIZE,
        address: str = "L001",
        more_seconds: float = 60.0,
        notice_seconds: float = 2.0,
        logo_seconds: float = 3.0,
        color: bool = True,
        peer: str = "LOCAL",
    ):
        self.system = system
        self.peer = peer
        self._send = send
        self.rows, self.cols = size
        self.width = self.cols
        self.address = address
        self.color = color
        self.more_seconds = more_seconds
        self.notice_seconds = notice_seconds
        self.logo_seconds = logo_seconds
        self._logo_timer: asyncio.TimerHandle | None = None
        self.session = None
        self.cp_status = ""  # what CP last said: CP READ, VM READ, RUNNING
        self.hold: str | None = None  # None, MORE or HOLDING
        self.notice: str | None = None  # NOT ACCEPTED, shown briefly
        self.password_mode = False
        self.fullscreen_mode = False
        self.fullscreen_suspended = False  # CP output interrupted a full-screen guest
        self._pa1_in_fullscreen = False
        self.logo_shown = False
        self.out_rows = self.rows - 2
        self.area: list[str] = []  # the lines now in the output area
        self.pending: deque[tuple[str, bool]] = deque()  # (row text, alarm)
        self._vm_waiting = False  # CP was told the output is held (output_held)
        self.retrieve: deque[str] = deque(maxlen=RETRIEVE_DEPTH)
        self._retrieve_index = 0
        self._more_timer: asyncio.TimerHandle | None = None
        self._notice_timer: asyncio.TimerHandle | None = None
        self.hung_up = False
        self._connecting = False
        self._drawn = False  # nothing is written before the first full screen

    # -- geometry -------------------------------------------------------------
    @property
    def input_attr_pos(self) -> int:
        return (self.rows - 2) * self.cols - 1

    @property
    def input_start(self) -> int:
        return (self.rows - 2) * self.cols

    @property
    def status_attr_pos(self) -> int:
        return self.rows * self.cols - STATUS_WIDTH - 1

    @property
    def input_length(self) -> int:
        return self.status_attr_pos - self.input_start

    def _row_width(self, row: int) -> int:
        # The last output row gives its last column to the input attribute.
        return self.cols - 1 if row == self.out_rows - 1 else self.cols

    @property
    def _erase_command(self) -> int:
        return ds.CMD_EW if (self.rows, self.cols) == ds.DEFAULT_SIZE else ds.CMD_EWA

    def resize(self, size: tuple[int, int]) -> bool:
        """The display now has ``size`` (rows, columns): a local console
        switched to another 3270 model.  CP's layout is drawn again at the
        new size, the output area keeping its latest lines.  Refused (False)
        while a guest owns the screen: its panels were built for the old size."""
        if self.fullscreen_mode or self.fullscreen_suspended:
            return False
        self.rows, self.cols = size
        self.width = self.cols
        self.out_rows = self.rows - 2
        if self.logo_shown:
            self.area = self.logo_lines()
        kept = self.area[-self.out_rows :]
        self.area = [text[: self._row_width(row)] for row, text in enumerate(kept)]
        if self._drawn and not self.hung_up:
            self._redraw()
            self._flush()
        return True

    # -- starting and ending --------------------------------------------------
    def start(self) -> None:
        """The display is connected: show the logon screen."""
        self._connect()
        self.show_logo()

    def _connect(self) -> None:
        if self.session is None:
            self._connecting = True
            try:
                self.session = self.system.connect(self)
            finally:
                self._connecting = False

    def hangup(self) -> None:
        """The connection dropped: CP disconnects the user (the VM keeps running)."""
        if self.hung_up:
            return
        self.hung_up = True
        self._cancel_timers()
        session, self.session = self.session, None
        if session is not None:
            session.hangup()

    def _cancel_timers(self) -> None:
        for timer in (self._more_timer, self._notice_timer, self._logo_timer):
            if timer is not None:
                timer.cancel()
        self._more_timer = self._notice_timer = self._logo_timer = None

    # -- the terminal contract (CP calls these) ---------------------------------
    def put_line(self, text: str, alarm: bool = False) -> None:
        if self.hung_up:
            return
        if self._connecting and text == ONLINE_BANNER:
            return  # the logon screen shows the banner
        interrupted = self.fullscreen_mode
        if interrupted:
            self._suspend_fullscreen()
        if self.logo_shown:
            self._leave_logo()
        for row_text in self._split(text):
            self.pending.append((row_text, alarm))
            alarm = False
        self._flush()
        if interrupted and self.hold is None:
            self.hold = HOLDING  # seen before the guest gets its screen back
            self._write_status()

    def set_status(self, word: str) -> None:
        self.cp_status = word
        if not self.hung_up and not self.fullscreen_mode:
            self._write_status()

    def output_held(self) -> bool:
        """Lines wait behind MORE... or HOLDING (cp.console.LineConsole.output_held)."""
        held = bool(self.pending) and not self.hung_up
        self._vm_waiting = self._vm_waiting or held
        return held

    @property
    def logged_on_vm(self):
        """The virtual machine logged on at this display (cp.vm), or None."""
        return self.session.vm if self.session is not None else None

    def _output_shown(self) -> None:
        """The waiting lines are on the screen: the VM CP kept waiting for
        its output (cp.dispatcher) may run again."""
        self._vm_waiting = False
        vm = self.logged_on_vm
        if vm is not None:
            vm.wake()

    def ask_password(self, prompt: str) -> None:
        self.put_line(prompt)
        self.password_mode = True
        if not self.hung_up and not self.fullscreen_mode:
            self._write_input_field(restore=True)

    def fullscreen(self, data: bytes) -> None:
        """A guest's full-screen write (DIAGNOSE X'58'): the bytes are a 3270
        write (command first; a record starting with the WCC is taken as a
        Write).  Empty data hands the screen back to CP's layout."""
        if self.hung_up:
            return
        self.fullscreen_suspended = False
        self._pa1_in_fullscreen = False
        if not data:
            if self.fullscreen_mode:
                self.fullscreen_mode = False
                self._redraw()
            return
        self.fullscreen_mode = True
        self._cancel_timers()
        record = bytes(data)
        command = ds.CCW_COMMANDS.get(record[0], record[0])
        if command not in (
            ds.CMD_W,
            ds.CMD_EW,
            ds.CMD_EWA,
            ds.CMD_EAU,
            ds.CMD_WSF,
            ds.CMD_RB,
            ds.CMD_RM,
            ds.CMD_RMA,
        ):
            record = bytes([ds.CMD_W]) + record
        else:
            record = bytes([command]) + record[1:]
        self._send(record)

    def clear_output(self) -> None:
        """DIAGNOSE X'58' display with the clear bit: erase the output area
        (ending a MORE... or HOLDING) and redraw the layout."""
        if self.hung_up:
            return
        self._take_output_area()
        self.area = []
        self._redraw()

    def display(self, row: int, lines: list[str]) -> None:
        """DIAGNOSE X'58' display (CCW X'19'): ``lines`` from output-area row
        ``row`` on, replacing what those rows held (VM/370 System
        Programmer's Guide, DIAGNOSE X'58': bits 2-7 of the control byte)."""
        if self.hung_up:
            return
        self._take_output_area()
        area = list(self.area) + [""] * max(0, row - len(self.area))
        for offset, text in enumerate(lines):
            at = row + offset
            if at >= self.out_rows:
                break
            text = text[: self._row_width(at)]
            if at < len(area):
                area[at] = text
            else:
                area.append(text)
        self.area = area
        self._redraw()

    def _take_output_area(self) -> None:
        """CP draws into the output area itself: leave the logon screen or a
        full-screen guest, and end MORE.../HOLDING."""
        if self.logo_shown:
            self.logo_shown = False
        self.fullscreen_mode = self.fullscreen_suspended = False
        if self._more_timer is not None:
            self._more_timer.cancel()
            self._more_timer = None
        self.hold = None

    def closed(self) -> None:
        """CP ended the session (LOGOFF, DISCONNECT, FORCE): back to the logon
        screen; the next input starts a new session."""
        self.session = None
        self.password_mode = False
        self.fullscreen_mode = self.fullscreen_suspended = False
        self.cp_status = ""
        if self.hung_up:
            return
        if not self.system.shut_down:
            self._connect()  # ready for the next LOGON
        # The last lines (LOGOFF AT ...) stay readable until the next key or
        # until the logon screen comes back by itself.
        self._logo_timer = asyncio.get_event_loop().call_later(self.logo_seconds, self._logo_due)

    def _logo_due(self) -> None:
        self._logo_timer = None
        if not self.hung_up and self.session is not None and self.logged_on_vm is None:
            self.pending.clear()
            if self._more_timer is not None:
                self._more_timer.cancel()
                self._more_timer = None
            self.hold = None
            self.show_logo()

    # -- screens ----------------------------------------------------------------
    def logo_lines(self) -> list[str]:
        """The logon screen: the logo, the online banner with the system name
        and this terminal's address."""
        name = self.system.name or DEFAULT_SYSTEM_NAME
        width = self.cols - 1
        lines = [""] + [row.center(width).rstrip() for row in LOGO] + [""]
        lines.append(f"{ONLINE_BANNER}--SYSTEM {name}".center(width).rstrip())
        lines.append(f"TERMINAL {self.address}".center(width).rstrip())
        lines += ["", " Enter LOGON userid (and password) in the input area below and press ENTER."]
        return lines[: self.out_rows]

    def show_logo(self) -> None:
        self.area = self.logo_lines()
        self.logo_shown = True
        self._redraw()

    def _leave_logo(self) -> None:
        self.logo_shown = False
        self.area = []
        self._write(ds.order_sba(0) + ds.order_ra(self.input_attr_pos, 0x00))

    def _redraw(self) -> None:
        """Erase/Write the whole CP layout (after connect, CLEAR, full-screen)."""
        out = bytearray([self._erase_command, ds.wcc(reset=True, restore=True, reset_mdt=True)])
        out += ds.order_sba(self.status_attr_pos) + self._field(ATTR_OUTPUT)
        out += ds.to_ebcdic(self._status_text())
        for row, text in enumerate(self.area):
            out += ds.order_sba(row * self.cols) + ds.to_ebcdic(text)
        out += ds.order_sba(self.input_attr_pos) + self._input_attr_order()
        out += ds.ORDER_IC_BYTES
        self._drawn = True
        self._send(bytes(out))

    def _field(self, attr: int, color: int = 0) -> bytes:
        if self.color and color:
            return ds.order_sfe(attr, color=color)
        return ds.order_sf(attr)

    def _input_attr_order(self, extra: int = 0) -> bytes:
        attr = ATTR_INPUT_HIDDEN if self.password_mode else ATTR_INPUT
        return self._field(attr | extra, INPUT_COLOR)

    def _write(
        self, orders: bytes, *, alarm: bool = False, restore: bool = False, reset_mdt: bool = False
    ) -> None:
        if self.hung_up or self.fullscreen_mode or not self._drawn:
            return
        self._send(
            bytes([ds.CMD_W, ds.wcc(alarm=alarm, restore=restore, reset_mdt=reset_mdt)]) + orders
        )

    def _write_status(self) -> None:
        self._write(ds.order_sba(self.status_attr_pos + 1) + ds.to_ebcdic(self._status_text()))

    def _status_text(self) -> str:
        word = self.notice or self.hold or self.cp_status
        return word.ljust(STATUS_WIDTH)[:STATUS_WIDTH]

    def _write_input_field(self, restore: bool) -> None:
        """Rewrite the input area empty (the cursor at its start)."""
        self._write(
            ds.order_sba(self.input_attr_pos)
            + self._input_attr_order()
            + ds.order_eua(self.status_attr_pos)
            + ds.order_sba(self.input_start)
            + ds.ORDER_IC_BYTES,
            restore=restore,
            reset_mdt=True,
        )

    def _put_input_text(self, text: str) -> None:
        """Put text in the input area for the user to edit (RETRIEVE, DELAYED PF)."""
        data = ds.to_ebcdic(text[: self.input_length])
        # The MDT is set so that ENTER sends the text even if left unchanged.
        self._write(
            ds.order_sba(self.input_attr_pos)
            + self._input_attr_order(ds.FA_MDT)
            + ds.order_eua(self.status_attr_pos)
            + ds.order_sba(self.input_start)
            + data
            + ds.ORDER_IC_BYTES,
            restore=True,
            reset_mdt=True,
        )

    # -- the output area ------------------------------------------------------------
    def _split(self, text: str) -> list[str]:
        text = text.replace("\t", " ").rstrip()
        if not text:
            return [""]
        return [text[i : i + self.cols] for i in range(0, len(text), self.cols)]

    def _flush(self) -> None:
        """Move waiting lines into the output area until it is full."""
        if self.hung_up or self.hold is not None:
            return
        orders = bytearray()
        alarm = False
        while self.pending and len(self.area) < self.out_rows:
            text, ring = self.pending.popleft()
            row = len(self.area)
            width = self._row_width(row)
            if len(text) > width:  # the last row is one shorter
                self.pending.appendleft((text[width:], False))
                text = text[:width]
            self.area.append(text)
            orders += ds.order_sba(row * self.cols) + ds.to_ebcdic(text)
            alarm = alarm or ring
        if alarm:
            self.hold = HOLDING  # a message holds the screen
        elif self.pending:
            self._enter_more()
        if self.hold is not None:
            orders += ds.order_sba(self.status_attr_pos + 1) + ds.to_ebcdic(self._status_text())
        if orders:
            self._write(bytes(orders), alarm=alarm)
        if self._vm_waiting and not self.pending:
            self._output_shown()

    def _release_hold(self) -> None:
        """HOLDING ends: MORE... again when output waits (CP clears the area
        after the delay), else the screen simply goes on filling."""
        if self.pending:
            self.hold = MORE
            self._start_more_timer()
        else:
            self.hold = None
        self._write_status()

    def _enter_more(self) -> None:
        self.hold = MORE
        self._start_more_timer()

    def _start_more_timer(self) -> None:
        if self._more_timer is not None:
            self._more_timer.cancel()
        self._more_timer = asyncio.get_event_loop().call_later(
            self._more_delay(), self._more_expired
        )

    def _more_delay(self) -> float:
        """Seconds in MORE... before the screen is cleared: the user's
        TERMINAL MORE n m (n + m) when set, else this display's default."""
        vm = self.logged_on_vm
        more = vm.console.options.more if vm is not None else None
        return float(sum(more)) if more else self.more_seconds

    def _more_expired(self) -> None:
        self._more_timer = None
        if self.hold == MORE:
            self._clear_output_area()

    def _clear_output_area(self) -> None:
        """CLEAR, PA2 or the MORE... timeout: erase the output area and go on."""
        if self._more_timer is not None:
            self._more_timer.cancel()
            self._more_timer = None
        self.hold = None
        self.area = []
        self._write(ds.order_sba(0) + ds.order_ra(self.input_attr_pos, 0x00))
        self._flush()
        if self.hold is None:
            self._write_status()

    # -- input from the display -------------------------------------------------------
    def receive(self, record: bytes) -> None:
        """One inbound 3270 record from the display.  A failure inside CP is
        logged and the keyboard unlocked: one bad command must not leave the
        display locked or drop the connection."""
        if self.hung_up:
            return
        try:
            self._receive(record)
        except Exception:  # noqa: BLE001 - the terminal must survive CP
            log.exception("CP failed on input from terminal %s", self.address)
            self._write_input_field(restore=True)

    def attention_key(self) -> None:
        """The display's Attn key (Telnet IP/BREAK from a TN3270 client): the
        break PA1 gives, entering CP."""
        self.receive(bytes([ds.AID_PA[1]]))

    def _receive(self, record: bytes) -> None:
        inbound = ds.parse_inbound(record)
        if self._logo_timer is not None:  # after LOGOFF: any key brings the logo
            self._logo_timer.cancel()
            self._logo_timer = None
            if not (inbound.aid == ds.AID_ENTER and self._input_text(inbound)):
                self._logo_due()
                self._write_input_field(restore=True)
                return
        if self.fullscreen_mode:
            self._fullscreen_receive(inbound, record)
            return
        aid = inbound.aid
        if aid == ds.AID_CLEAR:
            self._after_clear()
            self._resume_if_cleared()
        elif aid == ds.AID_PA[2]:
            self._clear_output_area()
            self._write_input_field(restore=True)
            self._resume_if_cleared()
        elif aid == ds.AID_PA[1]:
            self._write_input_field(restore=True)
            self._connect()
            self.session.attention()
        elif aid == ds.AID_ENTER:
            self._enter(self._input_text(inbound))
        elif aid in ds.AID_PF.values():
            number = next(n for n, c in ds.AID_PF.items() if c == aid)
            self._pf_key(number, self._input_text(inbound))
        else:  # PA3, structured field replies: nothing to do
            self._write_input_field(restore=True)

    def _fullscreen_receive(self, inbound: ds.Inbound, record: bytes) -> None:
        """Input while a guest owns the screen goes to the guest.  PA1 is an
        attention for the guest; a second PA1 before the guest writes again
        puts the display in CP mode (VM/SP System Programmer's Guide,
        "full screen mode", note 10)."""
        self._connect()
        if inbound.aid == ds.AID_PA[1]:
            if self._pa1_in_fullscreen:
                self._pa1_in_fullscreen = False
                self.fullscreen_mode = False
                self._redraw()
                self.session.attention()
                return
            self._pa1_in_fullscreen = True
        self.session.fullscreen_input(bytes(record))

    def _suspend_fullscreen(self) -> None:
        """CP output arrives while a guest owns the screen: CP's layout comes
        back with the output (held); CLEAR or PA2 returns to the guest."""
        self.fullscreen_mode = False
        self.fullscreen_suspended = True
        self.area = []
        self._redraw()

    def _resume_fullscreen(self) -> None:
        """Back to the guest after CP output: the guest is told with a CLEAR
        (the screen was erased) so it writes its screen again.  Only when it
        still has a full-screen read outstanding; otherwise CP keeps the screen."""
        self.fullscreen_suspended = False
        vm = self.logged_on_vm
        if vm is None or vm.console.fullscreen_callback is None:
            return
        self.fullscreen_mode = True
        self._send(bytes([self._erase_command, ds.wcc(restore=True)]))
        self.session.fullscreen_input(bytes([ds.AID_CLEAR]))

    def _resume_if_cleared(self) -> None:
        """CLEAR or PA2 with nothing more to show gives the screen back to a
        full-screen guest: one CP output interrupted, or one still waiting
        for its full-screen read after the user left it for CP (PA1 twice,
        a reconnect) and let the VM run again (BEGIN)."""
        if self.pending or self.hold is not None:
            return
        if self.fullscreen_suspended or (self.cp_status != "CP READ" and self._guest_reading()):
            self._resume_fullscreen()

    def _guest_reading(self) -> bool:
        console = getattr(getattr(self.session, "vm", None), "console", None)
        return getattr(console, "fullscreen_callback", None) is not None

    def _after_clear(self) -> None:
        # CLEAR erased the display (and put it back to 24x80): redraw it all.
        self.area = []
        if self._more_timer is not None:
            self._more_timer.cancel()
            self._more_timer = None
        self.hold = None
        if self.logo_shown:
            self.area = self.logo_lines()
        self._redraw()
        self._flush()

    def _input_text(self, inbound: ds.Inbound) -> str:
        for addr, data in inbound.fields:
            if addr == self.input_start:
                return ds.from_ebcdic(data).rstrip()
        return ""

    def _enter(self, text: str) -> None:
        if not text:
            self._empty_enter()
            return
        if self.hold == HOLDING:  # input lets a held screen go on
            self._release_hold()
        if self._not_accepted(text):
            return
        hidden = self.password_mode
        self.password_mode = False
        if not hidden:
            shown = self._echo_text(text)  # never a password
            self.retrieve.append(shown)
            self._retrieve_index = 0
        self._write_input_field(restore=True)
        if not hidden:
            self.put_line(shown)  # the echo of the input line
        self._connect()
        self.session.enter(text)

    def _echo_text(self, text: str) -> str:
        """``text`` as echoed and kept for RETRIEVE: masked with the user's
        line-end character (TERMINAL LINEND) once logged on."""
        vm = self.logged_on_vm
        linend = vm.console.options.linend if vm is not None else "#"
        return echo_text(text, linend, logged_on=vm is not None)

    def _empty_enter(self) -> None:
        if self.hold == MORE:  # freeze the screen
            if self._more_timer is not None:
                self._more_timer.cancel()
                self._more_timer = None
            self.hold = HOLDING
            self._write_status()
            self._write_input_field(restore=True)
            return
        if self.hold == HOLDING:  # let it go again
            self._release_hold()
            self._write_input_field(restore=True)
            return
        hidden = self.password_mode
        self.password_mode = False
        self._write_input_field(restore=True)
        if self.logo_shown:
            return
        self._connect()
        if not hidden or self.session is not None:
            self.session.enter("")

    def _not_accepted(self, text: str) -> bool:
        """RUNNING with an earlier type-ahead line still unread: the line is
        refused (NOT ACCEPTED) and stays in the input area to retype later.
        A line with the line-end character may hold #CP and always goes."""
        vm = self.logged_on_vm
        if self.cp_status != RUNNING or vm is None or not vm.console.typeahead:
            return False
        linend = vm.console.options.linend
        if linend and linend in text:
            return False
        self.notice = NOT_ACCEPTED
        self._put_input_text(text)
        self._write_status()
        if self._notice_timer is not None:
            self._notice_timer.cancel()
        self._notice_timer = asyncio.get_event_loop().call_later(
            self.notice_seconds, self._notice_expired
        )
        return True

    def _notice_expired(self) -> None:
        self._notice_timer = None
        self.notice = None
        self._write_status()

    def _pf_key(self, number: int, text: str) -> None:
        kind, value = pf_action(self._pf_setting(number))
        if kind == "RETRIEVE":
            self._retrieve()
        elif kind == "IMMED":
            self._enter(value)
        elif kind == "DELAYED":
            self._put_input_text(value)
        else:  # an unset PF key acts as ENTER
            self._enter(text)

    def _pf_setting(self, number: int):
        vm = self.logged_on_vm
        pf = vm.settings.pf if vm is not None else {}
        if number in pf:
            return pf[number]
        return "RETRIEVE" if number == 12 else None  # the CP default: PF12 RETRIEVE

    def _retrieve(self) -> None:
        if not self.retrieve:
            self._write_input_field(restore=True)
            return
        self._retrieve_index = (self._retrieve_index % len(self.retrieve)) + 1
        self._put_input_text(self.retrieve[-self._retrieve_index])
