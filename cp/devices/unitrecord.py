"""Spooled unit record devices: the virtual card reader, card punch and the
shared behaviour of spooled output (the printer is in cp.devices.printer).

What a virtual punch or printer writes goes into an open spool file; CLOSE
(the CP command, LOGOFF, or the guest through its service interface) closes
it into a user's reader (``SPOOL ... TO userid``) or the system queue.  The
virtual reader reads the next reader file of its class from its owner's
reader queue (VM/370 CP Command Reference, SPOOL and CLOSE):

* EOF: at the end of a file the next read ends with unit exception;
  NOEOF: with unit check, intervention required (a real reader whose
  hopper ran empty without the EOF key).
* CONT: the next file follows the last card of a file without an end;
  the end of the last file is the end of the deck.
* HOLD: files read are kept in the reader (NOHOLD: purged once read).
* No file to read: unit check, intervention required; device end is
  presented when a file arrives (the reader became ready).

Card commands (IBM 2540 Component Description, GA21-9033; 3505/3525)::

    reader: X'02' read (X'42' X'82' X'C2' stacker variants), X'03' no-op,
            control X'23' X'43' X'63' X'83' feed and select stacker, X'04' sense
    punch:  X'01' write (X'41' X'81' stacker variants), X'03' no-op, X'04' sense
"""

from __future__ import annotations

from cp import channel
from cp.channel import (
    CE_DE,
    DEVICE_END,
    SENSE_INTERVENTION_REQUIRED,
    UNIT_EXCEPTION,
    Outcome,
)
from cp.devices.base import Device
from cp.spool import NOHOLD, USER_HOLD, SpoolError

CARD = 80
BLANK = 0x40


def spool_notice(sf, verb: str, userid: str) -> str:
    """``PUN FILE 0123  TO  CMSUSER  COPY 01 NOHOLD`` (VM/370 CLOSE response)."""
    hold = "HOLD" if sf.held else "NOHOLD"
    return f"{sf.type} FILE {sf.spoolid:04d}  {verb}  {userid:<8} COPY {sf.copies:02d} {hold}"


def records_text(records: int) -> str:
    return f"{records:04d}" if records < 10000 else f"{records // 1000:03d}K"


def arrival_notice(sf) -> str:
    """The receiver's message when a file arrives in the reader."""
    hold = "HOLD" if sf.held else "NOHOLD"
    return (
        f"RDR FILE {sf.spoolid:04d} SENT FROM {sf.origin:<8} {sf.type} WAS {sf.spoolid:04d} "
        f"RECS {records_text(sf.records)} CPY {sf.copies:02d} {sf.cls} {hold}"
    )


class SpooledDevice(Device):
    """Options common to spooled devices (SPOOL command operands)."""

    spool_type = ""  # RDR PUN PRT CON: the type of the files it makes
    default_class = "A"

    def __init__(self, vaddr: int, vm, spool_class: str | None = None, **options):
        super().__init__(vaddr, vm, **options)
        self.cls = (spool_class or options.get("cls") or self.default_class).upper()
        self.cont = False
        self.hold = False
        self.copies = 1
        self.to_user = ""  # SPOOL ... TO userid: closed files go to that reader
        self.for_user = ""  # SPOOL ... FOR userid: system queue, charged to userid
        self.dist = vm.entry.distribution

    @property
    def spool(self):
        return self.vm.system.spool

    @property
    def userid(self) -> str:
        return self.vm.userid

    def options_text(self) -> str:
        cont = "CONT" if self.cont else "NOCONT"
        hold = "HOLD" if self.hold else "NOHOLD"
        return f"CL {self.cls} {cont:<6} {hold:<6}"


class SpooledOutput(SpooledDevice):
    """A punch or printer writing open spool files."""

    max_record = CARD

    def __init__(self, vaddr: int, vm, **options):
        super().__init__(vaddr, vm, **options)
        self.file = None  # the open SpoolFile

    # -- writing -------------------------------------------------------------------
    def _open(self):
        if self.file is None:
            self.file = self.spool.open_file(
                self.userid,
                self.spool_type,
                cls=self.cls,
                copies=self.copies,
                dist=self.dist,
                for_user=self.for_user,
            )
        return self.file

    def write_record(self, data: bytes, op: int = 0x09) -> None:
        """One record from the guest's service interface (CMS PUNCH/PRINT)."""
        self.spool.add_record(self._open(), op, self.shape(bytes(data[: self.max_record])))

    def shape(self, data: bytes) -> bytes:
        return data

    def write(self, command: int, data: bytes, count: int) -> Outcome:
        taken = data[: self.max_record]
        try:
            sf = self._open()
        except SpoolError:
            # No spool space for a new file: the device is not ready
            # (intervention required) until there is; the spool reported why.
            return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))
        self.spool.add_record(sf, command, self.shape(taken))
        return Outcome(CE_DE, wanted=min(count, self.max_record))

    # -- closing ---------------------------------------------------------------------
    def close(
        self,
        purge: bool = False,
        hold: bool | None = None,
        dist: str | None = None,
        name: str | None = None,
        ftype: str | None = None,
        force: bool = False,
    ) -> list[str]:
        """CLOSE: the open file goes to its destination; returns CP's response lines.

        A CONT device keeps its file open unless ``force`` (LOGOFF, NOCONT)."""
        sf = self.file
        if sf is None or (self.cont and not force):
            return []
        if purge:
            self.file = None
            self.spool.discard(sf)
            return []
        # A CLOSE that fails (SPOOL SPACE FULL) raises SpoolError and leaves
        # the file open on the device with all its records: CLOSE again later.
        held = self.hold if hold is None else hold
        sf.hold = USER_HOLD if held else NOHOLD
        if dist:
            sf.dist = dist
        if name is not None:
            sf.name = name
        if ftype is not None:
            sf.ftype = ftype
        if self.to_user:
            self.spool.close_file(sf, "RDR", self.to_user)
            self.file = None
            self._tell_receiver(sf)
            return [spool_notice(sf, "TO", self.to_user)]
        self.spool.close_file(
            sf, self.spool_type if self.spool_type != "CON" else "PRT", self.userid
        )
        self.file = None
        return [spool_notice(sf, "FOR", self.for_user or self.userid)]

    def _tell_receiver(self, sf) -> None:
        self.vm.system.notify(sf.owner, arrival_notice(sf))

    def detach(self) -> None:
        """DETACH and LOGOFF close the open file (VM/370 DETACH, LOGOFF).  If
        the spool has no room for it the file is lost; the spool reported why."""
        try:
            self.close(force=True)
        except SpoolError:
            sf, self.file = self.file, None
            if sf is not None:
                self.spool.discard(sf)
                self.spool.report(
                    f"{sf.type} FILE {sf.spoolid:04d} OF {self.userid} DISCARDED "
                    f"AT DETACH: SPOOL SPACE FULL",
                    self.userid,
                )
        super().detach()

    def query_line(self) -> str:
        dest = ""
        if self.to_user:
            dest = f" TO {self.to_user}"
        elif self.for_user:
            dest = f" FOR {self.for_user}"
        return (
            f"{self.devclass:<4} {self.vaddr:03X} {self.options_text()} COPY {self.copies:02d} "
            f"READY{dest}"
        )


class Punch(SpooledOutput):
    devtype = "2540P"
    devclass = "PUN"
    spool_type = "PUN"
    type_code = 0x2540
    cu_type = 0x2821
    COMMANDS = {0x01: "write", 0x41: "write", 0x81: "write", 0x03: "nop"}

    def shape(self, data: bytes) -> bytes:
        """A card is 80 columns; a short one is padded with blanks."""
        return data.ljust(CARD, bytes([BLANK]))


class Punch3525(Punch):
    devtype = "3525"
    type_code = 0x3525
    cu_type = 0x3505


class Reader(SpooledDevice):
    devtype = "2540R"
    devclass = "RDR"
    spool_type = "RDR"
    default_class = "*"
    type_code = 0x2540
    cu_type = 0x2821
    COMMANDS = {
        0x02: "read",
        0x42: "read",
        0x82: "read",
        0xC2: "read",
        0x03: "nop",
        0x23: "feed",
        0x43: "feed",
        0x63: "feed",
        0x83: "feed",
    }

    def __init__(self, vaddr: int, vm, **options):
        super().__init__(vaddr, vm, **options)
        self.eof = True
        self.file = None  # the SpoolFile being read
        self.cards: list[bytes] = []
        self.position = 0
        self.waiting_for_file = False  # intervention required was presented: empty
        self.spool.arrival_hooks.append(self._file_arrived)

    # -- reading ---------------------------------------------------------------------
    def _start_next_file(self) -> bool:
        while True:
            sf = self.spool.next_reader_file(self.userid, self.cls)
            if sf is None:
                return False
            try:
                records = self.spool.records(sf)
            except SpoolError:
                # A damaged file is never read: records() put it in system
                # hold and told its owner and the operator; the next one is read.
                continue
            sf.reading_by = f"{self.userid}.{self.vaddr:03X}"
            self.file, self.position = sf, 0
            self.cards = [data.ljust(CARD, bytes([BLANK]))[:CARD] for _, data in records]
            return True

    def _finish_file(self, keep: bool | None = None) -> None:
        """The file was read to its end (or CLOSE READER): purge it unless HOLD."""
        sf, self.file, self.cards, self.position = self.file, None, [], 0
        if sf is None:
            return
        sf.reading_by = ""
        if self.hold if keep is None else keep:
            return
        if self.spool.get(sf.spoolid) is not None:
            self.spool.purge(sf)

    def next_card(self) -> bytes | str:
        """The next card, or "eof" at the end of a file, or "empty" with nothing to read."""
        self.waiting_for_file = False  # asking again: no device end owed any more
        while True:
            if self.file is None and not self._start_next_file():
                return "empty"
            if self.position < len(self.cards):
                self.position += 1
                return self.cards[self.position - 1]
            if self.cont:
                self._finish_file()
                if self._start_next_file():
                    continue  # CONT: the next file follows without an end
            else:
                self._finish_file()
            return "eof"

    def _no_card(self, why: str) -> Outcome:
        """End of a file with EOF: unit exception.  No file, or the end of one
        with NOEOF: the reader is not ready (unit check, intervention required)."""
        if why == "eof" and self.eof:
            return Outcome(CE_DE | UNIT_EXCEPTION)
        self.waiting_for_file = True
        return self.unit_check(bytes([SENSE_INTERVENTION_REQUIRED]))

    def read(self, command: int, data, count: int) -> Outcome:
        card = self.next_card()
        if isinstance(card, str):
            return self._no_card(card)
        return Outcome(CE_DE, data=card)

    def feed(self, command: int, data, count: int) -> Outcome:
        """Feed a card into the stacker without reading it."""
        card = self.next_card()
        if isinstance(card, str):
            return self._no_card(card)
        return Outcome(CE_DE)

    def read_record(self) -> bytes | None:
        """The guest's service interface (CMS READCARD): a card, or None at end of file."""
        card = self.next_card()
        return None if card in ("eof", "empty") else card

    def close(self, hold: bool | None = None, purge: bool = False, **_) -> list[str]:
        """CLOSE READER: the file being read is purged unless held."""
        if self.file is None:
            return []
        self._finish_file(keep=False if purge else hold)
        return []

    def _file_arrived(self, sf) -> None:
        """A file came into some reader: ours, if not ready, presents device end."""
        if self.vm.devices.get(self.vaddr) is not self:
            self.spool.arrival_hooks.remove(self._file_arrived)
            return
        if sf.owner != self.userid or (self.cls != "*" and sf.cls != self.cls):
            return
        if self.waiting_for_file and not self.not_ready:
            self.waiting_for_file = False
            channel.signal(self, DEVICE_END)

    def detach(self) -> None:
        """DETACH and LOGOFF: a partly read file stays in the reader."""
        if self.file is not None:
            self.file.reading_by = ""
            self.file = None
        super().detach()
        if self._file_arrived in self.spool.arrival_hooks:
            self.spool.arrival_hooks.remove(self._file_arrived)

    def options_text(self) -> str:
        return super().options_text() + (" EOF  " if self.eof else " NOEOF")

    def query_line(self) -> str:
        return f"RDR  {self.vaddr:03X} {self.options_text()} READY"


class Reader3505(Reader):
    devtype = "3505"
    type_code = 0x3505
    cu_type = 0x3505
