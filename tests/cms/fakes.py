"""A small in-memory stand-in for cp.services.GuestServices (interface §3).

It has exactly the contract's method names; the console is a script of input
lines and a list of output lines, minidisks are in-memory FBA disks, the
spool is a list of reader files.  End-to-end tests use the real CP instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cms.fs import Disk, MemoryBlockDevice
from cp.errors import DeviceError
from cp.pyguest import run_guest, wait_for


class ScriptEnded(Exception):
    """The test's input lines are used up: the session ends here."""


@dataclass(frozen=True)
class DeviceInfo:
    vaddr: int
    devtype: str
    devclass: str
    blocks: int = 0
    block_size: int = 0
    read_only: bool = False


@dataclass
class ReaderFile:
    spoolid: int
    origin: str
    cards: list
    name: str = ""
    ftype: str = ""
    type: str = "PUN"
    cls: str = "A"
    hold: str = "NONE"

    @property
    def records(self) -> int:
        return len(self.cards)

    @property
    def held(self) -> bool:
        return self.hold != "NONE"


@dataclass
class FakeServices:
    userid: str = "ALICE"
    lines: list = field(default_factory=list)
    script: list = field(default_factory=list)
    disks: dict = field(default_factory=dict)  # vaddr -> MemoryBlockDevice
    reader: list = field(default_factory=list)  # ReaderFile
    punched: list = field(default_factory=list)  # closed punch files: list of cards
    printed: list = field(default_factory=list)  # closed print files: list of lines
    cp_log: list = field(default_factory=list)
    cp_replies: dict = field(default_factory=dict)  # first word -> (rc, lines)
    _punch: list = field(default_factory=list)
    _print: list = field(default_factory=list)
    _reading: object = None
    cpu: object = None  # an s390.cpu.CPU for programs
    attentions: list = field(default_factory=list)  # instruction counts of attentions
    vm: object = None  # no VirtualMachine behind the fake
    accounting: list = field(default_factory=list)  # accounting records (DIAG X'4C')
    #: A 3270 display without a screen model: (rows, columns); None (and no
    #: ``screen``) for a line-mode terminal.
    screen_size: tuple | None = None

    def add_disk(self, vaddr, blocks=400, read_only=False, label="USR191", formatted=True):
        dev = MemoryBlockDevice(blocks)
        if formatted:
            Disk.format(dev, label)
        dev.read_only = read_only
        self.disks[vaddr] = dev
        return dev

    # console
    def write_line(self, text):
        self.lines.append(text)

    async def read_line(self):
        if not self.script:
            raise ScriptEnded()
        return self.script.pop(0)

    def checkpoint(self):
        """The fake has no other VMs: every safe point ends a slice at once,
        so CMS looks for attentions at each one."""
        return True

    def checkpoint_due(self):
        return True

    def wait_for(self, awaitable):
        return wait_for(awaitable)

    def attention_pending(self):
        if self.attentions and self.cpu is not None and self.cpu.instructions >= self.attentions[0]:
            self.attentions.pop(0)
            return True
        return False

    async def run_cpu(self, budget):
        return self.cpu.run(budget)

    # full screen: ``screen`` is a tui.screen.Screen the writes are shown on
    # (or None); ``keys`` are the inbound records the user "presses" in turn:
    # bytes, or callables given the screen (or, without one, the writes so far)
    screen: object = None
    keys: list = field(default_factory=list)
    writes: list = field(default_factory=list)

    def fullscreen_size(self):
        if self.screen is None:
            return self.screen_size
        return self.screen.alternate_size if self.screen.model != 2 else (24, 80)

    def fullscreen_write(self, data):
        self.writes.append(bytes(data))
        if data and self.screen is not None:
            self.screen.process(bytes(data))

    async def fullscreen_read(self):
        if not self.keys:
            raise ScriptEnded()
        key = self.keys.pop(0)
        if not callable(key):
            return key
        return key(self.screen if self.screen is not None else self.writes)

    # CP
    def cp_command(self, text):
        self.cp_log.append(text)
        word = text.split()[0].upper() if text.split() else ""
        if word in self.cp_replies:
            return self.cp_replies[word]
        if word in ("SPOOL", "CLOSE", "ORDER", "MSG", "DETACH"):
            if word == "CLOSE" and text.split()[1] in ("00D", "PUNCH"):
                self.punched.append(self._punch[:])
                self._punch.clear()
            if word == "CLOSE" and text.split()[1] in ("00E", "PRINTER"):
                self.printed.append(self._print[:])
                self._print.clear()
            return 0, []
        return 1, [f"DMKCFM001E UNKNOWN CP COMMAND: {word}"]

    emsg: str = "ON"

    def emsg_edit(self, message):
        """DIAG X'5C' as CP does it for SET EMSG."""
        return {"CODE": message[:10], "TEXT": message[11:], "OFF": ""}.get(self.emsg, message)

    def pseudo_timer(self):
        return "11/26/26", "05:30:00", 10000, 20000

    def storage_size(self):
        return 4 << 20

    def device_info(self, vaddr):
        if vaddr in self.disks:
            d = self.disks[vaddr]
            return DeviceInfo(vaddr, "3370", "DASD", d.blocks, 512, d.read_only)
        if vaddr in (0x00C, 0x00D, 0x00E):
            return DeviceInfo(vaddr, "2540", {0xC: "RDR", 0xD: "PUN", 0xE: "PRT"}[vaddr])
        return None

    def block_read(self, vaddr, block, count=1):
        return self.disks[vaddr].read(block, count)

    def block_write(self, vaddr, block, data):
        self.disks[vaddr].write(block, data)

    def punch(self, vaddr, card):
        assert len(card) == 80
        self._punch.append(bytes(card))

    def print_line(self, vaddr, line):
        self._print.append(bytes(line))

    def close(self, vaddr, **opts):
        """CLOSE READER: the file being read is purged unless HOLD."""
        if vaddr == 0x00C and self._reading is not None:
            if not opts.get("hold"):
                self.reader.remove(self._reading[0])
            self._reading = None

    def reader_files(self):
        return list(self.reader)

    def accounting_record(self, data):
        """DIAGNOSE X'4C': kept in ``accounting``."""
        self.accounting.append(dict(data))

    def read_spool_file(self, spoolid):
        """The cards of reader file ``spoolid``, which stays as it is."""
        for rf in self.reader:
            if rf.spoolid == spoolid:
                return list(rf.cards)
        raise DeviceError(f"DMKCSP042E SPOOLID {spoolid:04d} DOES NOT EXIST", 42)

    def read_card(self, vaddr):
        """Cards of the first reader file; at its end the file is gone (NOHOLD)."""
        if self._reading is None:
            if not self.reader:
                return None
            self._reading = [self.reader[0], 0]
        rf, pos = self._reading
        if pos >= len(rf.cards):
            self.reader.remove(rf)
            self._reading = None
            return None
        self._reading[1] += 1
        return rf.cards[pos]


async def run_session(services, parm=""):
    """IPL CMS on the fake services and run it until the script is used up."""
    from cms.nucleus import CMS

    cms = CMS(services, parm)
    try:
        await run_guest(cms.run())
    except ScriptEnded:
        pass
    return cms
