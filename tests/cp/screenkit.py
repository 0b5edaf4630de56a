"""A 3270 display (the terminal-side screen model, tui.screen.Screen) on a
Console3270 of a CP system (the real one, or termkit's stand-in): what a
user at a 3270 sees and does.
"""

from __future__ import annotations

import asyncio

from cp import ds3270 as ds
from cp.console3270 import Console3270
from tests.cp.termkit import FakeSystem
from tui.screen import Screen


class Display:
    """A 3270 wired to a Console3270: what the operator sees and does."""

    def __init__(self, system=None, model=2, **options):
        self.system = system or FakeSystem()
        self.screen = Screen(model=model)
        self.console = Console3270(
            self.system, self._show, size=ds.MODEL_SIZES[model], address="L0C1", **options
        )
        self.records = 0  # outbound records the display took
        self.console.start()

    def _show(self, record):
        self.records += 1
        reply = self.screen.process(record)
        if reply:
            self.console.receive(reply)

    def type(self, text, key=ds.AID_ENTER):
        self.screen.home()
        self.screen.erase_eof()
        self.screen.type_text(text)
        self.console.receive(self.screen.aid(key))

    def key(self, aid):
        self.console.receive(self.screen.aid(aid))

    def text(self):
        return self.screen.text()

    def status(self):
        return self.screen.row_text(self.screen.rows - 1)[-20:].strip()

    def logon(self, user="MAINT", pw="CPCMS"):
        self.type(f"LOGON {user} {pw}")
        return self.console.session


async def settle(condition, timeout=2.0):
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")
