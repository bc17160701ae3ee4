"""Writes of the dispatch app: task generation, runs, field work, claims and moves."""
