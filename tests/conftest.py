"""Shared pytest setup: the --slow switch for long differential runs."""
import pytest


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False,
                     help="also run tests marked slow (full differential corpora)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    deselected = [i for i in items if i.get_closest_marker("slow")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [i for i in items if not i.get_closest_marker("slow")]
