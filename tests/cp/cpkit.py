"""Helpers for the CP tests: a System in a temporary directory and logged-on terminals."""

from __future__ import annotations

import asyncio

from cp.security import GuessPolicy, Safeguards
from cp.system import System
from cp.terminal import LineTerminal

#: A small directory used by most CP tests (the real statement syntax).
TEST_DIRECT = """\
* test directory
USER OPERATOR OPERATORPW 1M 2M AB
 CONSOLE 009 3215
USER MAINT MAINTPW 1M 16M ABCDEFG
 CONSOLE 009 3215
 MDISK 190 3370 0 200 SYSRES RR ALL
 MDISK 191 3370 200 100 SYSRES MR
USER ALICE ALICEPW 1M 4M G
 CONSOLE 009 3215
 SPOOL 00C 2540 READER *
 SPOOL 00D 2540 PUNCH A
 SPOOL 00E 1403 A
 LINK MAINT 190 190 RR
 MDISK 191 3370 300 100 USRVOL MR RALICE WALICE MALICE
USER BOB BOBPW 1M 4M G
 CONSOLE 009 3215
 MDISK 191 3370 400 100 USRVOL W RBOB WBOB MBOB
USER CAROL CAROLPW 2M 2M G
 CONSOLE 009 3215
 OPTION LNKNOPAS
USER NOBODY NOLOG
 MDISK 199 3370 500 50 USRVOL RR
"""


def make_system(tmp_path, text: str = TEST_DIRECT, **options) -> System:
    (tmp_path / "user.direct").write_text(text)
    (tmp_path / "user.direct").chmod(0o600)  # as vm370 init makes it
    if "safeguards" not in options:
        options.setdefault("logon_delay", 0.01)
        options.setdefault("max_logon_delay", 0.05)
        options["safeguards"] = Safeguards(link=GuessPolicy(delay=0.0))
    return System(tmp_path, **options)


def logon(system: System, userid: str, password: str | None = None, *extra: str):
    """Connect a LineTerminal and log ``userid`` on; returns (terminal, session)."""
    terminal = LineTerminal()
    session = system.connect(terminal)
    password = password or f"{userid}PW"
    session.enter(" ".join(["LOGON", userid, password, *extra]))
    return terminal, session


def command(session, terminal, line: str) -> list[str]:
    """Enter a line and return what the terminal showed for it."""
    terminal.take()
    session.enter(line)
    return terminal.take()


async def settle(seconds: float = 0.02) -> None:
    await asyncio.sleep(seconds)
