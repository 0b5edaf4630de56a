"""Compiles REXX source into a Program: a flat list of clauses plus labels.

Clause recognition follows TRL2 2.3: a clause whose first token is a symbol
followed by ``:`` is a label; a symbol followed by ``=`` is an assignment; a
first symbol naming an instruction keyword is that instruction; anything
else is a command.  THEN, ELSE and OTHERWISE end a clause (an implied
semicolon), so what follows them on the same line is the next clause.
"""

from __future__ import annotations

from collections import deque

from . import instructions as ins
from .errors import RexxError
from .expressions import (
    ExpressionParser,
    Literal,
    compiled,
    symbol_reference,
    variable_reference,
)
from .lexer import OPERATOR, STRING, SYMBOL, Lexer, Token, latin1
from .template import compile_templates

DO_KEYWORDS = frozenset(["TO", "BY", "FOR", "WHILE", "UNTIL"])
THEN = frozenset(["THEN"])
CONDITIONALS = frozenset(["WHILE", "UNTIL"])
#: Instructions whose errors are found when the program is read: they
#: shape the program's structure (TRL2 errors 7-10, 14, 18).
STRUCTURAL = frozenset(["DO", "IF", "SELECT", "END", "THEN", "ELSE", "WHEN", "OTHERWISE"])


class Program:
    """A compiled program (or INTERPRET string)."""

    __slots__ = ("code", "labels", "lines")

    def __init__(self, code: list, labels: dict | None = None, lines: list | None = None):
        self.code = code
        self.labels = {} if labels is None else labels
        self.lines = [] if lines is None else lines


def _is_keyword(tokens: list[Token], *names: str) -> bool:
    """First token is one of ``names`` and the clause is not an assignment."""
    if not tokens or not tokens[0].is_symbol(*names):
        return False
    return not (len(tokens) > 1 and tokens[1].is_operator("="))


class Compiler:
    def __init__(self, lines: list[str], decode=latin1):
        self.lines = lines
        self.queue: deque[list[Token]] = deque(Lexer(lines, decode).read())
        self.code: list = []
        self.labels: dict[str, int] = {}
        self.nesting = 0  # logical depth, for TRACE indentation

    # --- driver -------------------------------------------------------------
    def compile(self) -> Program:
        while self.queue:
            self.statement(self.queue.popleft())
        return Program(self.code, self.labels, self.lines)

    def emit(self, clause):
        clause.depth = self.nesting
        self.code.append(clause)
        return clause

    def nested(self, method, *args):
        """Compile with the logical nesting one deeper (TRACE indents it)."""
        self.nesting += 1
        try:
            return method(*args)
        finally:
            self.nesting -= 1

    def source(self, tokens: list[Token]) -> str:
        if not tokens:
            return ""
        first, last = tokens[0], tokens[-1]
        if first.line == last.end_line:
            return self.lines[first.line - 1][first.col : last.end_col]
        parts = [self.lines[first.line - 1][first.col :]]
        for number in range(first.line + 1, last.end_line):
            parts.append(self.lines[number - 1])
        parts.append(self.lines[last.end_line - 1][: last.end_col])
        return "\n".join(parts)

    def next_clause(self) -> list[Token] | None:
        """The next non-null clause (left in the queue), or None at the end."""
        while self.queue and not self.queue[0]:
            self.queue.popleft()
        return self.queue[0] if self.queue else None

    def split_after(self, tokens: list[Token], index: int) -> list[Token]:
        """Implied semicolon after tokens[index]: the rest is the next clause."""
        rest = tokens[index + 1 :]
        if rest:
            self.queue.appendleft(rest)
        return tokens[: index + 1]

    # --- one clause -----------------------------------------------------------
    def statement(self, tokens: list[Token]) -> None:
        if not tokens:
            return
        first = tokens[0]
        if (
            len(tokens) > 1
            and first.kind == SYMBOL
            and tokens[1].kind == OPERATOR
            and tokens[1].value == "="
        ):
            self.simple_clause(tokens, self.assignment)  # the commonest clause
            return
        if first.kind in (SYMBOL, STRING) and len(tokens) > 1 and tokens[1].is_special(":"):
            self.label(tokens)
            return
        handler = None
        if first.kind == SYMBOL and not (len(tokens) > 1 and tokens[1].is_operator("=")):
            handler = KEYWORDS.get(first.upper)
        if handler is not None and first.upper in STRUCTURAL:
            handler(self, tokens)
            return
        if handler is not None:
            self.simple_clause(tokens, lambda tokens: handler(self, tokens))
        else:
            self.simple_clause(tokens, self.command)

    def simple_clause(self, tokens: list[Token], compile_clause) -> None:
        """A faulty simple clause is an error only when it is executed, so
        SIGNAL ON SYNTAX can trap it and earlier clauses run (as in CMS)."""
        mark = len(self.code)
        try:
            compile_clause(tokens)
        except RexxError as error:
            del self.code[mark:]
            first = tokens[0]
            if error.line is None:
                error.line = first.line
            self.emit(ins.Faulty(first.line, self.source(tokens), error))

    def command(self, tokens: list[Token]) -> None:
        expr = self.expression(tokens, 0, frozenset())
        self.emit(ins.Command(tokens[0].line, self.source(tokens), expr))

    def one_instruction(self, after: Token) -> None:
        """The single instruction after THEN, ELSE or WHEN ... THEN."""
        tokens = self.next_clause()
        if tokens is None:
            raise RexxError(14, "", after.line)
        self.queue.popleft()
        if len(tokens) > 1 and tokens[1].is_special(":"):
            raise RexxError(14, "", tokens[0].line)
        if _is_keyword(tokens, "ELSE", "THEN"):
            raise RexxError(8, tokens[0].value, tokens[0].line)
        if _is_keyword(tokens, "WHEN", "OTHERWISE"):
            raise RexxError(9, tokens[0].value, tokens[0].line)
        if _is_keyword(tokens, "END"):
            raise RexxError(10, "", tokens[0].line)
        self.statement(tokens)

    def expression(self, tokens, pos, stops):
        if pos == len(tokens) - 1 and not stops:  # one term, as parse_term reads it
            token = tokens[pos]
            if token.kind == SYMBOL:
                return compiled(symbol_reference(token.value))
            if token.kind == STRING:
                return Literal(token.value)
        parser = ExpressionParser(tokens, pos, stops)
        node = parser.parse()
        if parser.pos < len(tokens):
            token = tokens[parser.pos]
            if token.is_special(")") or token.is_special(","):
                raise RexxError(37, token.value, token.line)
            raise RexxError(35, token.value, token.line)
        return compiled(node)

    def optional_expression(self, tokens, pos):
        if pos >= len(tokens):
            return None
        return self.expression(tokens, pos, frozenset())

    def expression_until(self, tokens, pos, stops):
        """An expression ending at a keyword in ``stops``: (node, new pos)."""
        parser = ExpressionParser(tokens, pos, stops)
        node = parser.parse()
        if parser.pos < len(tokens) and not (
            tokens[parser.pos].kind == SYMBOL and tokens[parser.pos].upper in stops
        ):
            token = tokens[parser.pos]
            raise RexxError(
                37 if token.is_special(")") or token.is_special(",") else 35,
                token.value,
                token.line,
            )
        return compiled(node), parser.pos

    # --- clause kinds -----------------------------------------------------------
    def label(self, tokens):
        name = tokens[0].value if tokens[0].kind == STRING else tokens[0].upper
        self.labels.setdefault(name, len(self.code))
        self.emit(ins.Label(tokens[0].line, self.source(tokens[:2]), name))
        rest = tokens[2:]
        if rest:
            self.queue.appendleft(rest)

    def assignment(self, tokens):
        target = variable_reference(tokens[0].value, tokens[0].line)
        if len(tokens) > 2:
            expr = self.expression(tokens, 2, frozenset())
        else:
            expr = Literal("")
        self.emit(ins.Assignment(tokens[0].line, self.source(tokens), target, expr))

    def _no_more(self, tokens, pos):
        if pos < len(tokens):
            raise RexxError(21, tokens[pos].value, tokens[pos].line)

    # --- keyword instructions -----------------------------------------------------
    def kw_address(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        if len(tokens) == 1:
            self.emit(ins.Address(line, source, None, None, None))
            return
        second = tokens[1]
        if second.is_symbol("VALUE") and len(tokens) > 2:
            self.emit(
                ins.Address(line, source, None, None, self.expression(tokens, 2, frozenset()))
            )
        elif second.is_special("("):
            self.emit(
                ins.Address(line, source, None, None, self.expression(tokens, 1, frozenset()))
            )
        elif second.kind in (SYMBOL, STRING):
            name = second.upper if second.kind == SYMBOL else second.value
            if len(name) > 8:
                raise RexxError(29, name, line)
            self.emit(ins.Address(line, source, name, self.optional_expression(tokens, 2), None))
        else:
            raise RexxError(19, second.value, line)

    def kw_arg(self, tokens):
        self.emit(
            ins.Parse(
                tokens[0].line,
                self.source(tokens),
                True,
                "ARG",
                compile_templates(tokens[1:], tokens[0].line),
            )
        )

    def kw_call(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        if len(tokens) < 2:
            raise RexxError(19, "", line)
        second = tokens[1]
        if second.is_symbol("ON", "OFF") and len(tokens) > 2 and tokens[2].kind == SYMBOL:
            self.trap_setting(tokens, "CALL", ins.CALL_CONDITIONS)
            return
        if second.kind not in (SYMBOL, STRING):
            raise RexxError(19, second.value, line)
        name = second.upper if second.kind == SYMBOL else second.value
        parser = ExpressionParser(tokens, 2)
        args = [compiled(arg) for arg in parser.parse_arguments(closing=False)]
        self.emit(ins.Call(line, source, name, second.kind == STRING, args))

    def trap_setting(self, tokens, mode, allowed):
        line = tokens[0].line
        on = tokens[1].upper == "ON"
        condition = tokens[2].upper
        if condition not in allowed:
            raise RexxError(25, condition, line)
        label = condition
        pos = 3
        if on and pos < len(tokens) and tokens[pos].is_symbol("NAME"):
            if pos + 1 >= len(tokens) or tokens[pos + 1].kind not in (SYMBOL, STRING):
                raise RexxError(19, "", line)
            target = tokens[pos + 1]
            label = target.upper if target.kind == SYMBOL else target.value
            pos += 2
        self._no_more(tokens, pos)
        self.emit(ins.TrapSetting(line, self.source(tokens), mode, on, condition, label))

    def kw_do(self, tokens):
        line = tokens[0].line
        do = ins.Do(line, self.source(tokens))
        self.parse_do_spec(do, tokens)
        do.index = len(self.code)
        self.emit(do)
        while True:
            clause = self.next_clause()
            if clause is None:
                raise RexxError(14, "", line)
            if _is_keyword(clause, "END"):
                self.queue.popleft()
                self.end_clause(clause, do)
                return
            self.queue.popleft()
            self.nested(self.body_statement, clause)

    def body_statement(self, tokens):
        if _is_keyword(tokens, "ELSE", "THEN"):
            raise RexxError(8, tokens[0].value, tokens[0].line)
        if _is_keyword(tokens, "WHEN", "OTHERWISE"):
            raise RexxError(9, tokens[0].value, tokens[0].line)
        self.statement(tokens)

    def end_clause(self, tokens, do):
        line = tokens[0].line
        name = None
        if len(tokens) > 1:
            if tokens[1].kind != SYMBOL:
                raise RexxError(20, tokens[1].value, line)
            name = tokens[1].upper
            self._no_more(tokens, 2)
        if name is not None and (do is None or do.control_name != name):
            raise RexxError(10, name, line)
        end = ins.End(line, self.source(tokens), do if do is not None and do.repetitive else None)
        if do is not None:
            do.end_index = len(self.code)
        self.emit(end)

    def parse_do_spec(self, do, tokens):
        pos = 1
        stops = DO_KEYWORDS
        if pos >= len(tokens):
            return
        first = tokens[pos]
        do.repetitive = True
        if first.kind == SYMBOL and pos + 1 < len(tokens) and tokens[pos + 1].is_operator("="):
            do.control = variable_reference(first.value, first.line)
            if getattr(do.control, "is_stem", False):
                raise RexxError(32, first.value, first.line)
            do.control_name = first.upper
            do.start, pos = self.expression_until(tokens, pos + 2, stops)
            seen = set()
            while pos < len(tokens) and tokens[pos].upper in ("TO", "BY", "FOR"):
                keyword = tokens[pos].upper
                if keyword in seen:
                    raise RexxError(27, keyword, first.line)
                seen.add(keyword)
                node, pos = self.expression_until(tokens, pos + 1, stops)
                do.order.append(keyword)
                setattr(do, {"TO": "to", "BY": "by", "FOR": "for_"}[keyword], node)
        elif first.is_symbol("FOREVER") and (
            pos + 1 >= len(tokens) or tokens[pos + 1].upper in CONDITIONALS
        ):
            do.forever = True
            pos += 1
        elif not first.is_symbol("WHILE", "UNTIL"):
            do.count, pos = self.expression_until(tokens, pos, CONDITIONALS)
        if pos < len(tokens):
            keyword = tokens[pos]
            if not keyword.is_symbol("WHILE", "UNTIL"):
                raise RexxError(27, keyword.value, keyword.line)
            node, end = self.expression_until(tokens, pos + 1, frozenset(DO_KEYWORDS))
            if end < len(tokens):
                raise RexxError(27, tokens[end].value, tokens[end].line)
            if keyword.upper == "WHILE":
                do.while_ = node
            else:
                do.until = node

    def kw_drop(self, tokens):
        self.emit(ins.Drop(tokens[0].line, self.source(tokens), self.name_list(tokens, 1)))

    def name_list(self, tokens, pos):
        """Symbols and ``(symbol)`` indirect lists of DROP and EXPOSE."""
        names = []
        while pos < len(tokens):
            token = tokens[pos]
            if token.is_special("("):
                if (
                    pos + 2 < len(tokens)
                    and tokens[pos + 1].kind == SYMBOL
                    and tokens[pos + 2].is_special(")")
                ):
                    names.append((variable_reference(tokens[pos + 1].value, token.line), True))
                    pos += 3
                    continue
                raise RexxError(20, "(", token.line)
            if token.kind != SYMBOL:
                raise RexxError(20, token.value, token.line)
            names.append((variable_reference(token.value, token.line), False))
            pos += 1
        return names

    def kw_exit(self, tokens):
        self.emit(
            ins.Exit(tokens[0].line, self.source(tokens), self.optional_expression(tokens, 1))
        )

    def then_clause(self, tokens, pos, line):
        """THEN may end the IF/WHEN clause or start the next one."""
        if pos < len(tokens):
            return self.split_after(tokens, pos)
        following = self.next_clause()
        if following is None or not following[0].is_symbol("THEN"):
            raise RexxError(18, "", line)
        self.queue.popleft()
        self.split_after(following, 0)
        return tokens + following[:1]

    def kw_if(self, tokens):
        line = tokens[0].line
        expr, pos = self.expression_until(tokens, 1, THEN)
        head = self.then_clause(tokens, pos, line)
        clause = self.emit(ins.If(line, self.source(head[:-1]), expr))
        self.nested(self.one_instruction, head[-1])
        clause_after = self.next_clause()
        if clause_after is not None and _is_keyword(clause_after, "ELSE"):
            self.queue.popleft()
            self.split_after(clause_after, 0)
            jump = self.emit(ins.Jump(line, ""))
            clause.else_index = len(self.code)
            self.nested(self.one_instruction, clause_after[0])
            jump.target = len(self.code)
        else:
            clause.else_index = len(self.code)

    def kw_then(self, tokens):
        raise RexxError(8, tokens[0].value, tokens[0].line)

    def kw_when(self, tokens):
        raise RexxError(9, tokens[0].value, tokens[0].line)

    def kw_end(self, tokens):
        raise RexxError(10, "", tokens[0].line)

    def kw_interpret(self, tokens):
        if len(tokens) < 2:
            raise RexxError(35, "", tokens[0].line)
        self.emit(
            ins.Interpret(
                tokens[0].line, self.source(tokens), self.expression(tokens, 1, frozenset())
            )
        )

    def kw_iterate(self, tokens, leave=False):
        name = None
        if len(tokens) > 1:
            if tokens[1].kind != SYMBOL:
                raise RexxError(20, tokens[1].value, tokens[0].line)
            name = tokens[1].upper
            self._no_more(tokens, 2)
        self.emit(ins.LeaveIterate(tokens[0].line, self.source(tokens), name, leave))

    def kw_leave(self, tokens):
        self.kw_iterate(tokens, leave=True)

    def kw_nop(self, tokens):
        self._no_more(tokens, 1)
        self.emit(ins.Nop(tokens[0].line, self.source(tokens)))

    def kw_numeric(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        if len(tokens) < 2 or tokens[1].kind != SYMBOL:
            raise RexxError(25, tokens[1].value if len(tokens) > 1 else "", line)
        what = tokens[1].upper
        if what in ("DIGITS", "FUZZ"):
            self.emit(ins.Numeric(line, source, what, self.optional_expression(tokens, 2)))
        elif what == "FORM":
            if len(tokens) == 2:
                self.emit(ins.Numeric(line, source, "FORM", None, "SCIENTIFIC"))
            elif tokens[2].is_symbol("SCIENTIFIC", "ENGINEERING") and len(tokens) == 3:
                self.emit(ins.Numeric(line, source, "FORM", None, tokens[2].upper))
            elif tokens[2].is_symbol("VALUE"):
                self.emit(
                    ins.Numeric(line, source, "FORM", self.expression(tokens, 3, frozenset()))
                )
            elif tokens[2].kind == SYMBOL:
                raise RexxError(25, tokens[2].value, line)
            else:
                self.emit(
                    ins.Numeric(line, source, "FORM", self.expression(tokens, 2, frozenset()))
                )
        else:
            raise RexxError(25, what, line)

    def kw_options(self, tokens):
        if len(tokens) < 2:
            raise RexxError(35, "", tokens[0].line)
        self.emit(
            ins.Options(
                tokens[0].line, self.source(tokens), self.expression(tokens, 1, frozenset())
            )
        )

    def kw_parse(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        pos = 1
        upper = False
        if pos < len(tokens) and tokens[pos].is_symbol("UPPER"):
            upper = True
            pos += 1
        elif pos < len(tokens) and tokens[pos].is_symbol("LOWER"):
            upper = "LOWER"  # PARSE LOWER: an extension (Regina, ooRexx)
            pos += 1
        if pos >= len(tokens) or tokens[pos].kind != SYMBOL:
            raise RexxError(25, tokens[pos].value if pos < len(tokens) else "", line)
        origin = tokens[pos].upper
        pos += 1
        expr = var = None
        if origin == "VALUE":
            with_at = next(
                (i for i in range(pos, len(tokens)) if tokens[i].is_symbol("WITH")), None
            )
            if with_at is None:
                raise RexxError(25, "WITH", line)
            if with_at > pos:
                expr, _ = self.expression_until(tokens, pos, frozenset(["WITH"]))
            pos = with_at + 1
        elif origin == "VAR":
            if pos >= len(tokens) or tokens[pos].kind != SYMBOL:
                raise RexxError(20, "", line)
            var = variable_reference(tokens[pos].value, line)
            pos += 1
        elif origin not in ("ARG", "EXTERNAL", "NUMERIC", "PULL", "SOURCE", "VERSION", "LINEIN"):
            raise RexxError(25, origin, line)
        self.emit(
            ins.Parse(line, source, upper, origin, compile_templates(tokens[pos:], line), expr, var)
        )

    def kw_procedure(self, tokens):
        exposed = []
        if len(tokens) > 1:
            if not tokens[1].is_symbol("EXPOSE"):
                raise RexxError(25, tokens[1].value, tokens[0].line)
            exposed = self.name_list(tokens, 2)
        self.emit(ins.Procedure(tokens[0].line, self.source(tokens), exposed))

    def kw_pull(self, tokens):
        self.emit(
            ins.Parse(
                tokens[0].line,
                self.source(tokens),
                True,
                "PULL",
                compile_templates(tokens[1:], tokens[0].line),
            )
        )

    def kw_push(self, tokens, lifo=True):
        self.emit(
            ins.Push(tokens[0].line, self.source(tokens), self.optional_expression(tokens, 1), lifo)
        )

    def kw_queue(self, tokens):
        self.kw_push(tokens, lifo=False)

    def kw_return(self, tokens):
        self.emit(
            ins.Return(tokens[0].line, self.source(tokens), self.optional_expression(tokens, 1))
        )

    def kw_say(self, tokens):
        self.emit(ins.Say(tokens[0].line, self.source(tokens), self.optional_expression(tokens, 1)))

    def kw_select(self, tokens):
        line = tokens[0].line
        self._no_more(tokens, 1)
        self.emit(ins.Nop(line, self.source(tokens)))
        jumps = []
        whens = 0
        while True:
            clause = self.next_clause()
            if clause is None:
                raise RexxError(14, "", line)
            self.queue.popleft()
            if _is_keyword(clause, "WHEN"):
                whens += 1
                expr, pos = self.expression_until(clause, 1, THEN)
                head = self.then_clause(clause, pos, clause[0].line)
                self.nesting += 1
                when = self.emit(ins.When(clause[0].line, self.source(head[:-1]), expr))
                self.nested(self.one_instruction, head[-1])
                self.nesting -= 1
                jumps.append(self.emit(ins.Jump(clause[0].line, "")))
                when.else_index = len(self.code)
            elif _is_keyword(clause, "OTHERWISE") and whens:
                self.split_after(clause, 0)
                self.nesting += 1
                self.emit(ins.Otherwise(clause[0].line, self.source(clause[:1])))
                self.nesting -= 1
                while True:
                    inner = self.next_clause()
                    if inner is None:
                        raise RexxError(14, "", line)
                    self.queue.popleft()
                    if _is_keyword(inner, "END"):
                        self.end_clause(inner, None)
                        break
                    self.nesting += 2
                    try:
                        self.body_statement(inner)
                    finally:
                        self.nesting -= 2
                break
            elif _is_keyword(clause, "END") and whens:
                self.emit(ins.NoOtherwise(clause[0].line, ""))
                self.end_clause(clause, None)
                break
            else:
                raise RexxError(7, clause[0].value, clause[0].line)
        for jump in jumps:
            jump.target = len(self.code)

    def kw_signal(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        if len(tokens) < 2:
            raise RexxError(19, "", line)
        second = tokens[1]
        if second.is_symbol("ON", "OFF") and len(tokens) > 2 and tokens[2].kind == SYMBOL:
            self.trap_setting(tokens, "SIGNAL", ins.SIGNAL_CONDITIONS)
        elif second.is_symbol("VALUE") and len(tokens) > 2:
            self.emit(ins.Signal(line, source, None, self.expression(tokens, 2, frozenset())))
        elif second.kind in (SYMBOL, STRING) and len(tokens) == 2:
            name = second.upper if second.kind == SYMBOL else second.value
            self.emit(ins.Signal(line, source, name))
        elif second.kind in (SYMBOL, STRING):
            raise RexxError(21, tokens[2].value, line)
        else:
            self.emit(ins.Signal(line, source, None, self.expression(tokens, 1, frozenset())))

    def kw_trace(self, tokens):
        line, source = tokens[0].line, self.source(tokens)
        if len(tokens) == 1:
            self.emit(ins.Trace(line, source, "N", None))
            return
        second = tokens[1]
        if second.is_symbol("VALUE") and len(tokens) > 2:
            self.emit(ins.Trace(line, source, None, self.expression(tokens, 2, frozenset())))
        elif second.kind in (SYMBOL, STRING) and len(tokens) == 2:
            self.emit(ins.Trace(line, source, second.value, None))
        elif second.kind == OPERATOR and second.value in ("?", "-", "+") or second.kind == OPERATOR:
            self.emit(ins.Trace(line, source, None, self.expression(tokens, 1, frozenset())))
        else:
            raise RexxError(21, tokens[2].value if len(tokens) > 2 else second.value, line)

    def kw_upper(self, tokens):
        """UPPER name...: translate the variables' values to upper case
        (VM/ESA and TSO/E REXX; not in TRL2)."""
        names = self.name_list(tokens, 1)
        if not names or any(indirect for _, indirect in names):
            raise RexxError(20, "", tokens[0].line)
        if any(getattr(node, "is_stem", False) for node, _ in names):
            raise RexxError(32, "", tokens[0].line)
        self.emit(ins.Upper(tokens[0].line, self.source(tokens), [n for n, _ in names]))

    def kw_else(self, tokens):
        raise RexxError(8, tokens[0].value, tokens[0].line)


#: instruction keyword -> compile method (TRL2 chapter 3).
KEYWORDS = {
    "ADDRESS": Compiler.kw_address,
    "ARG": Compiler.kw_arg,
    "CALL": Compiler.kw_call,
    "DO": Compiler.kw_do,
    "DROP": Compiler.kw_drop,
    "EXIT": Compiler.kw_exit,
    "IF": Compiler.kw_if,
    "INTERPRET": Compiler.kw_interpret,
    "ITERATE": Compiler.kw_iterate,
    "LEAVE": Compiler.kw_leave,
    "NOP": Compiler.kw_nop,
    "NUMERIC": Compiler.kw_numeric,
    "OPTIONS": Compiler.kw_options,
    "PARSE": Compiler.kw_parse,
    "PROCEDURE": Compiler.kw_procedure,
    "PULL": Compiler.kw_pull,
    "PUSH": Compiler.kw_push,
    "QUEUE": Compiler.kw_queue,
    "RETURN": Compiler.kw_return,
    "SAY": Compiler.kw_say,
    "SELECT": Compiler.kw_select,
    "SIGNAL": Compiler.kw_signal,
    "TRACE": Compiler.kw_trace,
    "UPPER": Compiler.kw_upper,
    "THEN": Compiler.kw_then,
    "ELSE": Compiler.kw_else,
    "WHEN": Compiler.kw_when,
    "OTHERWISE": Compiler.kw_when,
    "END": Compiler.kw_end,
}
