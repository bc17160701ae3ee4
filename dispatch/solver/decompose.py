"""City scale: split by district (and k-means inside big districts), solve parts in parallel.

A 3,000-task GA in pure Python is too slow for a 60 s budget, and the
districts are nearly independent anyway (radius limits keep specialists
local). Each part is a ``Problem.subset`` solved by the normal GA with a
share of the budget; parts run on ``params.workers`` processes. Then the
unserved tasks are offered (highest priority first) to every eligible
specialist of the whole problem by cheapest feasible insertion: a part only
sees its own specialists, and with cross-district help on, other districts'
specialists become eligible too.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import time
from collections.abc import Callable, Sequence

import numpy as np

from .eligibility import compute_eligibility
from .finalize import finalize
from .ga.construct import insert_all
from .ga.model import build_model
from .params import Params
from .problem import Problem
from .stop import MaxSeconds, StopCriterion

PART_SIZE = 250


def _kmeans(pts: np.ndarray, k: int, iters: int = 25) -> np.ndarray:
    """Deterministic k-means (farthest-point init); returns labels."""
    c = [pts[0]]
    for _ in range(1, k):
        d = np.min([((pts - x) ** 2).sum(axis=1) for x in c], axis=0)
        c.append(pts[int(np.argmax(d))])
    C = np.array(c)
    lab = np.zeros(len(pts), dtype=int)
    for _ in range(iters):
        lab = np.argmin(((pts[:, None, :] - C[None, :, :]) ** 2).sum(axis=2), axis=1)
        for j in range(k):
            if (lab == j).any():
                C[j] = pts[lab == j].mean(axis=0)
    return lab


def partition(problem: Problem, part_size: int = PART_SIZE) -> list:
    """List of (task ids, specialist ids). Pinned tasks follow their specialist."""
    specs = problem.specialists
    groups: dict = {}
    for t in problem.tasks:
        groups.setdefault(t.district, []).append(t)
    sgroups: dict = {}
    for s in specs:
        sgroups.setdefault(s.district, []).append(s)
    parts = []
    for d in sorted(groups, key=lambda x: (x is None, str(x))):
        tasks = groups[d]
        ss = list(sgroups.get(d, []))
        if not ss:
            ss = list(specs) if len(groups) == 1 else []
        k = max(1, min(len(ss), math.ceil(len(tasks) / part_size)))
        if k == 1 or any(t.location is None for t in tasks) or any(s.start is None for s in ss):
            parts.append(([t.id for t in tasks if t.pinned_to is None], [s.id for s in ss]))
            continue
        pts = np.array([t.location for t in tasks])
        lab = _kmeans(pts, k)
        C = np.array([pts[lab == j].mean(axis=0) if (lab == j).any() else pts[0] for j in range(k)])
        sizes = np.bincount(lab, minlength=k).astype(float)
        quota = np.maximum(1, np.floor(len(ss) * sizes / sizes.sum())).astype(int)
        while quota.sum() < len(ss):
            quota[int(np.argmax(sizes / quota))] += 1
        while quota.sum() > len(ss):
            quota[int(np.argmax(quota))] -= 1
        sp = np.array([s.start for s in ss])
        dist = ((sp[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
        assign = [[] for _ in range(k)]
        for si in np.argsort(dist.min(axis=1), kind="stable"):
            for j in np.argsort(dist[si], kind="stable"):
                if len(assign[j]) < quota[j]:
                    assign[j].append(ss[si].id)
                    break
        for j in range(k):
            parts.append(
                (
                    [tasks[i].id for i in np.nonzero(lab == j)[0] if tasks[i].pinned_to is None],
                    assign[j],
                )
            )
    # pinned tasks go with their specialist
    where = {sid: pi for pi, (_, sids) in enumerate(parts) for sid in sids}
    for t in problem.tasks:
        if t.pinned_to is not None:
            parts[where[t.pinned_to]][0].append(t.id)
    return [(tids, sids) for tids, sids in parts if sids or tids]


def _solve_part(args):
    solve, sub, stop, seed, params = args
    if not sub.specialists:
        return None
    r = solve(sub, stop=stop, seed=seed, params=params)
    return [list(rr.task_ids) for rr in r.routes], r.stats.get("generations", 0)


def solve_decomposed(
    problem: Problem,
    *,
    stop: StopCriterion,
    seed: int,
    params: Params,
    callbacks: Sequence = (),
    t0: float | None = None,
    solve_part: Callable | None = None,
):
    """Solve each part with ``solve_part`` (the search of ``api.solve``, handed in so the
    two modules need not import each other) and make the joined plan final."""
    t0 = time.monotonic() if t0 is None else t0
    parts = partition(problem)
    limit = stop.time_limit()
    W = max(1, params.workers)
    rounds = math.ceil(len(parts) / W)
    sub_params = params.replace(
        workers=1,
        decompose_above=10**9,
        population_size=min(params.population_size, 8),
        generation_size=min(params.generation_size, 8),
    )
    jobs = []
    for pi, (tids, sids) in enumerate(parts):
        if not sids:
            continue
        sub = problem.subset(tids, sids, name=f"{problem.name}#{pi}")
        if math.isfinite(limit):
            budget = max(0.5, (limit * 0.85 - (time.monotonic() - t0)) / rounds)
            s = MaxSeconds(budget)
            if not math.isinf(stop.generation_limit()):
                s = s | stop
        else:
            s = stop
        jobs.append((solve_part, sub, s, seed + pi, sub_params))
    if W > 1 and len(jobs) > 1:
        with mp.get_context("fork").Pool(W) as pool:
            outs = pool.map(_solve_part, jobs, chunksize=1)
    else:
        outs = [_solve_part(j) for j in jobs]
    tix = problem.task_index()
    six = problem.specialist_index()
    routes = [[] for _ in range(problem.n_specialists)]
    gens = 0
    for (_solve, sub, _, _, _), out in zip(jobs, outs, strict=True):
        if out is None:
            continue
        rts, g = out
        gens += g
        for s, r in zip(sub.specialists, rts, strict=True):
            routes[six[s.id]] = [tix[t] for t in r]
    elig = compute_eligibility(problem, params)
    # parts only see their own specialists: offer leftovers to every eligible one
    # (eligibility already enforces skills, radius unless cross-district help is on, pins)
    _insert_leftovers(problem, params, elig, routes)
    served = {i for r in routes for i in r}
    unserved = [i for i in range(problem.n_tasks) if i not in served]
    el = time.monotonic() - t0
    stats = {
        "seed": seed,
        "method": "ga-decomposed",
        "parts": len(jobs),
        "generations": gens,
        "elapsed": round(el, 3),
        "history": [],
    }
    res = finalize(problem, params, routes, unserved, stats, elig)
    for cb in callbacks:
        cb(gens, res.cost.total, time.monotonic() - t0)
    return res


def _insert_leftovers(problem, params, elig, routes) -> None:
    """Offer every leftover task to every eligible specialist, mandatory first, in place.

    The days of the specialists concerned (and the leftovers) form a small problem on
    which the district search's own insertion runs: cheapest feasible slot over every
    eligible specialist, and a mandatory task that fits nowhere takes an optional
    task's place (that task is then offered every other slot).
    """
    served = {i for r in routes for i in r}
    left = [i for i in range(problem.n_tasks) if i not in served and elig.allowed[:, i].any()]
    if not left:
        return
    ks = [int(k) for k in np.nonzero(elig.allowed[:, left].any(axis=1))[0]]
    tasks = problem.tasks
    tids = [tasks[i].id for k in ks for i in routes[k]] + [tasks[i].id for i in left]
    sub = problem.subset(tids, [problem.specialists[k].id for k in ks], name="leftovers")
    six = sub.task_index()
    model = build_model(sub, params, compute_eligibility(sub, params))
    sub_routes = [[six[tasks[i].id] for i in routes[k]] for k in ks]
    new_routes, _ = insert_all(model, sub_routes, [six[tasks[i].id] for i in left], chains=True)
    tix = problem.task_index()
    for k, r in zip(ks, new_routes, strict=True):
        routes[k] = [tix[sub.tasks[j].id] for j in r]
