"""Last-resort repair: drop tasks from violating routes until every route is feasible.

The GA normally returns a feasible plan from its hall of fame; if the
budget was too short to find one, this turns the best penalised plan into
a feasible one by removing, from each violating route, the task whose
removal helps most (optional tasks before mandatory ones). Removed tasks
come back as unserved with a reason rather than violating a hard rule.
"""

from __future__ import annotations

from .model import SearchModel


def _route_violation(model: SearchModel, k: int, r: list) -> float:
    T = model.T
    n, m = model.n, model.m
    t = model.shift_start[k]
    prev = n + k
    warp = 0.0
    load = 0.0
    for i in r:
        a = t + T[prev][i]
        if a < model.tw_start[i]:
            a = model.tw_start[i]
        if not model.soft[i] and a > model.tw_end_exact[i]:
            warp += a - model.tw_end_exact[i]
        t = a + model.service[i]
        load += model.demand[i]
        prev = i
    t += T[prev][n + m + k]
    if t > model.shift_end[k]:
        warp += t - model.shift_end[k]
    if load > model.cap[k]:
        warp += 1e6 * (load - model.cap[k])
    return warp


def make_feasible(model: SearchModel, routes: list, unserved: list) -> tuple[list, list]:
    routes = [list(r) for r in routes]
    unserved = list(unserved)
    for k, r in enumerate(routes):
        v = _route_violation(model, k, r)
        while v > 1e-9 and r:
            best = None
            for p, i in enumerate(r):
                cand = r[:p] + r[p + 1 :]
                vv = _route_violation(model, k, cand)
                key = (model.mandatory[i], vv, model.priority[i], p)
                if best is None or key < best[0]:
                    best = (key, p, vv)
            _, p, v = best
            unserved.append(r.pop(p))
        routes[k] = r
    return routes, unserved
