"""XEDIT speed: open a 10,000-line file and scroll it (PF8 to the end) on
an in-process 3270, and the round trip of one ENTER in XEDIT over TN3270
(s3270 against ``vm370 serve``: key to unlocked keyboard, s3270 included).

    python -m bench.xedit [lines] [enters]
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cms.fs import Disk
from cp import ds3270 as ds
from s390.ebcdic import to_ebcdic


def in_process(lines: int) -> tuple[float, float, int]:
    """(seconds to the first screen, seconds per PF8, screens) on fake services."""
    from tests.cms.fakes import ScriptEnded, run_session
    from tests.cms.xeditkit import fake_3270

    s = fake_3270(script=["XEDIT BIG DATA A"], blocks=max(400, lines // 2))
    Disk.open(s.disks[0x191]).write_file(
        "BIG", "DATA", [to_ebcdic(f"record {n:07d} " + "x" * 60) for n in range(lines)], "F", 80
    )
    marks: list[float] = []
    pages = lines // 18 + 2

    def key(screen):
        marks.append(time.perf_counter())
        if len(marks) > pages:
            raise ScriptEnded()
        screen.keyboard_locked = False
        return screen.aid(ds.AID_PF[8])

    s.keys = [key] * (pages + 1)
    start = time.perf_counter()
    asyncio.run(run_session(s))
    opened = marks[0] - start
    per_page = (marks[-1] - marks[0]) / max(1, len(marks) - 1)
    return opened, per_page, len(marks) - 1


def over_tn3270(enters: int) -> float | None:
    """Seconds per ENTER (BOTTOM, TOP in turn) in XEDIT through s3270 and the TN3270 server."""
    if shutil.which("s3270") is None:
        return None
    from tests.cp.s3270kit import S3270
    from tests.cp.servekit import start_serve, stop_serve

    with tempfile.TemporaryDirectory() as tmp:
        proc, port, _ = start_serve(Path(tmp))
        c = S3270()
        try:
            c.do(f"Connect(127.0.0.1:{port})")
            c.do("Wait(10,InputField)")
            for text in (
                "logon alice alice",
                None,
                "access (noprof",
                None,
                "xedit bench data a",
                "input line",
                "top",
            ):
                if text is None:
                    time.sleep(1.0)
                    c.do("Clear()")
                else:
                    c.do(f'String("{text}")')
                    c.do("Enter()")
                c.do("Wait(20,Unlock)")
                time.sleep(0.2)
            c.wait_text("X E D I T", 20)
            start = time.perf_counter()
            for n in range(enters):
                c.do('String("bottom")' if n % 2 == 0 else 'String("top")')
                c.do("Enter()")
                c.do("Wait(20,Unlock)")
            per_enter = (time.perf_counter() - start) / enters
            # Each ENTER was answered with XEDIT's new screen (the line moved).
            assert f"Line={1 if enters % 2 else 0} " in c.screen()[0], c.screen()[0]
            c.do('String("qquit")')
            c.do("Enter()")
        finally:
            c.close()
            stop_serve(proc)
    return per_enter


def main(argv: list[str]) -> None:
    lines = int(argv[0]) if argv else 10000
    enters = int(argv[1]) if len(argv) > 1 else 50
    opened, per_page, pages = in_process(lines)
    print(f"open {lines} lines to the first screen: {opened * 1000:.1f} ms")
    print(f"scroll (PF8) {pages} screens: {per_page * 1000:.2f} ms per screen")
    per_enter = over_tn3270(enters)
    if per_enter is None:
        print("ENTER over TN3270: s3270 not installed")
    else:
        print(f"ENTER round trip in XEDIT over TN3270 (s3270): {per_enter * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
