"""INTERPRET strings of one whole number (``interpret 's = s +' i``) take
the shape the last such string on their line had without splitting the
string at its numbers again, when the text around the number is the same
(InterpretPrograms.recent).  What runs must be what compiling the string
gives: a number with a decimal point, an exponent, a symbol character
next to it, non-ASCII digits, several numbers or another text around it
go the ordinary way."""

from __future__ import annotations

import pytest

from cms.rexx import interprets
from cms.rexx.errors import RexxError
from cms.rexx.interprets import InterpretPrograms

from .rexxkit import clause_data as dump
from .rexxkit import compiled_string, run_counted, use_tree_walker

#: (a string that makes the shape, strings on the same line after it)
SAME_LINE = [
    (
        "s = s + 1",
        [
            "s = s + 12345",
            "s = s + 007",
            "s = s + 1.5",
            "s = s + 12x",
            "s = s + 1e5",
            "s = s + 12.",
            "s = s + .5",
            "s = s + \u0661\u0662",
            "s = s + 1 2",
            "s = s + +1",
            "  s = s + 3  ",
            "s = s + 4",
            "x = 5",
            "s = s + 6",
        ],
    ),
    ("x = 5 + y", ["x = 55 + y", "x = 5a + y", "x = 5.5 + y", "x = 6 + y.1", "x = 7 + y"]),
    ("say 'a' 1", ["say 'a' 10", "say 'a' 1 0", "say 'a' 1.0", "say 'a'9"]),
    ("v1 = 2", ["v1 = 3", "v1 = v2", "v1 = 4"]),
]


def compiled(string: str, line: int):
    """compiled_string's clauses (or its error), without the labels."""
    result = compiled_string(string, line)
    return result if result[0] == "error" else result[0]


def from_code(cache: InterpretPrograms, string: str, line: int):
    try:
        code = cache.code(string, line)
    except RexxError as error:
        return ("error", error.number, error.line, error.detail)
    return [dump(clause.traced() if hasattr(clause, "traced") else clause) for clause in code]


@pytest.mark.parametrize(("first", "others"), SAME_LINE)
def test_the_recent_shape_gives_what_compiling_gives(first, others):
    cache = InterpretPrograms()
    assert from_code(cache, first, 7) == compiled(first, 7)
    for string in others:
        assert from_code(cache, string, 7) == compiled(string, 7), string


class _CountingSplit:
    """interprets._NUMBER, its splits counted."""

    def __init__(self):
        self.calls = 0

    def split(self, string):
        self.calls += 1
        return interprets.re.compile(NUMBER_PATTERN).split(string)


NUMBER_PATTERN = interprets._NUMBER.pattern


def test_strings_around_another_number_are_not_split_again(monkeypatch):
    counting = _CountingSplit()
    monkeypatch.setattr(interprets, "_NUMBER", counting)
    cache = InterpretPrograms()
    for number in range(1, 200):
        cache.code(f"s = s + {number}", 3)
    assert counting.calls == 1
    cache.code("s = s + 1.5", 3)
    assert counting.calls == 2


LOOP = """
        s = 0
        do i = 1 to 300
          interpret 's = s +' i
          interpret 's = s +' i / 4
          interpret 'v'i // 10 '= i'
          if i = 150 then numeric digits 4
        end
        say s v3
"""


def test_interpreted_numbers_add_up_as_the_tree_does(monkeypatch):
    compiled_run = run_counted(LOOP)
    assert compiled_run[0] == ["5.650E+4 293"]  # as Regina 3.6
    use_tree_walker(monkeypatch)
    assert run_counted(LOOP) == compiled_run
