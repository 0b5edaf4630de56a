"""Expressions of conditional assembly: arithmetic (SETA), binary (SETB, AIF) and
character (SETC) expressions, with variable symbols, attribute references,
substrings, concatenation and built-in functions (HLASM Language Reference,
"Conditional assembly instructions" and "Expressions in conditional assembly")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from s390.ebcdic import to_ebcdic

from .expr import MAX_NESTING, self_defining
from .messages import AsmError
from .source import _is_attribute_quote, is_symbol, split_operands

if TYPE_CHECKING:
    from .macros import Frame, MacroProcessor

#: Shift operators of arithmetic expressions, on 32-bit values (HLASM "SETA instruction").
SHIFTS = {
    "SLA": lambda x, n: to_signed(x << n),
    "SLL": lambda x, n: to_signed((x & 0xFFFFFFFF) << n),
    "SRA": lambda x, n: to_signed(x) >> n,
    "SRL": lambda x, n: to_signed((x & 0xFFFFFFFF) >> n),
}


def to_signed(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n & 0x80000000 else n


def _arithmetic(*values) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


RELATIONS = ("EQ", "NE", "LT", "GT", "LE", "GE")


class Quoted(str):
    """A character value (a quoted string, a SETC value used in a character relation)."""


def truth(v) -> bool:
    if isinstance(v, str):
        return to_int(v, v) != 0
    return bool(v)


def to_int(v, text: str) -> int:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s == "":
        return 0
    neg = s.startswith("-")
    s2 = s.lstrip("+-")
    try:
        n = self_defining(s2)
    except AsmError:
        raise AsmError("ASMA102E", text) from None
    return -n if neg else n


def sublist_item(value: str, n: int) -> str:
    if value.startswith("(") and value.endswith(")"):
        items = split_operands(value[1:-1])
        return items[n - 1] if 1 <= n <= len(items) else ""
    return value if n == 1 else ""


def matching_paren(text: str, i: int) -> int:
    depth, quoted = 0, False
    for k in range(i, len(text)):
        ch = text[k]
        if ch == "'" and (quoted or not _is_attribute_quote(text, k)):
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return k
    raise AsmError("ASMA088E", text)


def split_branch(text: str) -> tuple[str, str]:
    """'(condition).SEQ' -> ('condition', '.SEQ')."""
    text = text.strip()
    if not text.startswith("("):
        raise AsmError("ASMA062E", text)
    k = matching_paren(text, 0)
    return text[1:k], text[k + 1 :]


def _is_self_defining(kind: str, text: str) -> bool:
    pattern = {"DEC": r"\d{1,10}", "HEX": r"[0-9A-Fa-f]{1,8}", "BIN": r"[01]{1,32}"}[kind]
    return re.fullmatch(pattern, text) is not None and (kind != "DEC" or int(text) <= 2**31 - 1)


#: Built-in functions of conditional assembly, written (NAME operand)
#: (HLASM Language Reference, "Conditional assembly built-in functions").
FUNCTIONS = {
    "UPPER": lambda v, t: Quoted(str(v).upper()),
    "LOWER": lambda v, t: Quoted(str(v).lower()),
    "DOUBLE": lambda v, t: Quoted(str(v).replace("'", "''").replace("&", "&&")),
    "SIGNED": lambda v, t: Quoted(str(to_int(v, t))),
    "BYTE": lambda v, t: Quoted(bytes([to_int(v, t) & 0xFF]).decode("cp037")),
    "ISDEC": lambda v, t: _is_self_defining("DEC", str(v)),
    "ISHEX": lambda v, t: _is_self_defining("HEX", str(v)),
    "ISBIN": lambda v, t: _is_self_defining("BIN", str(v)),
    "ISSYM": lambda v, t: is_symbol(str(v)),
}


class CondParser:
    """Arithmetic, binary and character expressions of conditional assembly."""

    def __init__(self, text: str, frame: Frame, proc: MacroProcessor, depth: int = 0):
        if depth > MAX_NESTING:
            raise AsmError("ASMA076E", text.strip()[:20])
        self.text = text.strip()
        self.i = 0
        self.frame = frame
        self.proc = proc
        self.depth = depth

    # -- lexical helpers
    def skip(self):
        while self.i < len(self.text) and self.text[self.i] == " ":
            self.i += 1

    def peek_word(self) -> str:
        self.skip()
        j = self.i
        while j < len(self.text) and self.text[j].isalpha():
            j += 1
        return self.text[self.i : j].upper()

    def accept_word(self, *words) -> str | None:
        w = self.peek_word()
        if w in words:
            after = self.i + len(w)
            nxt = self.text[after : after + 1]
            if nxt in ("", " ", "(", "'", "&") or not (nxt.isalnum() or nxt in "$#@_"):
                self.i = after
                return w
        return None

    def peek(self) -> str:
        self.skip()
        return self.text[self.i : self.i + 1]

    def parse(self):
        if not self.text:
            raise AsmError("ASMA089E", self.text)
        try:
            v = self.logical()
        except RecursionError:
            raise AsmError("ASMA076E", self.text[:20]) from None
        self.skip()
        if self.i != len(self.text):
            raise AsmError("ASMA089E", self.text)
        return v

    # -- grammar
    def logical(self):
        left = self.conjunction()
        while True:
            w = self.accept_word("OR", "XOR")
            if w is None:
                return left
            right = self.conjunction()
            if _arithmetic(left, right):  # SETA: bitwise on 32-bit values
                left = to_signed(left | right if w == "OR" else left ^ right)
            else:
                left = (truth(left) or truth(right)) if w == "OR" else (truth(left) != truth(right))

    def conjunction(self):
        left = self.negation()
        while self.accept_word("AND"):
            right = self.negation()
            left = (
                to_signed(left & right)
                if _arithmetic(left, right)
                else (truth(left) and truth(right))
            )
        return left

    def negation(self):
        if self.accept_word("NOT"):
            return not truth(self.negation())
        return self.relation()

    def relation(self):
        left = self.concatenation()
        w = self.accept_word(*RELATIONS)
        if w is None:
            return left
        right = self.concatenation()
        if isinstance(left, Quoted) or isinstance(right, Quoted):
            a, b = to_ebcdic(str(left)), to_ebcdic(str(right))
            c = (len(a) > len(b)) - (len(a) < len(b)) or (a > b) - (a < b)
        else:
            x, y = to_int(left, self.text), to_int(right, self.text)
            c = (x > y) - (x < y)
        return {"EQ": c == 0, "NE": c != 0, "LT": c < 0, "GT": c > 0, "LE": c <= 0, "GE": c >= 0}[w]

    def concatenation(self):
        left = self.additive()
        while self.peek() == "." and isinstance(left, Quoted):
            self.i += 1
            right = self.additive()
            left = Quoted(str(left) + str(right))
        return left

    def additive(self):
        left = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.text[self.i]
            self.i += 1
            right = self.multiplicative()
            x, y = to_int(left, self.text), to_int(right, self.text)
            left = x + y if op == "+" else x - y
        return left

    def multiplicative(self):
        left = self.unary()
        while True:
            if self.peek() in ("*", "/"):
                op = self.text[self.i]
                self.i += 1
            else:
                op = self.accept_word(*SHIFTS)
                if op is None:
                    return left
            right = self.unary()
            x, y = to_int(left, self.text), to_int(right, self.text)
            if op == "*":
                left = x * y
            elif op == "/":
                left = 0 if y == 0 else int(x / y)
            else:
                left = SHIFTS[op](x, y)

    def unary(self):
        if self.peek() in ("+", "-"):
            op = self.text[self.i]
            self.i += 1
            v = to_int(self.unary(), self.text)
            return v if op == "+" else -v
        return self.primary()

    def primary(self):
        ch = self.peek()
        t = self.text
        if ch == "(":
            k = matching_paren(t, self.i)
            inner = t[self.i + 1 : k]
            self.i = k + 1
            word, _, rest = inner.strip().partition(" ")
            if word.upper() in FUNCTIONS and rest.strip():
                arg = CondParser(rest, self.frame, self.proc, self.depth + 1).parse()
                return FUNCTIONS[word.upper()](arg, rest)
            value = CondParser(inner, self.frame, self.proc, self.depth + 1).parse()
            if self.text[self.i : self.i + 1] == "'":  # (n)'string': duplication factor
                count = to_int(value, inner)
                if count < 0:
                    raise AsmError("ASMA089E", t)
                return Quoted(str(self.string()) * count)
            return value
        if ch == "'":
            return self.string()
        if ch == "&":
            return self.variable()
        if (
            ch.upper() in "KNTLDO"
            and t[self.i + 1 : self.i + 2] == "'"
            and t[self.i + 2 : self.i + 3] not in ("", "'")
        ):
            letter = ch.upper()
            self.i += 2
            start = self.i
            if t[self.i : self.i + 1] == "&":
                self.skip_variable()
            else:
                while self.i < len(t) and (t[self.i].isalnum() or t[self.i] in "$#@_"):
                    self.i += 1
            return self.proc.attribute(letter, t[start : self.i], self.frame)
        if ch.upper() in "XBC" and t[self.i + 1 : self.i + 2] == "'":
            j = t.find("'", self.i + 2) + 1
            if j == 0:
                raise AsmError("ASMA063E", t)
            term = t[self.i : j]
            self.i = j
            return self_defining(term)
        if ch.isdigit():
            j = self.i
            while j < len(t) and t[j].isdigit():
                j += 1
            n = int(t[self.i : j])
            self.i = j
            return n
        if ch.isalpha() or ch in "$#@_":
            j = self.i
            while j < len(t) and (t[j].isalnum() or t[j] in "$#@_"):
                j += 1
            name = t[self.i : j].upper()
            self.i = j
            sym = self.proc.asm.symbols.get(name)
            if sym is not None and sym.value.absolute:
                return sym.value.value
            raise AsmError("ASMA102E", name)
        raise AsmError("ASMA089E", t)

    def string(self):
        t = self.text
        j = self.i + 1
        buf = []
        while True:
            if j >= len(t):
                raise AsmError("ASMA063E", t)
            if t[j] == "'":
                if t[j + 1 : j + 2] == "'":
                    buf.append("''")
                    j += 2
                    continue
                break
            buf.append(t[j])
            j += 1
        self.i = j + 1
        value = self.proc.substitute("".join(buf), self.frame).replace("''", "'")
        if self.text[self.i : self.i + 1] == "(":
            k = matching_paren(self.text, self.i)
            parts = split_operands(self.text[self.i + 1 : k])
            self.i = k + 1
            if len(parts) != 2:
                raise AsmError("ASMA133E", self.text)
            start = self.proc.arith(parts[0], self.frame)
            length = (
                len(value) - start + 1
                if parts[1].strip() == "*"
                else self.proc.arith(parts[1], self.frame)
            )
            if start < 1 or length < 0:
                raise AsmError("ASMA133E", self.text)
            if start > len(value):
                if length:
                    self.proc.report("ASMA093E", self.text)
                value = ""
            else:
                value = value[start - 1 : start - 1 + length]
        return Quoted(value)

    def skip_variable(self):
        """Move past &NAME or &NAME(subscripts) without evaluating it (attribute operands)."""
        t = self.text
        j = self.i + 1
        if t[j : j + 1] == "(":  # created SET symbol &(...)
            j = matching_paren(t, j) + 1
        while j < len(t) and (t[j].isalnum() or t[j] in "$#@_"):
            j += 1
        if t[j : j + 1] == "(":
            j = matching_paren(t, j) + 1
        self.i = j

    def variable(self):
        t = self.text
        name, j = self.proc.variable_name(t, self.i, self.frame)
        subs = None
        if t[j : j + 1] == "(" and self.proc._is_subscriptable(name, self.frame):
            k = matching_paren(t, j)
            subs = [self.proc.arith(s, self.frame) for s in split_operands(t[j + 1 : k])]
            j = k + 1
        self.i = j
        v = self.proc.variable(name, subs, self.frame)
        var = self.proc._lookup_var(name, self.frame)
        if var is not None and var.kind == "C":
            return Quoted(v)
        return v
