"""Benchmarks for dispatch.solver (run: python -m bench.solver --help)."""
