"""Who may serve what, and why not: hard per-pair constraints evaluated once.

Returns both a boolean matrix (used by every search component) and, for
tasks that no specialist can take, a human-readable reason so they come
back as unserved instead of being dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .params import Params
from .problem import Problem
from .travel import haversine_km


@dataclass(frozen=True)
class Eligibility:
    allowed: np.ndarray  # (m, n) bool
    reasons: dict  # task index -> reason, for tasks with no allowed specialist
    cross: np.ndarray  # (m, n) bool: serving would be cross-district help
    # task index -> what ruled it out ("skill", "radius", "capacity", "window" or "other"),
    # for callers that word the reason themselves (the platform, in the user's language)
    kinds: dict = field(default_factory=dict)


def _skill_ok(spec, task) -> tuple[bool, str]:
    for name, lvl in task.skills:
        if spec.level(name) < lvl:
            return False, f"{name} level {lvl}"
    return True, ""


def compute_eligibility(problem: Problem, params: Params) -> Eligibility:
    n, m = problem.n_tasks, problem.n_specialists
    T = problem.travel
    allowed = np.zeros((m, n), dtype=bool)
    cross = np.zeros((m, n), dtype=bool)
    reasons: dict = {}
    kinds: dict = {}
    sidx = problem.specialist_index()
    # radius distances, vectorised per specialist
    km = np.zeros((m, n))
    if any(s.radius_km is not None for s in problem.specialists) and n:
        for t in problem.tasks:
            if t.location is None:
                raise ValueError(f"task {t.id} has no location but specialists have a radius")
        lat = np.array([t.location[0] for t in problem.tasks])
        lon = np.array([t.location[1] for t in problem.tasks])
        for k, s in enumerate(problem.specialists):
            if s.radius_km is not None:
                km[k] = haversine_km(s.start[0], s.start[1], lat, lon)
    for i, t in enumerate(problem.tasks):
        cands = range(m) if t.pinned_to is None else [sidx[t.pinned_to]]
        why = {"skill": [], "radius": 0, "window": 0, "capacity": 0}
        for k in cands:
            s = problem.specialists[k]
            ok, missing = _skill_ok(s, t)
            if not ok:
                why["skill"].append(missing)
                continue
            if t.demand > s.capacity:
                why["capacity"] += 1
                continue
            if (
                s.radius_km is not None
                and not params.allow_cross_district
                and t.pinned_to is None
                and km[k, i] > s.radius_km + 1e-9
            ):
                why["radius"] += 1
                continue
            st, en = problem.start_loc(k), problem.end_loc(k)
            arrive = max(s.shift_start + T[st, i], t.tw_start)
            if (not t.soft_window) and arrive > t.tw_end + 1e-9:
                why["window"] += 1
                continue
            if arrive + t.service + T[i, en] > s.shift_end + 1e-9:
                why["window"] += 1
                continue
            allowed[k, i] = True
            cross[k, i] = (
                t.district is not None and s.district is not None and t.district != s.district
            )
        if not allowed[:, i].any():
            pin = f"pinned specialist {t.pinned_to}: " if t.pinned_to is not None else ""
            if why["skill"] and len(why["skill"]) == len(cands):
                kinds[i] = "skill"
                if pin:
                    reasons[i] = f"{pin}lacks skill {why['skill'][0]}"
                else:
                    missing = [
                        f"{name} level {lvl}"
                        for name, lvl in t.skills
                        if all(s.level(name) < lvl for s in problem.specialists)
                    ]
                    if missing:
                        reasons[i] = f"no specialist has skill {missing[0]}"
                    else:
                        need = ", ".join(f"{name} {lvl}" for name, lvl in t.skills)
                        reasons[i] = f"no specialist has all required skills ({need})"
            elif why["radius"] and not why["window"] and not why["capacity"]:
                kinds[i] = "radius"
                reasons[i] = f"{pin}outside every radius"
            elif why["capacity"] and not why["window"]:
                kinds[i] = "capacity"
                reasons[i] = f"{pin}demand exceeds every capacity"
            elif why["window"]:
                kinds[i] = "window"
                reasons[i] = f"{pin}window cannot be met (travel/shift of every skilled specialist)"
            else:
                kinds[i] = "other"
                reasons[i] = f"{pin}no eligible specialist"
    return Eligibility(allowed, reasons, cross, kinds)
