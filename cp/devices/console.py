"""The 3215 console printer-keyboard (IBM 3210/3215 Console Printer-Keyboard
Component Description, GA24-3488): the virtual machine's line console.

Commands::

    X'01' write, no carriage return   X'09' write, automatic carriage return
    X'0A' read inquiry                X'03' no-operation
    X'0B' audible alarm               X'04' sense

Output goes to the user's line console (``vm.console.write_line``), trailing
blanks dropped (on paper they print as nothing); a line written without
carriage return is held and the next output continues it.
A read shows VM READ and waits for the user: the device stays busy and its
ending interruption is posted when the line arrives (``cp.channel.resume``).
"""

from __future__ import annotations

from cp import channel
from cp.channel import ATTENTION, CE_DE, SENSE_INTERVENTION_REQUIRED, Outcome
from cp.devices.base import Device
from cp.devices.unitrecord import SpooledOutput
from cp.logon import terminal_address
from cp.spool import SpoolError
from s390.ebcdic import from_ebcdic, to_ebcdic

NEW_LINE = "\x85"  # EBCDIC X'15' (NL) as cp037 decodes it


class ConsoleSpool(SpooledOutput):
    """The console's spool file (SPOOL CONSOLE START): a printer-type file of
    type CON, class T, holding every console line, in and out."""

    devtype = "3215"
    devclass = "CONS"
    spool_type = "CON"
    default_class = "T"
    max_record = 132


class ConsoleCopy:
    """Stands in the line console's ``log`` while the console is spooled:
    each line the console writes is appended to the console spool file."""

    def __init__(self, device):
        self.device = device

    def append(self, text: str) -> None:
        self.device.log_line(text)


class Console3215(Device):
    devtype = "3215"
    devclass = "CONS"
    type_code = 0x3215
    cu_type = 0x3215
    COMMANDS = {0x01: "write", 0x09: "write", 0x0A: "read", 0x03: "nop", 0x0B: "alarm"}

    def __init__(self, vaddr: int, vm, **options):
        super().__init__(vaddr, vm, **options)
        self.partial = ""  # text written without carriage return
        self.spooling = False  # SPOOL CONSOLE START / STOP
        self.term = True  # SPOOL CONSOLE TERM / NOTERM
        self._spool_output = None
        self._reading = False
        self._typed: bytes | None = None

    def _console(self):
        return self.vm.console

    @property
    def spool_output(self) -> ConsoleSpool:
        if self._spool_output is None:
            self._spool_output = ConsoleSpool(self.vaddr, self.vm)
        return self._spool_output

    def log_line(self, text: str) -> None:
        """Copy a console line into the console spool file while spooling."""
        if self.spooling:
            try:
                self.spool_output.write_record(to_ebcdic(text), op=0x09)
            except SpoolError:
                # SPOOL SPACE FULL (the spool reported it): the console is
                # still shown, only no longer copied into a file.
                self.spooling = False

    def start_spooling(self) -> None:
        """SPOOL CONSOLE START: from now on every line the user's console
        shows (CP's responses and messages as well as the guest's output)
        is copied into the console file, through the line console's log."""
        self.spooling = True
        self._console().log = ConsoleCopy(self)

    def stop_spooling(self) -> None:
        """SPOOL CONSOLE STOP: lines are no longer copied."""
        self.spooling = False
        console = self._console()
        if isinstance(console.log, ConsoleCopy):
            console.log = None

    def _copied_by_console(self, console) -> bool:
        return isinstance(console.log, ConsoleCopy) and console.log.device is self

    def _show(self, text: str) -> None:
        console = self._console()
        if console is not None and (self.term or not self.spooling):
            if not self._copied_by_console(console):
                self.log_line(text)
            console.write_line(text)
        else:
            self.log_line(text)

    def write(self, command: int, data: bytes, count: int) -> Outcome:
        # The new-line character X'15' (and line feed X'25') returns the
        # carriage within the data, as on the 3215's printer.
        lines = (self.partial + from_ebcdic(data)).replace(NEW_LINE, "\n").split("\n")
        for line in lines[:-1]:
            self._show(line.rstrip(" "))
        if command == 0x01:
            self.partial = lines[-1]
        else:
            self.partial = ""
            self._show(lines[-1].rstrip(" "))  # trailing blanks print as nothing
        return Outcome(CE_DE)

    def alarm(self, command: int, data, count: int) -> Outcome:
        # A line console has no alarm of its own to sound: CP's messages
        # carry the alarm with their line (LineConsole.write_line).
        return Outcome(CE_DE, immediate=True)

    def read(self, command: int, data, count: int) -> Outcome:
        console = self._console()
        if console is None:
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        if self.partial:
            self._show(self.partial)  # the prompt stays visible
            self.partial = ""
        self._typed, self._reading = None, True
        console.request_read(self._line_entered)
        self._reading = False
        if self._typed is not None:  # type-ahead answered at once
            return Outcome(CE_DE, data=self._typed)
        return Outcome(wait=True)

    def _line_entered(self, line: str) -> None:
        self.log_line(line)
        data = to_ebcdic(line)
        if self._reading:
            self._typed = data
            return
        channel.resume(self, Outcome(CE_DE, data=data))

    def halt(self) -> None:
        console = self._console()
        if console is not None:
            console.cancel_read()

    def detach(self) -> None:
        """LOGOFF (the console cannot be detached otherwise) closes the console
        file; spooling stops first, so CP's last lines open no new file."""
        self.stop_spooling()
        if self._spool_output is not None:
            self._spool_output.close(force=True)
        super().detach()

    def attention(self) -> None:
        """The user asked for the VM's attention (REQUEST / ENTER while running)."""
        channel.signal(self, ATTENTION)

    def query_line(self) -> str:
        """CONS vaddr ON DEV raddr: the real address is the user's terminal
        (DSC while disconnected); a spooled console adds its class and TERM/NOTERM."""
        line = f"CONS {self.vaddr:03X} ON DEV {terminal_address(self.vm.session)} 3215"
        if self.spooling:
            line += f" CL {self.spool_output.cls} START {'TERM' if self.term else 'NOTERM'}"
        return line
