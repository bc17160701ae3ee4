"""Exact schedule and cost of a plan (the numbers reported to the platform).

The search uses a faster penalised approximation (time warp); everything
that is returned is re-evaluated here with a plain forward simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ga.segments import cat
from .params import Params
from .problem import Problem
from .result import CostBreakdown, RouteResult, Visit


def min_duration_departure(problem: Problem, k: int, idxs: Sequence[int]) -> float:
    """Departure that minimises the day's length (no idle time that leaving later avoids).

    Uses the segment algebra: for a time-feasible route, leaving at the
    route's earliest-start E gives the minimal duration. For an infeasible
    route (only seen in diagnostics) fall back to "arrive at the first
    window opening".
    """
    s = problem.specialists[k]
    T = problem.travel
    n, m = problem.n_tasks, problem.n_specialists

    class _Row:
        def __init__(self, a):
            self.a = a

        def __getitem__(self, b):
            return float(T[self.a, b])

    class _M:
        def __getitem__(self, a):
            return _Row(a)

    M = _M()
    big = 1e18
    seg = (
        0.0,
        0.0,
        0.0,
        s.shift_start,
        s.shift_end if s.shift_end < big else big,
        0.0,
        n + k,
        n + k,
    )
    for i in idxs:
        t = problem.tasks[i]
        seg = cat(seg, (0.0, t.service, 0.0, t.tw_start, min(t.tw_end, big), 0.0, i, i), M)
    seg = cat(
        seg, (0.0, 0.0, 0.0, s.shift_start, min(s.shift_end, big), 0.0, n + m + k, n + m + k), M
    )
    if seg[2] <= 1e-9:
        return max(s.shift_start, seg[3])
    first = idxs[0]
    return max(s.shift_start, problem.tasks[first].tw_start - float(T[n + k, first]))


def schedule_route(problem: Problem, k: int, idxs: Sequence[int]) -> RouteResult:
    """Forward schedule: leave as late as useful, wait for window opens, start late if soft."""
    s = problem.specialists[k]
    T = problem.travel
    st, en = problem.start_loc(k), problem.end_loc(k)
    tasks = problem.tasks
    if not idxs:
        return RouteResult(
            specialist_id=s.id,
            task_ids=(),
            visits=(),
            departure=s.shift_start,
            return_time=s.shift_start,
            travel=0.0,
            service=0.0,
            wait=0.0,
            lateness=0.0,
            work=0.0,
            load=0.0,
            cross_district_tasks=0,
        )
    dep = min_duration_departure(problem, k, idxs)
    t = dep
    prev = st
    visits = []
    travel = service = wait = late = load = 0.0
    cross = 0
    for i in idxs:
        task = tasks[i]
        d = float(T[prev, i])
        travel += d
        arr = t + d
        start = max(arr, task.tw_start)
        w = start - arr
        lt = max(0.0, start - task.tw_end)
        end = start + task.service
        visits.append(
            Visit(
                task_id=task.id,
                arrival=arr,
                start=start,
                end=end,
                wait=w,
                lateness=lt,
                travel_in=d,
            )
        )
        wait += w
        late += lt
        service += task.service
        load += task.demand
        if task.district is not None and s.district is not None and task.district != s.district:
            cross += 1
        t = end
        prev = i
    d = float(T[prev, en])
    travel += d
    ret = t + d
    return RouteResult(
        specialist_id=s.id,
        task_ids=tuple(tasks[i].id for i in idxs),
        visits=tuple(visits),
        departure=dep,
        return_time=ret,
        travel=travel,
        service=service,
        wait=wait,
        lateness=late,
        work=ret - dep,
        load=load,
        cross_district_tasks=cross,
    )


def evaluate(
    problem: Problem, params: Params, routes: Sequence[Sequence[int]], unserved: Sequence[int]
) -> tuple[tuple, CostBreakdown]:
    """Route results for every specialist (index order) and the cost breakdown."""
    rr = tuple(schedule_route(problem, k, routes[k]) for k in range(problem.n_specialists))
    travel = sum(r.travel for r in rr)
    late = sum(r.lateness for r in rr)
    cross = sum(r.cross_district_tasks for r in rr)
    works = [r.work for r in rr]
    mean = sum(works) / len(works)
    mad = sum(abs(w - mean) for w in works) / len(works)
    tasks = problem.tasks
    served_pri = sum(tasks[i].priority for r in routes for i in r)
    unserved_pri = sum(tasks[i].priority for i in unserved)
    c_travel = params.travel_weight * travel
    c_late = params.lateness_weight * late
    c_un = params.unserved_weight * unserved_pri
    c_imb = params.imbalance_weight * mad
    c_cross = params.cross_district_weight * cross
    c_work = params.work_weight * sum(works)
    n_served = sum(len(r.task_ids) for r in rr)
    cb = CostBreakdown(
        total=c_travel + c_late + c_un + c_imb + c_cross + c_work,
        travel=c_travel,
        lateness=c_late,
        unserved_penalty=c_un,
        imbalance=c_imb,
        cross_district=c_cross,
        work=c_work,
        travel_minutes=travel,
        lateness_minutes=late,
        imbalance_minutes=mad,
        work_minutes=sum(works),
        served_priority=served_pri,
        unserved_priority=unserved_pri,
        n_served=n_served,
        n_unserved=len(unserved),
    )
    return rr, cb
