"""Independent feasibility checker.

Deliberately shares no code with the search or ``cost.py``: it re-reads
the raw Problem, simulates each route itself (leaving at shift start,
which is never worse for feasibility) and recomputes radius distances
with its own haversine. Every result passes through here before it is
returned, and the benchmarks report its verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .problem import Problem

EPS = 1e-6


@dataclass(frozen=True)
class Violation:
    kind: str
    message: str
    task_id: str | None = None
    specialist_id: str | None = None


@dataclass(frozen=True)
class CheckReport:
    violations: tuple

    @property
    def ok(self) -> bool:
        return not self.violations

    def kinds(self) -> set:
        return {v.kind for v in self.violations}


def _km(a, b) -> float:
    r = 6371.0088
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def check(
    problem: Problem,
    routes: Mapping[str, Sequence[str]],
    unserved: Mapping[str, str],
    allow_cross_district: bool = False,
) -> CheckReport:
    """Check a plan: ``routes`` specialist id -> task ids in order, ``unserved`` id -> reason."""
    v: list[Violation] = []
    tix = {t.id: i for i, t in enumerate(problem.tasks)}
    six = {s.id: k for k, s in enumerate(problem.specialists)}
    seen: dict[str, str] = {}
    T = problem.travel
    n, m = len(problem.tasks), len(problem.specialists)
    for sid, tids in routes.items():
        if sid not in six:
            v.append(Violation("unknown_specialist", f"unknown specialist {sid!r}", None, sid))
            continue
        k = six[sid]
        s = problem.specialists[k]
        levels = dict(s.skills)
        t = s.shift_start
        prev = n + k
        load = 0.0
        for tid in tids:
            if tid not in tix:
                v.append(
                    Violation("unknown_task", f"unknown task {tid!r} in route of {sid}", tid, sid)
                )
                continue
            if tid in seen:
                v.append(
                    Violation(
                        "duplicate", f"task {tid} served twice ({seen[tid]} and {sid})", tid, sid
                    )
                )
            seen[tid] = sid
            i = tix[tid]
            task = problem.tasks[i]
            for name, lvl in task.skills:
                if levels.get(name, -1) < lvl:
                    v.append(
                        Violation(
                            "skill",
                            f"{sid} lacks skill {name} level {lvl} for task {tid}",
                            tid,
                            sid,
                        )
                    )
            if task.pinned_to is not None and task.pinned_to != sid:
                v.append(
                    Violation(
                        "pinned",
                        f"task {tid} is pinned to {task.pinned_to} but routed to {sid}",
                        tid,
                        sid,
                    )
                )
            if (
                s.radius_km is not None
                and not allow_cross_district
                and task.pinned_to is None
                and task.location is not None
            ):
                d = _km(s.start, task.location)
                if d > s.radius_km + 1e-6:
                    v.append(
                        Violation(
                            "radius",
                            f"task {tid} is {d:.2f} km from {sid}, radius {s.radius_km} km",
                            tid,
                            sid,
                        )
                    )
            load += task.demand
            arr = t + float(T[prev][i])
            start = arr if arr > task.tw_start else task.tw_start
            if not task.soft_window and start > task.tw_end + EPS:
                v.append(
                    Violation(
                        "window",
                        f"mandatory task {tid} starts at {start:.2f} "
                        f"after window end {task.tw_end:.2f}",
                        tid,
                        sid,
                    )
                )
            t = start + task.service
            prev = i
        ret = t + float(T[prev][n + m + k])
        if ret > s.shift_end + EPS:
            v.append(
                Violation(
                    "shift_end",
                    f"{sid} returns at {ret:.2f} after shift end {s.shift_end:.2f}",
                    None,
                    sid,
                )
            )
        if load > s.capacity + EPS:
            v.append(
                Violation(
                    "capacity", f"{sid} load {load:g} exceeds capacity {s.capacity:g}", None, sid
                )
            )
    for tid, reason in unserved.items():
        if tid not in tix:
            v.append(Violation("unknown_task", f"unknown task {tid!r} in unserved list", tid))
            continue
        if tid in seen:
            v.append(Violation("duplicate", f"task {tid} is both served and unserved", tid))
        task = problem.tasks[tix[tid]]
        if task.pinned_to is not None and not reason:
            v.append(Violation("pinned", f"pinned task {tid} dropped without reason", tid))
        if not reason:
            v.append(
                Violation("unserved_without_reason", f"task {tid} unserved without a reason", tid)
            )
    for t in problem.tasks:
        if t.id not in seen and t.id not in unserved:
            v.append(
                Violation("missing", f"task {t.id} neither served nor reported unserved", t.id)
            )
    return CheckReport(tuple(v))
