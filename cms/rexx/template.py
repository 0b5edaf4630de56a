"""PARSE templates (TRL2 chapter 6, "Parsing").

A template is a list of targets (variables or the ``.`` placeholder) and
patterns: literal strings, variable patterns ``(name)``, absolute positions
``n`` / ``=n`` / ``=(name)`` and relative positions ``+n`` / ``-n`` /
``+(name)``.  Each pattern selects where the string is split; the targets
before it share the selected piece word by word, the last one taking the rest.
Patterns that name variables are evaluated when they are reached, so a
template may use a value assigned earlier in the same template.
"""

from __future__ import annotations

from . import numbers
from .errors import RexxError
from .expressions import Literal, Node, variable_reference
from .lexer import OPERATOR, STRING, SYMBOL, Token


class Target:
    __slots__ = ("node",)

    def __init__(self, node: Node | None):
        self.node = node  # None is the placeholder "."


class LiteralPattern:
    __slots__ = ("node",)

    def __init__(self, node: Node):
        self.node = node  # a Literal, or the variable of "(name)"


class AbsolutePattern:
    __slots__ = ("node",)

    def __init__(self, node: Node):
        self.node = node


class RelativePattern:
    __slots__ = ("sign", "node")

    def __init__(self, sign: int, node: Node):
        self.sign = sign  # +1 or -1
        self.node = node


def compile_templates(tokens: list[Token], line: int) -> list[list]:
    """Templates separated by commas; each is a list of items."""
    templates: list[list] = [[]]
    pos = 0
    while pos < len(tokens):
        token = tokens[pos]
        items = templates[-1]
        if token.is_special(","):
            templates.append([])
            pos += 1
        elif token.kind == STRING:
            items.append(LiteralPattern(Literal(token.value)))
            pos += 1
        elif token.kind == SYMBOL:
            if token.value == ".":
                items.append(Target(None))
            elif token.value[0] in "0123456789":
                items.append(AbsolutePattern(Literal(_whole_text(token, line))))
            elif token.value[0] == ".":
                raise RexxError(38, token.value, token.line)
            else:
                items.append(Target(variable_reference(token.value, token.line)))
            pos += 1
        elif token.is_special("("):
            node, pos = _parenthesized(tokens, pos, line)
            items.append(LiteralPattern(node))
        elif token.kind == OPERATOR and token.value in ("+", "-", "="):
            pos += 1
            if pos >= len(tokens):
                raise RexxError(38, token.value, line)
            following = tokens[pos]
            if following.is_special("("):
                node, pos = _parenthesized(tokens, pos, line)
            elif following.kind == SYMBOL and following.value[0] in "0123456789":
                node = Literal(_whole_text(following, line))
                pos += 1
            else:
                raise RexxError(38, following.value, following.line)
            if token.value == "=":
                items.append(AbsolutePattern(node))
            else:
                items.append(RelativePattern(1 if token.value == "+" else -1, node))
        else:
            raise RexxError(38, token.value, token.line)
    return templates


def _whole_text(token: Token, line: int) -> str:
    if not token.value.isdigit():
        raise RexxError(38, token.value, token.line)
    return token.value


def _parenthesized(tokens: list[Token], pos: int, line: int):
    """``( symbol )`` in a template: a variable reference."""
    if pos + 2 < len(tokens) and tokens[pos + 1].kind == SYMBOL and tokens[pos + 2].is_special(")"):
        return variable_reference(tokens[pos + 1].value, tokens[pos + 1].line), pos + 3
    raise RexxError(38, "(", tokens[pos].line if pos < len(tokens) else line)


def _assign_words(ex, targets: list[Target], piece: str) -> None:
    """Word parsing: each target but the last takes one blank-delimited
    word (and the one blank after it); the last takes the remainder as is."""
    if ex.trace_results:
        _assign_words_traced(ex, targets, piece)
        return
    rest = piece
    for target in targets[:-1]:
        stripped = rest.lstrip(" ")
        blank = stripped.find(" ")
        if blank < 0:
            value, rest = stripped, ""
        else:
            value, rest = stripped[:blank], stripped[blank + 1 :]
        if target.node is not None:
            target.node.assign(ex, value)
    node = targets[-1].node
    if node is not None:
        node.assign(ex, rest)


def _assign_words_traced(ex, targets: list[Target], piece: str) -> None:
    """_assign_words, tracing each assignment (>>> and >.>)."""
    last = len(targets) - 1
    rest = piece
    for index, target in enumerate(targets):
        if index == last:
            value = rest
        else:
            stripped = rest.lstrip(" ")
            blank = stripped.find(" ")
            if blank < 0:
                value, rest = stripped, ""
            else:
                value, rest = stripped[:blank], stripped[blank + 1 :]
        if target.node is not None:
            target.node.assign(ex, value)
            ex.trace_assignment(">>>", value)
        else:
            ex.trace_assignment(">.>", value)


def apply_template(ex, items: list, string: str) -> None:
    """Parse ``string`` with one template, assigning its targets.

    ``begin``/``end`` are where the last pattern matched and where it ended.
    A literal found at k gives the piece end..k; an absolute position p the
    piece end..p; a relative one moves from ``begin``, so after ``'L' x +1``
    x includes the L.  A position at or before the start gives the rest of
    the string (TRL2 "Parsing with positional patterns").
    """
    begin = end = 0
    pending: list[Target] = []
    length = len(string)
    traced = ex.trace_intermediates  # else a literal is its value
    for item in items:
        kind = type(item)
        if kind is Target:
            pending.append(item)
            continue
        if kind is LiteralPattern:
            node = item.node
            needle = node.value if type(node) is Literal and not traced else node.evaluate(ex)
            found = string.find(needle, end) if needle else -1
            if found < 0:
                piece = string[end:]
                begin = end = length
            else:
                piece = string[end:found]
                begin, end = found, found + len(needle)
        else:
            amount = numbers.whole_number(item.node.evaluate(ex), ex.frame.numeric.digits, 26)
            if kind is AbsolutePattern:
                start = end
                position = amount - 1
            else:
                start = begin
                position = begin + item.sign * amount
            position = max(0, min(length, position))
            piece = string[start:position] if position > start else string[start:]
            begin = end = position
        if pending:
            _assign_words(ex, pending, piece)
            pending = []
    if pending:
        _assign_words(ex, pending, string[end:])
