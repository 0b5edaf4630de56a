"""PARSE (cms.rexx.template): word parsing assigns as the language says
with and without TRACE R, which shows each target's value (>>>) and each
placeholder's (>.>)."""

from __future__ import annotations

from cms.rexx import Interpreter

PROGRAM = [
    "x = 'one  two three four '",
    "parse var x a . b",
    "parse var x 'two' c +2 d",
    "parse var x e f g h i j",
    "say '<'a'>' '<' || b || '>' '<'c'>' '<'d'>' '<'e'>' '<'f'>' '<'g'>' '<'h'>' '<'i'>' '<'j'>'",
]


def run(lines: list[str]) -> list[str]:
    out: list[str] = []
    Interpreter(lines, output=out.append, trace_output=out.append).run()
    return out


def test_word_parsing_assigns_words_and_the_rest():
    # as Regina 3.6 gives it
    assert run(PROGRAM) == [
        "<one> <three four > <tw> <o three four > <one> <two> <three> <four> <> <>"
    ]


def test_trace_r_shows_each_target_and_placeholder():
    out = run(PROGRAM[:1] + ["trace r"] + PROGRAM[1:3])
    assert out == [
        "     3 *-* parse var x a . b",
        '       >>>   "one"',
        '       >.>   "two"',
        '       >>>   "three four "',
        "     4 *-* parse var x 'two' c +2 d",
        '       >>>   "tw"',
        '       >>>   "o three four "',
    ]
