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


def run_vroom(problem, seconds: float, seed: int, params: Params):
    """VROOM through pyvroom, one thread, scored by our cost function and checker.

    Encoding (exact for what VROOM can express, harder where it cannot):
    * eligibility (skills with levels, radius, pins, capacity) -> one VROOM skill per
      distinct set of eligible specialists: a specialist holds the skill of every set it
      belongs to, a task requires the skill of its set; tasks nobody may serve are left out;
    * windows are all hard for VROOM (our optional tasks' windows are soft: its problem
      is the harder one), shifts are vehicle windows;
    * priority: mandatory and pinned tasks 100, optional ones 10 x priority (max 99);
      VROOM maximises the served priority first, then minimises travel time;
    * integer seconds: travel and service rounded up, window opens rounded up, closes
      down, so its plan stays feasible in our minutes.
    VROOM has no seed; ``seed`` is ignored.
    """
    try:
        import vroom
    except ImportError:
        raise Skip("pyvroom not installed (pip install pyvroom==1.15.2)") from None
    from datetime import timedelta

    import numpy as np

    from dispatch.solver.eligibility import compute_eligibility

    t = time.monotonic()
    n, m = problem.n_tasks, problem.n_specialists
    elig = compute_eligibility(problem, params)
    sec = np.ceil(problem.travel * 60.0 - 1e-6).astype(np.int64)
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=sec)
    sets: dict = {}
    job_skill = [None] * n
    for i in range(n):
        col = elig.allowed[:, i]
        if col.any():
            job_skill[i] = sets.setdefault(col.tobytes(), len(sets) + 1)
    spec_skills = [set() for _ in range(m)]
    for key, sid in sets.items():
        for k in np.nonzero(np.frombuffer(key, dtype=bool))[0]:
            spec_skills[int(k)].add(sid)
    caps = [s.capacity for s in problem.specialists]
    use_cap = any(np.isfinite(c) for c in caps)
    big = 10**9
    for k, s in enumerate(problem.specialists):
        kw = {}
        if use_cap:
            kw["capacity"] = [int(c) if np.isfinite(c) else big for c in [caps[k]]]
        tw = vroom.TimeWindow(
            int(np.ceil(s.shift_start * 60)),
            int(np.floor(s.shift_end * 60)) if np.isfinite(s.shift_end) else big,
        )
        inp.add_vehicle(
            vroom.Vehicle(
                k, start=n + k, end=n + m + k, skills=spec_skills[k], time_window=tw, **kw
            )
        )
    jobs = []
    for i, task in enumerate(problem.tasks):
        if job_skill[i] is None:
            continue
        hard = task.mandatory or task.pinned_to is not None
        pri = 100 if hard else min(99, int(round(10 * task.priority)))
        kw = {}
        if use_cap:
            kw["delivery"] = [int(np.ceil(task.demand))]
        if np.isfinite(task.tw_end):
            kw["time_windows"] = [
                vroom.TimeWindow(int(np.ceil(task.tw_start * 60)), int(np.floor(task.tw_end * 60)))
            ]
        elif task.tw_start > 0:
            kw["time_windows"] = [vroom.TimeWindow(int(np.ceil(task.tw_start * 60)), big)]
        jobs.append(
            vroom.Job(
                i,
                location=i,
                default_service=int(np.ceil(task.service * 60 - 1e-6)),
                skills={job_skill[i]},
                priority=pri,
                **kw,
            )
        )
    inp.add_job(jobs)
    left = max(0.5, seconds - (time.monotonic() - t))
    sol = inp.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=left))
    el = time.monotonic() - t
    routes = [[] for _ in range(m)]
    df = sol.routes
    for vid, typ, jid in zip(df["vehicle_id"], df["type"], df["id"], strict=True):
        if typ == "job":
            routes[int(vid)].append(int(jid))
    served = {i for r in routes for i in r}
    un = [i for i in range(n) if i not in served]
    return finalize(problem, params, routes, un, {"method": "vroom"}), el
