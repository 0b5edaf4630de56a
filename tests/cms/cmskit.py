"""Helpers for CMS tests on the real CP: a system with the CMS disks
installed, users at line terminals, and programs written to the A-disk
with EXECIO and run with LOAD/START or as a MODULE."""
from __future__ import annotations

import asyncio

from cp.terminal import LineTerminal
from vm370.batch import install_system_disks
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
"""


def cms_system(tmp_path, direct: str = DIRECT):
    """A system (vm370.boot.make_system) whose MAINT disks hold CMS."""
    (tmp_path / "user.direct").write_text(direct)
    system = make_system(tmp_path, logon_delay=0.0)
    install_system_disks(system)
    return system


class User:
    """A logged-on user at a line terminal."""

    def __init__(self, system, userid: str, password: str, terminal=None):
        self.system = system
        self.terminal = terminal or LineTerminal()
        self.session = system.connect(self.terminal)
        self.session.enter(f"LOGON {userid} {password}")
        self.vm = system.find_user(userid)

    @property
    def lines(self) -> list[str]:
        return self.terminal.lines

    async def type(self, line: str, until: str = "Ready", timeout: float = 30.0) -> list[str]:
        """Enter a line; the lines shown up to the next line starting with ``until``."""
        start = len(self.terminal.lines)
        self.session.enter(line)
        return await self.wait(start, until, timeout)

    async def wait(self, start: int, until: str = "Ready", timeout: float = 30.0) -> list[str]:
        for _ in range(int(timeout / 0.01)):
            shown = self.terminal.lines[start:]
            if any(x.startswith(until) for x in shown):
                return shown
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {until!r} after: " + "\n".join(self.terminal.lines[-40:]))

    async def status(self, word: str, timeout: float = 30.0) -> None:
        """Wait until the console shows ``word`` (CP READ, VM READ, RUNNING)."""
        for _ in range(int(timeout / 0.01)):
            if self.terminal.status == word:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"status {self.terminal.status!r}, not {word!r}")

    async def cms(self) -> list[str]:
        """Wait for the CMS banner; the first command skips the PROFILE."""
        await self.wait(0, "VM/370 CMS")
        return await self.type("ACCESS (NOPROF")

    async def write_file(self, fileid: str, lines) -> None:
        """Write a file record by record with EXECIO."""
        for line in lines:
            await self.type(f"EXECIO 1 DISKW {fileid} A1 (STRING {line}")

    async def assemble(self, name: str, source: str) -> None:
        await self.write_file(f"{name} ASSEMBLE", source.strip("\n").splitlines())
        out = await self.type(f"ASSEMBLE {name}")
        assert ready_code(out) == "Ready", out


def ready_code(lines) -> str:
    return [x for x in lines if x.startswith("Ready")][-1].split(";")[0]
