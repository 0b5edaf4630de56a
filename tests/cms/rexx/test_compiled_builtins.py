"""Built-in calls in compiled expressions (builtins.inline_call) give what
the functions give: each case evaluates one expression for a series of
argument values, first by the tree, then (from the second evaluation) by
generated code, and the output, including the Error 40 or 5 a bad
argument raises, is compared with a run that never compiles."""

from __future__ import annotations

import pytest

from cms.rexx import builtins, expressions, instructions

from .rexxkit import expression_over_values as program
from .rexxkit import run_lines as run
from .rexxkit import run_with_halt as run_halting

#: (expression of X, values X takes in turn, NUMERIC instruction or "")
#: Operands of + and - with a LENGTH, POS or WORDS (_CodeWriter.count_sum).
COUNT_VALUES = [
    "1",
    "999999998",
    "999999999",
    "-5",
    "1.5",
    "1E3",
    " 7 ",
    "0",
    "-999999999",
    "123456789012",
    "abc",
]

CASES = [
    ("left('abc', x)", ["5", "0", "2", "08", "2.0", "1E1", " 3 ", "-1"], ""),
    ("left('abc', 2, x)", ["*", "*", "**"], ""),
    ("left(x, 4, '*')", ["ab", "abcdef", ""], ""),
    ("left('abc', x)", ["3", "3", "abc"], ""),
    ("left('abc', x)", ["3", "3", "99999999999"], ""),
    ("left('abc', x)", ["3", "3", "20000000"], ""),
    ("right(x, 4)", ["ab", "abcdef", ""], ""),
    ("right('abcdef', x, '.')", ["0", "3", "9", "-2"], ""),
    ("substr('abcdef', x)", ["3", "1", "6", "7", "9", "0"], ""),
    ("substr('abc', 2, x, '*')", ["1", "5", "0", "x"], ""),
    ("substr(x, 2)", ["abc", "", "a"], ""),
    ("substr('abc', x, , '*')", ["1", "2", "3", "4"], ""),
    ("substr('abc', 1, 2, x)", ["*", "*", "ab"], ""),
    ("pos(x, 'abcb')", ["b", "", "cb", "z"], ""),
    ("pos('b', 'abcb', x)", ["1", "3", "5", "0"], ""),
    ("copies(x, 3)", ["ab", "", "x"], ""),
    ("copies('ab', x)", ["0", "2", "10000000", "-1"], ""),
    ("words(x)", ["  a  b ", "", "a", "a\tb c", "a\xa0b\u2028c\x1fd e", "\xe9 b"], ""),
    ("word(x, 2)", ["a b c", " a  b ", "a", "", "a\tb c", "a\xa0b c d", "a\x85b  c"], ""),
    ("word('a b c', x)", ["1", "3", "4", "0"], ""),
    ("word(x, 3)", ["a b c d", "a b", "  a  b   c  ", "a\nb c d"], ""),
    ("word('a  b\tc d  e', x)", ["1", "2", "3", "4", "999999999"], ""),
    ("space(x)", ["  a   b  ", "", "ab", "a\tb  c", "a\u3000b  c"], ""),
    ("space(x, 1)", ["  a   b  ", "x"], ""),
    ("strip(x)", ["  x  ", "", "x", "\tx "], ""),
    ("strip(x, 'L', 'x')", ["xxaxx", "a", ""], ""),
    ("strip('  a  ', x)", ["t", "L", "b", "Q"], ""),
    ("strip('  a  ', x)", ["T", "T", ""], ""),
    ("strip('xax', 'B', x)", ["x", "x", "xy"], ""),
    ("translate(x)", ["abc", "", "Mixed 1", "\u00e0b"], ""),
    ("translate(x, 'XY', 'ab')", ["abcabc", "", "cab"], ""),
    ("translate(x, 'X', 'abc')", ["abcd", "cba"], ""),
    ("translate(x, '', 'ab')", ["abc", "bca"], ""),
    ("translate('abc', x, 'ab')", ["XY", "XY", "Z"], ""),
    ("c2x(x)", ["ab", "", "\u00ff"], ""),
    ("overlay('zz', x, 2)", ["abcd", "a", "", "abc"], ""),
    ("overlay('zz', 'abc', x)", ["1", "3", "6", "0"], ""),
    ("overlay(x, 'abcdef')", ["", "12", "1234567"], ""),
    ("length(x)", ["", "abc", " a "], ""),
    ("reverse(x)", ["", "abc", " a"], ""),
    ("abs(x)", ["-5", "5", "-1.50", "1E+3", "-0", "12345678901", "x"], ""),
    ("abs(x)", ["-5", "-12345", "1.23456"], "numeric digits 3"),
    ("max(x, 5)", ["1", "9", "007", "5", "5.0", "-0", "1E1", "x"], ""),
    ("min(x, 5, 3)", ["1", "9", "3.0", " 2 ", "-7"], ""),
    ("max(x, 123456788)", ["123456789", "1", "123456789"], "numeric fuzz 1"),
    ("max(x, 5)", ["12345", "3", "99999"], "numeric digits 3"),
    ("max(x, 5.5) min(x, -3, 2)", ["1", "9", "-7", "x"], ""),
    ("max(x, 12345)", ["1", "99999", "3"], "numeric digits 4"),
    ("min(x)", ["7", " 8", "+9", "1E2"], ""),
    ("max(x,)", ["1", "2"], ""),
    ("abs(x)", ["-5", "7", "-99999", "+4", "-007", "1E2"], "numeric digits 4"),
    ("x2d(x)", ["FF", "ff", "0F 0F", "", "7F", "G"], ""),
    ("x2d(x)", ["FF", "FFFFFF", "FFFFFFFFFFF"], "numeric digits 5"),
    # literal arguments: pure built-ins computed when the code is made
    ("copies('ab', 5) x", ["1", "2", "3"], ""),
    ("copies('ab', 0) x", ["1", "2", "3"], ""),
    ("left('abc', -1) x", ["1", "2", "3"], ""),
    ("left('abc', '1.5E1') x", ["1", "2", "3"], ""),
    ("left('abc', 4, 'ab') x", ["1", "2", "3"], ""),
    ("space('a  b c', 2, '-') x", ["1", "2", "3"], ""),
    ("translate('abc', 'xy') x", ["1", "2", "3"], ""),
    ("center('ab', 6, '*') words('a b c') x2b('0F') b2x('1111') x", ["1", "2", "3"], ""),
    ("verify('abc', 'ab') substr('abc', 2, 1) reverse('abc') x", ["1", "2", "3"], ""),
    ("wordpos('b c', 'a b c') abbrev('print', 'pri') x", ["1", "2", "3"], ""),
    ("x + length('abc')", COUNT_VALUES, ""),
    ("x - pos('b', 'abc')", COUNT_VALUES, ""),
    ("x + pos('', 'abc') + pos('z', 'abc')", COUNT_VALUES, ""),
    ("x + words('a b') - length(x)", COUNT_VALUES, ""),
    ("x + length('abc')", COUNT_VALUES, "numeric digits 5"),
    ("x - length('abcdefghij')", COUNT_VALUES, "numeric digits 20"),
    ("x + length('abc')", COUNT_VALUES, "numeric fuzz 2"),
    ("x2d('FF') x2d('7FFF') x", ["1", "2", "3"], ""),
    ("x2d('FF') x", ["1", "2", "3"], "numeric digits 2"),
    ("x2d('F F') x2d('') x", ["1", "2", "3"], ""),
]


@pytest.mark.parametrize(("expression", "values", "numeric"), CASES)
def test_compiled_call_gives_what_the_function_gives(monkeypatch, expression, values, numeric):
    lines = program(expression, values, numeric)
    compiled = run(lines)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert run(lines) == compiled
    assert len(compiled) >= 2


def test_inline_calls_do_not_call_the_function(monkeypatch):
    """After the tree's first evaluations the generated code does the
    work of LEFT itself."""
    calls = []
    function, least, most = builtins.FUNCTIONS["LEFT"]

    def spy(ex, args):
        calls.append(args)
        return function(ex, args)

    monkeypatch.setitem(builtins.FUNCTIONS, "LEFT", (spy, least, most))
    out = run(["do k = 1 to 20", "  r = left('abc', k)", "end", "say r"])
    assert out == ["abc" + " " * 17]
    assert 0 < len(calls) < 20


def test_a_label_takes_the_name_from_the_built_in():
    out = run(
        [
            "do k = 1 to 5",
            "  r = left('abc', 2)",
            "end",
            "say r",
            "exit",
            "left: return 'mine'",
        ]
    )
    assert out == ["mine"]


def test_arg_in_a_routine_gives_what_the_function_gives(monkeypatch):
    lines = [
        "do k = 1 to 5",
        "  call show k, , 'c'",
        "  call show",
        "  call show , 'b'",
        "end",
        "exit",
        "show: say '<'arg(1)'> <'arg(2)'> <'arg(3)'> <'arg(4)'>' arg()",
        "  if k = 5 & arg() > 0 then r = arg(0)",
        "  return",
    ]
    compiled = run(lines)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert run(lines) == compiled
    assert compiled[:3] == ["<1> <> <c> <> 3", "<> <> <> <> 0", "<> <b> <> <> 2"]
    assert compiled[-1] == "error 40"


def test_digits_changed_between_evaluations_of_a_folded_call(monkeypatch):
    lines = [
        "do k = 1 to 6",
        "  if k = 5 then numeric digits 2",
        "  r = x2d('FF')",
        "  say k r",
        "end",
    ]
    compiled = run(lines)
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert run(lines) == compiled
    assert compiled[:4] == ["1 255", "2 255", "3 255", "4 255"]
    assert compiled[-1] == "error 40"


PROTOCOL = [
    "call on halt name stopped",
    "signal on novalue",
    "n = 0; r = ''",
    "do k = 1 to 12",
    "  if k = 9 then trace i",
    "  if k = 11 then drop n",
    "  r = left(k, 3, '.') || substr('abcdef', k // 6 + 1, 2) max(k, 7) abs(-k) words(r) n",
    "end",
    "exit",
    "stopped: say 'halted at' sigl 'k =' k; return",
    "novalue: say 'novalue' condition('D') 'line' sigl; exit",
]


def test_inline_calls_keep_trace_novalue_and_halt(monkeypatch):
    """TRACE I switched on, NOVALUE and HI at every clause boundary give
    the same output compiled and uncompiled."""
    compiled = [run_halting(PROTOCOL, at) for at in range(1, 60, 3)]
    monkeypatch.setattr(expressions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "COMPILE_AFTER", 10**9)
    monkeypatch.setattr(instructions, "STEPS_BEFORE_COMPILING", 10**9)
    assert [run_halting(PROTOCOL, at) for at in range(1, 60, 3)] == compiled
    assert any(line.startswith("novalue N") for line in compiled[-1])
    assert any(">F>" in line for line in compiled[-1])
