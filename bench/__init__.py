"""Benchmarks and soak runs: ``python -m bench.NAME``; measurements, not tests."""
