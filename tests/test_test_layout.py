"""The test suite's layout: helpers shared by several test files live in kit
modules (tests/cp/cpkit.py, s3270kit.py, guestkit.py, ...), so no test file
imports another test file (running or changing one would drag the other's
tests and fixtures along)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def absolute_module(node: ast.ImportFrom, package: str) -> str:
    """The dotted module a ``from`` import names, relative ones (``from
    .test_x import y``, ``from .. import test_x``) resolved against the
    importing file's ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(tree: ast.AST, package: str = "") -> list[tuple[int, str]]:
    """(line, dotted name) of every module an import statement names,
    including ``from package import module`` and relative forms."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = absolute_module(node, package)
            if node.module:
                found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def package_of(path: Path) -> str:
    """The dotted package of a file under tests/ (``tests.cms.rexx``);
    empty for a file elsewhere."""
    if not path.resolve().is_relative_to(TESTS):
        return ""
    return ".".join(("tests",) + path.resolve().parent.relative_to(TESTS).parts)


def offences_in(path: Path) -> list[str]:
    """The lines of ``path`` that import a test module."""
    tree = ast.parse(path.read_text(), str(path))
    return [
        f"{path.name}:{line}: imports {name}"
        for line, name in imported_modules(tree, package_of(path))
        if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")
    ]


def test_no_test_file_imports_another_test_file():
    offences = [
        offence for path in sorted(TESTS.rglob("test_*.py")) for offence in offences_in(path)
    ]
    assert offences == []


def test_the_check_sees_a_test_file_imported_either_way(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.cp.cpkit import logon\n"
        "def test_x():\n"
        "    from tests.cp.test_tn3270 import enter\n"
        "    from tests.cp import test_trace\n"
    )
    assert offences_in(sample) == [
        "test_sample.py:3: imports tests.cp.test_tn3270",
        "test_sample.py:4: imports tests.cp.test_trace",
    ]


def test_the_check_sees_relative_imports_of_test_files():
    sample = TESTS / "cms" / "rexx" / "test_sample_relative.py"
    tree = ast.parse(
        "from .rexxkit import run_lines\n"
        "from .test_loops import run\n"
        "def test_x():\n"
        "    from . import test_programs\n"
        "    from ..fakes import FakeServices\n"
    )
    names = [name for _, name in imported_modules(tree, package_of(sample))]
    assert "tests.cms.rexx.test_loops.run" in names
    assert "tests.cms.rexx.test_programs" in names
    assert "tests.cms.fakes.FakeServices" in names
    assert "tests.cms.rexx.rexxkit.run_lines" in names
