"""Benchmarks are not run by the tests (speed is measured, never asserted),
but each must still import: a module moved elsewhere breaks them silently."""

import importlib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_benchmark_imports(name):
    module = importlib.import_module(f"bench.{name}")
    assert module.__doc__, f"bench/{name}.py says what it measures"


def test_the_screenshot_script_imports():
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", ROOT / "docs" / "images" / "make_screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main)
