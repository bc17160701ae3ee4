"""Search-side view of a Problem: flat Python lists for the hot loop.

Python indexes lists of floats several times faster than numpy scalars,
so the matrix is converted once per solve. Node ids follow Problem's
location indexing (tasks, then starts, then ends).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..eligibility import Eligibility
from ..params import Params
from ..problem import Problem
from .segments import cat

BIG = 1e9


@dataclass
class SearchModel:
    n: int
    m: int
    T: list  # N x N travel minutes
    seg: list  # node -> (dist, D, TW, E, L, load, first, last)
    allowed: list  # m x n bool
    allowed_routes: list  # task -> list of specialist indices
    pin: list  # task -> specialist index or -1
    penalty: list  # task -> cost of leaving it unserved in the search
    optional: list  # task -> bool (may be removed by the search)
    xcost: list  # m x n cross-district cost (or None if all zero)
    cap: list  # m capacities
    spec_class: list  # m -> class id (identical specialists share one)
    neigh: list  # task -> granular neighbour tasks
    active: list  # tasks with at least one eligible specialist
    travel_weight: float
    soft: list  # task -> soft window
    tw_end_exact: list
    tw_start: list
    service: list
    demand: list
    priority: list
    shift_start: list
    shift_end: list
    lateness_weight: float
    unserved_weight: float
    imbalance_weight: float
    mandatory: list
    work_weight: float = 0.0


def build_model(problem: Problem, params: Params, elig: Eligibility) -> SearchModel:
    n, m = problem.n_tasks, problem.n_specialists
    Tn = problem.travel
    T = Tn.tolist()
    seg: list = [None] * n
    for i, t in enumerate(problem.tasks):
        L = t.tw_end if math.isfinite(t.tw_end) else BIG
        seg[i] = (0.0, t.service, 0.0, t.tw_start, L, t.demand, i, i)
    for k, s in enumerate(problem.specialists):
        L = s.shift_end if math.isfinite(s.shift_end) else BIG
        seg.append((0.0, 0.0, 0.0, s.shift_start, L, 0.0, n + k, n + k))
    for k, s in enumerate(problem.specialists):
        L = s.shift_end if math.isfinite(s.shift_end) else BIG
        seg.append((0.0, 0.0, 0.0, s.shift_start, L, 0.0, n + m + k, n + m + k))
    allowed = elig.allowed.tolist()
    allowed_routes = [list(np.nonzero(elig.allowed[:, i])[0].tolist()) for i in range(n)]
    sidx = problem.specialist_index()
    pin = [sidx[t.pinned_to] if t.pinned_to is not None else -1 for t in problem.tasks]
    penalty, optional = [], []
    for t in problem.tasks:
        hard = t.mandatory or t.pinned_to is not None
        optional.append(not hard)
        penalty.append(
            params.mandatory_unserved_penalty * max(1.0, t.priority)
            if hard
            else params.unserved_weight * t.priority
        )
    xcost = None
    if params.cross_district_weight > 0 and elig.cross.any():
        xcost = (elig.cross * params.cross_district_weight).tolist()
    # identical specialists are interchangeable in crossover
    keys, spec_class = {}, []
    for k, s in enumerate(problem.specialists):
        key = (
            s.shift_start,
            s.shift_end,
            s.capacity,
            tuple(Tn[n + k].round(9)),
            tuple(Tn[:, n + m + k].round(9)),
            tuple(elig.allowed[k]),
            s.district,
        )
        spec_class.append(keys.setdefault(key, len(keys)))
    active = [i for i in range(n) if allowed_routes[i]]
    # granular neighbourhoods: travel plus a time-window incompatibility term (vectorised)
    neigh = [[] for _ in range(n)]
    if active:
        a = np.array(active)
        D = Tn[np.ix_(a, a)]
        e = np.array([problem.tasks[i].tw_start for i in active])
        lt = np.array([min(problem.tasks[i].tw_end, 1e7) for i in active])
        s = np.array([problem.tasks[i].service for i in active])
        wait = np.maximum(e[None, :] - s[:, None] - D - lt[:, None], 0.0)
        warp = np.maximum(e[:, None] + s[:, None] + D - lt[None, :], 0.0)
        prox = D + 0.2 * wait + 1.0 * warp
        prox = np.minimum(prox, prox.T)
        # pairs that share no specialist are useless as neighbours
        A = elig.allowed[:, a].astype(np.int32)
        share = (A.T @ A) > 0
        prox = np.where(share, prox, np.inf)
        np.fill_diagonal(prox, np.inf)
        # on large instances a shorter neighbour list buys more generations, which the
        # search needs more than a wider one (200-customer VRPTW: 16 -> 10-12 halved the gap)
        gk = (
            params.granular_k
            if len(active) <= params.ruin_recreate_above
            else params.granular_k_large
        )
        k = min(gk, len(active) - 1)
        if k > 0:
            idx = np.argsort(prox, axis=1, kind="stable")[:, :k]
            for r, i in enumerate(active):
                neigh[i] = [active[j] for j in idx[r] if np.isfinite(prox[r, j])]
    tasks = problem.tasks
    return SearchModel(
        n=n,
        m=m,
        T=T,
        seg=seg,
        allowed=allowed,
        allowed_routes=allowed_routes,
        pin=pin,
        penalty=penalty,
        optional=optional,
        xcost=xcost,
        cap=[s.capacity for s in problem.specialists],
        spec_class=spec_class,
        neigh=neigh,
        active=active,
        travel_weight=params.travel_weight,
        soft=[t.soft_window for t in tasks],
        tw_end_exact=[t.tw_end for t in tasks],
        tw_start=[t.tw_start for t in tasks],
        service=[t.service for t in tasks],
        demand=[t.demand for t in tasks],
        priority=[t.priority for t in tasks],
        shift_start=[s.shift_start for s in problem.specialists],
        shift_end=[s.shift_end for s in problem.specialists],
        lateness_weight=params.lateness_weight,
        unserved_weight=params.unserved_weight,
        imbalance_weight=params.imbalance_weight,
        work_weight=params.work_weight,
        mandatory=[t.mandatory or t.pinned_to is not None for t in tasks],
    )


def exact_cost(model: SearchModel, routes: list, unserved: list) -> tuple[float, bool]:
    """Exact objective (as cost.py) and hard feasibility, on the flat model; O(n)."""
    T = model.T
    n, m = model.n, model.m
    tw = model.travel_weight
    total = 0.0
    feasible = True
    works = []
    xc = model.xcost
    for k in range(m):
        r = routes[k]
        if not r:
            works.append(0.0)
            continue
        st, en = n + k, n + m + k
        seg = model.seg
        s = seg[st]
        for i in r:
            s = cat(s, seg[i], T)
        s = cat(s, seg[en], T)
        dep = (
            max(model.shift_start[k], s[3])
            if s[2] <= 1e-9
            else max(model.shift_start[k], model.tw_start[r[0]] - T[st][r[0]])
        )
        t = dep
        prev = st
        travel = late = load = 0.0
        for i in r:
            d = T[prev][i]
            travel += d
            a = t + d
            if a < model.tw_start[i]:
                a = model.tw_start[i]
            if a > model.tw_end_exact[i] + 1e-9:
                if model.soft[i]:
                    late += a - model.tw_end_exact[i]
                else:
                    feasible = False
            t = a + model.service[i]
            load += model.demand[i]
            prev = i
            if xc is not None:
                total += xc[k][i]
        d = T[prev][en]
        travel += d
        t += d
        if t > model.shift_end[k] + 1e-9 or load > model.cap[k] + 1e-9:
            feasible = False
        works.append(t - dep)
        total += tw * travel + model.lateness_weight * late + model.work_weight * (t - dep)
    if model.imbalance_weight > 0:
        mean = sum(works) / m
        total += model.imbalance_weight * sum(abs(w - mean) for w in works) / m
    for i in unserved:
        if model.mandatory[i]:
            total += model.penalty[i]
        else:
            total += model.unserved_weight * model.priority[i]
    return total, feasible
