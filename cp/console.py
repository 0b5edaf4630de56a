"""The line-mode console of one virtual machine.

VM/370 gives every user a console that is either talking to CP (status
CP READ) or to the virtual machine (VM READ when the guest has a read
outstanding, RUNNING otherwise).  This module keeps that state and routes
input lines; a terminal (cp.terminal) presents it, and the 3270 console
manager draws it as a screen.

Input editing follows the TERMINAL command (VM/370 CP Command Reference for
General Users, TERMINAL): the ESCAPE character (default ``"``) makes the next
character literal, CHARDEL (``@``) deletes the previous character, LINEDEL
(``¢``) discards what precedes it, and LINEND (``#``) splits one physical line
into several logical lines.  Those are VM/370's defaults for every terminal
and z/VM's for a line-mode (3215/typewriter) terminal; a 3270 display starts
with CHARDEL, LINEDEL and ESCAPE OFF as z/VM sets them at LOGON from a display
(docs/terminal.md), so a ``"`` or ``@`` typed at a 3270 reaches the program as
typed.  A logical line that follows a line end and starts
with ``CP`` goes to CP whatever the console state: that is how ``#CP cmd``
reaches CP from any program; ``#CP`` alone enters CP READ.

Lines typed while the guest is RUNNING with no read outstanding are kept as
type-ahead and given to its next read.  ENTER while RUNNING is also an
attention for the guest, with or without a line: on a 3270 under VM the ENTER
key is the attention and the line comes with it, so CMS reads the line at
once and acts on an immediate command (HX, HT, RT, HI, TS, TE) typed that
way; an empty line is the attention alone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from cp.devices.console import Console3215, ConsoleCopy
from cp.security import mask_command
from cp.terminal import CP_READ, RUNNING, VM_READ

#: The 3270 CLEAR key's AID (GA23-0059): what a full-screen guest is given
#: when its screen has to be written again.
AID_CLEAR = 0x6D


@dataclass
class TerminalOptions:
    """Line-editing characters and modes set by the TERMINAL command (None = OFF)."""

    linend: str | None = "#"
    chardel: str | None = "@"
    linedel: str | None = "\u00a2"  # the cent sign
    escape: str | None = '"'
    mode: str = "VM"  # MODE CP routes all input to CP
    attn: bool = True
    linesize: int = 130
    #: TERMINAL MORE n m (z/VM, VM370CE): n seconds in MORE... before the
    #: alarm, m more before CP clears the screen; None: the display's own
    #: default (the 3270 console's more_seconds).
    more: tuple[int, int] | None = None

    @classmethod
    def for_terminal(cls, kind: str) -> TerminalOptions:
        """The settings a user starts with at LOGON from a terminal of
        ``kind`` (cp.terminal.Terminal.kind).  A 3270 display has its own
        editing keys (Delete, Erase EOF, Erase Input), so z/VM starts it with
        CHARDEL, LINEDEL and ESCAPE OFF; LINEND stays (``#CP``).  A line-mode
        terminal keeps all four, as VM/370 gave every terminal."""
        if kind == "3215":
            return cls()
        return cls(chardel=None, linedel=None, escape=None)


def edit_line(line: str, options: TerminalOptions) -> list[tuple[str, bool]]:
    """Apply ESCAPE, CHARDEL, LINEDEL and LINEND to a physical input line.

    Returns the logical lines, each with a flag telling whether it followed
    a line-end character (only such lines may be ``CP`` commands).
    """
    logical: list[tuple[str, bool]] = []
    current: list[str] = []
    after_linend = False
    chars = iter(line)
    for ch in chars:
        if options.escape is not None and ch == options.escape:
            current.append(next(chars, ""))
        elif options.chardel is not None and ch == options.chardel:
            if current:
                current.pop()
        elif options.linedel is not None and ch == options.linedel:
            current.clear()
        elif options.linend is not None and ch == options.linend:
            logical.append(("".join(current), after_linend))
            current, after_linend = [], True
        else:
            current.append(ch)
    logical.append(("".join(current), after_linend))
    if len(logical) > 1 and logical[0] == ("", False):
        logical.pop(0)  # "#CP ..." : the empty line before the line end is no input
    return logical


class LineConsole:
    """Console state and routing for one virtual machine.

    ``terminal`` is None while the user is disconnected (output is then
    discarded, as VM/370 does without SPOOL CONSOLE).  ``cp_mode`` is True in
    CP READ.  The guest side is ``write_line`` / ``request_read`` /
    ``cancel_read`` (docs/interfaces.md section 6).
    """

    def __init__(self, vm, terminal=None):
        self.vm = vm
        self.terminal = terminal
        self.options = TerminalOptions()
        self.cp_mode = True
        self.typeahead: deque[str] = deque()
        self._read_callback = None
        self._attention = False
        self.log: list[str] | None = None  # SPOOL CONSOLE START collects here
        self.fullscreen_callback = None  # DIAG X'58' full-screen read outstanding
        self.fullscreen_pending: bytes | None = None  # inbound data not read yet
        self.read_listeners: list = []  # called when a read starts waiting (vm370 ipl)
        self._password_answer = None  # a CP command's ENTER PASSWORD: prompt

    def release(self) -> None:
        """The VM has logged off (VirtualMachine.release): forget it and the
        guest's outstanding reads, whose callbacks lead back to it."""
        self.vm = None
        self.terminal = None
        self._read_callback = None
        self.fullscreen_callback = None
        self.fullscreen_pending = None
        self.read_listeners.clear()
        self.typeahead.clear()

    # -- output -----------------------------------------------------------
    def write_line(self, text: str, alarm: bool = False) -> None:
        """One output line (CP's, or the guest's through its console).  While
        the console is spooled (SPOOL CONSOLE START) the line goes into the
        console file too; with NOTERM it is not shown, except a line that
        rings the alarm (MSG, WNG: somebody wants the user's attention)."""
        if self.log is not None:
            self.log.append(text)
            if not (alarm or self.spooled_to_terminal()):
                return
        if self.terminal is not None:
            self.terminal.put_line(text, alarm)

    def display(self, row: int, lines: list[str], clear: bool) -> None:
        """A guest's DIAGNOSE X'58' display: erase the output area first
        when ``clear``, then ``lines`` from output-area row ``row``.  The
        console file (SPOOL CONSOLE) gets the lines as write_line would."""
        if self.log is not None:
            self.log.extend(lines)
            if not self.spooled_to_terminal():
                return
        if self.terminal is None:
            return
        terminal = self.terminal
        if clear:
            terminal.clear_output()
        if lines:
            terminal.display(row, lines)

    def output_area(self) -> tuple[int, int]:
        """(rows, columns) of the terminal's output area; a 3278 model 2's
        22 by 80 while disconnected."""
        terminal = self.terminal
        if terminal is None:
            return 22, 80
        return terminal.out_rows, terminal.width

    def output_held(self) -> bool:
        """The terminal has output the user has not been shown yet (a 3270
        in MORE... or HOLDING with lines waiting): CP does not run the VM
        until it is shown, so a program's output (a TRACE with RUN, a loop
        that writes) cannot pile up without bound.  A terminal that shows
        every line at once (typewriter, line mode) never holds output."""
        return self.terminal is not None and self.terminal.output_held()

    def spooled_to_terminal(self) -> bool:
        """SPOOL CONSOLE TERM (the default) or NOTERM, as the console
        device that collects the log says (cp.devices.console)."""
        return not isinstance(self.log, ConsoleCopy) or self.log.device.term

    # -- the guest's reads --------------------------------------------------
    def request_read(self, callback) -> None:
        """The guest wants one line; ``callback(line)`` is called exactly once.
        A type-ahead line read this way has been seen by the guest: the
        attention that came with it is over (it must not make a later
        program think the user typed something)."""
        if self.typeahead:
            line = self.typeahead.popleft()
            if not self.typeahead:
                self._attention = False
            callback(line)
            return
        self._attention = False  # the guest reads: that answers an earlier attention
        self._read_callback = callback
        self.show_status()
        for listener in list(self.read_listeners):
            listener()

    def cancel_read(self) -> None:
        self._read_callback = None
        self.show_status()

    @property
    def read_pending(self) -> bool:
        return self._read_callback is not None

    def signal_attention(self) -> None:
        """The user asks for the guest's attention (ENTER with no input while
        RUNNING, or the REQUEST command): CMS sees ``attention_pending``; an
        S/370 guest gets an attention interruption from its console device."""
        self._attention = True
        if self.vm.ipled and self.vm.ipled not in self.vm.system.named_systems:
            for device in self.vm.devices.values():
                if isinstance(device, Console3215):
                    device.attention()
                    break
        self.vm.wake()

    def take_attention(self) -> bool:
        pending, self._attention = self._attention, False
        return pending

    @property
    def attention_waiting(self) -> bool:
        """An attention the guest has not taken yet (take_attention)."""
        return self._attention

    # -- state ----------------------------------------------------------------
    def status(self) -> str:
        if self.cp_mode or self.vm is None or not self.vm.running:
            return CP_READ
        return VM_READ if self._read_callback is not None else RUNNING

    def show_status(self) -> None:
        if self.terminal is not None:
            self.terminal.set_status(self.status())

    def enter_cp(self) -> None:
        """Attention/break or a CP stop: CP READ; without RUN ON the VM stops."""
        self.cp_mode = True
        if not self.vm.settings.run:
            self.vm.stop()
        self.show_status()

    def leave_cp(self) -> None:
        """BEGIN (or RUN ON after a command): the console belongs to the VM again."""
        self.cp_mode = False
        self.vm.resume()
        self.show_status()

    def attach(self, terminal) -> None:
        self.terminal = terminal
        self.show_status()

    def detach(self) -> None:
        self.terminal = None

    def fullscreen_write(self, data: bytes) -> None:
        if self.terminal is not None:
            self.terminal.fullscreen(data)

    def request_fullscreen_read(self, callback) -> None:
        """A guest's full-screen read (DIAG X'58' CCW X'2A'): ``callback(data)``
        gets the display's next inbound data, at once if the user already
        pressed a key since the last read."""
        if self.fullscreen_pending is not None:
            data, self.fullscreen_pending = self.fullscreen_pending, None
            callback(data)
            return
        self.fullscreen_callback = callback

    def fullscreen_input(self, data: bytes) -> None:
        """Inbound 3270 data while the guest owns the screen.  With no read
        outstanding CP keeps it for the guest's next read and tells the guest
        with an attention (VM/SP full screen mode)."""
        callback, self.fullscreen_callback = self.fullscreen_callback, None
        if callback is not None:
            callback(data)
            self.vm.wake()
            return
        self.fullscreen_pending = bytes(data)
        self.signal_attention()

    # -- input --------------------------------------------------------------
    def ask_password(self, prompt: str, answer) -> None:
        """A CP command wants a password (LINK without one): the terminal
        shows ``prompt`` and hides the next line, which goes to ``answer``
        as typed, never to CP's command scan, the guest or the console
        spool file (VM/370's password suppression facility)."""
        self._password_answer = answer
        if self.terminal is not None:
            self.terminal.ask_password(prompt)

    def cancel_password(self) -> None:
        """The guest no longer waits for the hidden line it asked for."""
        self._password_answer = None

    def input_line(self, line: str) -> None:
        """A physical line the user entered (already logged on)."""
        if self._password_answer is not None:
            answer, self._password_answer = self._password_answer, None
            answer(line.strip())
            self.show_status()
            return
        for text, after_linend in edit_line(line, self.options):
            if self.vm is None:
                return  # logged off earlier on the line: the rest goes nowhere
            word = text.strip().split(" ", 1)
            if after_linend and word[0].upper() == "CP":
                self._cp_line(word[1] if len(word) > 1 else "", from_guest_state=True)
            elif self.cp_mode or self.options.mode == "CP" or not self.vm.running:
                self._cp_line(text, from_guest_state=False)
            else:
                self.to_guest(text)
        self.show_status()

    def _cp_line(self, text: str, from_guest_state: bool) -> None:
        if not text.strip():
            if from_guest_state:  # "#CP" alone: enter CP READ
                self.enter_cp()
            return
        if self.log is not None:
            self.log.append(mask_command(text))  # what was typed, never a password
        self.vm.system.execute_command(
            self.vm, text, reply=self.write_line, ask_password=self.ask_password
        )
        if self.vm is None:
            return  # the command logged the VM off
        if self.cp_mode and self.vm.settings.run and self.vm.running and not from_guest_state:
            self.cp_mode = False  # RUN ON: the VM resumes after the command

    def to_guest(self, text: str) -> None:
        if self.log is not None and text:
            self.log.append(mask_command(text))  # SPOOL CONSOLE: the guest's input too
        if self._read_callback is not None:
            callback, self._read_callback = self._read_callback, None
            callback(text)
        elif self.fullscreen_callback is not None:
            # The guest waits for a full-screen read but the display shows
            # CP's layout (a reconnect, CP output): the line typed there is
            # not for the guest's screen.  It is told as a CLEAR would tell
            # it (the screen was erased) and writes its screen again.
            callback, self.fullscreen_callback = self.fullscreen_callback, None
            callback(bytes([AID_CLEAR]))
        else:
            if text:
                self.typeahead.append(text)
            self.signal_attention()  # ENTER while RUNNING: the attention, the line with it
        self.vm.wake()
