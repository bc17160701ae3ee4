"""Result types: plain data the Django side can store as JSON (``to_dict``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, kw_only=True)
class Visit:
    task_id: str
    arrival: float
    start: float
    end: float
    wait: float
    lateness: float
    travel_in: float


@dataclass(frozen=True, kw_only=True)
class RouteResult:
    specialist_id: str
    task_ids: tuple
    visits: tuple
    departure: float
    return_time: float
    travel: float
    service: float
    wait: float
    lateness: float
    work: float
    load: float
    cross_district_tasks: int


@dataclass(frozen=True)
class Unserved:
    task_id: str
    reason: str
    mandatory: bool
    priority: float


@dataclass(frozen=True, kw_only=True)
class CostBreakdown:
    total: float
    travel: float
    lateness: float
    unserved_penalty: float
    imbalance: float
    cross_district: float
    work: float
    travel_minutes: float
    lateness_minutes: float
    imbalance_minutes: float
    work_minutes: float
    served_priority: float
    unserved_priority: float
    n_served: int
    n_unserved: int


@dataclass(frozen=True)
class Result:
    routes: tuple
    unserved: tuple
    cost: CostBreakdown
    explanations: dict
    feasible: bool
    violations: tuple
    stats: dict = field(default_factory=dict)

    def route_of(self, specialist_id: str) -> tuple:
        for r in self.routes:
            if r.specialist_id == specialist_id:
                return r.task_ids
        raise KeyError(specialist_id)

    def assignment(self) -> dict:
        """task id -> specialist id for every served task."""
        return {t: r.specialist_id for r in self.routes for t in r.task_ids}

    def to_dict(self) -> dict:
        """JSON-ready dict (only str/float/int/bool/list/dict inside)."""
        d = asdict(self)
        d["violations"] = list(self.violations)
        return d
