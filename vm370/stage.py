"""The stage a demo runs on: a running system, the users a demo drives, a transcript.

A demo (vm370.demo) is a script of what users type and what they are
shown: ``Stage.user(userid)`` gives an ``Actor`` at a terminal of the
running system; ``actor.type(line, until=...)`` enters a line and waits
for the answer CP or the guest writes; ``stage.say(text)`` narrates.
Every line shown, typed and narrated goes to ``stage.transcript`` and to
the listeners (the console's Demo tab, stdout).

Actors sit at one of two kinds of terminal: a ``cp.terminal.LineTerminal``
(headless runs, tests, ``--serve``) or a 3270 display on a tab of the
Textual console, typed into as a person would (``terminal_factory``).

``running_system`` is the one place a demo starts and stops a system (the
system lifecycle, vm370.lifecycle.RunningSystem, without signal handlers:
Ctrl+C interrupts the demo itself); a throwaway system lives in a temporary directory that is
removed when the demo ends, however it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import tempfile
from pathlib import Path

from cp.terminal import VM_READ, LineTerminal
from vm370.lifecycle import RunningSystem

#: How long one step may take before the demo gives up (seconds).
STEP_TIMEOUT = 60.0
#: What ends a CMS command (CMS User's Guide: the ready message) or a
#: standalone program (CP's disabled-wait message).
CMS_READY = r"^Ready[;(]"
DISABLED_WAIT = r"^DMKDSP450W"


class DemoError(Exception):
    """A demo could not go on; the text says where and why."""


class DemoUsersMissing(DemoError):
    """The system directory lacks a user the demo drives."""


@contextlib.asynccontextmanager
async def running_system(sysdir: Path | None = None):
    """The system a demo runs on: ``sysdir``'s, or a new throwaway one made
    from the embedded default directory and removed afterwards (also when
    the demo is interrupted).  The system is shut down and its directory's
    lock released however the block ends."""
    throwaway = sysdir is None
    path = Path(tempfile.mkdtemp(prefix="vm370-demo-")) if throwaway else Path(sysdir)
    running = RunningSystem(path, signals=False, logon_delay=0.0)
    try:
        yield running.start()
    finally:
        running.close()
        if throwaway:
            shutil.rmtree(path, ignore_errors=True)


class LineSeat:
    """A line terminal (cp.terminal.LineTerminal): how a headless actor sits."""

    def __init__(self, system, shown):
        self.terminal = LineTerminal(echo=shown)
        self.session = system.connect(self.terminal)

    def enter(self, line: str) -> None:
        self.session.enter(line)

    @property
    def status(self) -> str:
        return self.terminal.status

    def screen_rows(self) -> list[str]:
        """What a full-screen guest displayed last (DIAGNOSE X'58')."""
        rows: list[str] = []
        for row, lines in self.terminal.displays:
            if row == 0:
                rows = []
            rows[row : row + len(lines)] = lines
        return rows


class Actor:
    """One user of the demo at a terminal: types lines and waits for answers."""

    def __init__(self, stage: Stage, userid: str, seat):
        self.stage, self.userid, self.seat = stage, userid.upper(), seat
        self.lines: list[str] = []  # everything this user was shown

    def shown(self, text: str) -> None:
        self.lines.append(text)
        self.stage.record(f"{self.userid:<8}  {text}")

    async def type(
        self,
        line: str,
        until: str | None = None,
        timeout: float = STEP_TIMEOUT,
        shown: str | None = None,
    ) -> list[str]:
        """Enter ``line`` (the transcript shows ``shown`` instead, for a
        password) and return the lines shown for it: until one matches the
        regular expression ``until``, or, without one, until the output
        stops for a moment."""
        await self.stage.pause(0.6)
        start = len(self.lines)
        self.stage.record(f"{self.userid:<8}> {line if shown is None else shown}", typed=True)
        self.seat.enter(line)
        if until is None:
            await self.settle(start)
        else:
            await self.wait_for(until, start, timeout)
        return self.lines[start:]

    async def wait_for(
        self, pattern: str, start: int | None = None, timeout: float = STEP_TIMEOUT
    ) -> str:
        """The first line from ``start`` matching ``pattern``, waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = len(self.lines) if start is None else start
        regex = re.compile(pattern)
        while True:
            while index < len(self.lines):
                if regex.search(self.lines[index]):
                    return self.lines[index]
                index += 1
            if loop.time() >= deadline:
                raise DemoError(f"{self.userid}: no line like {pattern!r} in {timeout:g} seconds")
            await asyncio.sleep(0.02)

    async def settle(self, start: int, quiet: float = 0.15) -> None:
        """Wait until the output has stopped for ``quiet`` seconds."""
        seen = -1
        while seen != len(self.lines):
            seen = len(self.lines)
            await asyncio.sleep(quiet)

    async def logon(self, *options: str) -> list[str]:
        """LOGON with the password the directory has in the clear; with CMS
        in the directory's IPL, until CMS is ready."""
        entry = self.stage.system.directory.get(self.userid)
        from cp.passwords import is_hashed

        if entry is None or entry.nolog:
            raise DemoUsersMissing(f"the system directory has no user {self.userid}")
        if is_hashed(entry.password):
            raise DemoUsersMissing(
                f"{self.userid}'s password is hashed in USER DIRECT; "
                "the demo cannot log on: run it on a throwaway system"
            )
        line = " ".join(["LOGON", self.userid, entry.password, *options])
        ipl_cms = "NOIPL" not in options and (getattr(entry, "ipl", "") or "").upper().startswith(
            "CMS"
        )
        shown = await self.type(
            line, until=r"^LOGON AT", shown=" ".join(["LOGON", self.userid, "********", *options])
        )
        if ipl_cms:
            await self.wait_status(VM_READ)  # CMS is up and reads its console
        return shown

    async def wait_status(self, word: str, timeout: float = STEP_TIMEOUT) -> None:
        """Wait until the terminal's status area says ``word`` (VM READ, CP READ)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.seat.status != word:
            if loop.time() >= deadline:
                raise DemoError(
                    f"{self.userid}: the terminal did not come to {word} in {timeout:g} seconds"
                )
            await asyncio.sleep(0.02)

    @property
    def vm(self):
        return self.stage.system.find_user(self.userid)


class Stage:
    """A running system, the actors on it and the transcript of the demo.
    ``pace`` stretches the pauses between steps (0 in tests and headless
    runs, 1 in front of an audience)."""

    def __init__(self, system, *, pace: float = 0.0, seat_factory=None, listeners=()):
        self.system = system
        self.pace = pace
        self.transcript: list[str] = []
        self.listeners = list(listeners)
        self.actors: dict[str, Actor] = {}
        self.printouts: list[Path] = []  # system printer listings the demo made
        self._seat_factory = seat_factory

    def record(self, line: str, typed: bool = False) -> None:
        self.transcript.append(line)
        for listener in self.listeners:
            listener(line)

    def say(self, text: str) -> None:
        """A line of narration (the transcript marks it with ``--``)."""
        self.record(f"-- {text}")

    async def pause(self, seconds: float) -> None:
        if self.pace > 0:
            await asyncio.sleep(seconds * self.pace)
        else:
            await asyncio.sleep(0)

    async def user(self, userid: str) -> Actor:
        """An actor for ``userid`` at a new terminal (a line terminal, or a
        console tab when the seat factory gives one)."""
        actor = Actor(self, userid, None)
        if self._seat_factory is not None:
            actor.seat = await self._seat_factory(self.system, actor.shown, userid)
        else:
            actor.seat = LineSeat(self.system, actor.shown)
        self.actors[actor.userid] = actor
        return actor

    def punch_deck(self, userid: str, name: str, cards: list[bytes], ftype: str = "DECK"):
        """Put a deck into ``userid``'s reader, as the operator feeding the
        system's card reader would."""
        sf = self.system.spool.add_closed(
            "OPERATOR",
            "PUN",
            [(0x01, c) for c in cards],
            owner=userid.upper(),
            name=name.upper()[:8],
            ftype=ftype.upper()[:8],
        )
        self.say(
            f"The operator puts the {name.upper()} deck ({len(cards)} cards) into "
            f"{userid.upper()}'s virtual reader: file {sf.spoolid:04d}."
        )
        return sf

    def new_listings(self, before: set[Path]) -> list[Path]:
        made = [p for p in self.system.spool.listings() if p not in before]
        self.printouts.extend(made)
        return made
