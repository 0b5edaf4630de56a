"""The lexer's one-findall reading of a line gives the same clauses and
errors as its token-by-token scan (which comments and errors take)."""

from __future__ import annotations

import random

import pytest

from cms.rexx import lexer
from cms.rexx.errors import RexxError

PIECES = [
    "a", "b1", "1", "1e", "2.5e", "1e+5", ".5E-2", "+", "-", "3", "'", '"', "x", "X", "b",
    " ", "  ", ",", ";", "(", ")", ":", "=", "==", "\\", "\u00ac", ">", "<", ">>=", "|",
    "&", "*", "/", "%", ".", "\t", "''", '""', "0f", "~", "E", "e+", "'ab'x", "'0101'b",
    "'4 1'x", "'a''b'", '"x""y"X', "'g'x", "'1'b1", "\u00e0", "!?_@#$",
]  # fmt: skip


def clauses(lines: list[str], one_findall: bool):
    reader = lexer.Lexer(lines)
    if not one_findall:
        reader._line = lambda text, number, blank: False
    try:
        found = reader.read()
    except RexxError as error:
        return ("error", error.number, error.line, error.detail)
    return [
        [(t.kind, t.value, t.line, t.col, t.end_line, t.end_col, t.blank_before) for t in c]
        for c in found
    ]


@pytest.mark.parametrize("seed", range(4))
def test_one_findall_reads_lines_as_the_scan_does(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        lines = [
            "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
            for _ in range(rng.randint(1, 3))
        ]
        assert clauses(lines, True) == clauses(lines, False), lines


def test_clauses_end_at_semicolons_and_lines_unless_continued():
    found = clauses(["a = 1; b = 'x' ,", "  'y';", "", "say a"], True)
    assert [[token[1] for token in clause] for clause in found] == [
        ["a", "=", "1"],
        ["b", "=", "x", "y"],
        [],
        [],
        ["say", "a"],
    ]
    assert found[1][3][6] is True  # the continued line's blank before 'y'
