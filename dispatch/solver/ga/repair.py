"""Last-resort repair: drop tasks from violating routes until every route is feasible.

The GA normally returns a feasible plan from its hall of fame; if the
budget was too short to find one, this turns the best penalised plan into
a feasible one by removing, from each violating route, the task whose
removal helps most (optional tasks before mandatory ones). Removed tasks
come back as unserved with a reason rather than violating a hard rule.
"""

from __future__ import annotations

from .model import SearchModel


def _route_violation(md: SearchModel, k: int, r: list) -> float:
    T = md.T
    n, m = md.n, md.m
    t = md.shift_start[k]
    prev = n + k
    warp = 0.0
    load = 0.0
    for i in r:
        a = t + T[prev][i]
        if a < md.tw_start[i]:
            a = md.tw_start[i]
        if not md.soft[i] and a > md.tw_end_exact[i]:
            warp += a - md.tw_end_exact[i]
        t = a + md.service[i]
        load += md.demand[i]
        prev = i
    t += T[prev][n + m + k]
    if t > md.shift_end[k]:
        warp += t - md.shift_end[k]
    if load > md.cap[k]:
        warp += 1e6 * (load - md.cap[k])
    return warp


def make_feasible(md: SearchModel, routes: list, unserved: list) -> tuple[list, list]:
    routes = [list(r) for r in routes]
    unserved = list(unserved)
    for k, r in enumerate(routes):
        v = _route_violation(md, k, r)
        while v > 1e-9 and r:
            best = None
            for p, i in enumerate(r):
                cand = r[:p] + r[p + 1 :]
                vv = _route_violation(md, k, cand)
                key = (md.mandatory[i], vv, md.priority[i], p)
                if best is None or key < best[0]:
                    best = (key, p, vv)
            _, p, v = best
            unserved.append(r.pop(p))
        routes[k] = r
    return routes, unserved
