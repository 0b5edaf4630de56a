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
from .expressions import Literal, Node, SimpleVar, variable_reference
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


class Template(list):
    """One template: its items, and once used COMPILE_AFTER times the
    generated ``function(ex, string)`` doing what apply_template does."""

    __slots__ = ("uses", "function")

    def __init__(self, items=()):
        super().__init__(items)
        self.uses = 0
        self.function = None


def compile_templates(tokens: list[Token], line: int) -> list[list]:
    """Templates separated by commas; each is a Template of items."""
    templates: list[list] = [Template()]
    pos = 0
    while pos < len(tokens):
        token = tokens[pos]
        items = templates[-1]
        if token.is_special(","):
            templates.append(Template())
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


def _next_word(rest: str) -> tuple[str, str]:
    """The next blank-delimited word of ``rest`` and what follows the one
    blank after it (TRL2 "Parsing strings into words")."""
    stripped = rest.lstrip(" ")
    blank = stripped.find(" ")
    if blank < 0:
        return stripped, ""
    return stripped[:blank], stripped[blank + 1 :]


def _assign_words(ex, targets: list[Target], piece: str) -> None:
    """Word parsing: each target but the last takes one blank-delimited
    word (and the one blank after it); the last takes the remainder as is."""
    if ex.trace_results:
        _assign_words_traced(ex, targets, piece)
        return
    rest = piece
    for target in targets[:-1]:
        value, rest = _next_word(rest)
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
            value, rest = _next_word(rest)
        if target.node is not None:
            target.node.assign(ex, value)
            ex.trace_assignment(">>>", value)
        else:
            ex.trace_assignment(">.>", value)


def apply_template(ex, items: list, string: str) -> None:
    """Parse ``string`` with one template, assigning its targets: by
    generated code once the template has been used (untraced), else
    by _apply."""
    if not ex.trace_results:
        function = getattr(items, "function", None)
        if function is not None:
            function(ex, string)
            return
        if type(items) is Template:
            items.uses += 1
            if items.uses >= COMPILE_AFTER:
                items.function = _generate(items)
                items.function(ex, string)
                return
    _apply(ex, items, string)


def _apply(ex, items: list, string: str) -> None:
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


# --- templates compiled to Python code -----------------------------------------
#
# A template used more than once becomes one generated function doing what
# _apply does for it, step by step: literal needles and plain positions
# written in, the words of each piece split and assigned straight into an
# unexposed pool.  Traced parsing (TRACE R, I) takes _apply.

#: Uses of a template before it is compiled.
COMPILE_AFTER = 2


class _TemplateWriter:
    """The lines of one template's work on the string in ``string`` (the
    caller's name for it), assigning into the unexposed pool's ``simple``.
    Its locals start with ``p_`` so that a compiled loop can take the lines
    among its own (cms.rexx.loops); ``constant`` names an object for them."""

    def __init__(self, items: list, string: str, constant):
        self.items = items
        self.string = string
        self.constant = constant
        self.lines: list[str] = []
        self.emit(f"p_length = len({string})")
        self.emit("p_begin = p_end = 0")

    def emit(self, line: str) -> None:
        self.lines.append(line)

    def assign(self, target: Target, value: str) -> None:
        node = target.node
        if node is None:
            return  # the placeholder
        if type(node) is SimpleVar and not node.is_stem:
            self.emit(f"simple[{node.name!r}] = {value}")
        else:
            self.emit(f"{self.constant(node)}.assign(ex, {value})")

    def words(self, targets: list[Target], piece: str) -> None:
        """_assign_words, unrolled: a word ends at the first blank after it."""
        if len(targets) == 1:
            self.assign(targets[0], piece)
            return
        self.emit(f"p_rest = {piece}")
        for target in targets[:-1]:
            self.emit("p_word, p_blank, p_rest = p_rest.lstrip(' ').partition(' ')")
            self.assign(target, "p_word")
        self.assign(targets[-1], "p_rest")

    def value(self, node) -> str:
        """A pattern's value: a literal's own, else the node evaluated."""
        if type(node) is Literal:
            return repr(node.value)
        return f"{self.constant(node)}.evaluate(ex)"

    def literal(self, item: LiteralPattern) -> None:
        node = item.node
        string = self.string
        if type(node) is Literal and not node.value:
            self.emit(f"p_piece = {string}[p_end:]")  # a null string matches at the end
            self.emit("p_begin = p_end = p_length")
            return
        if type(node) is Literal:
            needle, size = repr(node.value), str(len(node.value))
            self.emit(f"p_found = {string}.find({needle}, p_end)")
        else:
            needle, size = "p_needle", "len(p_needle)"
            self.emit(f"p_needle = {self.value(node)}")
            self.emit(f"p_found = {string}.find(p_needle, p_end) if p_needle else -1")
        self.emit("if p_found < 0:")
        self.emit(f"    p_piece = {string}[p_end:]")
        self.emit("    p_begin = p_end = p_length")
        self.emit("else:")
        self.emit(f"    p_piece = {string}[p_end:p_found]")
        self.emit(f"    p_begin, p_end = p_found, p_found + {size}")

    def position(self, item) -> None:
        string = self.string
        whole = self.constant(numbers.whole_number)
        self.emit(f"p_amount = {whole}({self.value(item.node)}, ex.frame.numeric.digits, 26)")
        if type(item) is AbsolutePattern:
            self.emit("p_start = p_end")
            self.emit("p_position = p_amount - 1")
        else:
            self.emit("p_start = p_begin")
            self.emit(f"p_position = p_begin {'+' if item.sign > 0 else '-'} p_amount")
        self.emit("p_position = max(0, min(p_length, p_position))")
        self.emit(
            f"p_piece = {string}[p_start:p_position] if p_position > p_start"
            f" else {string}[p_start:]"
        )
        self.emit("p_begin = p_end = p_position")

    def source(self) -> list[str]:
        pending: list[Target] = []
        for item in self.items:
            kind = type(item)
            if kind is Target:
                pending.append(item)
                continue
            if kind is LiteralPattern:
                self.literal(item)
            else:
                self.position(item)
            if pending:
                self.words(pending, "p_piece")
                pending = []
        if pending:
            self.words(pending, f"{self.string}[p_end:]")
        return self.lines


def template_lines(items: list, string: str, constant) -> list[str]:
    """Python lines parsing the string named ``string`` with the template
    ``items`` into an unexposed pool (``ex`` and ``simple`` in scope),
    untraced; ``constant(value)`` names an object the lines need."""
    return _TemplateWriter(items, string, constant).source()


def _generate(items: list):
    """The generated ``function(ex, string)`` of a template."""
    names: dict[str, object] = {"_apply": _apply, "_items": items}

    def constant(value) -> str:
        name = f"k{len(names)}"
        names[name] = value
        return name

    lines = [
        "def function(ex, string):",
        "    pool = ex.frame.pool",
        "    if pool.exposed: return _apply(ex, _items, string)",
        "    simple = pool.simple",
    ]
    lines += ["    " + line for line in template_lines(items, "string", constant)]
    namespace = dict(names)
    exec(compile("\n".join(lines), "<rexx template>", "exec"), namespace)
    return namespace["function"]
