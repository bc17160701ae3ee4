"""Hybrid genetic search: DEAP population + local-search education + exact B&B."""
