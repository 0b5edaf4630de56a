"""The programs of INTERPRET strings (TRL2 "INTERPRET").

A string is compiled like a program; the compiled program is kept by its
text (and the line of the INTERPRET, which its clauses report), so a string
interpreted again runs at once - and, used again, as generated code.

Strings built in a loop often differ only in their numbers
(``interpret 's = s +' i``).  Such a string is compiled once per *shape*:
the text with each number that stands alone as a token replaced.  The
shape is compiled with a distinct placeholder number in each place, and a
string of that shape gets a copy of those clauses with its own numbers in
the placeholders' literals.  Only shapes whose placeholders each became
exactly one literal of an assignment or SAY are shared that way, so a
number inside a string, a comment or an exponent (``1E+5``), or in any
other role, leaves the shape to ordinary compiling: the copy is always
what compiling the string would have built.  Untraced, such a clause runs
the shape's generated code (cms.rexx.expressions), made once and given
each string's numbers; traced, it runs that copy as the tree.
"""

from __future__ import annotations

import re

from . import instructions as ins
from .errors import RexxError
from .expressions import (
    BinaryOp,
    Compiled,
    CompoundVar,
    Concat,
    FunctionCall,
    Literal,
    Parameter,
    PrefixOp,
    SimpleVar,
    code_writer,
    make_function,
)
from .lexer import BLANKS, latin1
from .parser import Compiler, Program
from .variables import Stem

#: A number standing alone (digits, perhaps with a decimal point; no
#: exponent) with no symbol character on either side.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.!?_@#$])([0-9]+\.?[0-9]*|\.[0-9]+)(?![A-Za-z0-9.!?_@#$])")
#: Where a number was, in a shape.
_HOLE = "\x00"
#: Programs and shapes kept (then no more are added).
CACHE_SIZE = 256


class _NotShared(Exception):
    """A clause or node that shapes do not share."""


def _placeholder(index: int) -> str:
    return f"9{index:03d}8{index:03d}7"


def _copy(node, numbers: dict):
    """``node`` with the placeholders' literals replaced by the nodes
    ``numbers`` gives for their values.  Nodes never change, so a part
    without placeholders is shared; a Compiled (which compiles itself when
    used) is always new."""
    kind = type(node)
    if kind is Literal:
        value = numbers.get(node.value)
        return node if value is None else value
    if kind is SimpleVar or kind is CompoundVar or node is None:
        return node
    if kind is Compiled:
        return Compiled(_copy(node.tree, numbers))
    if kind is BinaryOp or kind is Concat:
        left = _copy(node.left, numbers)
        right = _copy(node.right, numbers)
        if left is node.left and right is node.right:
            return node
        if kind is Concat:
            return Concat(left, right, node.separator)
        return BinaryOp(node.op, left, right)
    if kind is PrefixOp:
        operand = _copy(node.operand, numbers)
        return node if operand is node.operand else PrefixOp(node.op, operand)
    if kind is FunctionCall:
        args = [_copy(arg, numbers) for arg in node.args]
        if all(new is old for new, old in zip(args, node.args)):
            return node
        return FunctionCall(node.name, args, node.quoted, node.line)
    raise _NotShared


def _literals(node, found: list) -> None:
    """The values of the literals in ``node``, into ``found``."""
    kind = type(node)
    if kind is Literal:
        found.append(node.value)
    elif kind is Compiled:
        _literals(node.tree, found)
    elif kind is BinaryOp or kind is Concat:
        _literals(node.left, found)
        _literals(node.right, found)
    elif kind is PrefixOp:
        _literals(node.operand, found)
    elif kind is FunctionCall:
        for arg in node.args:
            _literals(arg, found)


class _Shape:
    """The one clause compiled from a shape, its placeholders, and the
    generated code run for it (made when first needed)."""

    __slots__ = ("clause", "placeholders", "parameters", "function")

    def __init__(self, clause, placeholders: list[str]):
        self.clause = clause
        self.placeholders = placeholders
        # the expression with each placeholder's literal read from params
        numbers = {value: Parameter(index) for index, value in enumerate(placeholders)}
        self.parameters = _copy(clause.expr, numbers)
        self.function = None

    def copy(self, source: str, numbers: list[str]):
        """The clause compiling the string gives (for tracing it)."""
        values = {key: Literal(value) for key, value in zip(self.placeholders, numbers)}
        clause = self.clause
        expr = _copy(clause.expr, values)
        if type(clause) is ins.Assignment:
            return ins.Assignment(clause.line, source, clause.target, expr)
        return ins.Say(clause.line, source, expr)

    def generate(self, ex):
        """``function(ex, params)``: the clause as generated code."""
        writer = code_writer(ex)
        result, _ = writer.evaluation(self.parameters, False)
        clause = self.clause
        if type(clause) is ins.Assignment:
            writer.names.update({"_target": clause.target, "_Stem": Stem})
            tail = clause.store(result)
        else:
            tail = [f"ex.say({result})"]  # Say.run, untraced
        return make_function(writer, "ex, params", [], tail, "<rexx interpret>")


class _Shaped(ins.Clause):
    """The clause of a string of a shared shape: the shape's code with the
    string's numbers; traced, the clause compiling the string gives."""

    __slots__ = ("shape", "numbers")

    def __init__(self, line: int, source: str, shape: _Shape, numbers: list[str]):
        self.line = line  # Clause's slots set here: one is made per string run
        self.source = source
        self.depth = 0
        self.shape = shape
        self.numbers = numbers

    def traced(self):
        """The clause compiling the string gives, on this clause's line."""
        clause = self.shape.copy(self.source, self.numbers)
        clause.line = self.line
        return clause

    def run(self, ex):
        if ex.trace_clauses:  # TRACE sees every step: the tree
            clause = self.traced()
            return clause.tree_run(ex) if type(clause) is ins.Assignment else clause.run(ex)
        function = self.shape.function
        if function is None:
            function = self.shape.function = self.shape.generate(ex)
        return function(ex, self.numbers)


def _shape_of(shape: str, count: int, decode) -> _Shape | None:
    """The shared clause of a shape with ``count`` holes, or None (more
    than one line or clause, a character that takes a hole's place)."""
    if "\n" in shape or ";" in shape or shape.count(_HOLE) != count:
        return None
    placeholders = [_placeholder(index) for index in range(count)]
    pieces = shape.split(_HOLE)
    text = pieces[0] + "".join(p + piece for p, piece in zip(placeholders, pieces[1:]))
    try:
        program = Compiler([text], decode).compile()
    except RexxError:
        return None
    if len(program.code) != 1:
        return None
    clause = program.code[0]
    if type(clause) not in (ins.Assignment, ins.Say) or clause.expr is None:
        return None
    found: list[str] = []
    _literals(clause.expr, found)
    if sorted(value for value in found if value in placeholders) != placeholders:
        return None  # a number in a string, an exponent, ...: not one literal
    try:
        return _Shape(clause, placeholders)
    except _NotShared:
        return None


class InterpretPrograms:
    """The programs of one interpreter's INTERPRET strings."""

    def __init__(self, decode=latin1):
        self.decode = decode
        self.programs: dict[tuple[int, str], Program] = {}
        self.shapes: dict[str, _Shape | None] = {}
        # line -> (text before, text after, shape) of the last shaped string
        # of one whole number there: the next one is likely the same around
        # another number
        self.recent: dict[int, tuple[str, str, _Shape]] = {}

    def program(self, string: str, line: int) -> Program:
        """The compiled ``string`` (RexxError for a structural error), its
        clauses on ``line``."""
        program = self.programs.get((line, string))
        if program is not None:
            return program
        code = self._shaped(string, line)
        if code is not None:
            return Program(code, {}, [string])
        return self._compiled(string, line)

    def code(self, string: str, line: int) -> list:
        """``program(string, line).code`` (what INTERPRET runs), a shaped
        string's clause without a Program around it."""
        recent = self.recent.get(line)
        if recent is not None:
            before, after, shape = recent
            end = len(string) - len(after)
            if end > len(before) and string.startswith(before) and string.endswith(after):
                number = string[len(before) : end]
                if number.isdigit() and number.isascii():
                    return [_Shaped(line, string.strip(BLANKS), shape, [number])]
        program = self.programs.get((line, string))
        if program is not None:
            return program.code
        code = self._shaped(string, line)
        if code is not None:
            return code  # not kept: made again as cheaply as found
        return self._compiled(string, line).code

    def _compiled(self, string: str, line: int) -> Program:
        """``string`` compiled and kept (while the cache has room)."""
        key = (line, string)
        try:
            program = Compiler(string.split("\n"), self.decode).compile()
        except RexxError as error:
            error.line = line
            raise
        for clause in program.code:
            clause.line = line
        if len(self.programs) < CACHE_SIZE:
            self.programs[key] = program
        return program

    def _shaped(self, string: str, line: int) -> list | None:
        """The clauses of a one-clause, one-line string by its shape."""
        pieces = _NUMBER.split(string)  # text, number, text, ..., text
        if len(pieces) == 1:
            return None
        numbers = pieces[1::2]
        shape_key = _HOLE.join(pieces[::2])
        shapes = self.shapes
        shape = shapes.get(shape_key, False)
        if shape is False:
            shape = _shape_of(shape_key, len(numbers), self.decode)
            if len(shapes) < CACHE_SIZE:
                shapes[shape_key] = shape
        if shape is None:
            return None
        if len(numbers) == 1 and numbers[0].isdigit() and numbers[0].isascii():
            # _NUMBER splits a string of the same text around other digits
            # the same way: the text before ends, the text after starts,
            # with a character that is no symbol character (nor ".")
            if line in self.recent or len(self.recent) < CACHE_SIZE:
                self.recent[line] = (pieces[0], pieces[2], shape)
        return [_Shaped(line, string.strip(BLANKS), shape, numbers)]
