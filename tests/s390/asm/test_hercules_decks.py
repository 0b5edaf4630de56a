"""The decks in decks/ do on s390.cpu what they did on Hercules 3.13 (recorded in
hercules_decks.json by record_hercules_decks.py): same console lines, same printer
output, same disabled-wait PSW.  The IPL deck format is thus checked against an
independent S/370 implementation, not only against our own test channel."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from decks import build
from s390.cpu import CPU, EXIT_DISABLED_WAIT
from s390.ebcdic import split_cards

from .machine import Channel

RECORDS = json.load(open(os.path.join(os.path.dirname(__file__), "hercules_decks.json")))
CONSOLE, PRINTER = 0x009, 0x00E


#: Writes that space 1, 2 or 3 lines after printing (GA24-3312).
WRITE_SPACING = {0x09: 1, 0x11: 2, 0x19: 3}


def printer_text(channel: Channel) -> str:
    """The 1403 output as Hercules writes its printer file: a write with
    space-n-lines (X'09', X'11', X'19') ends the line with n line ends; skip
    to channel 1 (X'8B') is a form feed, except at the top of the first
    form, where the carriage already is."""
    out = []
    for cmd, data in channel.output.get(PRINTER, []):
        if cmd in WRITE_SPACING:
            out.append(data.decode("cp037").rstrip() + "\n" * WRITE_SPACING[cmd])
        elif cmd == 0x8B and out:
            out.append("\f")
    return "".join(out)


def console_lines(channel: Channel) -> list[str]:
    """The console lines the recorder can see in Hercules's log: it drops
    lines that begin with a blank (Hercules's own continuation lines), so
    the replay does the same."""
    return [line for line in channel.lines(CONSOLE) if not line.startswith(" ")]


def test_every_deck_was_recorded():
    """All but the decks that need CP (decks.build.NEEDS_CP: they run under
    CP in tests/vm370/test_demo.py)."""
    assert sorted(r["deck"] for r in RECORDS) == build.bare_machine_sources()


@pytest.mark.parametrize("record", RECORDS, ids=[r["deck"] for r in RECORDS])
def test_deck_behaves_as_on_hercules(record):
    with open(build.deck_path(record["deck"]), "rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == record["sha256"], "deck changed: rerun the recorder"
    cpu = CPU(storage_size=1 << 20)
    channel = Channel(cpu, split_cards(data))
    channel.ipl()
    assert channel.run() == EXIT_DISABLED_WAIT
    assert console_lines(channel) == record["console"]
    assert printer_text(channel) == record["printer"]
    assert cpu.get_psw().hex().upper() == record["wait_psw"]
