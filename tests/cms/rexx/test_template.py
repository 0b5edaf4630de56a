"""PARSE (cms.rexx.template): word parsing assigns as the language says
with and without TRACE R, which shows each target's value (>>>) and each
placeholder's (>.>)."""

from __future__ import annotations

import pytest

from cms.rexx import template

from .rexxkit import both_ways, run_with_halt
from .rexxkit import run_counted as run_loop
from .rexxkit import run_lines as run

PROGRAM = [
    "x = 'one  two three four '",
    "parse var x a . b",
    "parse var x 'two' c +2 d",
    "parse var x e f g h i j",
    "say '<'a'>' '<' || b || '>' '<'c'>' '<'d'>' '<'e'>' '<'f'>' '<'g'>' '<'h'>' '<'i'>' '<'j'>'",
]


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


#: Loops whose PARSE templates run as generated code after their first use.
LOOPS = {
    "words and literals": [
        "do i = 1 to 5",
        "  x = 'a' i 'b,c' i*2 ',,d'",
        "  parse var x p q ',' r . ',' s",
        "  say i '<'p'>' '<'q'>' '<'r'>' '<'s'>'",
        "end",
    ],
    "positions": [
        "do i = 1 to 6",
        "  x = 'abcdefghij'",
        "  parse var x 3 p +2 q =(i) r -1 s 1 t",
        "  say '<'p'>' '<'q'>' '<'r'>' '<'s'>' '<'t'>'",
        "end",
    ],
    "variable patterns and stems": [
        "sep = ';'",
        "do i = 1 to 5",
        "  parse value 'x;y;z' i with a.i (sep) b.i (sep) c",
        "  say a.i b.i c",
        "end",
    ],
    "exposed": [
        "call p",
        "say a b",
        "exit",
        "p: procedure expose a",
        "do i = 1 to 5",
        "  parse value i 'two' with a b",
        "end",
        "return",
    ],
    "novalue": [
        "signal on novalue",
        "sep = ','",
        "do i = 1 to 5",
        "  if i = 4 then drop sep",
        "  parse value 'a,b' with x (sep) y",
        "  say x y",
        "end",
        "exit",
        "novalue: say 'novalue' condition('D') 'line' sigl",
    ],
    "bad position": [
        "signal on syntax",
        "do i = 1 to 5",
        "  p = word('1 2 3 x 5', i)",
        "  parse value 'abcdef' with x =(p) y",
        "  say x y",
        "end",
        "exit",
        "syntax: say 'syntax' rc 'line' sigl",
    ],
    "digits": [
        "do i = 1 to 5",
        "  if i = 3 then numeric digits 2",
        "  p = 100 + i",
        "  parse value copies('x', 120) with x =(p) y",
        "  say length(x) length(y)",
        "end",
    ],
    "trace on the way": [
        "do i = 1 to 5",
        "  if i = 4 then trace r",
        "  parse value 'a b c' with x . y",
        "end",
    ],
}


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_generated_templates_parse_as_the_interpreted_ones(monkeypatch, name):
    lines = LOOPS[name]
    generated = run(lines)
    monkeypatch.setattr(template, "COMPILE_AFTER", 10**9)
    assert run(lines) == generated
    assert generated


def test_generated_templates_stop_for_hi_as_the_interpreted_ones(monkeypatch):
    lines = ["call on halt name stopped"] + LOOPS["words and literals"]
    lines += ["exit", "stopped: say 'halted at' sigl; return"]
    generated = [run_with_halt(lines, at) for at in range(1, 30)]
    monkeypatch.setattr(template, "COMPILE_AFTER", 10**9)
    assert [run_with_halt(lines, at) for at in range(1, 30)] == generated
    assert any("halted at 3" in out for out in generated)


# --- PARSE written out in compiled loops and routines ---------------------------

LOOP_PARSES = {
    "words_literal_rest": """
        do i = 1 to 60
          line = 'field'i '  value'i || ',' i * 2 '  '
          parse var line a b ',' c
          if c \\= i * 2 then say 'bad' i
          parse value i 'x' i + 1 with . d 3 e +1 f =(i) g -1 h 'x' k
          parse upper var line m 2 n 'VALUE' o
          parse value line with p.i q. ',' 1 r
          s = ''; parse var s t u ',' v
          if i // 20 = 0 then say a '|' b '|' c '|' d '|' e '|' f '|' g '|' h '|' k '|' m '|' n '|' o '|' p.i '|' q. '|' r '|' t '|' u '|' v
        end
    """,
    "novalue": """
        signal on novalue
        line. = 'a b'
        do i = 1 to 60
          parse var line.i a b
          if i = 50 then drop line.
          else line.i = 'x' i
        end
        exit
        novalue: say 'novalue' sigl condition('D') i
    """,
    "bad_position": """
        do i = 1 to 60
          j = i - 50
          if i = 55 then j = 'x'
          parse var i 2 a =(j) b
          say a b
        end
    """,
    "exposed_routine": """
        a = 0
        do i = 1 to 30
          call sub i
        end
        say a b c
        exit
        sub: procedure expose a b
          parse value arg(1) 'y z' with a b c
          do j = 1 to 3
            parse var a b +1 c
          end
          return
    """,
}


@pytest.mark.parametrize("name", sorted(LOOP_PARSES))
def test_parse_written_in_compiled_loops_as_the_clause_runs_it(monkeypatch, name):
    compiled, plain = both_ways(monkeypatch, LOOP_PARSES[name])
    assert compiled == plain


def test_a_compiled_loop_parses_without_the_clause(monkeypatch):
    from cms.rexx import instructions

    runs = []
    original = instructions.Parse.run

    def counted(self, ex):
        runs.append(self.line)
        return original(self, ex)

    monkeypatch.setattr(instructions.Parse, "run", counted)
    out, _, _ = run_loop(LOOP_PARSES["words_literal_rest"])
    assert len(out) == 3
    assert len(runs) < 60  # the first steps only, before the loop is compiled


def test_numbers_with_blanks_compare_as_numbers_and_strings_without_them():
    out = run(
        [
            "c = ' 500000 '",
            "say (c = 500000) (c \\= 5e5) (c < 500001) (' -2 ' < 1) (' a ' = 'a') (' 1x' > 1)",
            "do i = 1 to 40; c = ' 'i*2; if c \\= i * 2 then say 'bad' i; end",
        ]
    )
    assert out == ["1 0 1 1 1 1"]
