"""Baselines that take the same Problem: manual-dispatch greedy and OR-Tools GLS."""

from .greedy import solve_greedy
from .ortools_routing import solve_ortools

__all__ = ["solve_greedy", "solve_ortools"]
