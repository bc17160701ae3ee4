"""The compared methods, all on the same Problem and the same wall-clock budget."""

from __future__ import annotations

import time
from pathlib import Path

from dispatch.solver import MaxSeconds, Params, finalize, solve
from dispatch.solver.baselines import solve_greedy, solve_ortools


class Skip(Exception):
    """Method not applicable / not installed (reported, not fatal)."""


def run_ours(problem, seconds: float, seed: int, params: Params):
    t = time.monotonic()
    res = solve(problem, stop=MaxSeconds(seconds), seed=seed, params=params)
    return res, time.monotonic() - t


def run_ortools(problem, seconds: float, seed: int, params: Params):
    t = time.monotonic()
    routes, un = solve_ortools(problem, params, seconds=seconds)
    el = time.monotonic() - t
    return finalize(problem, params, routes, un, {"method": "ortools-gls"}), el


def run_greedy(problem, seconds: float, seed: int, params: Params):
    t = time.monotonic()
    routes, un = solve_greedy(problem, params)
    el = time.monotonic() - t
    return finalize(problem, params, routes, un, {"method": "greedy"}), el


def run_pyvrp(
    problem,
    seconds: float,
    seed: int,
    params: Params,
    vrplib_path: Path | None = None,
    rounding: str = "trunc1",
):
    """PyVRP (optional). Only plain VRPLIB instances: PyVRP has no skills model."""
    try:
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError:
        raise Skip("pyvrp not installed (pip install pyvrp==0.14.1)") from None
    if vrplib_path is None:
        raise Skip("pyvrp runs only on VRPLIB instances (no skills/pins/radius in its model)")
    rf = {"trunc1": "dimacs", "nint": "round", "exact": "none"}[rounding]
    t = time.monotonic()
    data = pyvrp.read(str(vrplib_path), round_func=rf)
    res = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False)
    el = time.monotonic() - t
    # map PyVRP client indices back to our tasks (VRPLIB node order, depot first)
    routes = [[] for _ in range(problem.n_specialists)]
    for k, r in enumerate(res.best.routes()):
        for act in r:
            if act.is_client():
                routes[k].append(act.idx)  # client index, 0-based = our task index
    served = {i for r in routes for i in r}
    un = [i for i in range(problem.n_tasks) if i not in served]
    return finalize(problem, params, routes, un, {"method": "pyvrp"}), el
