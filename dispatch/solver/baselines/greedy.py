"""Today's manual dispatch: first come, first served, nearest free specialist.

Tasks are taken in order of their window opening (the order they "come
in"); each goes to the specialist of the task's district (anyone eligible
if no district specialist can) who can reach it earliest from where they
currently are, appended at the end of their day if that stays feasible.
No re-ordering, no look-ahead: this is the baseline the GA must beat.
"""

from __future__ import annotations

from ..eligibility import compute_eligibility
from ..params import Params
from ..problem import Problem


def solve_greedy(problem: Problem, params: Params | None = None) -> tuple[list, list]:
    params = params if params is not None else Params()
    elig = compute_eligibility(problem, params)
    n, m = problem.n_tasks, problem.n_specialists
    T = problem.travel
    specs = problem.specialists
    pos = [n + k for k in range(m)]
    clock = [s.shift_start for s in specs]
    load = [0.0] * m
    routes = [[] for _ in range(m)]
    unserved = []
    order = sorted(
        range(n), key=lambda i: (problem.tasks[i].tw_start, -problem.tasks[i].priority, i)
    )
    # pinned work first: it is already accepted
    order = [i for i in order if problem.tasks[i].pinned_to is not None] + [
        i for i in order if problem.tasks[i].pinned_to is None
    ]
    for i in order:
        t = problem.tasks[i]
        best = None
        for same_district in (True, False):
            for k in range(m):
                if not elig.allowed[k, i]:
                    continue
                if same_district and t.district is not None and specs[k].district != t.district:
                    continue
                if load[k] + t.demand > specs[k].capacity + 1e-9:
                    continue
                arr = clock[k] + T[pos[k], i]
                start = max(arr, t.tw_start)
                if not t.soft_window and start > t.tw_end + 1e-9:
                    continue
                if start + t.service + T[i, n + m + k] > specs[k].shift_end + 1e-9:
                    continue
                key = (float(T[pos[k], i]), k)
                if best is None or key < best[0]:
                    best = (key, k, start)
            if best is not None:
                break
        if best is None:
            unserved.append(i)
            continue
        _, k, start = best
        routes[k].append(i)
        pos[k] = i
        clock[k] = start + t.service
        load[k] += t.demand
    return routes, unserved
