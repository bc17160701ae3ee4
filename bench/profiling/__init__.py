"""Benchmark of profiling imports and the full recompute (run: python -m bench.profiling)."""
