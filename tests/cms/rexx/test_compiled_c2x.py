"""C2X written out in compiled code encodes with the interpreter's code
page, as the built-in function does: the same hex digits compiled and
through the tree, for characters inside and outside the code page."""

from __future__ import annotations

import pytest

from cms.rexx import Interpreter, instructions

PROGRAM = """
do i = 1 to 40
  h = c2x(substr(s, 1, 3)) c2x(s)
end
say h
"""


def run(text: str, codepage: str | None) -> list[str]:
    out: list[str] = []
    lines = [f"s = {text}"] + PROGRAM.splitlines()
    Interpreter(lines, output=out.append, codepage=codepage).run()
    return out


@pytest.mark.parametrize("codepage", [None, "cp037", "cp500"])
@pytest.mark.parametrize("text", ["'abc'", "'a'", "''", "'AB' || d2c(255)", "'x\u20acy'"])
def test_c2x_compiled_as_the_tree_does(monkeypatch, text, codepage):
    compiled = run(text, codepage)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert compiled == run(text, codepage)


def test_c2x_uses_the_code_page():
    assert run("'ab'", "cp037") == ["818240 8182"]
