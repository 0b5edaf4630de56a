"""Differential tests: each programs/*.rexx must print what Regina printed
(programs/NAME.regina), or the standard result where Regina deviates
(programs/NAME.expected, explained in programs/DEVIATIONS.md).

programs/arith_random.rexx is written by make_arith_random.py (fixed seed)."""
from __future__ import annotations

import pathlib

import pytest

from cms.rexx import Interpreter

from .regen_expected import PROGRAMS, error_lines, program_inputs

SOURCES = sorted(PROGRAMS.glob("*.rexx"))


def expected_output(source: pathlib.Path) -> str:
    standard = source.with_suffix(".expected")
    if standard.exists():
        return standard.read_text()
    return source.with_suffix(".regina").read_text()


def run_program(source: pathlib.Path) -> str:
    stdin, arguments = program_inputs(source)
    pending = stdin.splitlines()
    out: list[str] = []
    err: list[str] = []

    def read():
        return pending.pop(0) if pending else None

    interp = Interpreter(source.read_text().splitlines(), name=source.stem.upper(),
                         filetype="REXX", output=out.append, input=read,
                         trace_output=err.append, external=None)
    interp.run(arguments)
    return "".join(l + "\n" for l in out) + "".join(l + "\n" for l in error_lines("\n".join(err)))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_program_matches_reference(source):
    assert run_program(source) == expected_output(source)
