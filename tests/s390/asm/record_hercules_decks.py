#!/usr/bin/env python3
"""Record what Hercules 3.13 (S/370 mode) makes of each deck in decks/: IPL it from a
3505 card reader at 00C with a 3215 console at 009 and a 1403 printer at 00E, run it
to its disabled wait, and write hercules_decks.json (console lines, printer file,
wait PSW, and the SHA-256 of the deck so that a rebuilt deck invalidates the record).

Needs the Debian ``hercules`` binary and /work/shared/tools/hercules_run370.py; not a
test.  test_hercules_decks.py replays the decks on s390.cpu and compares.

    python tests/s390/asm/record_hercules_decks.py
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, ROOT)
sys.path.insert(0, "/work/shared/tools")

from decks import build  # noqa: E402

WAIT_MESSAGE = "HHCCP011I"


def record(h, name: str, tmp: str) -> dict:
    deck = build.deck_path(name)
    printer = os.path.join(tmp, name + ".prt")
    h.command("detach 000E")
    h.command(f"attach 000E 1403 {printer}")
    h.command("attach 0009 3215-C / noprompt")
    h.command(f"attach 000C 3505 {deck} ebcdic")
    start = h.mark()
    h.command("ipl 00c")
    hit = h.wait_for(WAIT_MESSAGE, start, 30)
    if hit is None:
        raise SystemExit(f"{name}: no disabled wait; log tail:\n{h.tail(30)}")
    time.sleep(0.3)
    log = h.lines_between(start, hit[0] + 2)
    psw = log[-1].split("PSW=")[1].replace(" ", "") if "PSW=" in log[-1] else ""
    console = [l for l in log if not l.startswith(("ipl ", "* @@", "HHC", " "))]
    h.command("detach 000E")
    h.command("detach 0009")
    h.command("detach 000C")
    printed = ""
    if os.path.exists(printer):  # Hercules creates the file on the first write
        with open(printer, "rb") as f:
            printed = f.read().decode("ascii")
    with open(deck, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return {"deck": name, "sha256": digest, "console": console, "printer": printed, "wait_psw": psw}


def main() -> None:
    from hercules_run370 import Hercules

    records = []
    with tempfile.TemporaryDirectory() as tmp, Hercules() as h:
        for name in build.bare_machine_sources():
            h.sysclear()
            records.append(record(h, name, tmp))
    with open(os.path.join(HERE, "hercules_decks.json"), "w") as f:
        json.dump(records, f, indent=1)
        f.write("\n")
    for r in records:
        print(
            f"{r['deck']}: console {len(r['console'])} lines, printer {r['printer'].count(chr(10))} lines, "
            f"wait PSW {r['wait_psw']}"
        )


if __name__ == "__main__":
    main()
