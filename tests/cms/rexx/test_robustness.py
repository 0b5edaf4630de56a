"""Random programs never crash the interpreter: every outcome is output
or a REXX error with a standard number, never a Python exception or the
"interpreter defect" path (Error 49)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cms.rexx import ERROR_TEXTS, Interpreter

PIECES = [
    "say",
    "x",
    "=",
    "1",
    "+",
    "'a'",
    "(",
    ")",
    ",",
    ";",
    "do",
    "end",
    "if",
    "then",
    "else",
    "select",
    "when",
    "otherwise",
    "parse",
    "var",
    "with",
    "value",
    "arg",
    "pull",
    "call",
    "signal",
    "on",
    "off",
    "syntax",
    "novalue",
    "interpret",
    "'say 1'",
    "substr(",
    "left(",
    "format(",
    "x.1",
    "x.",
    "x.y",
    "i",
    "to",
    "by",
    "for",
    "while",
    "until",
    "forever",
    "leave",
    "iterate",
    "return",
    "exit",
    "procedure",
    "expose",
    "drop",
    "numeric",
    "digits",
    "trace",
    "r",
    "?",
    "push",
    "queue",
    "'ab'x",
    "'01'b",
    "**",
    "//",
    "%",
    "/",
    "*",
    "-",
    "||",
    "&",
    "|",
    "\\",
    "==",
    "<",
    ">=",
    "lab:",
    "nop",
    "5",
    "0",
    "-1",
    "1e3",
    ".5",
    "\n",
    "\n",
    "abs(",
    "max(",
    "translate(",
    "datatype(",
    "d2x(",
    "x2d(",
    "c2d(",
    "word(",
    "pos(",
    "strip(",
    "verify(",
    "symbol(",
    "condition(",
    "arg(",
    "value(",
    "trunc(",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_random_clauses_end_in_output_or_a_standard_error(pieces):
    budget = {"clauses": 0}

    def halt():
        budget["clauses"] += 1
        return budget["clauses"] > 500

    interp = Interpreter(
        " ".join(pieces).split("\n"),
        output=lambda t: None,
        trace_output=lambda t: None,
        input=lambda: None,
        halt=halt,
    )
    result = interp.run()
    if result.error is not None:
        assert result.error.number in ERROR_TEXTS
        assert result.error.number != 49, result.error.detail
