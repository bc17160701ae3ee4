"""Validated solver parameters (weights of the cost and knobs of the search)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Params:
    # --- cost weights (all in "minutes of travel" equivalents) -------------
    travel_weight: float = 1.0
    lateness_weight: float = 1.0  # per minute late on a soft window
    unserved_weight: float = 100.0  # x task.priority per unserved optional task
    imbalance_weight: float = 0.0  # x mean absolute deviation of work minutes
    work_weight: float = 0.0  # per minute of specialist working time (travel+service+wait)
    cross_district_weight: float = 0.0  # per task served outside the specialist's district
    allow_cross_district: bool = False  # True: service radius is not enforced
    # --- search -----------------------------------------------------------
    population_size: int = 10
    generation_size: int = 15
    n_elite: int = 4
    n_close: int = 5
    granular_k: int = 16
    granular_k_large: int = 12  # neighbours per task above ruin_recreate_above tasks
    mutation_rate: float = 0.2
    target_feasible: float = 0.3
    bnb_max_tasks: int = 8
    workers: int = 2
    migration_interval: int = 30
    refine: bool = True
    refine_fraction: float = 0.15
    refine_solution_limit: int = 2000
    decompose_above: int = 600
    # above this many tasks: construction by insertion, half the offspring ruin & recreate,
    # education only where a child differs from its parent
    ruin_recreate_above: int = 150
    ruin_recreate_share: float = 0.5
    mandatory_unserved_penalty: float = 1e6

    def __post_init__(self) -> None:
        nonneg = (
            "travel_weight",
            "lateness_weight",
            "unserved_weight",
            "imbalance_weight",
            "cross_district_weight",
            "mandatory_unserved_penalty",
            "work_weight",
        )
        for name in nonneg:
            v = getattr(self, name)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float))
                or not math.isfinite(v)
                or v < 0
            ):
                raise ValueError(f"Params.{name} must be a finite number >= 0, got {v!r}")
        ints = {
            "population_size": 2,
            "generation_size": 1,
            "n_elite": 0,
            "n_close": 1,
            "granular_k": 1,
            "granular_k_large": 1,
            "bnb_max_tasks": 0,
            "workers": 1,
            "migration_interval": 1,
            "refine_solution_limit": 1,
            "decompose_above": 2,
            "ruin_recreate_above": 0,
        }
        for name, lo in ints.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                raise ValueError(f"Params.{name} must be an int >= {lo}, got {v!r}")
        if self.bnb_max_tasks > 10:
            raise ValueError("Params.bnb_max_tasks must be <= 10 (exact sequencing is exponential)")
        for name in ("mutation_rate", "target_feasible", "refine_fraction", "ruin_recreate_share"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0:
                raise ValueError(f"Params.{name} must be within [0, 1], got {v!r}")
        if self.n_elite > self.population_size:
            raise ValueError("Params.n_elite must be <= population_size")
        if not isinstance(self.allow_cross_district, bool) or not isinstance(self.refine, bool):
            raise ValueError("Params.allow_cross_district and Params.refine must be bool")

    def replace(self, **changes) -> Params:
        known = {f.name for f in fields(self)}
        bad = set(changes) - known
        if bad:
            raise ValueError(f"unknown Params field(s): {sorted(bad)}")
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        return Params(**data)
