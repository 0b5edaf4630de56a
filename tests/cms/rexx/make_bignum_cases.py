"""Record Regina's answers for arithmetic and comparisons at large NUMERIC
DIGITS (up to 1000) in bignum_regina.json.

    python tests/cms/rexx/make_bignum_cases.py        # needs regina-rexx

Operands are random (fixed seed, so the file is reproducible): integers and
decimals longer than DIGITS (to exercise the DIGITS+1 guard-digit
truncation), pairs that differ only in their last digits (cancellation in
subtraction, comparisons that depend on the last digit), exponents, signs.
Every case is run by one Regina program; a REXX error is recorded as
``ERROR n`` (e.g. Error 26 when an integer quotient needs more than DIGITS
digits).  test_bignum.py replays the cases through our interpreter.
"""

from __future__ import annotations

import json
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

HERE = pathlib.Path(__file__).parent
RECORD = HERE / "bignum_regina.json"

DIGIT_SETTINGS = [9, 27, 28, 29, 30, 40, 50, 64, 100, 200, 500, 1000]
ARITHMETIC = ["+", "-", "*", "/", "%", "//", "**"]
COMPARISONS = [
    "=",
    "\\=",
    ">",
    "<",
    ">=",
    "<=",
    "\\>",
    "\\<",
    "<>",
    "><",
    "==",
    "\\==",
    ">>",
    "<<",
    ">>=",
    "<<=",
    "\\>>",
    "\\<<",
]
FUNCTIONS = ["ABS", "SIGN", "TRUNC", "FORMAT", "MAX", "MIN", "PLUS", "MINUS"]
CASES_PER_SETTING = 130


def digit_string(rng: random.Random, length: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))


def number(rng: random.Random, digits: int) -> str:
    """A random REXX number of about DIGITS significant digits."""
    length = max(
        1,
        rng.choice(
            [digits - 1, digits, digits + 1, digits + 2, digits * 2, rng.randint(1, digits + 3)]
        ),
    )
    body = digit_string(rng, length)
    kind = rng.random()
    if kind < 0.35:
        text = body
    elif kind < 0.8:
        point = rng.randint(0, length)
        text = (body[:point] or "0") + "." + body[point:] if point < length else body
    else:
        text = body[0] + "." + body[1:] + f"E{rng.choice('+-')}{rng.randint(0, digits // 2 + 3)}"
    if rng.random() < 0.3:
        text = "-" + text
    return text


def near(rng: random.Random, text: str) -> str:
    """A number equal to ``text`` but for its last digit or two (or equal)."""
    choice = rng.random()
    if choice < 0.25:
        return text
    mantissa, e, exponent = text.partition("E")
    digits = [i for i, c in enumerate(mantissa) if c.isdigit()]
    position = digits[-1] if choice < 0.7 or len(digits) < 2 else digits[-2]
    old = int(mantissa[position])
    new = str((old + rng.choice([1, 9])) % 10)
    return mantissa[:position] + new + mantissa[position + 1 :] + e + exponent


def case(rng: random.Random, digits: int) -> dict:
    kind = rng.random()
    a = number(rng, digits)
    if kind < 0.55:
        op = rng.choice(ARITHMETIC)
        if op == "**":
            b = str(rng.randint(-6, 12))
        elif op in ("-", "+") and rng.random() < 0.5:
            b = near(rng, a.lstrip("-") if op == "+" else a)
            if op == "+":
                b = "-" + b
        else:
            b = number(rng, digits)
        if op in ("%", "//") and rng.random() < 0.7:
            b = near(rng, a) if rng.random() < 0.5 else b[: max(2, len(a) - rng.randint(0, 3))]
            if b in ("-", "-.") or b.endswith(("E", "E-", "E+", ".")):
                b = a
        return {"digits": digits, "op": op, "a": a, "b": b}
    if kind < 0.9:
        op = rng.choice(COMPARISONS)
        b = near(rng, a) if rng.random() < 0.7 else number(rng, digits)
        return {"digits": digits, "op": op, "a": a, "b": b}
    function = rng.choice(FUNCTIONS)
    b = ""
    if function == "TRUNC":
        b = str(rng.randint(0, 12))
    elif function == "FORMAT":
        b = str(rng.randint(0, 8))
    elif function in ("MAX", "MIN"):
        b = near(rng, a)
    return {"digits": digits, "op": function, "a": a, "b": b}


def make_cases() -> list[dict]:
    rng = random.Random(1000)
    cases = []
    for digits in DIGIT_SETTINGS:
        cases.extend(case(rng, digits) for _ in range(CASES_PER_SETTING))
    # the reported failures, exactly
    cases.append(
        {
            "digits": 40,
            "op": "-",
            "a": "77777777777777777777777777777",
            "b": "77777777777777777777777777776",
        }
    )
    fifty = "3.1415926535897932384626433832795028841971693993751"
    cases.append({"digits": 50, "op": "=", "a": fifty, "b": fifty + "+0"})
    return cases


def expression(op: str) -> str:
    """The REXX that computes case (a, b) into R."""
    if op == "FORMAT":
        return "r = format(a, , b)"
    if op in ("TRUNC", "MAX", "MIN"):
        return f"r = {op.lower()}(a, b)"
    if op in ("ABS", "SIGN"):
        return f"r = {op.lower()}(a)"
    if op == "PLUS":
        return "r = +a"
    if op == "MINUS":
        return "r = -a"
    return f"r = a {op} b"


def rexx_program(cases: list[dict]) -> str:
    """One program: each case is a line ``digits op a b`` of the input, run by
    a procedure that traps SYNTAX so an error is an answer, not the end."""
    return (
        "\n".join(
            [
                "/* bignum cases: one per input line */",
                "do forever",
                "  parse pull digits op a b",
                "  if digits = '' then leave",
                "  say run(digits, op, a, b)",
                "end",
                "exit",
                "run: procedure",
                "  parse arg digits, op, a, b",
                "  numeric digits digits",
                "  if b == '+0' then b = a + 0",
                "  signal on syntax name failed",
                "  interpret code(op)",
                "  return r",
                "failed:",
                "  return 'ERROR' rc",
                "code: procedure",
                "  parse arg op",
                "  select",
            ]
            + [
                f"    when op = '{op}' then return '{expression(op)}'"
                for op in ARITHMETIC + COMPARISONS + FUNCTIONS
            ]
            + [
                "  end",
            ]
        )
        + "\n"
    )


def case_line(entry: dict) -> str:
    b = entry["b"]
    if b.endswith("+0") and entry["op"] == "=":
        b = "+0"
    return f"{entry['digits']} {entry['op']} {entry['a']} {b}"


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _round(value: Decimal, digits: int) -> Decimal:
    return Context(prec=digits, rounding=ROUND_HALF_UP).plus(value)


def _guard_digit_result(entry: dict) -> Decimal | None:
    """The standard result computed independently: operands truncated to
    DIGITS+1 significant digits (SC24-5239 "Arithmetic Operators"), the
    operation done exactly, rounded half up to DIGITS."""
    digits = entry["digits"]
    cut = Context(prec=digits + 1, rounding=ROUND_DOWN)
    exact = Context(prec=10 * digits + 50)
    a, b = cut.plus(Decimal(entry["a"])), _value(entry["b"])
    if b is None:
        return None
    b = cut.plus(b)
    operations = {"+": exact.add, "-": exact.subtract, "*": exact.multiply}
    if entry["op"] in operations:
        return _round(operations[entry["op"]](a, b), digits)
    op = entry["op"]
    if op in NUMERIC_COMPARISONS:
        return Decimal(int(NUMERIC_COMPARISONS[op](standard_compare(a, b, digits))))
    if op in ("MAX", "MIN"):
        order = standard_compare(a, b, digits)
        pick_b = order < 0 if op == "MAX" else order > 0
        return _round(b if pick_b else a, digits)
    return None


#: numeric comparison operator -> test of the sign of the difference
NUMERIC_COMPARISONS = {
    "=": lambda c: c == 0,
    "\\=": lambda c: c != 0,
    "<>": lambda c: c != 0,
    "><": lambda c: c != 0,
    ">": lambda c: c > 0,
    "<": lambda c: c < 0,
    ">=": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
    "\\>": lambda c: c <= 0,
    "\\<": lambda c: c >= 0,
}


def standard_compare(a: Decimal, b: Decimal, digits: int) -> int:
    """TRL2 "Comparison": the sign of a - b, the difference computed as
    subtraction does: rounded at the DIGITS-th place of the larger operand,
    so numbers that differ only beyond DIGITS+1 digits are equal."""
    exact = Context(prec=10 * digits + 50)
    difference = exact.subtract(a, b)
    if difference.is_zero():
        return 0
    top = max(a.adjusted() if a else -(10**9), b.adjusted() if b else -(10**9))
    rounded = difference.quantize(
        Decimal(1).scaleb(top - digits + 1, exact), rounding=ROUND_HALF_UP, context=exact
    )
    return 0 if rounded.is_zero() else (1 if rounded > 0 else -1)


def deviation(entry: dict, ours: str) -> str | None:
    """Why our answer may differ from Regina's here: one of the rules
    programs/DEVIATIONS.md explains, each checked independently of our
    implementation, or None (a real difference)."""
    regina, mine = _value(entry["regina"]), _value(ours)
    if regina is None or mine is None:
        return None
    digits, op = entry["digits"], entry["op"]
    if regina == mine:
        return "exponential form"  # same value, TRL2's notation rule
    if op in ("ABS", "PLUS", "MINUS", "SIGN", "TRUNC") and _round(regina, digits) == mine:
        return "argument rounded to DIGITS"  # Regina returns it unrounded
    if _guard_digit_result(entry) == mine:
        if op in ("MAX", "MIN"):
            return "argument rounded to DIGITS"  # Regina returns it unrounded
        if op in NUMERIC_COMPARISONS:
            return "compared at DIGITS"  # Regina compares every digit
        return "operands truncated to DIGITS+1"
    if op == "**":
        exponent = int(entry["b"])
        exact = Context(prec=20 * digits + 50)
        a = Context(prec=digits + 1, rounding=ROUND_DOWN).plus(Decimal(entry["a"]))
        value = exact.power(a, exponent)
        if abs(exact.subtract(mine, value)) <= abs(exact.subtract(regina, value)):
            return "power nearer the exact value"  # DIGITS+L+1 working precision
    if op == "FORMAT" and "E" in entry["regina"] and "E" not in ours:
        return "FORMAT exponential rule"
    return None


def our_answers(cases: list[dict]) -> list[str]:
    sys.path.insert(0, str(HERE.parents[2]))
    from cms.rexx import Interpreter

    pending = [case_line(entry) for entry in cases]
    out: list[str] = []
    Interpreter(
        rexx_program(cases),
        name="BIGNUM",
        output=out.append,
        input=lambda: pending.pop(0) if pending else None,
    ).run()
    return out


def regina_answers(regina: str, cases: list[dict], chunk: int = 100) -> list[str]:
    """Regina's answer to each case.  In chunks: Regina 3.6 crashes (SIGSEGV)
    after some thousand INTERPRETs of big-number arithmetic in one run,
    although each case alone runs fine."""
    answers: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        program = pathlib.Path(work) / "bignum.rexx"
        program.write_text(rexx_program(cases))
        for start in range(0, len(cases), chunk):
            part = cases[start : start + chunk]
            completed = subprocess.run(
                [regina, "./bignum.rexx"],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=600,
                input="".join(case_line(c) + "\n" for c in part),
            )
            lines = completed.stdout.splitlines()
            if completed.returncode or len(lines) != len(part):
                raise SystemExit(
                    f"Regina failed (status {completed.returncode}) on cases "
                    f"{start}-{start + len(part) - 1}: {completed.stderr[-500:]}"
                )
            answers.extend(lines)
    return answers


def main() -> int:
    regina = shutil.which("regina")
    if regina is None:
        print("make_bignum_cases: regina not installed (apt-get install regina-rexx)")
        return 1
    cases = make_cases()
    answers = regina_answers(regina, cases)
    for entry, answer in zip(cases, answers):
        entry["regina"] = answer
    unexplained = 0
    for entry, ours in zip(cases, our_answers(cases)):
        if ours == entry["regina"]:
            continue
        why = deviation(entry, ours)
        if why is None:
            unexplained += 1
            print(f"differs: {entry} ours {ours!r}")
        else:
            entry["standard"], entry["why"] = ours, why
    RECORD.write_text(
        '{"generator": "make_bignum_cases.py", "cases": [\n'
        + ",\n".join(json.dumps(entry) for entry in cases)
        + "\n]}\n"
    )
    standard = sum("standard" in entry for entry in cases)
    print(
        f"{len(cases)} cases recorded in {RECORD.name}: {len(cases) - standard} as Regina,"
        f" {standard} standard where Regina deviates, {unexplained} unexplained"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
