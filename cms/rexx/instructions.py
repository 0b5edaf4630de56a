"""The compiled clauses of a program.

A program compiles to a flat list of clause objects.  Structured
instructions become jumps: IF tests and jumps to its ELSE part, SELECT's
WHENs jump to the next WHEN, DO pushes a loop state that its END steps.
A flat list lets SIGNAL go to any label, as in REXX, where it ends all
active loops of the routine (TRL2 "SIGNAL"); an END reached without its
loop active is then Error 10, as the language requires.

``run(ex)`` returns None to go on with the next clause, or the index of
the clause to go to.
"""

from __future__ import annotations

from . import numbers, streams
from .errors import MAX_STRING, RexxError
from .expressions import COMPILE_AFTER, CompoundVar, SimpleVar, _truth, generate
from .template import Target, apply_template
from .variables import Stem

#: Whole-number steps of a loop before its body is compiled (cms.rexx.loops).
STEPS_BEFORE_COMPILING = 8
#: Times a label is reached before the clauses after it are compiled.
CALLS_BEFORE_COMPILING = 3

#: Conditions SIGNAL ON may trap, and the subset CALL ON may (TRL2 7.1).
SIGNAL_CONDITIONS = ("ERROR", "FAILURE", "HALT", "NOVALUE", "SYNTAX", "NOTREADY")
CALL_CONDITIONS = ("ERROR", "FAILURE", "HALT", "NOTREADY")


class Clause:
    """Base: line number, source text for TRACE, and the trace class."""

    __slots__ = ("line", "source", "depth")
    is_command = False
    is_label = False
    is_null = False

    def __init__(self, line: int, source: str):
        self.line = line
        self.source = source
        self.depth = 0  # logical nesting, for TRACE indentation

    def run(self, ex):
        return None


class Faulty(Clause):
    """A clause with a syntax error: raises it when executed."""

    __slots__ = ("error",)

    def __init__(self, line, source, error):
        super().__init__(line, source)
        self.error = error

    def run(self, ex):
        # the clause's own line: INTERPRET gives its clauses the INTERPRET line
        raise RexxError(self.error.number, self.error.detail, self.line)


class Label(Clause):
    """A label; the clauses after it (a routine's body, mostly) become one
    function (cms.rexx.loops) once the label has been reached
    CALLS_BEFORE_COMPILING times, run from here while nothing needs the
    clause loop's attention (TRACE, HI, TS/TE)."""

    __slots__ = ("name", "uses", "segment")
    is_label = True

    def __init__(self, line, source, name):
        super().__init__(line, source)
        self.name = name
        self.uses = 0
        self.segment = None  # (code, function); False: not compiled here

    def run(self, ex):
        segment = self.segment
        if segment is None:
            self.uses += 1
            if self.uses < CALLS_BEFORE_COMPILING:
                return None
            # cms.rexx.loops, through the interpreter (no import cycle)
            segment = self.segment = (ex.code, ex.compile_segment(self, ex.code))
        if ex.attention or segment[0] is not ex.code:
            return None
        return segment[1](ex, False)


class Nop(Clause):
    __slots__ = ()


class Jump(Clause):
    """The hidden jump that ends a THEN or WHEN instruction."""

    __slots__ = ("target",)
    is_null = True

    def __init__(self, line, source, target=None):
        super().__init__(line, source)
        self.target = target

    def run(self, ex):
        return self.target


class Generated(Clause):
    """A clause whose ``run`` becomes generated Python code (see
    expressions.generate) once it has run COMPILE_AFTER times; traced
    clauses take ``tree_run``, the clause as written below."""

    __slots__ = ("run", "uses")

    def __init__(self, line, source):
        super().__init__(line, source)
        self.uses = 0
        self.run = self._count

    def _count(self, ex):
        self.uses += 1
        if self.uses >= COMPILE_AFTER:
            self.run = self.generate(ex)
        return self.tree_run(ex)

    def generate(self, ex):
        raise NotImplementedError

    def tree_run(self, ex):
        raise NotImplementedError


def store(target, result: str, target_name: str = "_target", unexposed=False) -> list[str]:
    """Generated lines assigning ``result`` to the variable node ``target``
    (the names ``frame``, ``simple``, ``_Stem`` and ``target_name``, which
    is ``target``, are given; ``unexposed``: the pool is known to expose
    nothing)."""
    if type(target) is SimpleVar and not target.is_stem and unexposed:
        lines = [f"simple[{target.name!r}] = {{0}}"]
    elif type(target) is SimpleVar and not target.is_stem:
        lines = [
            "pool = frame.pool",
            "if pool.exposed: _target.assign(ex, {0})",
            f"else: simple[{target.name!r}] = {{0}}",
        ]
    elif type(target) is CompoundVar and unexposed:  # ``pool`` is frame.pool
        lines = [
            *(line.replace("{", "{{").replace("}", "}}") for line in target.tail_lines()),
            f"entry = pool.stems.get({target.stem!r})",
            f"if entry is None: entry = pool.stems[{target.stem!r}] = _Stem()",
            "entry.tails[tail] = {0}",
        ]
    elif type(target) is CompoundVar:
        # A.I = ..., M.I.J = ...: CompoundVar.assign inlined for the unexposed pool
        lines = [
            "pool = frame.pool",
            "if pool.exposed: _target.assign(ex, {0})",
            "else:",
            *("    " + line.replace("{", "{{").replace("}", "}}") for line in target.tail_lines()),
            f"    entry = pool.stems.get({target.stem!r})",
            f"    if entry is None: entry = pool.stems[{target.stem!r}] = _Stem()",
            "    entry.tails[tail] = {0}",
        ]
    else:
        lines = ["_target.assign(ex, {0})"]
    return [line.replace("_target", target_name).format(result) for line in lines]


class Assignment(Generated):
    __slots__ = ("target", "expr")

    def __init__(self, line, source, target, expr):
        super().__init__(line, source)
        self.target = target
        self.expr = expr

    def generate(self, ex):
        return generate(
            self.expr,
            "ex.trace_clauses",
            lambda result, test: self.store(result),
            {"_fallback": self.tree_run, "_target": self.target, "_Stem": Stem},
            ex,
        )

    def store(self, result: str, target_name: str = "_target", unexposed=False) -> list[str]:
        """Generated lines assigning ``result`` to the target (see store)."""
        return store(self.target, result, target_name, unexposed)

    def tree_run(self, ex):
        value = self.expr.evaluate(ex)
        if ex.trace_results:
            ex.trace_result(value)
        self.target.assign(ex, value)


class Say(Clause):
    __slots__ = ("expr",)

    def __init__(self, line, source, expr):
        super().__init__(line, source)
        self.expr = expr

    def run(self, ex):
        value = "" if self.expr is None else self.expr.evaluate(ex)
        ex.trace_result(value)
        ex.say(value)


class Command(Clause):
    """A clause that is only an expression: a command to the environment."""

    __slots__ = ("expr", "environment")
    is_command = True

    def __init__(self, line, source, expr, environment=None):
        super().__init__(line, source)
        self.expr = expr
        self.environment = environment

    def run(self, ex):
        value = self.expr.evaluate(ex)
        ex.trace_result(value)
        ex.host_command(self.environment, value, self)


class If(Generated):
    __slots__ = ("expr", "else_index")

    def __init__(self, line, source, expr):
        super().__init__(line, source)
        self.expr = expr
        self.else_index = None

    def generate(self, ex):
        def finish(result, test):
            if test is not None:
                return [f"return None if {test} else {self.else_index}"]
            return [
                f"if {result} == '1': return None",
                f"if {result} == '0': return {self.else_index}",
                f"raise _RexxError(34, {result})",
            ]

        return generate(
            self.expr,
            "ex.trace_clauses",
            finish,
            {"_fallback": self.tree_run, "_RexxError": RexxError},
            ex,
            as_test=True,
        )

    def tree_run(self, ex):
        value = self.expr.evaluate(ex)
        if ex.trace_results:
            ex.trace_result(value)
        if value == "1":
            return None
        if value == "0":
            return self.else_index
        raise RexxError(34, value)


class When(If):
    __slots__ = ()


class Otherwise(Clause):
    __slots__ = ()


class NoOtherwise(Clause):
    """Reached when no WHEN of a SELECT was true and it has no OTHERWISE."""

    __slots__ = ()
    is_null = True

    def run(self, ex):
        raise RexxError(7, "", self.line)


class LoopState:
    """One active loop.  For a controlled loop whose BY and TO are whole
    numbers, ``last`` is the string last assigned to the control variable
    and ``last_value`` its value: while the variable still holds that very
    string, the step is done on ints (the same result as plus() and
    compare() give while everything fits NUMERIC DIGITS - FUZZ)."""

    __slots__ = (
        "do",
        "to",
        "by",
        "count",
        "limit",
        "code",
        "by_value",
        "to_value",
        "width",
        "last",
        "last_value",
        "last_width",
    )

    def __init__(self, do, code):
        self.do = do
        self.code = code
        self.to = None
        self.by = None
        self.count = 0
        self.limit = None
        self.by_value = None  # None: no int steps
        self.to_value = None
        self.width = 0  # digits of BY and TO
        self.last = None

    def prepare_whole_steps(self) -> None:
        by = numbers.whole_parts(self.by)
        to = numbers.whole_parts(self.to) if self.to is not None else (None, 0)
        if by is not None and to is not None:
            self.by_value, self.width = by
            self.to_value = to[0]
            self.width = max(self.width, to[1])

    def assigned(self, text: str) -> None:
        """The control variable was given ``text`` the ordinary way."""
        if self.by_value is not None:
            parts = numbers.whole_parts(text)
            if parts is not None:
                self.last = text
                self.last_value, self.last_width = parts
            else:
                self.last = None


class Do(Clause):
    """DO [repetitor] [conditional]; a plain DO group has neither."""

    __slots__ = (
        "control",
        "control_name",
        "start",
        "to",
        "by",
        "for_",
        "order",
        "count",
        "forever",
        "while_",
        "until",
        "end_index",
        "repetitive",
        "index",
        "loop",
        "fast_steps",
    )

    def __init__(self, line, source):
        super().__init__(line, source)
        self.control = None  # variable node of a controlled loop
        self.control_name = None
        self.start = self.to = self.by = self.for_ = None
        self.order = []  # "TO"/"BY"/"FOR" in the order written
        self.count = None  # DO expr (simple repetitive)
        self.forever = False
        self.while_ = None
        self.until = None
        self.end_index = None
        self.repetitive = False
        self.index = None  # position of this clause in its code list
        self.loop = None  # the compiled loop (cms.rexx.loops); False: not compilable
        self.fast_steps = 0

    def run(self, ex):
        if not self.repetitive:
            return None
        state = LoopState(self, ex.code)
        numeric = ex.frame.numeric
        if self.control is not None:
            start = numbers.normalize(self._value(ex, self.start), numeric)
            for keyword in self.order:
                if keyword == "TO":
                    state.to = numbers.normalize(self._value(ex, self.to), numeric)
                elif keyword == "BY":
                    state.by = numbers.normalize(self._value(ex, self.by), numeric)
                else:
                    state.limit = self._whole(ex, self.for_)
            if state.by is None:
                state.by = "1"
            self.control.assign(ex, start)
            state.prepare_whole_steps()
            state.assigned(start)
        elif self.count is not None:
            state.limit = self._whole(ex, self.count)
        ex.frame.loops.append(state)
        return self._test(ex, state)

    def _value(self, ex, node):
        value = node.evaluate(ex)
        ex.trace_result(value)
        if numbers.parse_number(value) is None:
            raise RexxError(41, value)
        return value

    def _whole(self, ex, node):
        value = node.evaluate(ex)
        ex.trace_result(value)
        count = numbers.whole_number(value, ex.frame.numeric.digits, 26)
        if count < 0:
            raise RexxError(26, value)
        return count

    def _test(self, ex, state, current=None):
        """The tests at the top of each iteration; leave if one fails.
        ``current`` is the control variable's value when just assigned."""
        if self.control is not None and state.to is not None:
            if current is None:
                current = self.control.evaluate(ex)
            direction = numbers.compare(current, state.to, ex.frame.numeric)
            if direction is None:
                raise RexxError(41, current)
            negative = state.by.startswith("-")
            if (direction > 0 and not negative) or (direction < 0 and negative):
                return self._leave(ex)
        if self._more(ex, state):
            return None
        return self._leave(ex)

    def _more(self, ex, state) -> bool:
        """The FOR count and WHILE tests; True to run the body once more."""
        if state.limit is not None and state.count >= state.limit:
            return False
        if self.while_ is not None:
            value = self.while_.evaluate(ex)
            ex.trace_result(value)
            if not _truth(value):
                return False
        state.count += 1
        return True

    def _body(self, ex, state):
        """After a whole-number step (or the tests of a loop without a
        control variable): on to the body, through the compiled loop once
        the loop has proved to be a long one."""
        loop = self.loop
        if loop is None:
            self.fast_steps += 1
            if self.fast_steps < STEPS_BEFORE_COMPILING:
                return self.index + 1
            # cms.rexx.loops, through the interpreter (it builds on these clauses)
            loop = self.loop = ex.compile_loop(self, state.code) or False
        if loop:
            target = loop(ex, state)
            if target is not None:
                return target
        return self.index + 1

    def _leave(self, ex):
        ex.frame.loops.pop()
        return self.end_index + 1

    def step(self, ex, state):
        """At END: UNTIL, then the control variable step, then the tests."""
        if self.until is not None:
            value = self.until.evaluate(ex)
            ex.trace_result(value)
            if _truth(value):
                return self._leave(ex)
        if state.last is not None and not ex.trace_clauses:
            control = self.control
            if control.evaluate(ex) is state.last:
                numeric = ex.frame.numeric
                precision = numeric.digits - numeric.fuzz
                value = state.last_value + state.by_value
                text = str(value)
                width = len(text) - (value < 0)
                if width <= precision and state.last_width <= precision >= state.width:
                    numbers.remember_whole(text, value, width)
                    control.assign(ex, text)
                    state.last = text
                    state.last_value = value
                    state.last_width = width
                    to = state.to_value
                    if to is not None and (value < to if state.by_value < 0 else value > to):
                        return self._leave(ex)
                    if self._more(ex, state):
                        return self._body(ex, state)
                    return self._leave(ex)
        current = None
        if self.control is not None:
            current = self.control.evaluate(ex)
            current = numbers.plus(current, state.by, ex.frame.numeric)
            self.control.assign(ex, current)
            state.assigned(current)
            if ex.trace_intermediates:  # the test reads the variable again, traced
                current = None
        result = self._test(ex, state, current)
        if result is None:
            if ex.trace_clauses:
                ex.trace_clause(self)  # each new iteration shows the DO again
                return self.index + 1
            if self.control is None:  # DO FOREVER, DO n, DO WHILE/UNTIL
                return self._body(ex, state)
            return self.index + 1
        return result


def blame(error: RexxError, clause) -> None:
    """What run_code does for an error raised by ``clause``; ``blamed``
    tells the clause loop that runs the clause raising it not to add its
    own (a compiled block's, or a DO's for its END's step)."""
    if error.line is None:
        error.line = clause.line
    if not hasattr(error, "traceback"):
        error.traceback = []
    error.traceback.append(clause)
    error.blamed = True


class End(Clause):
    __slots__ = ("do",)

    def __init__(self, line, source, do=None):
        super().__init__(line, source)
        self.do = do  # the Do clause of a repetitive loop

    def run(self, ex):
        do = self.do
        if do is None:
            return None
        loops = ex.frame.loops
        if not loops or loops[-1].do is not do:
            raise RexxError(10, "", self.line)
        try:
            return do.step(ex, loops[-1])
        except RexxError as error:
            # the step, TO, FOR, WHILE and UNTIL are the DO clause's own
            if not error.__dict__.get("blamed"):  # (a compiled body named its clause)
                blame(error, do)
            raise


class LeaveIterate(Clause):
    __slots__ = ("name", "leave")

    def __init__(self, line, source, name, leave):
        super().__init__(line, source)
        self.name = name
        self.leave = leave

    def run(self, ex):
        loops = ex.frame.loops
        for depth in range(len(loops) - 1, -1, -1):
            state = loops[depth]
            if state.code is not ex.code:
                break  # a loop of the code that INTERPRETed this one
            if self.name is None or state.do.control_name == self.name:
                del loops[depth + 1 :]
                if self.leave:
                    loops.pop()
                    return state.do.end_index + 1
                return state.do.end_index
        raise RexxError(28, self.name or "", self.line)


class Parse(Clause):
    """PARSE [UPPER|LOWER] source template[, template...]; ARG and PULL too.
    ``upper`` is True for UPPER, "LOWER" for LOWER."""

    __slots__ = ("upper", "origin", "expr", "var", "templates", "whole")

    def __init__(self, line, source, upper, origin, templates, expr=None, var=None):
        super().__init__(line, source)
        self.upper = upper
        self.origin = origin
        self.templates = templates
        self.expr = expr
        self.var = var
        # ``ARG n``: one template of one target, which takes the whole string
        whole = None
        if origin == "ARG" and len(templates) == 1 and len(templates[0]) == 1:
            if type(templates[0][0]) is Target:
                whole = templates[0][0]
        self.whole = whole

    def run(self, ex):
        whole = self.whole
        if whole is not None:  # apply_template's word parsing of one target
            args = ex.frame.args
            string = args[0] if args else None
            string = "" if string is None else string
            if self.upper == "LOWER":
                string = ex.translate_lower(string)
            elif self.upper:
                string = ex.translate_upper(string)
            if whole.node is not None:
                whole.node.assign(ex, string)
                ex.trace_assignment(">>>", string)
            else:
                ex.trace_assignment(">.>", string)
            return
        if self.origin == "ARG":
            strings = list(ex.frame.args)
        else:
            strings = [self._string(ex)]
        for index, template in enumerate(self.templates):
            string = strings[index] if index < len(strings) else None
            string = "" if string is None else string
            if self.upper == "LOWER":
                string = ex.translate_lower(string)
            elif self.upper:
                string = ex.translate_upper(string)
            apply_template(ex, template, string)

    def _string(self, ex):
        origin = self.origin
        if origin == "VALUE":
            value = "" if self.expr is None else self.expr.evaluate(ex)
            ex.trace_result(value)
            return value
        if origin == "VAR":
            return self.var.evaluate(ex)
        if origin == "PULL":
            return ex.pull_line()
        if origin == "EXTERNAL":
            return ex.read_terminal()
        if origin == "SOURCE":
            return ex.source_string()
        if origin == "VERSION":
            return ex.version_string()
        if origin == "NUMERIC":
            numeric = ex.frame.numeric
            return f"{numeric.digits} {numeric.fuzz} {numeric.form}"
        if origin == "LINEIN":
            return streams.bif_linein(ex, [])  # the default input stream
        raise RexxError(25, origin, self.line)


class Drop(Clause):
    __slots__ = ("targets",)

    def __init__(self, line, source, targets):
        super().__init__(line, source)
        self.targets = targets  # (node, indirect)

    def run(self, ex):
        for node, indirect in self.targets:
            if indirect:
                for word in node.evaluate(ex).split():
                    ex.reference(word).drop(ex)
            node.drop(ex) if not indirect else None


class Exit(Clause):
    __slots__ = ("expr",)

    def __init__(self, line, source, expr):
        super().__init__(line, source)
        self.expr = expr

    def run(self, ex):
        value = None if self.expr is None else self.expr.evaluate(ex)
        if value is not None:
            ex.trace_result(value)
        ex.do_exit(value)


class Return(Exit):
    __slots__ = ()

    def run(self, ex):
        value = None if self.expr is None else self.expr.evaluate(ex)
        if value is not None and ex.trace_results:
            ex.trace_result(value)
        return ex.do_return(value)


class Interpret(Clause):
    __slots__ = ("expr",)

    def __init__(self, line, source, expr):
        super().__init__(line, source)
        self.expr = expr

    def run(self, ex):
        value = self.expr.evaluate(ex)
        if ex.trace_results:
            ex.trace_result(value)
        if ex.interpret(value, self.line):
            return ex.do_return(ex.return_value)  # RETURN in the string
        return None


class Call(Clause):
    __slots__ = ("name", "quoted", "args")

    def __init__(self, line, source, name, quoted, args):
        super().__init__(line, source)
        self.name = name
        self.quoted = quoted
        self.args = args

    def run(self, ex):
        values = [None if arg is None else arg.evaluate(ex) for arg in self.args]
        result = ex.call_routine(self.name, values, self.quoted, self.line, function=False)
        if result is None:
            ex.frame.pool.drop("RESULT")
        else:
            ex.frame.pool.set("RESULT", result)
            if ex.trace_results:
                ex.trace_result(result)


class TrapSetting(Clause):
    """SIGNAL ON|OFF cond [NAME x] and CALL ON|OFF cond [NAME x]."""

    __slots__ = ("mode", "on", "condition", "label")

    def __init__(self, line, source, mode, on, condition, label):
        super().__init__(line, source)
        self.mode = mode
        self.on = on
        self.condition = condition
        self.label = label

    def run(self, ex):
        ex.set_trap(self.condition, self.mode if self.on else None, self.label)


class Signal(Clause):
    __slots__ = ("label", "expr")

    def __init__(self, line, source, label, expr=None):
        super().__init__(line, source)
        self.label = label
        self.expr = expr

    def run(self, ex):
        label = self.label
        if self.expr is not None:
            label = self.expr.evaluate(ex)
            ex.trace_result(label)
        ex.signal(label, self.line)


class Procedure(Clause):
    __slots__ = ("exposed",)

    def __init__(self, line, source, exposed):
        super().__init__(line, source)
        self.exposed = exposed  # (node, indirect)

    def run(self, ex):
        ex.procedure(self.exposed, self.line)


class Numeric(Clause):
    __slots__ = ("what", "expr", "form")

    def __init__(self, line, source, what, expr, form=None):
        super().__init__(line, source)
        self.what = what
        self.expr = expr
        self.form = form

    def run(self, ex):
        numeric = ex.frame.own_numeric()
        if self.what == "FORM":
            form = self.form
            if self.expr is not None:
                form = self.expr.evaluate(ex)
                ex.trace_result(form)
                form = form.upper() if isinstance(form, str) else form
                if form[:1] == "S" and "SCIENTIFIC".startswith(form):
                    form = "SCIENTIFIC"
                elif form[:1] == "E" and "ENGINEERING".startswith(form):
                    form = "ENGINEERING"
                else:
                    raise RexxError(33, form, self.line)
            numeric.form = form or "SCIENTIFIC"
            return None
        if self.expr is None:
            value = 9 if self.what == "DIGITS" else 0
        else:
            text = self.expr.evaluate(ex)
            ex.trace_result(text)
            value = numbers.whole_number(text, 9, 26)
        if self.what == "DIGITS":
            if value < 1 or value <= numeric.fuzz:
                raise RexxError(33, str(value), self.line)
            if value > MAX_STRING:  # no result that long fits in storage
                raise RexxError(5, str(value), self.line)
            numeric.digits = value
        else:
            if value < 0 or value >= numeric.digits:
                raise RexxError(33, str(value), self.line)
            numeric.fuzz = value
        return None


class Address(Clause):
    __slots__ = ("environment", "expr", "value")

    def __init__(self, line, source, environment, expr, value):
        super().__init__(line, source)
        self.environment = environment
        self.expr = expr
        self.value = value  # ADDRESS VALUE expr

    def run(self, ex):
        frame = ex.frame
        if self.value is not None:
            name = self.value.evaluate(ex)
            ex.trace_result(name)
            ex.check_environment(name, self.line)
            frame.previous_address, frame.address = frame.address, name
        elif self.environment is None:
            frame.previous_address, frame.address = frame.address, frame.previous_address
        elif self.expr is None:
            frame.previous_address, frame.address = frame.address, self.environment
        else:
            value = self.expr.evaluate(ex)
            ex.trace_result(value)
            ex.host_command(self.environment, value, self)


class Push(Clause):
    __slots__ = ("expr", "lifo")

    def __init__(self, line, source, expr, lifo):
        super().__init__(line, source)
        self.expr = expr
        self.lifo = lifo

    def run(self, ex):
        value = "" if self.expr is None else self.expr.evaluate(ex)
        ex.trace_result(value)
        if self.lifo:
            ex.stack.push(value)
        else:
            ex.stack.queue(value)


class Trace(Clause):
    __slots__ = ("setting", "expr")

    def __init__(self, line, source, setting, expr):
        super().__init__(line, source)
        self.setting = setting
        self.expr = expr

    def run(self, ex):
        setting = self.setting
        if self.expr is not None:
            setting = self.expr.evaluate(ex)
            ex.trace_result(setting)
        if setting.strip().lstrip("?!")[:1].upper() == "S":
            ex.scan_rest(self)  # TRACE Scan: show the rest, run none of it
        ex.set_trace(setting, self.line)


class Options(Clause):
    """OPTIONS expr: no option is recognised here (ETMODE etc. are DBCS)."""

    __slots__ = ("expr",)

    def __init__(self, line, source, expr):
        super().__init__(line, source)
        self.expr = expr

    def run(self, ex):
        ex.trace_result(self.expr.evaluate(ex))


class Upper(Clause):
    __slots__ = ("targets",)

    def __init__(self, line, source, targets):
        super().__init__(line, source)
        self.targets = targets

    def run(self, ex):
        # an unset variable is left alone (NOVALUE may still trap it)
        for node in self.targets:
            if not node.is_set(ex):
                ex.novalue(node.derived_name(ex))
                continue
            node.assign(ex, ex.translate_upper(node.evaluate(ex)))
