"""Helpers for CMS end-to-end tests on the real CP: a system with the CMS
system disks, users at line terminals typing the way users type."""

import asyncio

from cms.fs import Disk, MemoryBlockDevice
from cms.install import install_system_disks
from cp.terminal import LineTerminal
from s390.cpu import CPU
from s390.ebcdic import card
from tests.cms.fakes import FakeServices
from vm370.boot import make_system

DIRECT = """\
USER MAINT CPCMS 4M 16M ABCDEFG
 CONSOLE 009 3215
 MDISK 190 3370 0 4000 VMSRES RR ALL
 MDISK 19E 3370 4000 2000 VMSRES RR ALL
USER ALICE ALICE 4M 16M G
 IPL CMS
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 0 2000 VMPK01 MR ALL
 MDISK 193 3370 2000 24 VMPK01 MR
USER CMSBATCH BATCH 4M 16M G
 IPL CMS PARM BATCH
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 5000 1000 VMPK01 MR
USER BOB BOB 4M 16M G
 IPL CMS
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 3000 2000 VMPK01 MR
"""


def make_cms_system(path, direct: str | None = None):
    """A system in ``path`` with DIRECT (or ``direct``) and the CMS system disks
    (vm370.boot.make_system fills them)."""
    (path / "user.direct").write_text(direct or DIRECT)
    (path / "user.direct").chmod(0o600)  # as vm370 init writes it
    system = make_system(path, logon_delay=0.0)
    return system


def users_direct(count: int) -> str:
    """DIRECT plus ``count`` more CMS users USER01... (password = user id),
    each with a 191 A-disk of its own."""
    extra = []
    for n in range(1, count + 1):
        userid = f"USER{n:02d}"
        extra.append(f"""USER {userid} {userid} 4M 16M G
 IPL CMS
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 LINK MAINT 19E 19E RR
 MDISK 191 3370 {10000 + 200 * n} 200 UPK{n:03d} MR
""")
    return DIRECT + "".join(extra)


class User:
    """A logged-on user at a line terminal."""

    def __init__(self, system, userid, password, terminal=None):
        self.userid = userid
        self.system = system
        self.terminal = terminal or LineTerminal()
        self.session = system.connect(self.terminal)
        self.session.enter(f"LOGON {userid} {password}")
        self.vm = system.find_user(userid)

    @property
    def lines(self) -> list[str]:
        return self.terminal.lines

    async def status(self, word: str, timeout: float = 30.0) -> None:
        """Wait until the console shows ``word`` (CP READ, VM READ, RUNNING)."""
        for _ in range(int(timeout / 0.01)):
            if self.terminal.status == word:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"status {self.terminal.status!r}, not {word!r}")

    async def write_file(self, fileid: str, lines) -> None:
        """Write a file record by record with EXECIO."""
        for line in lines:
            await self.type(f"EXECIO 1 DISKW {fileid} A1 (STRING {line}")

    async def assemble(self, name: str, source: str) -> None:
        await self.write_file(f"{name} ASSEMBLE", source.strip("\n").splitlines())
        out = await self.type(f"ASSEMBLE {name}")
        assert ready_code(out) == "Ready", out

    async def type(self, line, until="Ready", timeout=20.0):
        """Enter a line; the lines shown up to the next ready message (or ``until``)."""
        start = len(self.terminal.lines)
        self.session.enter(line)
        return await self.wait(start, until, timeout)

    async def send(self, line):
        """Enter a line that shows nothing (an EDIT subcommand) and let it be read."""
        self.session.enter(line)
        await asyncio.sleep(0.05)

    async def wait(self, start, until="Ready", timeout=20.0):
        for _ in range(int(timeout / 0.01)):
            shown = self.terminal.lines[start:]
            if any(x.startswith(until) for x in shown):
                return shown
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {until!r} after: " + "\n".join(self.terminal.lines[-40:]))

    async def cms(self):
        """Wait for the CMS banner, then the first command skips the PROFILE."""
        await self.wait(0, "VM/370 CMS")
        return await self.type("ACCESS (NOPROF")


def ready_code(lines):
    return [x for x in lines if x.startswith("Ready")][-1].split(";")[0]


async def make_file(user, fileid: str, lines: list[str], case: str = "U") -> None:
    """Create a file the way a user does: EDIT, input mode, FILE."""
    await user.type(f"EDIT {fileid}", until="EDIT:")
    await user.send(f"CASE {case}")
    await user.send("INPUT")
    for line in lines:
        await user.send(line)
    await user.send("")
    await user.type("FILE")


async def settle(condition, timeout: float = 30.0) -> None:
    """Wait until ``condition()`` is true (checked every 10 ms)."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


def with_execs(script, **execs):
    s = FakeServices(script=list(script))
    s.add_disk(0x191)
    disk = Disk.open(s.disks[0x191])
    for name, text in execs.items():
        disk.write_file(name.upper(), "EXEC", [card(x) for x in text.strip("\n").splitlines()])
    return s


def readies(s):
    return [x.split(";")[0] for x in s.lines if x.startswith("Ready")]


def system(*script, source=None, name="PROG"):
    s = FakeServices(script=["ACCESS (NOPROF", *script], cpu=CPU(1 << 20))
    s.add_disk(0x191)
    s.disks[0x190] = MemoryBlockDevice(4000)
    s.disks[0x19E] = MemoryBlockDevice(2000)
    install_system_disks(s.disks[0x190], s.disks[0x19E])
    s.disks[0x190].read_only = s.disks[0x19E].read_only = True
    if source is not None:
        lines = source.strip("\n").splitlines()
        assert all(len(x) <= 71 for x in lines), "column 72 would make a continuation"
        Disk.open(s.disks[0x191]).write_file(name, "ASSEMBLE", [card(x) for x in lines])
    return s


RUNAWAY = """
LOOP     CSECT
         BALR  12,0
         USING *,12
AGAIN    B     AGAIN
         END   LOOP
"""
