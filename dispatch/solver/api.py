"""Public entry point: ``solve(problem, *, stop, seed, params, callbacks)``."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence

from .checker import check
from .cost import evaluate
from .eligibility import Eligibility, compute_eligibility
from .explain import explain
from .ga.construct import insert_all
from .ga.driver import run_ga
from .ga.model import build_model, exact_cost
from .ga.repair import make_feasible
from .params import Params
from .problem import Problem
from .refine import refine
from .result import Result, Unserved
from .stop import MaxSeconds, StopCriterion

Callback = Callable[[int, float, float], bool | None]


def _unserved_reason(problem: Problem, params: Params, elig: Eligibility, i: int) -> str:
    if i in elig.reasons:
        return elig.reasons[i]
    t = problem.tasks[i]
    if t.mandatory or t.pinned_to is not None:
        return "could not be fitted into any eligible specialist's day (windows/shift/capacity)"
    return (
        f"optional: serving it would cost more than its penalty "
        f"({params.unserved_weight * t.priority:g}) or no feasible slot was left"
    )


def finalize(
    problem: Problem,
    params: Params,
    routes: list,
    unserved: Sequence[int],
    stats: dict,
    elig: Eligibility | None = None,
) -> Result:
    """Score a plan exactly, explain it and run the independent checker on it."""
    elig = elig if elig is not None else compute_eligibility(problem, params)
    served = {i for r in routes for i in r}
    unserved = sorted(set(unserved) | {i for i in range(problem.n_tasks) if i not in served})
    rr, cb = evaluate(problem, params, routes, unserved)
    reasons = {i: _unserved_reason(problem, params, elig, i) for i in unserved}
    rep = check(
        problem,
        {problem.specialists[k].id: [problem.tasks[i].id for i in r] for k, r in enumerate(routes)},
        {problem.tasks[i].id: reasons[i] for i in unserved},
        params.allow_cross_district,
    )
    uns = tuple(
        Unserved(
            problem.tasks[i].id,
            reasons[i],
            bool(problem.tasks[i].mandatory),
            problem.tasks[i].priority,
        )
        for i in unserved
    )
    return Result(
        rr,
        uns,
        cb,
        explain(problem, params, elig, routes, rr, reasons),
        rep.ok,
        tuple(f"{v.kind}: {v.message}" for v in rep.violations),
        dict(stats),
    )


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
        from .decompose import solve_decomposed

        return solve_decomposed(
            problem, stop=stop, seed=seed, params=params, callbacks=callbacks, t0=t0
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
