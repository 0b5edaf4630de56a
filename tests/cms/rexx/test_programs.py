"""Differential tests: each programs/*.rexx must print what Regina printed
(programs/NAME.regina), or the standard result where Regina deviates
(programs/NAME.expected, explained in programs/DEVIATIONS.md).

programs/arith_random.rexx is written by make_arith_random.py (fixed seed)."""

from __future__ import annotations

import pytest

from .rexxkit import SOURCES, expected_output, run_program


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
