"""Benchmarks and load drivers (run as ``python -m bench.<module>`` from the repo root)."""
