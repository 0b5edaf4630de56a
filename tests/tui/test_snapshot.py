"""One snapshot of the console (logon screen, tabs, footer): catches changes
in how the 3270 screen is painted (colours, OIA, layout).  Deterministic: the
stand-in CP has no clock and the local address is always 0C0."""

from tests.cp.termkit import FakeSystem
from tui.app import ConsoleApp


def test_logon_screen_snapshot(snap_compare):
    assert snap_compare(ConsoleApp(FakeSystem()), terminal_size=(82, 28))
