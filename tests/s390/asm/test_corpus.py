"""Every instruction of the opcode table against GNU as / objdump (corpus.json, made by
make_corpus.py where binutils-s390x-linux-gnu is installed)."""

from __future__ import annotations

import json
import os

import pytest

from s390.asm.encode import EXTENDED
from s390.optable import ALIASES, TABLE

from .helpers import code_of

CORPUS = json.load(open(os.path.join(os.path.dirname(__file__), "corpus.json")))


def test_corpus_covers_every_opcode_and_extended_mnemonic():
    names = {e["asm"].split()[0] for e in CORPUS}
    assert {op.mnemonic for op in TABLE} <= names
    assert set(EXTENDED) <= names
    assert set(ALIASES) <= names


def test_most_of_the_corpus_is_checked_by_gnu_as():
    insn = [e["asm"].split()[0] for e in CORPUS if e["source"] == "insn"]
    # the S/370-only I/O, direct-control and storage-key instructions that GNU as does
    # not know: GNU as assembled them from our opcode with .insn
    assert set(insn) == {
        "SSK",
        "ISK",
        "RRB",
        "SIO",
        "SIOF",
        "TIO",
        "CLRIO",
        "HIO",
        "HDV",
        "TCH",
        "STIDC",
        "WRD",
        "RDD",
        "RIO",
        "CLRCH",
        "CONCS",
        "DISCS",
    }
    assert all(e["gas"].startswith(".insn ") for e in CORPUS if e["source"] == "insn")


@pytest.mark.parametrize("entry", CORPUS, ids=[e["asm"] for e in CORPUS])
def test_assembles_to_the_bytes_gnu_as_made(entry):
    assert code_of(entry["asm"]).hex() == entry["bytes"]
