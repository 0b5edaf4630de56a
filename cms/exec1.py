"""EXEC 1: the VM/370 CMS EXEC language (a file whose first line is not a
REXX comment).

VM/370 CMS User's Guide, "Using the EXEC facility".  A line is a list of
blank-separated words (8 characters each at most, upper case); words that
begin with ``&`` are variables and are replaced by their values before the
line runs.  A line that starts with a control word is an EXEC statement;
``*`` starts a comment, ``-label`` a label (a statement may follow it); any
other line is a CMS command (its return code goes to ``&RETCODE``).

Supported statements:

    &CONTROL OFF|ERROR|CMS|ALL   what is shown (default CMS: commands)
    &TYPE words                  show the words
    &BEGTYPE / &BEGSTACK [LIFO] ... &END   show / stack the lines between
    &STACK [FIFO|LIFO] words     put a line on the console stack
    &EXIT [rc]                   end the EXEC
    &IF a op b statement         op: = EQ ¬= NE < LT > GT <= LE >= GE
    &GOTO -label | TOP | n       go to a label, the top, or line n
    &SKIP [n]                    skip n lines (default 1)
    &LOOP n m | -label m         run the next n lines (to the label) m times;
                                 m may be a condition "a op b" (loop until true)
    &ERROR statement             run when a command ends with rc ≠ 0
    &READ ARGS | VARS &a &b ... | [n]   read a line into the arguments or
                                 variables, or read n lines and run them
    &ARGS words                  set &1 ... &n
    &var = value [+|-|*|/ value] assignment, with integer arithmetic
    &var = &CONCAT a b ... | &SUBSTR s i [n] | &LENGTH s | &DATATYPE s | &LITERAL w

Special variables: &1 ... &n and &INDEX (the arguments and their count),
&$ and &* (all arguments), &0 and &EXEC (the file name), &RETCODE,
&LINENUM, &READFLAG (STACK or CONSOLE).  An error in a statement ends the
EXEC with ``DMSEXT072E ERROR IN EXEC FILE fn, LINE n - text`` and return
code 800 + a reason number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COMPARE = {
    "=": "EQ",
    "EQ": "EQ",
    "¬=": "NE",
    "NE": "NE",
    "<": "LT",
    "LT": "LT",
    ">": "GT",
    "GT": "GT",
    "<=": "LE",
    "LE": "LE",
    ">=": "GE",
    "GE": "GE",
}
ARITHMETIC = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: int(a / b),
}


class Exec1Error(Exception):
    def __init__(self, reason: int, text: str):
        super().__init__(text)
        self.reason, self.text = reason, text


class Exit(Exception):
    def __init__(self, rc: int):
        super().__init__(rc)
        self.rc = rc


def word(text: str) -> str:
    return text.upper()[:8]


def is_number(text: str) -> bool:
    return text.lstrip("+-").isdigit() and text not in ("+", "-")


def compare(a: str, op: str, b: str) -> bool:
    kind = COMPARE.get(op)
    if kind is None:
        raise Exec1Error(5, f"INVALID OPERATOR '{op}'")
    if is_number(a) and is_number(b):
        a_val, b_val = int(a), int(b)
    else:
        a_val, b_val = a, b
    return {
        "EQ": a_val == b_val,
        "NE": a_val != b_val,
        "LT": a_val < b_val,
        "GT": a_val > b_val,
        "LE": a_val <= b_val,
        "GE": a_val >= b_val,
    }[kind]


@dataclass
class Exec1:
    """One running EXEC 1 file."""

    cms: object
    name: str
    lines: list[str]
    args: list[str]
    variables: dict[str, str] = field(default_factory=dict)
    control: str = "CMS"
    on_error: list[str] | None = None
    pc: int = 0  # index of the next line
    loops: list = field(default_factory=list)  # [first, last, times | condition]

    # ---- variables

    def value(self, token: str) -> str:
        if not token.startswith("&") or token == "&":
            return token
        name = token[1:].upper()
        if name.isdigit():
            n = int(name)
            return self.name if n == 0 else (self.args[n - 1] if n <= len(self.args) else "")
        special = {
            "INDEX": str(len(self.args)),
            "$": " ".join(self.args),
            "*": " ".join(self.args),
            "EXEC": self.name,
            "LINENUM": str(self.pc),
            "READFLAG": "STACK" if self.cms.stack.queued() else "CONSOLE",
        }
        if name in special:
            return special[name]
        return self.variables.get(name, "")

    def substitute(self, words: list[str]) -> list[str]:
        return [self.value(w) for w in words]

    # ---- running

    async def run(self) -> int:
        try:
            while self.pc < len(self.lines):
                self.cms.checkpoint()  # each statement is a safe point
                line = self.lines[self.pc]
                self.pc += 1
                await self.statement(line.split())
                self.end_of_loop_body()
        except Exit as done:
            return done.rc
        except Exec1Error as err:
            self.cms.say(f"DMSEXT072E ERROR IN EXEC FILE {self.name}, LINE {self.pc} - {err.text}")
            return 800 + err.reason
        return 0

    async def statement(self, words: list[str]) -> None:
        if not words or words[0].startswith("*"):
            return
        if words[0].startswith("-"):
            await self.statement(words[1:])  # a label, perhaps with a statement
            return
        if len(words) >= 2 and words[1] == "=" and words[0].startswith("&"):
            self.assign(words[0][1:].upper(), words[2:])
            return
        head = words[0].upper()
        if head in CONTROL_WORDS:
            await CONTROL_WORDS[head](self, words[1:])
            return
        await self.command(self.substitute(words))

    async def command(self, words: list[str]) -> None:
        words = [word(w) for w in words if w != ""]
        if not words:
            return
        line = " ".join(words)
        if self.control in ("CMS", "ALL"):
            self.cms.say(line)
        rc = await self.cms.execute(line)
        self.variables["RETCODE"] = str(rc)
        if rc != 0:
            if self.control == "ERROR":
                self.cms.say(line)
                self.cms.say(f"R({rc:05d});")
            if self.on_error:
                await self.statement(self.on_error)

    def assign(self, name: str, raw: list[str]) -> None:
        if raw and raw[0].upper() == "&LITERAL":
            self.variables[name] = " ".join(raw[1:])  # no substitution
            return
        if raw and raw[0].upper() in FUNCTIONS:
            self.variables[name] = FUNCTIONS[raw[0].upper()](self.substitute(raw[1:]))
            return
        words = self.substitute(raw)
        if len(words) >= 3 and words[1] in ARITHMETIC:
            try:
                total = int(words[0])
                for i in range(1, len(words) - 1, 2):
                    total = ARITHMETIC[words[i]](total, int(words[i + 1]))
            except (ValueError, ZeroDivisionError):
                raise Exec1Error(6, "INVALID ARITHMETIC") from None
            self.variables[name] = str(total)
            return
        self.variables[name] = " ".join(words)

    # ---- loops

    def end_of_loop_body(self) -> None:
        if not self.loops:
            return
        first, last, test = self.loops[-1]
        if self.pc != last:
            return
        if isinstance(test, int):
            test -= 1
            if test > 0:
                self.loops[-1][2] = test
                self.pc = first
            else:
                self.loops.pop()
        elif not compare(*self.substitute(test)):
            self.pc = first
        else:
            self.loops.pop()

    def find_label(self, label: str) -> int:
        for i, line in enumerate(self.lines):
            parts = line.split()
            if parts and parts[0].upper() == label.upper():
                return i
        raise Exec1Error(3, f"LABEL '{label}' NOT FOUND")


# ---------------------------------------------------------------- control words


async def c_control(ex: Exec1, words: list[str]) -> None:
    for w in (x.upper() for x in words):
        if w in ("OFF", "ERROR", "CMS", "ALL"):
            ex.control = w


async def c_type(ex: Exec1, words: list[str]) -> None:
    ex.cms.say(" ".join(ex.substitute(words)))


async def c_stack(ex: Exec1, words: list[str]) -> None:
    order = "FIFO"
    if words and words[0].upper() in ("FIFO", "LIFO"):
        order, words = words[0].upper(), words[1:]
    text = " ".join(ex.substitute(words))
    (ex.cms.stack.push if order == "LIFO" else ex.cms.stack.queue)(text)


async def c_block(ex: Exec1, words: list[str], stacking: bool) -> None:
    lifo = bool(words) and words[0].upper() == "LIFO"
    block = []
    while ex.pc < len(ex.lines) and ex.lines[ex.pc].split()[:1] != ["&END"]:
        block.append(ex.lines[ex.pc])
        ex.pc += 1
    ex.pc += 1  # past &END
    for line in reversed(block) if lifo else block:
        if not stacking:
            ex.cms.say(line)
        elif lifo:
            ex.cms.stack.push(line)
        else:
            ex.cms.stack.queue(line)


async def c_begtype(ex: Exec1, words: list[str]) -> None:
    await c_block(ex, words, stacking=False)


async def c_begstack(ex: Exec1, words: list[str]) -> None:
    await c_block(ex, words, stacking=True)


async def c_exit(ex: Exec1, words: list[str]) -> None:
    value = ex.value(words[0]) if words else "0"
    if not is_number(value):
        raise Exec1Error(4, f"INVALID EXIT CODE '{value}'")
    raise Exit(int(value))


async def c_if(ex: Exec1, words: list[str]) -> None:
    if len(words) < 4:
        raise Exec1Error(2, "INCOMPLETE &IF STATEMENT")
    a, op, b = ex.substitute(words[:3])
    if compare(a, words[1], b):
        await ex.statement(words[3:])


async def c_goto(ex: Exec1, words: list[str]) -> None:
    if not words:
        raise Exec1Error(2, "NO LABEL GIVEN")
    target = ex.value(words[0])
    if target.upper() == "TOP":
        ex.pc = 0
    elif target.isdigit():
        ex.pc = int(target) - 1
    else:
        ex.pc = ex.find_label(target)
    ex.loops.clear()


async def c_skip(ex: Exec1, words: list[str]) -> None:
    count = ex.value(words[0]) if words else "1"
    if not is_number(count):
        raise Exec1Error(6, f"INVALID NUMBER '{count}'")
    ex.pc = max(ex.pc + int(count), 0)


async def c_loop(ex: Exec1, words: list[str]) -> None:
    if len(words) < 2:
        raise Exec1Error(2, "INCOMPLETE &LOOP STATEMENT")
    first = ex.pc
    span = words[0]
    last = ex.find_label(span) if span.startswith("-") else first + int(ex.value(span))
    rest = words[1:]
    if len(rest) == 1:
        times = ex.value(rest[0])
        if not is_number(times):
            raise Exec1Error(6, f"INVALID NUMBER '{times}'")
        if int(times) <= 0:
            ex.pc = last
            return
        ex.loops.append([first, last, int(times)])
    else:
        ex.loops.append([first, last, rest[:3]])


async def c_error(ex: Exec1, words: list[str]) -> None:
    ex.on_error = words or None


async def c_args(ex: Exec1, words: list[str]) -> None:
    ex.args = [word(w) for w in ex.substitute(words)]


async def c_read(ex: Exec1, words: list[str]) -> None:
    what = words[0].upper() if words else "1"
    if what == "ARGS":
        ex.args = [word(w) for w in (await ex.cms.read_line()).split()]
    elif what == "VARS":
        values = (await ex.cms.read_line()).split()
        for i, name in enumerate(words[1:]):
            ex.variables[name[1:].upper()] = word(values[i]) if i < len(values) else ""
    elif what.isdigit():
        for _ in range(int(what)):
            await ex.statement((await ex.cms.read_line()).split())
    else:
        raise Exec1Error(5, f"INVALID &READ OPERAND '{what}'")


async def c_continue(ex: Exec1, words: list[str]) -> None:
    return None


CONTROL_WORDS = {
    "&CONTROL": c_control,
    "&TYPE": c_type,
    "&STACK": c_stack,
    "&BEGTYPE": c_begtype,
    "&BEGSTACK": c_begstack,
    "&EXIT": c_exit,
    "&IF": c_if,
    "&GOTO": c_goto,
    "&SKIP": c_skip,
    "&LOOP": c_loop,
    "&ERROR": c_error,
    "&ARGS": c_args,
    "&READ": c_read,
    "&CONTINUE": c_continue,
}


def f_substr(words: list[str]) -> str:
    try:
        text, start = words[0], int(words[1])
        length = int(words[2]) if len(words) > 2 else len(text) - start + 1
    except (IndexError, ValueError):
        raise Exec1Error(6, "INVALID &SUBSTR") from None
    return text[start - 1 : start - 1 + length]


FUNCTIONS = {
    "&CONCAT": lambda words: "".join(words),
    "&SUBSTR": f_substr,
    "&LENGTH": lambda words: str(len(words[0]) if words else 0),
    "&DATATYPE": lambda words: "NUM" if words and is_number(words[0]) else "ALPHA",
}


async def run_exec1(cms, name: str, lines: list[str], args: str) -> int:
    return await Exec1(cms, name, lines, [word(w) for w in args.split()]).run()
