"""Shared pytest setup.

``pytest`` runs the whole suite, the long differential and end-to-end runs
(marked ``slow``) included: that is what CI runs (.ci/run).  ``--quick``
leaves the ``slow`` ones out for a fast edit-and-test loop; ``--slow`` is
accepted for older command lines and changes nothing.  A test that needs an
outside program (``@pytest.mark.tool("regina")``) is skipped where that
program is not installed; CI installs them.
"""

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


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in item.iter_markers("tool"):
            for program in marker.args:
                if shutil.which(program) is None:
                    item.add_marker(pytest.mark.skip(reason=f"needs {program}, not installed"))
    if not config.getoption("--quick"):
        return
    deselected = [i for i in items if i.get_closest_marker("slow")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [i for i in items if not i.get_closest_marker("slow")]
