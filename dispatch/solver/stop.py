"""Composable stopping criteria.

Criteria are tiny immutable objects combined with ``|`` (stop when any
says stop) and ``&`` (stop when all say stop). The search asks them with a
``SearchState`` snapshot; they never hold mutable state, so one criterion
object can be reused between solves and shipped to worker processes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchState:
    generation: int
    best_cost: float
    elapsed: float
    generations_without_improvement: int


class StopCriterion:
    def should_stop(self, state: SearchState) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def time_limit(self) -> float:
        """Seconds after which this criterion surely stops (inf if unknown)."""
        return math.inf

    def generation_limit(self) -> float:
        return math.inf

    def is_deterministic(self) -> bool:
        """True when the criterion does not depend on the wall clock."""
        return True

    def __or__(self, other: StopCriterion) -> StopCriterion:
        return AnyOf((self, other))

    def __and__(self, other: StopCriterion) -> StopCriterion:
        return AllOf((self, other))


@dataclass(frozen=True)
class MaxSeconds(StopCriterion):
    seconds: float

    def __post_init__(self) -> None:
        if not (
            isinstance(self.seconds, (int, float))
            and self.seconds > 0
            and math.isfinite(self.seconds)
        ):
            raise ValueError(f"MaxSeconds needs a finite positive number, got {self.seconds!r}")

    def should_stop(self, state: SearchState) -> bool:
        return state.elapsed >= self.seconds

    def time_limit(self) -> float:
        return float(self.seconds)

    def is_deterministic(self) -> bool:
        return False


@dataclass(frozen=True)
class MaxGenerations(StopCriterion):
    generations: int

    def __post_init__(self) -> None:
        if not (isinstance(self.generations, int) and self.generations >= 0):
            raise ValueError(f"MaxGenerations needs an int >= 0, got {self.generations!r}")

    def should_stop(self, state: SearchState) -> bool:
        return state.generation >= self.generations

    def generation_limit(self) -> float:
        return self.generations


@dataclass(frozen=True)
class NoImprovement(StopCriterion):
    generations: int

    def __post_init__(self) -> None:
        if not (isinstance(self.generations, int) and self.generations >= 1):
            raise ValueError(f"NoImprovement needs an int >= 1, got {self.generations!r}")

    def should_stop(self, state: SearchState) -> bool:
        return state.generations_without_improvement >= self.generations


@dataclass(frozen=True)
class AnyOf(StopCriterion):
    parts: tuple

    def should_stop(self, state: SearchState) -> bool:
        return any(p.should_stop(state) for p in self.parts)

    def time_limit(self) -> float:
        return min(p.time_limit() for p in self.parts)

    def generation_limit(self) -> float:
        return min(p.generation_limit() for p in self.parts)

    def is_deterministic(self) -> bool:
        return all(p.is_deterministic() for p in self.parts)


@dataclass(frozen=True)
class AllOf(StopCriterion):
    parts: tuple

    def should_stop(self, state: SearchState) -> bool:
        return all(p.should_stop(state) for p in self.parts)

    def time_limit(self) -> float:
        return max(p.time_limit() for p in self.parts)

    def generation_limit(self) -> float:
        return max(p.generation_limit() for p in self.parts)

    def is_deterministic(self) -> bool:
        return all(p.is_deterministic() for p in self.parts)
