"""Small deterministic problems for the solver tests."""

from __future__ import annotations

import numpy as np

from dispatch.solver import CoordinateTravel, Params, Problem, Specialist, Task

BASE = (23.35, 116.68)
FAST = Params(population_size=6, generation_size=6, workers=1, refine=False, granular_k=8)


def small_problem(n: int = 14, m: int = 3, seed: int = 0, **task_kw) -> Problem:
    rng = np.random.default_rng(seed)
    specs = []
    for k in range(m):
        loc = (BASE[0] + rng.normal(0, 0.01), BASE[1] + rng.normal(0, 0.01))
        specs.append(
            Specialist(
                id=f"S{k}",
                start=loc,
                end=loc,
                shift_start=480,
                shift_end=1020,
                skills={"display": 1 + k % 3, "audit": k % 2},
                radius_km=15.0,
                district="D1" if k % 2 == 0 else "D2",
            )
        )
    tasks = []
    for i in range(n):
        loc = (BASE[0] + rng.normal(0, 0.02), BASE[1] + rng.normal(0, 0.02))
        a = float(rng.integers(480, 800))
        tasks.append(
            Task(
                id=f"T{i}",
                location=loc,
                service=10.0,
                tw_start=a,
                tw_end=a + 180.0,
                priority=float(rng.integers(1, 5)),
                mandatory=bool(i % 4 == 0),
                skills={"display": 1} if i % 3 == 0 else {},
                district="D1" if i % 2 == 0 else "D2",
                **task_kw,
            )
        )
    return Problem.from_coordinates(tasks, specs, CoordinateTravel(1.3, 25.0), name="small")
