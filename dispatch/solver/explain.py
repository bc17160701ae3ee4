"""Per-task explanations ("why this assignment") as JSON-ready dicts."""

from __future__ import annotations

from .eligibility import Eligibility
from .params import Params
from .problem import Problem
from .travel import haversine_km


def explain(
    problem: Problem,
    params: Params,
    elig: Eligibility,
    routes: list,
    route_results: tuple,
    unserved_reasons: dict,
) -> dict:
    out: dict = {}
    T = problem.travel
    n, m = problem.n_tasks, problem.n_specialists
    for k, (r, rr) in enumerate(zip(routes, route_results, strict=True)):
        s = problem.specialists[k]
        nodes = [n + k] + list(r) + [n + m + k]
        for p, (i, v) in enumerate(zip(r, rr.visits, strict=True), start=1):
            t = problem.tasks[i]
            detour = float(T[nodes[p - 1], i] + T[i, nodes[p + 1]] - T[nodes[p - 1], nodes[p + 1]])
            checks = {}
            checks["skills"] = (
                "ok"
                if not t.skills
                else "ok: " + ", ".join(f"{name} {s.level(name)}>={lvl}" for name, lvl in t.skills)
            )
            if t.pinned_to is not None:
                checks["pinned"] = f"ok: pinned to {t.pinned_to}"
            if s.radius_km is not None and t.location is not None:
                d = float(haversine_km(s.start[0], s.start[1], t.location[0], t.location[1]))
                if t.pinned_to is not None or params.allow_cross_district:
                    checks["radius"] = f"waived: {d:.2f} km (radius {s.radius_km} km)"
                else:
                    checks["radius"] = f"ok: {d:.2f} km <= {s.radius_km} km"
            if v.lateness > 0:
                checks["window"] = f"soft window: late by {v.lateness:.1f} min"
            else:
                checks["window"] = f"ok: starts {v.start:.1f} in [{t.tw_start:g}, {t.tw_end:g}]"
            checks["shift_end"] = f"ok: {s.id} returns {rr.return_time:.1f} <= {s.shift_end:g}"
            cross = bool(elig.cross[k, i])
            out[t.id] = {
                "status": "served",
                "specialist": s.id,
                "position": p,
                "arrival": round(v.arrival, 3),
                "start": round(v.start, 3),
                "wait": round(v.wait, 3),
                "cost_terms": {
                    "travel_in": round(params.travel_weight * v.travel_in, 3),
                    "detour": round(params.travel_weight * detour, 3),
                    "lateness": round(params.lateness_weight * v.lateness, 3),
                    "cross_district": params.cross_district_weight if cross else 0.0,
                    "unserved_penalty_avoided": round(params.unserved_weight * t.priority, 3),
                },
                "cross_district": cross,
                "eligible_specialists": int(elig.allowed[:, i].sum()),
                "checks": checks,
            }
    for i, reason in unserved_reasons.items():
        t = problem.tasks[i]
        out[t.id] = {
            "status": "unserved",
            "reason": reason,
            "mandatory": bool(t.mandatory),
            "cost_terms": {"unserved_penalty": round(params.unserved_weight * t.priority, 3)},
            "eligible_specialists": int(elig.allowed[:, i].sum()),
        }
    return out
