"""Tokens and clauses of a REXX program (TRL2 chapter 2, "Structure and
General Syntax").

A program is a sequence of clauses, ended by a semicolon or the end of a
line.  A comma that is the last token of a line continues the clause on the
next line (the comma becomes a blank).  Comments ``/* ... */`` nest and may
span lines.  Tokens are literal strings (with doubled quotes, or hex ``'..'X``
and binary ``'..'B`` forms), symbols, operators and the special characters
``( ) , ; :``.  Whether a blank came before a token matters: between two
terms it is the blank-concatenation operator.
"""

from __future__ import annotations

import re

from .errors import RexxError

#: Characters that make up symbols (TRL2 2.1.4.3).
SYMBOL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!?_@#$")
#: Characters of operators; ¬ and \ are both "not".
OPERATOR_CHARS = frozenset("+-*/%|&=\\¬<>")
#: Multi-character operators, longest first (blanks inside are not allowed
#: by this lexer; TRL2 allows them but no real program relies on it).
OPERATORS = (
    "\\==",
    "¬==",
    ">>=",
    "<<=",
    "\\>>",
    "\\<<",
    "¬>>",
    "¬<<",
    "**",
    "//",
    "||",
    "&&",
    "==",
    "\\=",
    "¬=",
    "<>",
    "><",
    ">=",
    "<=",
    "\\<",
    "\\>",
    "¬<",
    "¬>",
    ">>",
    "<<",
    "+",
    "-",
    "*",
    "/",
    "%",
    "|",
    "&",
    "=",
    "\\",
    "¬",
    "<",
    ">",
)
BLANKS = " \t\f\v\r"

STRING = "string"
SYMBOL = "symbol"
OPERATOR = "op"
SPECIAL = "special"  # ( ) , : and ;
END = "end"  # end of clause (semicolon or end of line)


class Token:
    __slots__ = ("kind", "value", "line", "col", "end_line", "end_col", "blank_before")

    def __init__(self, kind, value, line, col, end_line, end_col, blank_before=False):
        self.kind = kind
        self.value = value  # string contents, symbol as written, operator text
        self.line = line
        self.col = col
        self.end_line = end_line
        self.end_col = end_col
        self.blank_before = blank_before

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.value!r}, line {self.line})"

    @property
    def upper(self) -> str:
        return self.value.upper()

    def is_symbol(self, *names: str) -> bool:
        return self.kind == SYMBOL and (not names or self.value.upper() in names)

    def is_special(self, char: str) -> bool:
        return self.kind == SPECIAL and self.value == char

    def is_operator(self, text: str) -> bool:
        return self.kind == OPERATOR and self.value == text


def latin1(data: bytes) -> str:
    """Character codes are Latin-1 code points (the default outside CMS)."""
    return data.decode("latin-1")


def _hex_string(body: str, line: int, decode=latin1) -> str:
    groups = body.split()
    if body and (body[0] in BLANKS or body[-1] in BLANKS):
        raise RexxError(15, body, line)
    for index, group in enumerate(groups):
        if index and len(group) % 2:
            raise RexxError(15, body, line)
    digits = "".join(groups)
    if any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise RexxError(15, body, line)
    if len(digits) % 2:
        digits = "0" + digits
    return decode(bytes.fromhex(digits))


def _binary_string(body: str, line: int, decode=latin1) -> str:
    groups = body.split()
    if body and (body[0] in BLANKS or body[-1] in BLANKS):
        raise RexxError(15, body, line)
    for index, group in enumerate(groups):
        if index and len(group) % 4:
            raise RexxError(15, body, line)
    bits = "".join(groups)
    if any(c not in "01" for c in bits):
        raise RexxError(15, body, line)
    if not bits:
        return ""
    bits = bits.zfill((len(bits) + 7) // 8 * 8)
    return decode(bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)))


#: One token (or blanks, or the start of a comment) at a position; the
#: operators longest first, as OPERATORS lists them.
_TOKEN_RE = re.compile(
    r"([ \t\f\v\r]*)"
    r"(?:(?P<comment>/\*)"
    r"|(?P<string>['\"])"
    r"|(?P<symbol>[A-Za-z0-9.!?_@#$]+)"
    r"|(?P<op>" + "|".join(re.escape(op) for op in OPERATORS) + ")"
    r"|(?P<special>[(),:;]))"
)
#: Inside a comment: the next comment start or end.
_COMMENT_RE = re.compile(r"/\*|\*/")
#: The characters of a symbol.
_SYMBOL_RE = re.compile(r"[A-Za-z0-9.!?_@#$]+")


class Lexer:
    """Turns source lines into a token list with END tokens between clauses."""

    def __init__(self, lines: list[str], decode=latin1):
        self.lines = lines
        self.decode = decode  # bytes -> str for hex and binary strings
        self.tokens: list[Token] = []

    def tokenize(self) -> list[Token]:
        line_no = 0
        comment_depth = 0
        comment_start = 0
        blank = False
        continued = False
        append = self.tokens.append
        while line_no < len(self.lines):
            text = self.lines[line_no]
            number = line_no + 1
            pos = 0
            line_tokens_start = len(self.tokens)
            length = len(text)
            while pos < length:
                if comment_depth:
                    found = _COMMENT_RE.search(text, pos)
                    if found is None:
                        break
                    comment_depth += 1 if found.group() == "/*" else -1
                    pos = found.end()
                    continue
                match = _TOKEN_RE.match(text, pos)
                if match is None:
                    rest = text[pos:].lstrip(BLANKS)
                    if rest:
                        raise RexxError(13, rest[0], number)
                    blank = True
                    break
                start = match.end(1)  # after the blanks
                if start != pos:
                    blank = True
                    pos = start
                kind = match.lastgroup
                if kind == "comment":
                    comment_depth = 1
                    comment_start = number
                    pos += 2
                    continue
                if kind == "symbol":
                    word = match.group(kind)
                    if word[-1] in "eE":  # perhaps 1.5E+3
                        pos = self._symbol(text, pos, number, blank)
                    else:
                        end = match.end()
                        append(Token(SYMBOL, word, number, pos, number, end, blank))
                        pos = end
                elif kind == "string":
                    pos = self._string(text, pos, number, blank)
                elif kind == "op":
                    end = match.end()
                    append(Token(OPERATOR, match.group(kind), number, pos, number, end, blank))
                    pos = end
                elif text[pos] == ";":
                    append(Token(END, ";", number, pos, number, pos + 1, False))
                    pos += 1
                else:
                    append(Token(SPECIAL, text[pos], number, pos, number, pos + 1, blank))
                    pos += 1
                blank = False
            # end of line: a trailing comma continues the clause
            last = self.tokens[-1] if len(self.tokens) > line_tokens_start else None
            if comment_depth:
                line_no += 1
                continue
            if last is not None and last.is_special(","):
                self.tokens.pop()
                blank = True
                continued = True
            else:
                if not (continued and last is None):
                    self._add(END, "", number, len(text), len(text), False)
                continued = False
                blank = False
            line_no += 1
        if comment_depth:
            raise RexxError(6, "/*", comment_start)
        if not self.tokens or self.tokens[-1].kind != END:
            self._add(END, "", max(len(self.lines), 1), 0, 0, False)
        return self.tokens

    def _add(self, kind, value, line, col, end_col, blank):
        self.tokens.append(Token(kind, value, line, col, line, end_col, blank))

    def _string(self, text: str, pos: int, line: int, blank: bool) -> int:
        quote = text[pos]
        start = pos
        pos += 1
        parts = []
        while True:
            end = text.find(quote, pos)
            if end < 0:
                raise RexxError(6, quote, line)
            parts.append(text[pos:end])
            if text.startswith(quote * 2, end):
                parts.append(quote)
                pos = end + 2
                continue
            pos = end + 1
            break
        body = "".join(parts)
        suffix = text[pos : pos + 1]
        after = text[pos + 1 : pos + 2]
        if suffix in ("x", "X", "b", "B") and (not after or after not in SYMBOL_CHARS):
            body = (_hex_string if suffix in "xX" else _binary_string)(body, line, self.decode)
            pos += 1
        self._add(STRING, body, line, start, pos, blank)
        return pos

    def _symbol(self, text: str, pos: int, line: int, blank: bool) -> int:
        start = pos
        pos = _SYMBOL_RE.match(text, pos).end()
        word = text[start:pos]
        # exponential numbers: 1.5E+3 is one symbol although + is an operator
        if (
            word[0] in "0123456789."
            and word[-1] in "eE"
            and pos + 1 < len(text)
            and text[pos] in "+-"
            and text[pos + 1].isdigit()
            and _is_mantissa(word[:-1])
        ):
            pos += 1
            while pos < len(text) and text[pos].isdigit():
                pos += 1
            word = text[start:pos]
        self._add(SYMBOL, word, line, start, pos, blank)
        return pos


def _is_mantissa(text: str) -> bool:
    if not text or text == ".":
        return False
    if text.count(".") > 1:
        return False
    return all(c.isdigit() or c == "." for c in text)


def split_clauses(tokens: list[Token]) -> list[list[Token]]:
    """Token lists of the clauses, END tokens removed (nulls kept as [])."""
    clauses: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.kind == END:
            clauses.append(current)
            current = []
        else:
            current.append(token)
    if current:
        clauses.append(current)
    return clauses
