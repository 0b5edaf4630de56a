"""Differential tests: each programs/*.rexx must print what Regina printed
(programs/NAME.regina), or the standard result where Regina deviates
(programs/NAME.expected, explained in programs/DEVIATIONS.md).

programs/arith_random.rexx is written by make_arith_random.py (fixed seed)."""

from __future__ import annotations

import pathlib
import tempfile

import pytest

from cms.rexx import Interpreter
from cms.rexx.streams import HostFileStreams

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

    with tempfile.TemporaryDirectory() as work:
        # stream I/O names files relative to a scratch directory, as Regina's run
        interp = Interpreter(
            source.read_text().splitlines(),
            name=source.stem.upper(),
            filetype="REXX",
            output=out.append,
            input=read,
            trace_output=err.append,
            external=None,
            streams=HostFileStreams(directory=work),
        )
        interp.run(arguments)
    return "".join(l + "\n" for l in out) + "".join(l + "\n" for l in error_lines("\n".join(err)))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_program_matches_reference(source):
    assert run_program(source) == expected_output(source)


@pytest.mark.slow
@pytest.mark.tool("regina")
@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_committed_regina_output_is_current(source):
    """Regina run now still prints the committed .regina file
    (needs Debian's regina-rexx, as regen_expected.py does)."""
    import shutil

    from .regen_expected import run_regina

    regina = shutil.which("regina")
    assert regina is not None, "regina-rexx is not installed (apt-get install regina-rexx)"
    assert run_regina(source, regina) == source.with_suffix(".regina").read_text()
