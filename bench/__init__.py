"""Benchmarks run by hand (``python -m bench.NAME``); never part of the tests."""
