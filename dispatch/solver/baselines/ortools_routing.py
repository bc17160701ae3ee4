"""OR-Tools routing model of the same Problem (baseline and final refinement).

Optional tasks are disjunctions with penalty priority x unserved_weight;
mandatory and pinned tasks get a prohibitive penalty (so the model never
becomes infeasible, the task just comes back unserved); skills, radius
and pins become allowed-vehicle lists; windows and shift end are cumul
ranges on a time dimension (soft windows use a soft upper bound);
capacity is a second dimension. Not modelled here: imbalance and the
cross-district cost term (they are still charged when results are scored).

OR-Tools needs integers: costs are scaled by ``scale``; times are rounded
*up* and window ends *down*, so an integer-feasible plan is feasible in the
original float data as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from ..eligibility import Eligibility, compute_eligibility
from ..params import Params
from ..problem import Problem

BIG_TIME = 10**12


def _ceil(x: float, s: int) -> int:
    return int(math.ceil(x * s - 1e-6))


def _floor(x: float, s: int) -> int:
    return int(math.floor(x * s + 1e-6))


def solve_ortools(
    problem: Problem,
    params: Params | None = None,
    seconds: float = 10.0,
    initial_routes: Sequence[Sequence[int]] | None = None,
    solution_limit: int | None = None,
    elig: Eligibility | None = None,
    scale: int = 100,
) -> tuple[list, list]:
    """Returns (routes per specialist as task indices, unserved task indices)."""
    params = params if params is not None else Params()
    elig = elig if elig is not None else compute_eligibility(problem, params)
    n, m = problem.n_tasks, problem.n_specialists
    active = [i for i in range(n) if elig.allowed[:, i].any()]
    inactive = [i for i in range(n) if not elig.allowed[:, i].any()]
    if not active:
        return [[] for _ in range(m)], inactive
    locs = active + [n + k for k in range(m)] + [n + m + k for k in range(m)]
    A = len(active)
    node_of_task = {t: j for j, t in enumerate(active)}
    T = problem.travel[np.ix_(locs, locs)]
    service = np.array([problem.tasks[i].service for i in active] + [0.0] * (2 * m))
    cost = np.rint(T * params.travel_weight * scale).astype(np.int64)
    tmat = (
        np.ceil(T * scale - 1e-6).astype(np.int64)
        + np.ceil(service * scale - 1e-6).astype(np.int64)[:, None]
    )
    manager = pywrapcp.RoutingIndexManager(
        len(locs), m, [A + k for k in range(m)], [A + m + k for k in range(m)]
    )
    routing = pywrapcp.RoutingModel(manager)
    ci = routing.RegisterTransitMatrix(cost.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(ci)
    ti = routing.RegisterTransitMatrix(tmat.tolist())
    ends = [s.shift_end for s in problem.specialists]
    horizon = (
        max(
            [_floor(e, scale) for e in ends if math.isfinite(e)]
            + [_ceil(t.tw_start, scale) for t in problem.tasks]
            + [1]
        )
        + 10 * scale
    )
    if not all(math.isfinite(e) for e in ends):
        horizon = max(horizon, int(tmat.sum(axis=1).max()) + horizon)
    routing.AddDimension(ti, horizon, horizon, False, "Time")
    td = routing.GetDimensionOrDie("Time")
    big_pen = 10**12
    lw = params.lateness_weight
    for j, i in enumerate(active):
        t = problem.tasks[i]
        idx = manager.NodeToIndex(j)
        hi = _floor(t.tw_end, scale) if math.isfinite(t.tw_end) else horizon
        lo = _ceil(t.tw_start, scale)
        if t.soft_window:
            td.CumulVar(idx).SetRange(min(lo, horizon), horizon)
            if math.isfinite(t.tw_end) and lw > 0:
                td.SetCumulVarSoftUpperBound(idx, hi, max(1, int(round(lw))))
        else:
            td.CumulVar(idx).SetRange(lo, max(lo, min(hi, horizon)) if hi >= lo else lo)
            if hi < lo:
                td.CumulVar(idx).SetRange(lo, lo)
        allowed = [int(k) for k in np.nonzero(elig.allowed[:, i])[0]]
        if len(allowed) < m:
            routing.VehicleVar(idx).SetValues([-1] + allowed)
        hard = t.mandatory or t.pinned_to is not None
        pen = big_pen if hard else int(round(params.unserved_weight * t.priority * scale))
        routing.AddDisjunction([idx], pen)
    for k, s in enumerate(problem.specialists):
        se = _floor(s.shift_end, scale) if math.isfinite(s.shift_end) else horizon
        ss = _ceil(s.shift_start, scale)
        td.CumulVar(routing.Start(k)).SetRange(ss, max(ss, se))
        td.CumulVar(routing.End(k)).SetRange(ss, max(ss, se))
    demands = [problem.tasks[i].demand for i in active]
    caps = [s.capacity for s in problem.specialists]
    if any(d > 0 for d in demands) and any(math.isfinite(c) for c in caps):
        ds = 1 if all(float(d).is_integer() for d in demands) else 100
        dv = [_ceil(d, ds) for d in demands] + [0] * (2 * m)
        cv = [_floor(c, ds) if math.isfinite(c) else 10**12 for c in caps]
        di = routing.RegisterUnaryTransitVector(dv)
        routing.AddDimensionWithVehicleCapacity(di, 0, cv, True, "Capacity")
    if params.work_weight > 0:
        td.SetSpanCostCoefficientForAllVehicles(max(1, int(round(params.work_weight))))
    for k in range(m):
        routing.AddVariableMaximizedByFinalizer(td.CumulVar(routing.Start(k)))
        routing.AddVariableMinimizedByFinalizer(td.CumulVar(routing.End(k)))
    sp = pywrapcp.DefaultRoutingSearchParameters()
    sp.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    sp.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    sp.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    if solution_limit is not None:
        sp.solution_limit = int(solution_limit)
    sol = None
    if initial_routes is not None:
        routing.CloseModelWithParameters(sp)
        init = [[node_of_task[i] for i in r if i in node_of_task] for r in initial_routes]
        a0 = routing.ReadAssignmentFromRoutes(init, True)
        if a0 is not None:
            sol = routing.SolveFromAssignmentWithParameters(a0, sp)
    else:
        sol = routing.SolveWithParameters(sp)
    if sol is None:
        if initial_routes is not None:
            return [list(r) for r in initial_routes], None
        return [[] for _ in range(m)], list(range(n))
    routes = []
    served = set()
    for k in range(m):
        idx = routing.Start(k)
        r = []
        idx = sol.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            t = active[manager.IndexToNode(idx)]
            r.append(t)
            served.add(t)
            idx = sol.Value(routing.NextVar(idx))
        routes.append(r)
    unserved = [i for i in range(n) if i not in served]
    return routes, unserved
