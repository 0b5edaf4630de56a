"""A 3270 display (the in-process screen model, tui.screen.Screen) on a
Console3270 of a real CP system: what a user at a 3270 sees and does."""
from cp import ds3270 as ds
from cp.console3270 import Console3270
from tui.screen import Screen


class Display:
    """A 3270 (the in-process screen model) on a Console3270 of the real CP."""

    def __init__(self, system):
        self.screen = Screen(model=2)
        self.console = Console3270(system, self._show, size=ds.MODEL_SIZES[2], address="L0C1")
        self.console.start()

    def _show(self, record):
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

    def status(self):
        return self.screen.row_text(self.screen.rows - 1)[-20:].strip()

    def text(self):
        return self.screen.text()
