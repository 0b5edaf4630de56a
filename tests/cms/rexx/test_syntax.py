"""Structural syntax errors are reported when the program is loaded, before
its first clause runs, with Regina's error number (syntax_regina.json,
recorded by make_syntax_cases.py); errors TRL2 leaves to run time come
after the clauses before them, where SIGNAL ON SYNTAX can trap them."""

from __future__ import annotations

import json

import pytest

from cms.rexx import Interpreter

from .make_syntax_cases import RECORD

CASES = json.loads(RECORD.read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_syntax_error_is_found_when_regina_finds_it(name):
    case = CASES[name]
    out, err = [], []
    result = Interpreter(case["source"], output=out.append, trace_output=err.append).run()
    number = result.error.number if result.error else None
    assert {"before": out[:1] == ["before"], "error": number} == {
        "before": case["before"],
        "error": case["error"],
    }, err


def test_signal_on_syntax_traps_a_run_time_syntax_error():
    out = []
    Interpreter(
        [
            "signal on syntax",
            "x = (1 +",
            "say 'not reached'",
            "exit",
            "syntax: say 'trapped' rc sigl",
        ],
        output=out.append,
    ).run()
    assert out == ["trapped 35 2"]


@pytest.mark.slow
@pytest.mark.tool("regina")
def test_recorded_verdicts_are_regina_s():
    """Needs regina-rexx: Regina run now gives the recorded verdicts."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from .make_syntax_cases import CASES as SOURCES
    from .make_syntax_cases import program, verdict

    regina = shutil.which("regina")
    assert regina is not None, "regina-rexx is not installed (apt-get install regina-rexx)"
    with tempfile.TemporaryDirectory() as work:
        for name, body in SOURCES.items():
            (Path(work) / "case.rexx").write_text(program(body))
            completed = subprocess.run(
                [regina, "./case.rexx"],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            recorded = {k: CASES[name][k] for k in ("before", "error")}
            assert verdict(completed.stdout, completed.stderr) == recorded, name
