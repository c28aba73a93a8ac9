"""Benchmark scripts, not installed: ``python benchmarks/bench.py`` and the rest."""
