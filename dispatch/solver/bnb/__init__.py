"""Exact sequencing of short routes by branch and bound."""

from .sequence import SequenceResult, best_sequence, brute_force_sequence

__all__ = ["SequenceResult", "best_sequence", "brute_force_sequence"]
