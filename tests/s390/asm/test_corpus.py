"""Every instruction of the opcode table against GNU as / objdump (corpus.json, made by
make_corpus.py where binutils-s390x-linux-gnu is installed)."""
from __future__ import annotations

import json
import os

import pytest

from s390.optable import OPCODES
from s390.asm.encode import EXTENDED
from .helpers import code_of

CORPUS = json.load(open(os.path.join(os.path.dirname(__file__), "corpus.json")))


def test_corpus_covers_every_opcode_and_extended_mnemonic():
    names = {e["asm"].split()[0] for e in CORPUS}
    assert {op.mnemonic for op in OPCODES} <= names
    assert set(EXTENDED) <= names


def test_most_of_the_corpus_is_checked_by_gnu_as():
    manual = [e["asm"].split()[0] for e in CORPUS if e["source"] == "manual"]
    # the S/370-only I/O and storage-key instructions that GNU as does not know
    assert set(manual) == {"SSK", "ISK", "PTLB", "RRB", "SIO", "SIOF", "TIO", "CLRIO", "HIO",
                           "HDV", "TCH", "STIDC"}


@pytest.mark.parametrize("entry", CORPUS, ids=[e["asm"] for e in CORPUS])
def test_assembles_to_the_bytes_gnu_as_made(entry):
    assert code_of(entry["asm"]).hex() == entry["bytes"]
