"""Stand-ins for the device tests: a CPU that takes device interrupts, a
console, a System with a real spool, a VM; and channel-program builders.
"""

from __future__ import annotations

from cp.spool import Spool
from cp.vm import Accounting, Settings


class FakeCPU:
    """Storage, keys, condition code and the I/O interruption queue."""

    def __init__(self, size: int = 64 * 1024):
        self.mem = bytearray(size)
        self.keys = bytearray(size // 2048)
        self.cc = None
        self.interrupts: list[tuple[int, bytes]] = []

    def set_cc(self, cc: int) -> None:
        self.cc = cc

    def post_io_interrupt(self, devaddr: int, csw: bytes) -> None:
        self.interrupts.append((devaddr, bytes(csw)))

    def io_interrupt_pending(self, devaddr: int) -> bool:
        return any(d == devaddr for d, _ in self.interrupts)

    def withdraw_io_interrupt(self, devaddr: int):
        for i, (d, csw) in enumerate(self.interrupts):
            if d == devaddr:
                del self.interrupts[i]
                return csw
        return None


class FakeConsole:
    def __init__(self):
        self.lines: list[str] = []
        self.reader = None
        self.typeahead: list[str] = []
        self.log = None  # SPOOL CONSOLE: where the lines are copied

    def write_line(self, text: str, alarm: bool = False) -> None:
        self.lines.append(text)
        if self.log is not None:  # SPOOL CONSOLE START: as cp.console.LineConsole copies
            self.log.append(text)

    def request_read(self, callback) -> None:
        if self.typeahead:
            callback(self.typeahead.pop(0))
        else:
            self.reader = callback

    def cancel_read(self) -> None:
        self.reader = None

    def type(self, line: str) -> None:
        callback, self.reader = self.reader, None
        callback(line)


class FakeSystem:
    def __init__(self, spool_path=None, directory=("ALICE", "BOB", "CAROL", "OPERATOR", "MAINT")):
        self.spool = Spool(spool_path) if spool_path is not None else None
        self.users: dict[str, "FakeVM"] = {}
        self.notices: list[tuple[str, str]] = []
        self.directory = set(directory)
        self.logged: list[str] = []

    def log(self, text: str) -> None:
        self.logged.append(text)

    def find_user(self, userid: str):
        return self.users.get(userid.upper())

    def notify(self, userid: str, text: str, alarm: bool = True) -> bool:
        self.notices.append((userid, text))
        vm = self.find_user(userid)
        if vm is None:
            return False
        vm.console.write_line(text, alarm)
        return True


class FakeEntry:
    def __init__(self, userid: str):
        self.userid = userid
        self.distribution = ""


class FakeVM:
    def __init__(
        self, userid: str = "TESTER", system=None, size: int = 64 * 1024, classes: str = "G"
    ):
        self.userid = userid
        self.classes = classes
        self.entry = FakeEntry(userid)
        self.cpu = FakeCPU(size)
        self.devices: dict = {}
        self.console = FakeConsole()
        self.system = system or FakeSystem()
        self.system.users[userid] = self
        self.account = Accounting()
        self.settings = Settings()
        self.session = None

    def wake(self) -> None:
        """An interruption is posted (cp.channel): nothing waits in a test."""


def ccw(command: int, addr: int, flags: int, count: int) -> bytes:
    """A format-0 CCW image."""
    return bytes([command]) + addr.to_bytes(3, "big") + bytes([flags, 0]) + count.to_bytes(2, "big")


def put_program(cpu, at: int, *ccws: bytes, key: int = 0) -> None:
    """Place CCWs at ``at`` and point the CAW at them."""
    cpu.mem[at : at + 8 * len(ccws)] = b"".join(ccws)
    cpu.mem[0x48:0x4C] = (key << 28 | at).to_bytes(4, "big")


def csw_fields(csw: bytes) -> dict:
    return {
        "key": csw[0] >> 4,
        "addr": int.from_bytes(csw[1:4], "big"),
        "unit": csw[4],
        "chan": csw[5],
        "count": int.from_bytes(csw[6:8], "big"),
    }
