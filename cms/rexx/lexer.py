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
#: The operators, each longest first (as OPERATORS lists them).
_OPERATORS_RE = r"[\\¬](?:==?|>>?|<<?)?|>(?:>=?|[=<])?|<(?:<=?|[=>])?|\*\*?|//?|\|\|?|&&?|==?|[-+%]"
_TOKEN_RE = re.compile(
    r"([ \t\f\v\r]*)"
    r"(?:(?P<comment>/\*)"
    r"|(?P<string>['\"])"
    r"|(?P<symbol>[A-Za-z0-9.!?_@#$]+)"
    r"|(?P<op>" + _OPERATORS_RE + ")"
    r"|(?P<special>[(),:;]))"
)
#: Every token of a line without comments, for findall: (blanks, token).
#: Exponent numbers before symbols (1.5E+3 is one token); a string's closing
#: quote is not followed by another (that is a doubled quote), and a
#: suffix X or B makes a hex or binary string unless a symbol character
#: follows it; operators longest first.  Any other character is taken
#: alone (a quote that opens no string, a character no token has), for
#: the token-by-token scan to report.
_LINE_RE = re.compile(
    r"([ \t\f\v\r]*)("
    r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-][0-9]+"
    r"|[A-Za-z0-9.!?_@#$]+"
    r"|'(?:[^']|'')*'(?!')(?:[xXbB](?![A-Za-z0-9.!?_@#$]))?"
    r'|"(?:[^"]|"")*"(?!")(?:[xXbB](?![A-Za-z0-9.!?_@#$]))?'
    r"|" + _OPERATORS_RE + r"|[(),:;]|.)"
)
#: Token kinds by first character.
_KINDS = dict.fromkeys(SYMBOL_CHARS, SYMBOL)
_KINDS.update(dict.fromkeys(OPERATOR_CHARS, OPERATOR))
_KINDS.update(dict.fromkeys("'\"", STRING))
_KINDS.update(dict.fromkeys("(),:", SPECIAL))
_KINDS[";"] = END
#: Inside a comment: the next comment start or end.
_COMMENT_RE = re.compile(r"/\*|\*/")
#: The characters of a symbol.
_SYMBOL_RE = re.compile(r"[A-Za-z0-9.!?_@#$]+")


#: The last token of a line that a semicolon ends.
_SEMICOLON = Token(END, ";", 0, 0, 0, 0)


class Lexer:
    """Turns source lines into clauses: the token lists between the ends
    of clauses (a semicolon, or the end of a line not continued)."""

    def __init__(self, lines: list[str], decode=latin1):
        self.lines = lines
        self.decode = decode  # bytes -> str for hex and binary strings
        self.clauses: list[list[Token]] = []  # null clauses kept as []
        self.tokens: list[Token] = []  # of the clause being read

    def read(self) -> list[list[Token]]:
        """The clauses of the program."""
        comment_depth = 0
        comment_start = 0
        blank = False
        continued = False
        number = 0
        for text in self.lines:
            number += 1
            tokens_before = len(self.tokens)
            ends_before = len(self.clauses)
            if comment_depth or "/*" in text or not self._line(text, number, blank):
                comment_depth, comment_start, blank = self._scan(
                    text, number, comment_depth, comment_start, blank
                )
                if comment_depth:
                    continue
            # end of line: a trailing comma continues the clause
            tokens = self.tokens
            if len(self.clauses) > ends_before:  # a ";" in the line
                last = tokens[-1] if tokens else _SEMICOLON
            else:
                last = tokens[-1] if len(tokens) > tokens_before else None
            if last is not None and last.kind == SPECIAL and last.value == ",":
                tokens.pop()
                blank = True
                continued = True
            else:
                if not (continued and last is None):
                    self.end_clause()
                continued = False
                blank = False
        if comment_depth:
            raise RexxError(6, "/*", comment_start)
        if self.tokens:
            self.end_clause()
        return self.clauses

    def end_clause(self) -> None:
        self.clauses.append(self.tokens)
        self.tokens = []

    def _line(self, text: str, number: int, blank: bool) -> bool:
        """All tokens of a line without comments, found by one findall;
        False (and nothing added) for a line with anything else, such as
        an unterminated string, which the token-by-token scan reports."""
        tokens = self.tokens
        first = len(tokens)
        ends = []  # where a ";" ends a clause
        append = tokens.append
        kinds = _KINDS
        pos = 0
        for blanks, token in _LINE_RE.findall(text):
            if blanks:
                pos += len(blanks)
                blank = True
            end = pos + len(token)
            kind = kinds.get(token[0])
            if kind is SYMBOL or kind is OPERATOR:
                append(Token(kind, token, number, pos, number, end, blank))
            elif kind is STRING:
                if len(token) == 1:
                    del tokens[first:]
                    return False  # no closing quote
                value = self._string_value(token, number)
                append(Token(STRING, value, number, pos, number, end, blank))
            elif kind is SPECIAL:
                append(Token(SPECIAL, token, number, pos, number, end, blank))
            elif kind is END:
                ends.append(len(tokens))
            else:
                del tokens[first:]
                return False
            pos = end
            blank = False
        if ends:  # split at the semicolons
            rest = tokens[ends[-1] :]
            start = 0
            for index in ends:
                self.clauses.append(tokens[start:index])
                start = index
            self.tokens = rest
        return True

    def _scan(self, text, number, comment_depth, comment_start, blank):
        """A line token by token (comments, and any error in the line):
        (comment depth, line of the open comment, blank) at its end."""
        pos = 0
        length = len(text)
        append = self.tokens.append
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
                self.end_clause()
                append = self.tokens.append
                pos += 1
            else:
                append(Token(SPECIAL, text[pos], number, pos, number, pos + 1, blank))
                pos += 1
            blank = False
        return comment_depth, comment_start, blank

    def _string_value(self, token: str, line: int) -> str:
        """The value of a string token as _LINE_RE found it."""
        quote = token[0]
        if token[-1] == quote:
            body, suffix = token[1:-1], ""
        else:
            body, suffix = token[1:-2], token[-1]
        if quote * 2 in body:
            body = body.replace(quote * 2, quote)
        if suffix:
            convert = _hex_string if suffix in "xX" else _binary_string
            body = convert(body, line, self.decode)
        return body

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
