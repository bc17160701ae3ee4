"""Public entry point: ``solve(problem, *, stop, seed, params, callbacks)``."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence

from .decompose import solve_decomposed
from .eligibility import compute_eligibility
from .finalize import finalize
from .ga.construct import insert_all
from .ga.driver import run_ga
from .ga.model import build_model, exact_cost
from .ga.repair import make_feasible
from .params import Params
from .problem import Problem
from .refine import refine
from .result import Result
from .stop import MaxSeconds, StopCriterion

Callback = Callable[[int, float, float], bool | None]


def solve(
    problem: Problem,
    *,
    stop: StopCriterion | None = None,
    seed: int = 0,
    params: Params | None = None,
    callbacks: Sequence[Callback] = (),
) -> Result:
    """Plan the day.

    stop       -- when to stop the GA (default ``MaxSeconds(10)``); combine with ``|``.
    seed       -- same seed + generation-based stop => identical result.
    params     -- ``Params``; invalid values raise ValueError at construction.
    callbacks  -- called as ``cb(generation, best_cost, elapsed_seconds)``; return
                  True to ask the search to stop early (e.g. a cancelled job).
    """
    t0 = time.monotonic()
    params = params if params is not None else Params()
    stop = stop if stop is not None else MaxSeconds(10.0)
    if not isinstance(params, Params):
        raise ValueError("params must be a Params instance")
    if not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if problem.n_tasks > params.decompose_above:
        return solve_decomposed(
            problem, stop=stop, seed=seed, params=params, callbacks=callbacks, t0=t0,
            solve_part=solve,
        )
    random.seed(seed)
    elig = compute_eligibility(problem, params)
    model = build_model(problem, params, elig)
    inactive = sorted(elig.reasons)
    limit = stop.time_limit()
    if limit < 3.0 and params.workers > 1:
        # forking islands costs ~0.1-0.3 s and halves each island's generations: not worth it
        params = params.replace(workers=1)
    use_refine = params.refine and problem.n_tasks > 0
    if math.isfinite(limit):
        ga_deadline = t0 + limit * ((1.0 - params.refine_fraction) if use_refine else 1.0)
    else:
        ga_deadline = math.inf
    stats = {"seed": seed, "method": "ga"}
    if model.active:
        routes, unserved, gstats = run_ga(
            model, params, seed, stop, inactive, t0, ga_deadline, callbacks
        )
        stats.update(gstats)
    else:
        routes, unserved = [[] for _ in range(problem.n_specialists)], []
        stats.update({"generations": 0, "islands": 0, "history": []})
    unserved = list(unserved) + inactive
    if model.active and not exact_cost(model, routes, unserved)[1]:
        routes, unserved = make_feasible(model, routes, unserved)
        stats["repaired"] = True
    if model.active:
        # whatever still fits somewhere goes in (mandatory first): never leave a mandatory
        # task out of a plan that has a feasible slot for it
        inact = set(inactive)
        routes, left = insert_all(
            model, routes, [i for i in unserved if i not in inact], chains=True
        )
        unserved = left + inactive
    stats["ga_cost"] = exact_cost(model, routes, unserved)[0]
    stats["ga_seconds"] = round(time.monotonic() - t0, 3)
    stats["refined"] = False
    if use_refine and model.active:
        remaining = (t0 + limit - time.monotonic()) if math.isfinite(limit) else 5.0
        routes, unserved, improved = refine(
            problem, params, elig, model, routes, unserved, remaining, stop.is_deterministic()
        )
        stats["refined"] = improved
    stats["elapsed"] = round(time.monotonic() - t0, 3)
    return finalize(problem, params, routes, unserved, stats, elig)
