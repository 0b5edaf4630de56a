"""Expression trees and their parser (TRL2 chapter 2, "Expressions and
Operators").

Operator priority, highest first:
  prefix ``+ - \\``; ``**``; ``* / % //``; ``+ -``; concatenation (blank,
  ``||``, abuttal); comparisons; ``&``; ``| &&``.
Every node has ``evaluate(ex)`` where ``ex`` is the running Executor.
Intermediate results are traced with the TRL2 tags (``>L>`` literal,
``>V>`` variable, ``>C>`` compound name, ``>F>`` function, ``>O>``
operation, ``>P>`` prefix operation).
"""

from __future__ import annotations

from . import numbers
from .errors import MAX_STRING, RexxError
from .lexer import OPERATOR, OPERATORS, SPECIAL, STRING, SYMBOL, Token
from .variables import Stem

# --- comparisons -------------------------------------------------------------


def _normal_compare(a: str, b: str, ex) -> int:
    """Normal comparison: numeric if both are numbers, else blank-padded."""
    if a == b:  # the same string is equal either way
        return 0
    # Blanks around a number are no part of it (TRL2 "Numbers"), and a
    # string compared as characters loses them too: strip them at once,
    # so that a number read with them is a remembered plain one.
    a = a.strip(" ")
    b = b.strip(" ")
    result = numbers.compare(a, b, ex.frame.numeric)
    if result is not None:
        return result
    return _character_compare(a, b, ex)


def _character_compare(a: str, b: str, ex) -> int:
    """Normal comparison of strings that are not both numbers: blanks
    around them stripped, the shorter padded with blanks."""
    a = a.strip(" ")
    b = b.strip(" ")
    width = max(len(a), len(b))
    a = a.ljust(width)
    b = b.ljust(width)
    if ex.collate is not None:  # EBCDIC order under CMS
        a, b = ex.collate(a), ex.collate(b)
    return (a > b) - (a < b)


def _strict_compare(a: str, b: str, ex) -> int:
    if a == b:
        return 0
    if ex.collate is not None:
        a, b = ex.collate(a), ex.collate(b)
    return (a > b) - (a < b)


def _truth(value: str) -> bool:
    if value == "1":
        return True
    if value == "0":
        return False
    raise RexxError(34, value)


def _bool(flag: bool) -> str:
    return "1" if flag else "0"


COMPARISONS = {
    "=": lambda c: c == 0,
    "\\=": lambda c: c != 0,
    "<>": lambda c: c != 0,
    "><": lambda c: c != 0,
    ">": lambda c: c > 0,
    "<": lambda c: c < 0,
    ">=": lambda c: c >= 0,
    "\\<": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
    "\\>": lambda c: c <= 0,
}
STRICT_COMPARISONS = {
    "==": lambda c: c == 0,
    "\\==": lambda c: c != 0,
    ">>": lambda c: c > 0,
    "<<": lambda c: c < 0,
    ">>=": lambda c: c >= 0,
    "\\<<": lambda c: c >= 0,
    "<<=": lambda c: c <= 0,
    "\\>>": lambda c: c <= 0,
}
ARITHMETIC_OPERATORS = frozenset(["+", "-", "*", "/", "%", "//", "**"])


# --- nodes -------------------------------------------------------------------


class Node:
    __slots__ = ()

    def evaluate(self, ex) -> str:
        raise NotImplementedError


class Literal(Node):
    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def evaluate(self, ex) -> str:
        if ex.trace_intermediates:
            ex.trace_tag(">L>", self.value)
        return self.value


class Parameter(Node):
    """A literal whose value generated code is given in ``params``: the
    numbers of an INTERPRET string whose compiled shape is shared
    (cms.rexx.interprets).  Only generated code reads it."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index

    def evaluate(self, ex) -> str:
        raise TypeError("a Parameter is read by generated code only")


class SimpleVar(Node):
    """A simple symbol (or a stem used as a value: ``A.``)."""

    __slots__ = ("name", "is_stem")

    def __init__(self, name: str):
        self.name = name
        self.is_stem = name.endswith(".")

    def evaluate(self, ex) -> str:
        pool = ex.frame.pool
        if self.is_stem:
            value = pool.get_stem(self.name)
        elif pool.exposed:
            value = pool.get(self.name)
        else:
            value = pool.simple.get(self.name)  # the common case, inlined
        if value is None:
            value = ex.novalue(self.name)
        if ex.trace_intermediates:
            ex.trace_tag(">V>", value)
        return value

    def assign(self, ex, value: str) -> None:
        pool = ex.frame.pool
        if self.is_stem:
            pool.set_stem(self.name, value)
        elif pool.exposed:
            pool.set(self.name, value)
        else:
            pool.simple[self.name] = value

    def drop(self, ex) -> None:
        if self.is_stem:
            ex.frame.pool.drop_stem(self.name)
        else:
            ex.frame.pool.drop(self.name)

    def derived_name(self, ex) -> str:
        return self.name

    def is_set(self, ex) -> bool:
        pool = ex.frame.pool
        value = pool.get_stem(self.name) if self.is_stem else pool.get(self.name)
        return value is not None


class CompoundVar(Node):
    """``stem.tail1.tail2``: each tail part is a constant or a simple symbol
    whose value is substituted (TRL2 "Compound symbols")."""

    __slots__ = ("stem", "parts", "single")

    def __init__(self, stem: str, parts: list[tuple[bool, str]]):
        self.stem = stem
        self.parts = parts  # (is_variable, name-or-constant)
        # the common tail of one simple symbol (A.I): its name
        self.single = parts[0][1] if len(parts) == 1 and parts[0][0] else None

    def tail_lines(self) -> list[str]:
        """Generated lines setting ``tail`` to the tail, for a pool that
        exposes nothing (``simple`` is its simple variables): ``tail``'s
        work without building anything but the tail itself."""
        if self.single is not None:
            return [
                f"tail = simple.get({self.single!r})",
                f"if tail is None: tail = {self.single!r}",
            ]
        lines = []
        pieces = []
        for index, (is_variable, text) in enumerate(self.parts):
            if is_variable:
                lines.append(f"v{index} = simple.get({text!r})")
                lines.append(f"if v{index} is None: v{index} = {text!r}")
                pieces.append(f"v{index}")
            else:
                pieces.append(repr(text))
        lines.append("tail = " + " + '.' + ".join(pieces))
        return lines

    def tail(self, ex) -> str:
        pool = ex.frame.pool
        single = self.single
        if single is not None:
            value = pool.get(single) if pool.exposed else pool.simple.get(single)
            return single if value is None else value
        values = []
        for is_variable, text in self.parts:
            if is_variable:
                value = pool.get(text)
                values.append(text if value is None else value)
            else:
                values.append(text)
        return ".".join(values)

    def evaluate(self, ex) -> str:
        tail = self.tail(ex)
        pool = ex.frame.pool
        if pool.exposed:
            value = pool.get_compound(self.stem, tail)
        else:  # get_compound, inlined
            entry = pool.stems.get(self.stem)
            value = None if entry is None else entry.tails.get(tail, entry.default)
        if ex.trace_intermediates:
            ex.trace_tag(">C>", self.stem + tail)
        if value is None:
            value = ex.novalue(self.stem + tail)
        if ex.trace_intermediates:
            ex.trace_tag(">V>", value)
        return value

    def assign(self, ex, value: str) -> None:
        tail = self.tail(ex)
        pool = ex.frame.pool
        if pool.exposed:
            pool.set_compound(self.stem, tail, value)
            return
        entry = pool.stems.get(self.stem)  # set_compound, inlined
        if entry is None:
            entry = pool.stems[self.stem] = Stem()
        entry.tails[tail] = value

    def drop(self, ex) -> None:
        ex.frame.pool.drop_compound(self.stem, self.tail(ex))

    def derived_name(self, ex) -> str:
        return self.stem + self.tail(ex)

    def is_set(self, ex) -> bool:
        return ex.frame.pool.get_compound(self.stem, self.tail(ex)) is not None


class FunctionCall(Node):
    __slots__ = ("name", "args", "quoted", "line")

    def __init__(self, name: str, args: list, quoted: bool, line: int):
        self.name = name
        self.args = args  # list of Node or None (omitted argument)
        self.quoted = quoted
        self.line = line

    def evaluate(self, ex) -> str:
        values = [None if arg is None else arg.evaluate(ex) for arg in self.args]
        result = ex.call_function(self.name, values, self.quoted)
        if ex.trace_intermediates:
            ex.trace_tag(">F>", result)
        return result


class Concat(Node):
    __slots__ = ("left", "right", "separator")

    def __init__(self, left: Node, right: Node, separator: str):
        self.left = left
        self.right = right
        self.separator = separator

    def evaluate(self, ex) -> str:
        result = self.left.evaluate(ex) + self.separator + self.right.evaluate(ex)
        if len(result) > MAX_STRING:
            raise RexxError(5, "concatenation")
        if ex.trace_intermediates:
            ex.trace_tag(">O>", result)
        return result


#: BinaryOp kinds, decided once when the expression is parsed.
_ARITHMETIC, _COMPARE, _STRICT, _LOGICAL, _CONCAT = range(5)
#: operator -> (kind, comparison test)
_OPERATOR_KINDS = dict.fromkeys(ARITHMETIC_OPERATORS, (_ARITHMETIC, None))
_OPERATOR_KINDS.update((op, (_COMPARE, test)) for op, test in COMPARISONS.items())
_OPERATOR_KINDS.update((op, (_STRICT, test)) for op, test in STRICT_COMPARISONS.items())
_OPERATOR_KINDS["||"] = (_CONCAT, None)


class BinaryOp(Node):
    __slots__ = ("op", "left", "right", "kind", "test")

    def __init__(self, op: str, left: Node, right: Node):
        self.op = op
        self.left = left
        self.right = right
        self.kind, self.test = _OPERATOR_KINDS.get(op) or (_LOGICAL, None)  # & | &&

    def evaluate(self, ex) -> str:
        # no short circuit in REXX: both sides are always evaluated
        a = self.left.evaluate(ex)
        b = self.right.evaluate(ex)
        kind = self.kind
        if kind == _ARITHMETIC:
            result = numbers.arithmetic(self.op, a, b, ex.frame.numeric)
        elif kind == _COMPARE:
            result = "1" if self.test(_normal_compare(a, b, ex)) else "0"
        elif kind == _STRICT:
            result = "1" if self.test(_strict_compare(a, b, ex)) else "0"
        elif kind == _CONCAT:
            result = a + b
            if len(result) > MAX_STRING:
                raise RexxError(5, "concatenation")
        else:
            left, right = _truth(a), _truth(b)  # both must be 0 or 1
            op = self.op
            if op == "&":
                result = _bool(left and right)
            elif op == "|":
                result = _bool(left or right)
            else:
                result = _bool(left != right)
        if ex.trace_intermediates:
            ex.trace_tag(">O>", result)
        return result


class PrefixOp(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node):
        self.op = op
        self.operand = operand

    def evaluate(self, ex) -> str:
        value = self.operand.evaluate(ex)
        if self.op == "\\":
            result = _bool(not _truth(value))
        else:
            result = numbers.prefix(self.op, value, ex.frame.numeric)
        if ex.trace_intermediates:
            ex.trace_tag(">P>", result)
        return result


# --- symbols -----------------------------------------------------------------


def is_constant_symbol(text: str) -> bool:
    return text[0] in "0123456789."


#: Nodes of symbols as written (they never change, so programs and
#: INTERPRET strings share them).  Cleared when full.
_REFERENCES: dict[str, Node] = {}
_REFERENCES_LIMIT = 4096


def symbol_reference(text: str) -> Node:
    """The node for a symbol: constant, simple variable, stem or compound."""
    node = _REFERENCES.get(text)
    if node is None:
        node = _new_reference(text)
        if len(_REFERENCES) >= _REFERENCES_LIMIT:
            _REFERENCES.clear()
        _REFERENCES[text] = node
    return node


def _new_reference(text: str) -> Node:
    if is_constant_symbol(text):
        return Literal(text.upper())  # a constant symbol's value (1e3 is 1E3)
    name = text.upper()
    dot = name.find(".")
    if dot < 0 or dot == len(name) - 1:
        return SimpleVar(name)
    stem = name[: dot + 1]
    parts = []
    for part in name[dot + 1 :].split("."):
        if part and part[0] not in "0123456789":
            parts.append((True, part))
        else:
            parts.append((False, part))
    return CompoundVar(stem, parts)


def variable_reference(text: str, line: int | None = None) -> Node:
    """A symbol that must name a variable (assignment, DROP, PARSE target)."""
    if is_constant_symbol(text):
        raise RexxError(31, text, line)
    return symbol_reference(text)


# --- the parser --------------------------------------------------------------

PREFIX_OPERATORS = frozenset(["+", "-", "\\", "¬"])
COMPARISON_OPERATORS = frozenset(COMPARISONS) | frozenset(STRICT_COMPARISONS)


#: Binary operators by priority, lowest first (TRL2 "Operator priorities").
BINARY_PRIORITY = {"|": 1, "&&": 1, "&": 2}
BINARY_PRIORITY.update((op, 3) for op in COMPARISON_OPERATORS)
BINARY_PRIORITY.update({"||": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6, "//": 6, "**": 7})
CONCAT_PRIORITY = 4


def _normalize_op(text: str) -> str:
    return text.replace("¬", "\\")


#: The operators written with ¬, as written with \\.
_NORMAL_OPS = {op: _normalize_op(op) for op in OPERATORS if "¬" in op}


class ExpressionParser:
    """Parses tokens[pos:] into a Node, stopping at a keyword in ``stops``,
    a comma, a closing parenthesis or the end of the tokens."""

    def __init__(self, tokens: list[Token], pos: int = 0, stops: frozenset = frozenset()):
        self.tokens = tokens
        self.pos = pos
        self.stops = stops

    # token helpers
    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def line(self) -> int | None:
        token = self.peek() or (self.tokens[-1] if self.tokens else None)
        return token.line if token else None

    def parse(self) -> Node:
        node = self.parse_binary(1)
        if self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.kind == SPECIAL and token.value == ":":
                raise RexxError(35, ":", token.line)
        return node

    def parse_binary(self, lowest: int) -> Node:
        """Operands joined by operators of priority ``lowest`` or above,
        left to right (TRL2 "Operator priorities"; blank and abuttal
        concatenation rank with ``||``)."""
        tokens = self.tokens
        pos = self.pos
        if pos < len(tokens) and tokens[pos].kind != OPERATOR:
            node = self.parse_term()  # the common case: no prefix operator
        else:
            node = self.parse_prefix()
        while self.pos < len(tokens):
            token = tokens[self.pos]
            kind = token.kind
            if kind == OPERATOR:
                op = _NORMAL_OPS.get(token.value) or token.value
                priority = BINARY_PRIORITY.get(op)
                if priority is None:  # "a \b": a blank concatenation
                    priority = CONCAT_PRIORITY
                    op = None
                elif priority < lowest:
                    return node
                else:
                    self.pos += 1
                    right = self.parse_binary(priority + 1)
                    if op == "||":
                        node = Concat(node, right, "")
                    else:
                        node = BinaryOp(op, node, right)
                    continue
            elif not (
                (kind == SYMBOL and not (self.stops and token.value.upper() in self.stops))
                or kind == STRING
                or token.is_special("(")
            ):
                return node
            if CONCAT_PRIORITY < lowest:
                return node
            separator = " " if token.blank_before else ""
            node = Concat(node, self.parse_binary(CONCAT_PRIORITY + 1), separator)
        return node

    def parse_prefix(self) -> Node:
        pos = self.pos
        if pos < len(self.tokens) and self.tokens[pos].kind == OPERATOR:
            op = _normalize_op(self.tokens[pos].value)
            if op in ("+", "-", "\\"):
                self.pos += 1
                return PrefixOp(op, self.parse_prefix())
        return self.parse_term()

    def parse_term(self) -> Node:
        tokens = self.tokens
        pos = self.pos
        if pos >= len(tokens):
            raise RexxError(35, "", self.line())
        token = tokens[pos]
        kind = token.kind
        if kind == SYMBOL or kind == STRING:
            if kind == SYMBOL and self.stops and token.value.upper() in self.stops:
                raise RexxError(35, token.value, token.line)
            pos += 1
            self.pos = pos
            if pos < len(tokens):  # a function call: "(" right after the name
                following = tokens[pos]
                if (
                    following.kind == SPECIAL
                    and following.value == "("
                    and not following.blank_before
                ):
                    if kind == STRING:
                        return self.parse_call(token.value, True, token.line)
                    return self.parse_call(token.value.upper(), False, token.line)
            if kind == STRING:
                return Literal(token.value)
            return symbol_reference(token.value)
        if token.is_special("("):
            self.pos += 1
            inner = ExpressionParser(self.tokens, self.pos)
            node = inner.parse()
            self.pos = inner.pos
            closing = self.peek()
            if closing is None:
                raise RexxError(36, "(", token.line)
            if not closing.is_special(")"):
                raise RexxError(37 if closing.is_special(",") else 35, closing.value, closing.line)
            self.pos += 1
            return node
        if token.is_special(",") or token.is_special(")"):
            raise RexxError(37, token.value, token.line)
        raise RexxError(35, token.value, token.line)

    def parse_call(self, name: str, quoted: bool, line: int) -> Node:
        self.pos += 1  # the "("
        args = self.parse_arguments(closing=True)
        return FunctionCall(name, args, quoted, line)

    def parse_arguments(self, closing: bool) -> list:
        """Comma-separated arguments (omitted ones are None); for a function
        call the closing parenthesis is consumed."""
        args: list = []
        start_line = self.line()
        token = self.peek()
        if closing and token is not None and token.is_special(")"):
            self.pos += 1
            return args
        if not closing and token is None:
            return args
        while True:
            token = self.peek()
            if token is None or token.is_special(",") or token.is_special(")"):
                args.append(None)
            else:
                inner = ExpressionParser(
                    self.tokens, self.pos, frozenset() if closing else self.stops
                )
                args.append(inner.parse())
                self.pos = inner.pos
            token = self.peek()
            if token is None:
                if closing:
                    raise RexxError(36, "(", start_line)
                break
            if token.is_special(","):
                self.pos += 1
                continue
            if token.is_special(")"):
                if not closing:
                    raise RexxError(37, ")", token.line)
                self.pos += 1
                break
            raise RexxError(35, token.value, token.line)
        # trailing omitted arguments carry no information
        while args and args[-1] is None:
            args.pop()
        return args


# --- expressions compiled to Python code ---------------------------------------
#
# A tree is walked node by node, each a Python call that also asks whether
# TRACE I wants the intermediate result.  An expression evaluated more than
# once becomes one generated Python function instead: the same operations in
# the same left-to-right order, with simple variables read straight from the
# pool.  Under TRACE I (which needs every intermediate) the tree is used.

#: Evaluations of an expression before it is compiled (most clauses of a
#: program run once; compiling those would only cost start-up time).
COMPILE_AFTER = 2

_NORMAL_TESTS = {
    "=": "== 0",
    "\\=": "!= 0",
    "<>": "!= 0",
    "><": "!= 0",
    ">": "> 0",
    "<": "< 0",
    ">=": ">= 0",
    "\\<": ">= 0",
    "<=": "<= 0",
    "\\>": "<= 0",
}
_STRICT_TESTS = {
    "==": "== 0",
    "\\==": "!= 0",
    ">>": "> 0",
    "<<": "< 0",
    ">>=": ">= 0",
    "\\<<": ">= 0",
    "<<=": "<= 0",
    "\\>>": "<= 0",
}


def _too_long():
    raise RexxError(5, "concatenation")


def _no_result(name: str):
    raise RexxError(44, name)


class Compiled(Node):
    """An expression of a clause: its tree, and ``evaluate``, which becomes
    the generated function once the expression has been used."""

    __slots__ = ("tree", "evaluate", "uses")

    def __init__(self, tree: Node):
        self.tree = tree
        self.uses = 0
        self.evaluate = self._count

    def _count(self, ex) -> str:
        self.uses += 1
        if self.uses >= COMPILE_AFTER:
            self.evaluate = compile_expression(self.tree, ex)
        return self.tree.evaluate(ex)


def compiled(node: Node) -> Node:
    """``node`` to be compiled when used, unless it is a single term."""
    if isinstance(node, (Literal, SimpleVar, Compiled)) or node is None:
        return node
    return Compiled(node)


def _literal_whole(node: Node, least: int = 1) -> tuple[int, int] | None:
    """(value, digits) of a literal whole number of at least ``least``
    (and at most 9 digits), else None."""
    if type(node) is not Literal:
        return None
    parts = numbers._parts(node.value)
    if not parts or parts[1] or parts[0] < least or parts[2] > 9:
        return None
    return parts[0], parts[2]


#: The names of the entry points of numbers the generated code calls.
_ENTRY_POINTS = {
    "+": "_plus",
    "-": "_minus",
    "*": "_times",
    "%": "_quotient",
    "//": "_remainder",
}


def _inline_operation(node: Node) -> tuple[str, str, str] | None:
    """For + - * % // of anything and a whole literal: (the entry point,
    a Python test that the remembered whole number ``p`` and the literal
    give a result within DIGITS, the int result), as the entry point
    computes it then (numbers.plus etc.); else None.  NUMERIC DIGITS is
    at least 1, so a one-digit literal always fits it."""
    if type(node) is not BinaryOp or node.kind != _ARITHMETIC or node.op not in _ENTRY_POINTS:
        return None
    whole = _literal_whole(node.right)
    if whole is None:
        return None
    value, width = whole
    op = node.op
    if op in ("+", "-"):  # one digit more at most: DIGITS > both widths
        fits = "p[2] < numeric.digits" + (f" > {width}" if width > 0 else "")
        operation = f"p[0] {op} {value}"
    elif op == "*":
        fits = f"p[2] + {width} <= numeric.digits"
        operation = f"p[0] * {value}"
    else:  # the result no longer than the dividend (REXX truncates toward 0)
        fits = "p[2] <= numeric.digits" + (f" >= {width}" if width > 1 else "")
        python_op = "//" if op == "%" else "%"
        operation = f"p[0] {python_op} {value} if p[0] >= 0 else -(-p[0] {python_op} {value})"
    return _ENTRY_POINTS[op], fits, operation


#: Counts (below MAX_STRING, 2 ** 24) one count_chain adds at most: with a
#: first operand below 10 ** (DIGITS - 1), DIGITS at least 9, no partial
#: sum reaches 10 ** DIGITS.
_CHAIN_COUNTS = 50
#: 10 ** DIGITS for the DIGITS whole_chain adds ints at.
_TENS = {digits: 10**digits for digits in range(1, 41)}


class _CodeWriter:
    """Python statements computing an expression tree into temporaries."""

    def __init__(self, labels: dict | None):
        self.labels = labels  # the program's labels (None: not known)
        self.indent = "    "  # of the lines emitted
        self.lines: list[str] = []
        self.names: dict[str, object] = {
            "_arith": numbers.arithmetic,
            "_plus": numbers.plus,
            "_minus": numbers.minus,
            "_times": numbers.times,
            "_quotient": numbers.integer_quotient,
            "_divide": numbers.quotient,
            "_remainder": numbers.integer_remainder,
            "_prefix": numbers.prefix,
            "_ncmp": _normal_compare,
            "_scmp": _strict_compare,
            "_truth": _truth,
            "_too_long": _too_long,
            "_no_result": _no_result,
            "MAX_STRING": MAX_STRING,
        }
        self.count = 0
        self.uses_numeric = False
        self.unexposed = False  # the local ``pool`` is frame.pool, exposing nothing

    def constant(self, value) -> str:
        name = f"k{len(self.names)}"
        self.names[name] = value
        return name

    def temporary(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def emit(self, line: str) -> None:
        self.lines.append(self.indent + line)

    def value(self, node: Node) -> str:
        """A Python expression (a constant or temporary) for ``node``."""
        kind = type(node)
        if kind is Compiled:
            return self.value(node.tree)
        if kind is Literal:
            return repr(node.value)
        if kind is Parameter:
            return f"params[{node.index}]"
        result = self.temporary()
        if kind is SimpleVar and not node.is_stem:
            self.emit(f"{result} = simple.get({node.name!r})")
            self.emit(f"if {result} is None: {result} = {self.constant(node)}.evaluate(ex)")
        elif kind is FunctionCall:
            self.call(node, result)
        elif kind is Concat:
            self.concatenation(node, result)
        elif kind is BinaryOp:
            self.binary(node, result)
        elif kind is PrefixOp:
            operand = self.value(node.operand)
            if node.op == "\\":
                self.emit(f"{result} = '0' if _truth({operand}) else '1'")
            else:  # 0-x, 0+x: of a remembered whole number, inline (numbers.minus)
                self.uses_numeric = True
                self.names["_PARTS"] = numbers._PARTS
                self.names["_PARTS_LIMIT"] = numbers._PARTS_LIMIT
                sign = "-" if node.op == "-" else ""
                number = "n" + result[1:]
                self.emit(f"p = _PARTS.get({operand})")
                self.emit("if p is not None and not p[1] and p[2] <= numeric.digits:")
                self.emit(f"    {number} = {sign}p[0]")
                self.emit(f"    {result} = str({number})")
                self.emit("    if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
                self.emit(f"    _PARTS[{result}] = ({number}, 0, len({result}) - ({number} < 0))")
                self.emit(f"else: {result} = _prefix({node.op!r}, {operand}, numeric)")
        elif kind is CompoundVar:
            # A.I, M.I.J: CompoundVar.evaluate inlined for the unexposed pool
            name = self.constant(node)
            indent = ""
            if not self.unexposed:
                self.emit("pool = frame.pool")
                self.emit(f"if pool.exposed: {result} = {name}.evaluate(ex)")
                self.emit("else:")
                indent = "    "
            for line in node.tail_lines():
                self.emit(indent + line)
            self.emit(f"{indent}entry = pool.stems.get({node.stem!r})")
            self.emit(
                f"{indent}{result} = None if entry is None else entry.tails.get(tail, entry.default)"
            )
            self.emit(f"{indent}if {result} is None: {result} = ex.novalue({node.stem!r} + tail)")
        else:  # stems, compound variables: their own evaluate (no tracing here)
            self.emit(f"{result} = {self.constant(node)}.evaluate(ex)")
        return result

    def concatenation(self, node: Concat, result: str) -> None:
        """A chain of concatenations (``'field'i 'value'i || ','``) as one
        Python sum with one length test: adjacent literals and separators
        joined now, variables read in order.  The lengths only grow, so
        the sum is too long exactly when some step of it was; before
        anything that may act (a variable's NOVALUE, a function, an
        operation's error) the sum so far is tested and, before an
        operand that is not a variable, made, so that Error 5 comes
        exactly where the step-by-step evaluation raises it."""
        operands: list[tuple[str, Node]] = []
        while type(node) is Concat:
            operands.append((node.separator, node.right))
            node = node.left
        operands.append(("", node))
        operands.reverse()
        parts: list[str] = []  # Python expressions: names and literals' reprs
        known = 0  # the length of the literals in parts
        literal = None  # text of literals not yet in parts

        def add_literal(text: str) -> None:
            nonlocal literal
            literal = text if literal is None else literal + text

        def flush() -> None:
            nonlocal literal, known
            if literal is not None:
                parts.append(repr(literal))
                known += len(literal)
                literal = None

        def test_so_far(indent: str) -> None:
            lengths = " + ".join(f"len({part})" for part in parts if part[0] not in "'\"")
            extra = known + (len(literal) if literal else 0)
            self.emit(f"{indent}if {lengths} + {extra} > MAX_STRING: _too_long()")

        for separator, operand in operands:
            # the separator joins when the operand is known (Concat.evaluate)
            if type(operand) is Compiled:
                operand = operand.tree
            kind = type(operand)
            if kind is Literal:
                add_literal(separator + operand.value)
                continue
            if kind is Parameter:
                code = f"params[{operand.index}]"
            elif kind is SimpleVar and not operand.is_stem:
                code = self.temporary()
                self.emit(f"{code} = simple.get({operand.name!r})")
                if len(parts) > 1 or (parts and literal):
                    self.emit(f"if {code} is None:")
                    test_so_far("    ")
                    self.emit(f"    {code} = {self.constant(operand)}.evaluate(ex)")
                else:
                    self.emit(f"if {code} is None: {code} = {self.constant(operand)}.evaluate(ex)")
            else:
                if len(parts) > 1 or (parts and literal):  # the sum so far, made
                    flush()
                    made = self.temporary()
                    self.emit(f"{made} = {' + '.join(parts)}")
                    self.emit(f"if len({made}) > MAX_STRING: _too_long()")
                    parts, known = [made], 0
                code = self.value(operand)
            if separator:
                add_literal(separator)
            flush()
            parts.append(code)
        flush()
        self.emit(f"{result} = {' + '.join(parts) or repr('')}")
        if len(parts) > 1:
            self.emit(f"if len({result}) > MAX_STRING: _too_long()")

    def appending(self, target: Node, tree: Node) -> bool:
        """``V = V || X`` (or ``V = V X``, ``V = V''X``) of a simple variable
        of an unexposed pool, written so that Python extends V's string in
        place (its only other reference, the pool's, is let go just before
        ``+=``): a growing string is not copied at every step.  X is
        evaluated after V is read, Error 5 raised before anything is
        changed.  False (nothing written) for any other assignment."""
        if type(tree) is Compiled:
            tree = tree.tree
        if type(tree) is not Concat or type(target) is not SimpleVar or target.is_stem:
            return False
        left = tree.left
        if type(left) is Compiled:
            left = left.tree
        if type(left) is not SimpleVar or left.name != target.name:
            return False
        name = target.name
        string = self.temporary()
        self.emit(f"{string} = simple.get({name!r})")
        self.emit(f"if {string} is None: {string} = {self.constant(left)}.evaluate(ex)")
        suffix = self.value(tree.right)
        if tree.separator:
            suffix_name = self.temporary()
            self.emit(f"{suffix_name} = {tree.separator!r} + {suffix}")
            suffix = suffix_name
        self.emit(f"if len({string}) + len({suffix}) > MAX_STRING: _too_long()")
        self.emit(f"simple[{name!r}] = None  # the string's one reference is {string}'s")
        self.emit(f"{string} += {suffix}")
        self.emit(f"simple[{name!r}] = {string}")
        return True

    def evaluation(self, tree: Node, as_test: bool) -> tuple[str | None, str | None]:
        """Lines computing ``tree``: (result, None), or with ``as_test`` and
        a comparison at the top (None, a Python test of its outcome)."""
        if type(tree) is Compiled:
            tree = tree.tree
        if as_test and type(tree) is BinaryOp and tree.kind in (_COMPARE, _STRICT):
            return None, self.comparison(tree)
        return self.value(tree), None

    def call(self, node: FunctionCall, result: str, count: bool = False) -> bool:
        """A function call: a built-in's own code inline where it has one
        (builtins.inline_call), else the function called straight, else
        the ordinary search (labels, built-ins, external routines).  With
        ``count``, a built-in of builtins.COUNTS leaves its int in
        ``result`` (then True) instead of its string."""
        from . import builtins

        values = [None if a is None else self.value(a) for a in node.args]
        args = ", ".join("None" if v is None else v for v in values)
        label = self.label(node)
        if label is not None:  # an internal routine: call_routine's first choice
            call = f"ex.call_label({label}, [{args}], str(ex.current_line), 'FUNCTION')"
            self.emit(f"{result} = {call}")
            self.emit(f"if {result} is None: _no_result({node.name!r})")
            return False
        builtin = self.builtin(node)
        if builtin is None:
            self.emit(f"{result} = ex.call_function({node.name!r}, [{args}], {node.quoted!r})")
            return False
        literals = [a.value if type(a) is Literal else None for a in node.args]
        inline = builtins.inline_call(self, node.name, values, literals)
        if inline is not None:
            if count and node.name in builtins.COUNTS and inline.startswith("str("):
                self.emit(f"{result} = {inline[4:-1]}")  # the int, not its string
                return True
            self.emit(f"{result} = {inline}")
            return False
        self.emit(f"{result} = {self.constant(builtin)}(ex, [{args}])")
        self.emit(f"if {result} is None: _no_result({node.name!r})")

    def label(self, node: FunctionCall) -> int | None:
        """The index of the internal routine a call reaches, if it is one."""
        if self.labels is None or node.quoted:
            return None
        return self.labels.get(node.name)

    def builtin(self, node: FunctionCall):
        """The built-in function a call reaches, called straight when no
        label of the program takes the name and its arguments are right in
        number (else the ordinary way, which finds the routine or the error)."""
        from . import builtins

        if self.labels is None or node.quoted or node.name in self.labels:
            return None
        entry = builtins.FUNCTIONS.get(node.name)
        if entry is None or not builtins.arguments_fit(node.name, entry, node.args):
            return None
        return entry[0]

    def comparison(self, node: BinaryOp) -> str:
        """A Python test for a comparison's outcome, its operands computed
        first (left to right).  A whole-number operation compared with a
        whole literal (``i // 7 = 0``) leaves its result an int where it
        may: that result is never seen as a string (TRACE I, which would
        see it, runs the tree instead)."""
        whole = _literal_whole(node.right, 0) if node.kind == _COMPARE else None
        if whole is not None and _inline_operation(node.left) is not None:
            text, number = self.whole_operation(node.left)
            right = self.value(node.right)
            return self.whole_test(node, text, right, whole, number)
        left = self.value(node.left)
        if node.kind == _COMPARE and whole is None and _inline_operation(node.right):
            right, number = self.whole_operation(node.right)  # c \= i * 2
            return self.numbers_test(node, left, right, number)
        right = self.value(node.right)
        if whole is not None:
            return self.whole_test(node, left, right, whole)
        if node.kind == _COMPARE:
            return self.numbers_test(node, left, right)
        return f"_scmp({left}, {right}, ex) {_STRICT_TESTS[node.op]}"

    def numbers_test(self, node, left: str, right: str, number: str | None = None) -> str:
        """A normal comparison of two values: remembered whole numbers
        within DIGITS-FUZZ (the left one maybe read without its blanks)
        compared as ints inline (numbers.compare's exact case), anything
        else by _normal_compare.  With ``number`` the right operand may
        still be that int (``right`` None), within DIGITS: with FUZZ 0 it
        is compared at once, else made a string first."""
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        self.names["_whole_text"] = numbers.whole_text
        outcome = self.temporary()
        precision = "numeric.digits - numeric.fuzz"
        self.names["_parts"] = numbers._parts
        self.names["_ccmp"] = _character_compare
        self.emit(f"p = _PARTS.get({left})")
        self.emit(f"if p is None: p = _parts({left}.strip(' '))")
        self.emit("if p is None:  # not a number: compared as characters")
        if number is not None:
            self.emit(f"    if {right} is None: {right} = _whole_text({number})")
        self.emit(f"    {outcome} = _ccmp({left}, {right}, ex)")
        self.emit(f"elif p and not p[1] and p[2] <= {precision}:")
        if number is not None:
            self.emit(f"    if {right} is None and not numeric.fuzz: {outcome} = p[0] - {number}")
            self.emit("    else:")
            self.emit(f"        if {right} is None: {right} = _whole_text({number})")
            self.emit(f"        {outcome} = _ncmp({left}, {right}, ex)")
        else:
            self.emit(f"    q = _PARTS.get({right})")
            self.emit(f"    if q is not None and not q[1] and q[2] <= {precision}:")
            self.emit(f"        {outcome} = p[0] - q[0]")
            self.emit(f"    else: {outcome} = _ncmp({left}, {right}, ex)")
        self.emit("else:")
        if number is not None:
            self.emit(f"    if {right} is None: {right} = _whole_text({number})")
        self.emit(f"    {outcome} = _ncmp({left}, {right}, ex)")
        return f"{outcome} {_NORMAL_TESTS[node.op]}"

    def whole_test(self, node, left: str, right: str, whole, number: str | None = None) -> str:
        """A normal comparison with a whole literal: a remembered whole
        number within DIGITS-FUZZ is compared as an int (numbers.compare's
        exact case), inline.  With ``number`` the left operand may still be
        that int (``left`` None): it fits DIGITS, so with FUZZ 0 it is
        compared at once, else made a string first."""
        value, width = whole
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        outcome = self.temporary()
        precision = "numeric.digits - numeric.fuzz"
        if number is not None:
            literal_fits = "" if width <= 1 else f" and numeric.digits >= {width}"
            self.emit(f"if {left} is None and not numeric.fuzz{literal_fits}:")
            self.emit(f"    {outcome} = {number}" + (f" - {value}" if value else ""))
            self.emit("else:")
            self.indent += "    "
            self.emit(f"if {left} is None: {left} = _whole_text({number})")
        self.emit(f"p = _PARTS.get({left})")
        fits = f"p[2] <= {precision}" + (f" >= {width}" if width > 1 else "")
        self.emit(f"if p is not None and not p[1] and {fits}:")
        self.emit(f"    {outcome} = p[0]" + (f" - {value}" if value else ""))
        self.emit(f"else: {outcome} = _ncmp({left}, {right}, ex)")
        if number is not None:
            self.indent = self.indent[:-4]
        return f"{outcome} {_NORMAL_TESTS[node.op]}"

    def binary(self, node: BinaryOp, result: str) -> None:
        if node.kind in (_COMPARE, _STRICT):
            self.emit(f"{result} = '1' if {self.comparison(node)} else '0'")
            return
        if node.kind == _ARITHMETIC and _inline_operation(node) is not None:
            self.whole_operation(node, result)
            return
        if node.kind == _ARITHMETIC and self.count_chain(node, result):
            return
        if node.kind == _ARITHMETIC and self.whole_chain(node, result):
            return
        left = self.value(node.left)
        if node.op in ("+", "-") and type(node.right) is FunctionCall:
            right = self.temporary()
            if self.call(node.right, right, count=True):
                self.count_sum(node.op, left, right, result)  # c + length(s)
                return
        else:
            right = self.value(node.right)
        if node.kind == _ARITHMETIC and node.op in ("+", "-"):
            self.whole_sum(node, left, right, result)
            return
        self.combine(node, left, right, result)

    def count_chain(self, node: BinaryOp, result: str) -> bool:
        """x + LENGTH(s) + POS(n, s) - WORDS(t): two or more counts (ints
        below MAX_STRING, builtins.COUNTS) added to or taken from a
        remembered whole number shorter than DIGITS (at least 9) are added
        on the int, made a string once at the end: every partial sum fits
        DIGITS (_CHAIN_COUNTS of them), so each is the exact sum numbers.plus
        and minus give.  Anything else takes the entry points step by step,
        from the step where it stops being such a number.  Operands are
        evaluated as the tree does, left to right, each step done after its
        count.  False (nothing written) when ``node`` is no such chain."""
        from . import builtins

        steps = []
        while (
            type(node) is BinaryOp
            and node.kind == _ARITHMETIC
            and node.op in ("+", "-")
            and type(node.right) is FunctionCall
            and node.right.name in builtins.COUNTS
            and self.builtin(node.right) is not None
        ):
            steps.append((node.op, node.right))
            node = node.left.tree if type(node.left) is Compiled else node.left
        if not 2 <= len(steps) <= _CHAIN_COUNTS:
            return False
        steps.reverse()
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        self.names["_PARTS_LIMIT"] = numbers._PARTS_LIMIT
        number = "n" + result[1:]
        text = self.value(node)
        for index, (op, call) in enumerate(steps):
            count = self.temporary()
            if not self.call(call, count, count=True):
                self.emit(f"{count} = int({count})")  # a count of literals, folded
            entry = _ENTRY_POINTS[op]
            slow = f"{entry}({text}, str({count}), numeric)"
            made = result if index == len(steps) - 1 else self.temporary()
            if index == 0:
                self.emit(f"p = _PARTS.get({text})")
                self.emit("if p is not None and not p[1] and p[2] < numeric.digits >= 9:")
                self.emit(f"    {number} = p[0] {op} {count}")
            else:
                self.emit(f"if {text} is None:")
                self.emit(f"    {number} {op}= {count}")
            if made is result:
                self.emit(f"    {made} = str({number})")
                self.emit("    if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
                self.emit(f"    _PARTS[{made}] = ({number}, 0, len({made}) - ({number} < 0))")
            else:
                self.emit(f"    {made} = None  # the sum so far is {number}")
            self.emit(f"else: {made} = {slow}")
            text = made
        return True

    def whole_chain(self, node: BinaryOp, result: str) -> bool:
        """x2d('FF') + MAX(i, 5) - ABS(j) + k: a chain of + and - with a
        built-in of builtins.WHOLE among its operands.  Each operand is
        evaluated in turn, as the tree does; a WHOLE call whose result is
        a whole number within DIGITS (its own test) gives its int, any
        other operand its string, then its remembered parts when it is a
        whole number within DIGITS; each step with both ints adds them
        when the sum stays within DIGITS (the exact sum, as numbers.plus
        and minus give it), else goes through the entry point with the
        strings, and so does every step after.  The int sum is made a
        string once, at the end.  False (nothing written) when ``node`` is
        no such chain."""

        operands = []
        whole_calls = 0
        while type(node) is BinaryOp and node.kind == _ARITHMETIC and node.op in ("+", "-"):
            right = node.right.tree if type(node.right) is Compiled else node.right
            operands.append((node.op, right))
            whole_calls += self.whole_builtin(right)
            node = node.left.tree if type(node.left) is Compiled else node.left
        operands.append(("+", node))
        whole_calls += self.whole_builtin(node)
        if not whole_calls or len(operands) > _CHAIN_COUNTS:
            return False
        operands.reverse()
        self.uses_numeric = True
        self.names.update(
            {"_PARTS": numbers._PARTS, "_PARTS_LIMIT": numbers._PARTS_LIMIT, "_TENS": _TENS}
        )
        number, text = "n" + result[1:], None
        self.emit("tens = _TENS.get(numeric.digits)  # beyond: no int sums")
        for index, (op, operand) in enumerate(operands):
            string, integer, test = self.whole_operand(operand)
            if index == 0:
                text = self.temporary()
                self.emit(f"if tens is not None and {test}:")
                self.emit(f"    {number} = {integer}")
                self.emit(f"    {text} = None  # the sum so far is {number}")
                self.emit(f"else: {text} = {string}")
                continue
            made, entry = self.temporary(), _ENTRY_POINTS[op]
            self.emit(f"if {text} is None and {test}:")
            self.emit(f"    {made} = {number} {op} {integer}")
            self.emit(f"    if -tens < {made} < tens: {number}, {made} = {made}, None")
            self.emit(f"    else: {made} = {entry}(str({number}), {string}, numeric)")
            so_far = f"str({number}) if {text} is None else {text}"
            self.emit(f"else: {made} = {entry}({so_far}, {string}, numeric)")
            text = made
        self.emit(f"if {text} is None:")
        self.emit(f"    {result} = str({number})")
        self.emit("    if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
        self.emit(f"    _PARTS[{result}] = ({number}, 0, len({result}) - ({number} < 0))")
        self.emit(f"else: {result} = {text}")
        return True

    def whole_builtin(self, node) -> bool:
        """Whether ``node`` calls a built-in of builtins.WHOLE as one."""
        from . import builtins

        return (
            type(node) is FunctionCall
            and node.name in builtins.WHOLE
            and self.builtin(node) is not None
        )

    def whole_operand(self, node) -> tuple[str, str, str]:
        """An operand of whole_chain computed: (a Python expression of its
        string, one of its int, a test that the int is its number); the
        int is read only where the test holds."""
        from . import builtins

        if type(node) is Literal:
            whole = _literal_whole(node, 0)
            if whole is not None:
                return repr(node.value), str(whole[0]), f"numeric.digits >= {whole[1]}"
        if self.whole_builtin(node) and self.signed_magnitude(node):
            return self.signed_magnitude(node, True)
        if self.whole_builtin(node):
            values = [None if a is None else self.value(a) for a in node.args]
            literals = [a.value if type(a) is Literal else None for a in node.args]
            code = builtins.whole_call(self, node.name, values, literals)
            if code is not None:  # the built-in's string only where it is no int
                test, integer, general = code
                string, number = self.temporary(), "m" + self.temporary()[1:]
                self.emit(f"if {test}: {number}, {string} = {integer}, None")
                self.emit(f"else: {string} = {general}")
                return (
                    f"(str({number}) if {string} is None else {string})",
                    number,
                    f"{string} is None",
                )
            string = self.temporary()
            self.call(node, string)
        else:
            string = self.value(node)
        parts = self.temporary()
        self.emit(f"{parts} = _PARTS.get({string})")
        test = f"{parts} is not None and not {parts}[1] and {parts}[2] <= numeric.digits"
        return string, f"{parts}[0]", test

    def signed_magnitude(self, node: FunctionCall, write: bool = False):
        """ABS(-x) (or ABS(+x)) as an operand of whole_chain: with ``write``
        the lines (whole_operand's answer), else whether it is one.  A
        whole number x within DIGITS gives abs(x) itself, as the prefix
        operation and ABS give it; anything else goes through both."""
        argument = node.args[0] if node.name == "ABS" and len(node.args) == 1 else None
        if type(argument) is Compiled:
            argument = argument.tree
        if type(argument) is not PrefixOp or argument.op not in ("-", "+"):
            return None
        if not write:
            return True
        operand = self.value(argument.operand)
        parts, string = self.temporary(), self.temporary()
        number = "m" + string[1:]
        self.emit(f"{parts} = _PARTS.get({operand})")
        test = f"{parts} is not None and not {parts}[1] and {parts}[2] <= numeric.digits"
        self.emit(f"if {test}: {number}, {string} = abs({parts}[0]), None")
        self.emit("else:")
        self.emit(f"    {string} = _prefix({argument.op!r}, {operand}, numeric)")
        self.emit(f"    {string} = {self.constant(self.builtin(node))}(ex, [{string}])")
        return f"(str({number}) if {string} is None else {string})", number, f"{string} is None"

    def count_sum(self, op: str, left: str, count: str, result: str) -> None:
        """``left`` + or - the int ``count`` (0 to MAX_STRING, 8 digits):
        a remembered whole number within DIGITS and a sum within DIGITS
        added inline (the exact sum is the result, as numbers.plus gives
        it), else the entry point with the count's string."""
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        self.names["_PARTS_LIMIT"] = numbers._PARTS_LIMIT
        number, width = "n" + result[1:], "w" + result[1:]
        self.emit(f"p = _PARTS.get({left})")
        self.emit("if p is not None and not p[1] and p[2] <= numeric.digits >= 8:")
        self.emit(f"    {number} = p[0] {op} {count}")
        self.emit(f"    {result} = str({number})")
        self.emit(f"    {width} = len({result}) - ({number} < 0)")
        self.emit(f"    if {width} <= numeric.digits:")
        self.emit("        if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
        self.emit(f"        _PARTS[{result}] = ({number}, 0, {width})")
        self.emit(f"    else: {result} = {_ENTRY_POINTS[op]}({left}, str({count}), numeric)")
        self.emit(f"else: {result} = {_ENTRY_POINTS[op]}({left}, str({count}), numeric)")

    def whole_sum(self, node: BinaryOp, left: str, right: str, result: str) -> None:
        """x + y, x - y of two remembered whole numbers that fit DIGITS,
        with a result that fits: numbers.plus's and minus's first case,
        inline; anything else with both parts remembered from those parts
        (numbers.sum_of_parts: numloop's exponential S + I is not looked
        up and parsed again), the rest through plus and minus."""
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        self.names["_PARTS_LIMIT"] = numbers._PARTS_LIMIT
        self.names["_FAST_DIGITS"] = numbers.FAST_DIGITS
        number = "n" + result[1:]
        self.names["_sum_of_parts"] = numbers.sum_of_parts
        sign = "-" if node.op == "-" else ""
        # A.J's values are not remembered (a stem filled in a loop would push
        # out the rest): parsed here (a plain whole number without the
        # cache), not again by plus and minus
        for name, operand, side in (("p", left, node.left), ("q", right, node.right)):
            if type(side) is CompoundVar:
                self.names["_compound_parts"] = numbers.compound_parts
                self.emit(f"{name} = _compound_parts({operand})")
            else:
                self.emit(f"{name} = _PARTS.get({operand})")
        self.emit(f"{result} = None")
        self.emit("if p is not None and q is not None:")
        fits = "p[2] <= numeric.digits >= q[2] and numeric.digits <= _FAST_DIGITS"
        self.emit(f"    if not p[1] and not q[1] and {fits}:")
        self.emit(f"        {number} = p[0] {node.op} q[0]")
        self.emit(f"        {result} = str({number})")
        self.emit(f"        if len({result}) - ({number} < 0) > numeric.digits: {result} = None")
        self.emit("        else:")
        self.emit("            if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
        self.emit(f"            _PARTS[{result}] = ({number}, 0, len({result}) - ({number} < 0))")
        # the rest (an exponential sum, say) from the remembered parts, not
        # from the texts looked up again (numbers.plus's and minus's rest)
        self.emit(f"    if {result} is None:")
        parts = f"p[0], p[1], p[2], {sign}q[0], q[1], q[2]"
        self.emit(f"        {result} = _sum_of_parts({parts}, numeric)")
        function = _ENTRY_POINTS[node.op]
        self.emit(f"if {result} is None: {result} = {function}({left}, {right}, numeric)")

    def whole_operation(self, node: BinaryOp, text: str | None = None) -> tuple[str, str]:
        """``node`` (+ - * % // with a whole literal on the right): its
        left operand a remembered whole number and everything fitting
        DIGITS, the int result, done inline, in the second name returned
        (the first then None); else the entry point's string in the first.
        That int has at most DIGITS digits.  Given ``text`` (the name of
        the result) the int is made that string there (its parts
        remembered), as the entry point would."""
        left = self.value(node.left)
        self.value(node.right)  # a literal: no code
        function, fits, operation = _inline_operation(node)
        self.uses_numeric = True
        self.names["_PARTS"] = numbers._PARTS
        self.names["_PARTS_LIMIT"] = numbers._PARTS_LIMIT
        self.names["_whole_text"] = numbers.whole_text
        as_text = text is not None
        text = text or self.temporary()
        number = "n" + text[1:]
        self.emit(f"p = _PARTS.get({left})")
        self.emit(f"if p is not None and not p[1] and {fits}:")
        self.emit(f"    {number} = {operation}")
        if as_text:  # numbers.whole_text, inline
            self.emit(f"    {text} = str({number})")
            self.emit("    if len(_PARTS) >= _PARTS_LIMIT: _PARTS.clear()")
            self.emit(f"    _PARTS[{text}] = ({number}, 0, len({text}) - ({number} < 0))")
        else:
            self.emit(f"    {text} = None")
        if node.op in ("+", "-"):
            # a remembered number that is no whole one within DIGITS
            # (numloop's exponential S - 1): from its parts, as plus and
            # minus would after looking both texts up again
            literal, width = _literal_whole(node.right)
            sign = "-" if node.op == "-" else ""
            self.names["_sum_of_parts"] = numbers.sum_of_parts
            parts = f"p[0], p[1], p[2], {sign}{literal}, 0, {width}"
            self.emit("elif p is not None:")
            self.emit(f"    {text} = _sum_of_parts({parts}, numeric)")
            self.emit(
                f"    if {text} is None: {text} = {function}({left}, {node.right.value!r}, numeric)"
            )
        self.emit("else:")
        self.emit(f"    {text} = {function}({left}, {node.right.value!r}, numeric)")
        return text, number

    def combine(self, node: BinaryOp, left: str, right: str, result: str) -> None:
        kind = node.kind
        if kind == _ARITHMETIC:
            self.uses_numeric = True
            function = "_divide" if node.op == "/" else _ENTRY_POINTS.get(node.op)
            if function is None:
                self.emit(f"{result} = _arith({node.op!r}, {left}, {right}, numeric)")
            else:
                self.emit(f"{result} = {function}({left}, {right}, numeric)")
        elif kind == _CONCAT:
            self.emit(f"{result} = {left} + {right}")
            self.emit(f"if len({result}) > MAX_STRING: _too_long()")
        else:
            self.emit(f"a = _truth({left})")
            self.emit(f"b = _truth({right})")
            logic = {"&": "a and b", "|": "a or b"}.get(node.op, "a != b")
            self.emit(f"{result} = '1' if {logic} else '0'")


def code_writer(ex) -> _CodeWriter:
    """A writer of code for the program ``ex`` runs."""
    program = getattr(ex, "program", None)
    return _CodeWriter(None if program is None else program.labels)


def generate(tree: Node, guard: str, finish, names: dict, ex, as_test: bool = False):
    """A generated ``function(ex)``: when ``guard`` (a test of ``ex``) holds
    it returns ``_fallback(ex)``; otherwise it computes ``tree`` and runs the
    lines ``finish(result, test)`` gives, which use ``names``.  With
    ``as_test`` a comparison at the top is left as a Python ``test`` (and
    ``result`` is None), else ``test`` is None.  ``ex`` is the interpreter
    whose program this is."""
    writer = code_writer(ex)
    result, test = writer.evaluation(tree, as_test)
    tail = finish(result, test)
    writer.names.update(names)
    return make_function(writer, "ex", [f"if {guard}: return _fallback(ex)"], tail, "<rexx clause>")


def make_function(writer: _CodeWriter, parameters: str, first: list, tail: list, filename: str):
    """``function(parameters)`` made of the lines ``first``, the frame's
    names the writer's lines use (frame, simple, numeric), the writer's
    lines and ``tail``; compiled with the writer's names as its globals."""
    head = [f"def function({parameters}):"] + ["    " + line for line in first]
    head += ["    frame = ex.frame", "    simple = frame.pool.simple"]
    if writer.uses_numeric:
        head.append("    numeric = frame.numeric")
    source = "\n".join(head + writer.lines + ["    " + line for line in tail])
    namespace = dict(writer.names)
    exec(compile(source, filename, "exec"), namespace)
    return namespace["function"]


def compile_expression(tree: Node, ex):
    """The generated ``evaluate(ex)`` of an expression tree."""
    return generate(
        tree,
        "ex.trace_intermediates",
        lambda result, test: [f"return {result}"],
        {"_fallback": tree.evaluate},
        ex,
    )
