"""The disassembler round-trips the GNU corpus and agrees with objdump's decoding."""

from __future__ import annotations

import json
import os

import pytest

from s390.asm.encode import EXTENDED
from s390.disasm import decode, disassemble, format_listing
from tests.s390.asm.helpers import code_of

CORPUS = json.load(open(os.path.join(os.path.dirname(__file__), "asm", "corpus.json")))
#: ESA/390 names objdump uses for some S/370 floating-point instructions (same opcodes)
OBJDUMP_ALIASES = {"LRDR": "ldxr", "LRER": "ledr", "MER": "mder", "ME": "mde"}


def _objdump_names(mnemonic: str, data: bytes) -> set[str]:
    names = {mnemonic.lower(), OBJDUMP_ALIASES.get(mnemonic, "").lower()}
    if mnemonic in ("BC", "BCR"):
        mask = data[1] >> 4
        names |= {n.lower() for n, (m, base) in EXTENDED.items() if m == mask and base == mnemonic}
    return names


@pytest.mark.parametrize("entry", CORPUS, ids=[e["asm"] for e in CORPUS])
def test_round_trip(entry):
    data = bytes.fromhex(entry["bytes"])
    length, text = decode(data)
    assert length == len(data)
    assert code_of(text) == data
    if entry["source"] == "gas":
        assert entry["objdump"].split("\t")[0] in _objdump_names(text.split()[0], data)


def test_unassigned_opcode_shows_as_constant():
    assert decode(bytes([0x00, 0x00])) == (2, "DC    X'0000'")
    assert decode(bytes([0x9C, 0x05, 0, 0]))[1] == "DC    X'9C05'"


def test_disassemble_a_sequence_with_addresses():
    data = bytes.fromhex("05C04110C010D207C020C030")
    rows = disassemble(data, 0x1000)
    assert [(a, t) for a, _, t in rows] == [
        (0x1000, "BALR  12,0"),
        (0x1002, "LA    1,16(0,12)"),
        (0x1006, "MVC   32(8,12),48(12)"),
    ]
    assert format_listing(data, 0x1000)[0] == "001000  05C0          BALR  12,0"
