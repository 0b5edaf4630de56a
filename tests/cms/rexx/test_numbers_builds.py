"""cms.rexx.numbers compiled (setup.py, numbers.pxd: addition on C
integers up to SMALL_DIGITS) and uncompiled give the same results as the
Decimal reference, and ``VM370_PURE=1`` selects the uncompiled module."""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from cms.rexx import numbers
from cms.rexx.errors import RexxError
from cms.rexx.numbers import NumericSettings

ROOT = Path(__file__).resolve().parents[3]
SOURCE = Path(numbers.__file__).with_name("numbers.py")


def pure_numbers():
    """A fresh module executed from numbers.py (the uncompiled build)."""
    spec = importlib.util.spec_from_file_location("cms.rexx._numbers_pure", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(function, *args):
    try:
        return function(*args)
    except RexxError as error:
        return f"Error {error.number}"


def number_text(rng: random.Random, digits: int) -> str:
    """A number of up to DIGITS+2 digits, plain or exponential, either sign."""
    length = rng.randint(1, digits + 2)
    text = str(rng.randint(10 ** (length - 1), 10**length - 1))
    if rng.random() < 0.3:
        text = text[: rng.randint(1, length)] + "0" * rng.randint(0, 3)
    exponent = rng.choice(
        [0, 0, rng.randint(-2 * digits - 3, 2 * digits + 3), rng.randint(-40, 40)]
    )
    sign = rng.choice(["", "-"])
    return f"{sign}{text}E{exponent}" if exponent else sign + text


@pytest.mark.parametrize("seed", range(4))
def test_both_builds_add_as_the_reference(seed):
    rng = random.Random(seed)
    pure = pure_numbers()
    assert not pure._COMPILED
    wrong = []
    for _ in range(4000):
        digits = rng.choice([1, 2, 3, 5, 9, 9, 9, 12, 14, 15, 16, 17])
        settings = NumericSettings(digits=digits)
        a, b = number_text(rng, digits), number_text(rng, digits)
        for name, op in (("plus", "+"), ("minus", "-")):
            reference = outcome(numbers.decimal_arithmetic, op, a, b, settings)
            for module in (numbers, pure):
                module._PARTS.clear()
                first = outcome(getattr(module, name), a, b, settings)
                again = outcome(getattr(module, name), a, b, settings)  # parts remembered
                if first != reference or again != reference:
                    wrong.append(f"{module.__name__} {a} {op} {b} at {digits}: {first} {reference}")
                if not first.startswith("Error"):  # the result's remembered parts are right
                    used = outcome(getattr(module, name), first, "1", settings)
                    if used != outcome(numbers.decimal_arithmetic, op, first, "1", settings):
                        wrong.append(f"{module.__name__} {first} {op} 1 at {digits}: {used}")
    assert not wrong, "\n".join(wrong[:20])


def test_the_exponent_limit_in_both_builds():
    """Sums and products of remembered large results, up to Error 42."""
    settings = NumericSettings()
    for module in (numbers, pure_numbers()):
        value, steps = "9E+99999999", []
        while not value.startswith("Error"):
            total = outcome(module.plus, value, value, settings)
            steps.append((total, outcome(numbers.decimal_arithmetic, "+", value, value, settings)))
            product = outcome(module.times, value, "3E+99999999", settings)
            reference = outcome(numbers.decimal_arithmetic, "*", value, "3E+99999999", settings)
            steps.append((product, reference))
            value = product
        assert all(ours == reference for ours, reference in steps), steps
        assert len(steps) == 20


def _run(program: Path, pure: str) -> subprocess.CompletedProcess:
    code = (
        "import sys\n"
        "from vm370.cli import main\n"
        "from cms.rexx import numbers\n"
        "print(numbers._COMPILED, numbers.__file__.endswith('.py'))\n"
        "sys.exit(main(['rexx', sys.argv[1]]))\n"
    )
    env = dict(os.environ, VM370_PURE=pure)
    return subprocess.run(
        [sys.executable, "-c", code, str(program)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_vm370_pure_selects_the_uncompiled_module(tmp_path):
    program = tmp_path / "add.rexx"
    program.write_text(
        "s = 0; do i = 1 to 3000; s = s + i * 337; if i // 7 = 0 then s = s - 0.5; end\n"
        "numeric digits 15; t = 1; do i = 1 to 300; t = t * 1.7 + i; end\n"
        "say s t (t - 1E+60)\n"
    )
    pure = _run(program, "1")
    assert pure.returncode == 0, pure.stderr
    flags, output = pure.stdout.split("\n", 1)
    assert flags == "False True"
    normal = _run(program, "")
    assert normal.returncode == 0, normal.stderr
    assert normal.stdout.split("\n", 1)[1] == output
    # as Regina 3.6 prints it
    assert output.split() == ["1.51700573E+9", "6.09430868844521E+69", "6.09430868744521E+69"]


def test_a_compiled_module_older_than_its_source_is_not_used(tmp_path):
    """After numbers.py is edited (or a checkout changes it) the module
    built from the old source is left aside until setup.py builds again."""
    package = tmp_path / "cms"
    shutil.copytree(ROOT / "cms" / "rexx", package / "rexx", ignore=shutil.ignore_patterns("*.so"))
    shutil.copy(ROOT / "cms" / "__init__.py", package / "__init__.py")
    built = package / "rexx" / ("numbers" + EXTENSION_SUFFIXES[0])
    built.write_bytes(b"not a module: importing it would fail")
    os.utime(built, (1_000_000, 1_000_000))  # older than the copied source
    code = (
        "from cms.rexx import numbers, Interpreter\n"
        "out = []\n"
        "Interpreter(['say 1E9 + 7 * 3'], output=out.append).run()\n"
        "print(numbers.__file__.endswith('.py'), out)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, VM370_PURE="", PYTHONPATH=str(tmp_path)),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "True ['1.00000002E+9']"


def test_an_operand_far_below_the_other_is_not_scaled_up(tmp_path):
    """1 + 1E-99999999: the small operand is cut to the window of DIGITS+1
    digits, i.e. to 0, without computing 10**99999990 first (which took
    hours); also at DIGITS 20 and in comparisons, in the uncompiled build."""
    program = tmp_path / "far.rexx"
    program.write_text(
        "say 1 + 1E-99999999 (1E-99999999 - 1) (1E+99999999 + 1E-99999999) (1 > 1E-99999999)\n"
        "numeric digits 20\n"
        "say 1 + 1E-99999999 (1E-99999999 - 1) (1 = 1 + 1E-99999990)\n"
    )
    done = _run(program, "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[1:3] == [
        "1.00000000 -1.00000000 1.00000000E+99999999 1",
        "1.0000000000000000000 -1.0000000000000000000 1",
    ]
