"""Compiled concatenation chains (expressions._CodeWriter.concatenation)
give what the tree gives: the same strings, and Error 5 (a string too long)
raised at the same step as the step-by-step evaluation raises it, before or
after a NOVALUE condition, a function or an arithmetic error that a later
operand gives."""

from __future__ import annotations

import pytest

from cms.rexx import expressions, instructions

from .rexxkit import run_lines as run

#: A small limit, so that the programs reach it with short strings.
LIMIT = 200

PROGRAMS = {
    "literals_and_variables": [
        "do k = 1 to 40",
        "  r = 'a'k'b' 'c' || 'd' k || k'' || '' k 'e'",
        "  s = 'a' ('b' k) k || ('c' || k)",
        "  if k // 10 = 0 then say r '|' s",
        "end",
    ],
    "too_long_before_novalue": [
        "signal on novalue",
        "do k = 1 to 40",
        "  u = k; big = 'x'",
        "  if k = 30 then do; drop u; big = copies('x', 199); end",
        "  r = big 'x' u",
        "end",
        "exit",
        "novalue: say 'novalue' condition('D') sigl k",
    ],
    "novalue_before_too_long": [
        "signal on novalue",
        "do k = 1 to 40",
        "  u = k; big = 'x'",
        "  if k = 30 then do; drop u; big = copies('x', 197); end",
        "  r = big 'x' u",
        "end",
        "exit",
        "novalue: say 'novalue' condition('D') sigl k length(big)",
    ],
    "separator_before_an_operation": [
        "do k = 1 to 40",
        "  z = 1; big = 'x'",
        "  if k = 30 then do; z = 0; big = copies('x', 199); end",
        "  r = big || 'y' (k / z)",
        "end",
    ],
    "separator_then_too_long": [
        "do k = 1 to 40",
        "  z = 1; big = 'x'",
        "  if k = 30 then do; z = 0; big = copies('x', 199); end",
        "  r = 'a' big (k / z)",
        "end",
    ],
    "function_between": [
        "big = ''",
        "do k = 1 to 40",
        "  big = big || 'x'",
        "  r = 'a' || big || said(k) || 'b' k * 2 big",
        "end",
        "exit",
        "said: say 'said' arg(1); return ''",
    ],
    "appending": [
        "t = ''; u = 'a'; v = 1",
        "do k = 1 to 40",
        "  t = t || k",
        "  u = u k",
        "  v = v''k",
        "  w = t",  # a second reference: extended as a copy
        "  t = t || 'x'",
        "  if w == t then say 'same'",
        "end",
        "say t; say u; say v; say w",
    ],
    "appending_a_function_that_changes_the_variable": [
        "t = 'a'",
        "do k = 1 to 40",
        "  t = t || f(k)",
        "end",
        "say t",
        "exit",
        "f: if arg(1) // 10 = 0 then t = 'changed'; return arg(1)",
    ],
    "appending_novalue": [
        "signal on novalue",
        "t = ''",
        "do k = 1 to 40",
        "  if k = 30 then drop t",
        "  t = t || k",
        "end",
        "exit",
        "novalue: say 'novalue' condition('D') sigl k",
    ],
    "appending_too_long": [
        "t = ''",
        "do k = 1 to 200",
        "  t = t || k",
        "end",
        "exit",
    ],
    "appending_too_long_kept": [
        "signal on syntax",
        "t = ''",
        "do k = 1 to 100",
        "  t = t k",
        "end",
        "exit",
        "syntax: say 'syntax' rc sigl k length(t)",
    ],
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_compiled_concatenation_gives_what_the_tree_gives(monkeypatch, name):
    monkeypatch.setattr(expressions, "MAX_STRING", LIMIT)
    compiled = run(PROGRAMS[name])
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert run(PROGRAMS[name]) == compiled


def test_the_programs_reach_what_they_test(monkeypatch):
    monkeypatch.setattr(expressions, "MAX_STRING", LIMIT)
    assert run(PROGRAMS["too_long_before_novalue"])[-1] == "error 5"
    assert run(PROGRAMS["novalue_before_too_long"]) == ["novalue U 5 30 197"]
    assert run(PROGRAMS["separator_before_an_operation"])[-1] == "error 42"
    assert run(PROGRAMS["separator_then_too_long"])[-1] == "error 5"
    assert run(PROGRAMS["appending_novalue"]) == ["novalue T 5 30"]
    assert run(PROGRAMS["appending_too_long"])[-1] == "error 5"
    assert run(PROGRAMS["appending_too_long_kept"]) == ["syntax 5 4 70 198"]
