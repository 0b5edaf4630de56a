"""The in-process front door: a 3270 screen model wired to CP's 3270 console.

The same bytes a TN3270 client would receive are applied to a
``tui.screen.Screen``; the Textual widget paints that screen and its keys come
back as inbound records.  Local displays get addresses like a locally
attached 3270 control unit's (0C0, 0C1, ...).
"""

from __future__ import annotations

import asyncio

from cp import ds3270 as ds
from cp.console3270 import Console3270
from tui.screen import Screen

FIRST_LOCAL_ADDRESS = 0x0C0


def local_address(index: int) -> str:
    """The address of the index-th local display (0C0, 0C1, ...)."""
    return f"{FIRST_LOCAL_ADDRESS + index:03X}"


class LocalDisplay:
    """One local 3270: screen model + console; ``changed()`` is called after
    every outbound write so the widget can repaint."""

    def __init__(
        self, system, address: str, *, model: int = 2, more_seconds: float = 60.0, changed=None
    ):
        self.screen = Screen(model=model)
        self.changed = changed
        self.address = address
        self.console = Console3270(
            system,
            self._outbound,
            size=ds.MODEL_SIZES[model],
            address=self.address,
            more_seconds=more_seconds,
        )

    def start(self) -> None:
        self.console.start()

    def _outbound(self, record: bytes) -> None:
        reply = self.screen.process(record)
        if self.changed is not None:
            self.changed()
        if reply:  # a read command: answer after this write
            asyncio.get_event_loop().call_soon(self.console.receive, reply)

    def aid(self, aid: int) -> None:
        """An attention key on the display."""
        self.console.receive(self.screen.aid(aid))
        if self.changed is not None:
            self.changed()

    def set_model(self, model: int) -> bool:
        """Switch this display to another 3270 model (2-5); the screen keeps
        what CP shows.  False when refused (a full-screen program is using
        the display) or the model does not exist."""
        if model not in ds.MODEL_SIZES:
            return False
        old = self.screen.model, self.screen.alternate_size
        self.screen.model, self.screen.alternate_size = model, ds.MODEL_SIZES[model]
        if not self.console.resize(ds.MODEL_SIZES[model]):
            self.screen.model, self.screen.alternate_size = old
            return False
        if self.changed is not None:
            self.changed()
        return True

    def hangup(self) -> None:
        self.console.hangup()
