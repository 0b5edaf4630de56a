"""HELP over TN3270: ``vm370 serve`` in a process, s3270 as the user's
3270 (models 2 and 4), the panels and keys of HELP through the real network
path."""

import re

import pytest

from tests.cp.s3270kit import S3270
from tests.cp.servekit import start_serve, stop_serve


def cursor_to(client, word):
    """Move the cursor onto the last ``word`` standing alone on the screen."""
    rows = client.screen()
    for row in reversed(range(len(rows))):
        found = re.search(rf"(?<!\S){word}(?!\S)", rows[row])
        if found:
            client.do(f"MoveCursor({row},{found.start()})")
            return
    raise AssertionError(word)


@pytest.mark.parametrize("model, rows", [("3279-2", 24), ("3279-4", 43)])
def test_help_panels_over_tn3270(tmp_path, model, rows):
    proc, port, _ = start_serve(tmp_path)
    c = S3270("-model", model)
    try:
        c.do(f"Connect(127.0.0.1:{port})")
        c.do("Wait(10,InputField)")
        c.wait_text("VM/370 ONLINE")
        c.do('String("logon alice alice")')
        c.do("Enter()")
        c.wait_text("VM/370 CMS")
        c.do('String("help")')
        c.do("Enter()")
        c.wait_text("MENU OF HELP MENUS", timeout=20)
        assert len(c.screen()) == rows
        cursor_to(c, "CP")
        c.do("Enter()")
        c.wait_text("CP HELPMENU")
        cursor_to(c, "LINK")
        c.do("Enter()")
        screen = c.wait_text("LINK (CP command")
        assert "====>" in screen.splitlines()[rows - 1]
        c.do('String("cms copyfile")')
        c.do("Enter()")
        c.wait_text("COPYFILE (CMS command)")
        c.do("PF(4)")
        c.wait_text("Ready;")
    finally:
        c.close()
        stop_serve(proc)
