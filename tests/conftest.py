"""Shared pytest setup.

``pytest`` runs the whole suite, the long differential and end-to-end runs
(marked ``slow``) included: that is what CI runs (.ci/run).  ``--quick``
leaves the ``slow`` ones out for a fast edit-and-test loop; ``--slow`` is
accepted for older command lines and changes nothing.  A test that needs an
outside program (``@pytest.mark.tool("regina")``) is skipped where that
program is not installed; CI installs them and sets VM370_REQUIRE_TOOLS=1,
under which a missing program fails the test instead: there, no test of an
outside program may pass by not running.
"""

import os
import shutil

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--quick",
        action="store_true",
        default=False,
        help="leave out the tests marked slow (long differential runs)",
    )
    parser.addoption(
        "--slow",
        action="store_true",
        default=False,
        help="run the tests marked slow too (the default; kept for old command lines)",
    )


def missing_tools(item) -> list[str]:
    """The outside programs a test's ``tool`` markers name that are not installed."""
    return [
        program
        for marker in item.iter_markers("tool")
        for program in marker.args
        if shutil.which(program) is None
    ]


def pytest_runtest_setup(item):
    missing = missing_tools(item)
    if not missing:
        return
    reason = f"needs {', '.join(missing)}, not installed"
    if os.environ.get("VM370_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (.ci/run installs it)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--quick"):
        return
    deselected = [i for i in items if i.get_closest_marker("slow")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [i for i in items if not i.get_closest_marker("slow")]
