"""Assembler expressions (HLASM Language Reference, "Terms, literals and expressions").

A value is an integer plus its relocatability: a tuple of (relocation id, count)
pairs.  An absolute value has none; a simple relocatable value has one id with
count 1 (a control section, a dummy section or an external symbol); anything else
is complexly relocatable and only allowed in address constants.  Pairing rules:
a relocatable term minus one of the same section is absolute; * and / need
absolute operands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from s390.ebcdic import to_ebcdic

from .messages import AsmError
from .source import ATTRIBUTE_LETTERS


@dataclass(frozen=True)
class Value:
    value: int
    rel: tuple[tuple[int, int], ...] = ()

    @property
    def absolute(self) -> bool:
        return not self.rel

    @property
    def simple_id(self) -> int | None:
        """The relocation id of a simple relocatable value, else None."""
        if len(self.rel) == 1 and self.rel[0][1] == 1:
            return self.rel[0][0]
        return None

    def __add__(self, other: Value) -> Value:
        return Value(self.value + other.value, _merge(self.rel, other.rel, 1))

    def __sub__(self, other: Value) -> Value:
        return Value(self.value - other.value, _merge(self.rel, other.rel, -1))


def absolute(n: int) -> Value:
    return Value(n)


def _merge(a, b, sign):
    counts = dict(a)
    for rid, n in b:
        counts[rid] = counts.get(rid, 0) + sign * n
    return tuple(sorted((k, v) for k, v in counts.items() if v))


class Context(Protocol):
    def symbol_value(self, name: str) -> Value: ...
    def location(self) -> Value: ...
    def attribute(self, letter: str, name: str) -> Value: ...


def self_defining(text: str) -> int:
    """Value of a self-defining term: decimal, X'..', B'..', C'..' (HLASM "Self-defining terms")."""
    t = text
    if t.isdigit():
        return int(t)
    if len(t) >= 3 and t[1] == "'" and t.endswith("'"):
        kind, body = t[0].upper(), t[2:-1]
        try:
            if kind == "X" and body:
                return int(body, 16)
            if kind == "B" and body:
                return int(body, 2)
            if kind == "C":
                data = to_ebcdic(body.replace("''", "'").replace("&&", "&"))
                if len(data) > 4:
                    raise AsmError("ASMA037E", text)
                return int.from_bytes(data, "big") if data else 0
        except ValueError:
            raise AsmError("ASMA037E", text) from None
    raise AsmError("ASMA037E", text)


def _quoted_end(text: str, i: int) -> int:
    """Index just past the closing quote of a string that opens at text[i]."""
    j = i + 1
    while j < len(text):
        if text[j] == "'":
            if text[j + 1 : j + 2] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    raise AsmError("ASMA063E", text)


def tokenize(text: str) -> list[tuple[str, str]]:
    """Tokens: ('num', term) ('sym', name) ('qsym', 'LABEL.NAME') ('attr', "L'name") ('loc', '*')
    ('op', c) ('(', ')')."""
    tokens: list[tuple[str, str]] = []
    i = 0
    expect_term = True
    while i < len(text):
        ch = text[i]
        if ch in "+-/" or (ch == "*" and not expect_term):
            tokens.append(("op", ch))
            expect_term = True
            i += 1
        elif ch == "*":
            tokens.append(("loc", "*"))
            expect_term = False
            i += 1
        elif ch in "()":
            tokens.append((ch, ch))
            expect_term = ch == "("
            i += 1
        elif ch.isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            tokens.append(("num", text[i:j]))
            expect_term = False
            i = j
        elif ch.upper() in "XBC" and text[i + 1 : i + 2] == "'":
            j = _quoted_end(text, i + 1)
            tokens.append(("num", text[i:j]))
            expect_term = False
            i = j
        elif ch.upper() in ATTRIBUTE_LETTERS and text[i + 1 : i + 2] == "'":
            j = i + 2
            if text[j : j + 1] == "*":
                j += 1
            while j < len(text) and (text[j].isalnum() or text[j] in "$#@_"):
                j += 1
            tokens.append(("attr", text[i:j]))
            expect_term = False
            i = j
        elif ch.isalpha() or ch in "$#@_":
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] in "$#@_"):
                j += 1
            kind = "sym"
            if (
                text[j : j + 1] == "."
                and j + 1 < len(text)
                and (text[j + 1].isalpha() or text[j + 1] in "$#@_")
            ):
                j += 1  # LABEL.SYMBOL: qualified by a labeled USING
                while j < len(text) and (text[j].isalnum() or text[j] in "$#@_"):
                    j += 1
                kind = "qsym"
            tokens.append((kind, text[i:j]))
            expect_term = False
            i = j
        else:
            raise AsmError("ASMA074E", text)
    return tokens


#: Deepest parenthesis nesting an expression may use; deeper is ASMA076E
#: (statement complexity), whatever the host's recursion limit is.
MAX_NESTING = 255


class _Parser:
    def __init__(self, text: str, ctx: Context):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.ctx = ctx
        self.depth = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self):
        tok = self.peek()
        self.pos += 1
        return tok

    def expression(self) -> Value:
        left = self.product()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.product()
            left = left + right if op == "+" else left - right
        return left

    def product(self) -> Value:
        left = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            right = self.unary()
            if not (left.absolute and right.absolute):
                raise AsmError("ASMA047E", self.text)
            if op == "*":
                left = Value(left.value * right.value)
            else:
                # HLASM: division by zero gives zero; the quotient is truncated
                q = 0 if right.value == 0 else abs(left.value) // abs(right.value)
                left = Value(q if (left.value >= 0) == (right.value >= 0) else -q)
        return left

    def unary(self) -> Value:
        if self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            v = self.unary()
            return v if op == "+" else Value(0) - v
        return self.term()

    def term(self) -> Value:
        kind, text = self.take()
        if kind == "num":
            return Value(self_defining(text))
        if kind == "loc":
            return self.ctx.location()
        if kind == "sym":
            return self.ctx.symbol_value(text.upper())
        if kind == "qsym":
            label, _, name = text.upper().partition(".")
            qualified = getattr(self.ctx, "qualified", None)
            if qualified is None:
                raise AsmError("ASMA074E", self.text)
            return qualified(label, name)
        if kind == "attr":
            return self.ctx.attribute(text[0].upper(), text[2:].upper())
        if kind == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise AsmError("ASMA076E", self.text[:20])
            v = self.expression()
            if self.take()[0] != ")":
                raise AsmError("ASMA074E", self.text)
            self.depth -= 1
            return v
        raise AsmError("ASMA041E" if kind == "end" else "ASMA074E", self.text)


def evaluate(text: str, ctx: Context) -> Value:
    """Evaluate an assembler expression; errors raise AsmError."""
    if not text:
        raise AsmError("ASMA041E", text)
    p = _Parser(text, ctx)
    try:
        v = p.expression()
    except RecursionError:
        raise AsmError("ASMA076E", text[:20]) from None  # nested beyond Python's stack
    if p.pos != len(p.tokens):
        raise AsmError("ASMA074E", text)
    return v


def evaluate_absolute(text: str, ctx: Context) -> int:
    v = evaluate(text, ctx)
    if not v.absolute:
        raise AsmError("ASMA032E", text)
    return v.value
