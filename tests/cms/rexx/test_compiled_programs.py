"""The differential programs (test_programs) once more with every
expression and clause run as generated code from its first use (and loops
compiled after one step): the compiled paths (inline built-ins,
arithmetic, PARSE templates, loops) must print what Regina printed, as the
tree does."""

from __future__ import annotations

import pytest

from cms.rexx import expressions, instructions, template

from .rexxkit import SOURCES, expected_output, run_program


def _expression_at_once(self, ex):
    self.evaluate = expressions.compile_expression(self.tree, ex)
    return self.evaluate(ex)


def _clause_at_once(self, ex):
    self.run = self.generate(ex)
    return self.run(ex)


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_program_compiled_at_first_use_matches_reference(monkeypatch, source):
    monkeypatch.setattr(expressions.Compiled, "_count", _expression_at_once)
    monkeypatch.setattr(instructions.Generated, "_count", _clause_at_once)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 1)
    monkeypatch.setattr(template, "COMPILE_AFTER", 1)
    assert run_program(source) == expected_output(source)
