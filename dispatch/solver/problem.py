"""Immutable problem data: tasks, specialists and a travel-time matrix.

Everything is frozen so a Problem can be shared between processes, cached
and hashed by identity without defensive copies. Times are minutes from an
arbitrary origin (e.g. midnight); the solver never assumes a unit beyond
"the travel matrix and the windows use the same one".

Location indexing in ``Problem.travel`` (N = n_tasks + 2 * n_specialists):
    task i          -> i
    start of spec k -> n_tasks + k
    end of spec k   -> n_tasks + n_specialists + k
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .travel import CoordinateTravel

LatLon = tuple[float, float]


def _norm_skills(skills) -> tuple[tuple[str, int], ...]:
    if skills is None:
        return ()
    items = skills.items() if isinstance(skills, Mapping) else skills
    out = {}
    for name, level in items:
        if not isinstance(name, str) or not name:
            raise ValueError(f"skill name must be a non-empty str, got {name!r}")
        level = int(level)
        if level < 0:
            raise ValueError(f"skill level must be >= 0, got {level} for {name!r}")
        out[name] = max(level, out.get(name, 0))
    return tuple(sorted(out.items()))


def _norm_loc(loc) -> LatLon | None:
    if loc is None:
        return None
    lat, lon = (float(loc[0]), float(loc[1]))
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"location must be finite, got {loc!r}")
    return (lat, lon)


@dataclass(frozen=True)
class Task:
    """One shop visit.

    ``soft_window`` defaults to "not mandatory": a mandatory task must start
    inside its window, an optional task may start late at a lateness cost.
    ``pinned_to`` names the specialist who already accepted the task.
    """

    id: str
    location: LatLon | None = None
    service: float = 0.0
    tw_start: float = 0.0
    tw_end: float = math.inf
    priority: float = 1.0
    skills: tuple = ()
    mandatory: bool = False
    pinned_to: str | None = None
    demand: float = 0.0
    district: str | None = None
    soft_window: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"task id must be a non-empty str, got {self.id!r}")
        object.__setattr__(self, "skills", _norm_skills(self.skills))
        object.__setattr__(self, "location", _norm_loc(self.location))
        if self.soft_window is None:
            object.__setattr__(self, "soft_window", not self.mandatory)
        for name in ("service", "tw_start", "priority", "demand"):
            v = float(getattr(self, name))
            if not math.isfinite(v) or v < 0:
                raise ValueError(f"task {self.id}: {name} must be finite and >= 0, got {v!r}")
            object.__setattr__(self, name, v)
        object.__setattr__(self, "tw_end", float(self.tw_end))
        if self.tw_end < self.tw_start:
            raise ValueError(f"task {self.id}: tw_end {self.tw_end} < tw_start {self.tw_start}")


@dataclass(frozen=True)
class Specialist:
    """A field specialist's day: where they start/end, shift, skills, radius."""

    id: str
    start: LatLon | None = None
    end: LatLon | None = None
    shift_start: float = 0.0
    shift_end: float = math.inf
    skills: tuple = ()
    radius_km: float | None = None
    district: str | None = None
    capacity: float = math.inf

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"specialist id must be a non-empty str, got {self.id!r}")
        object.__setattr__(self, "skills", _norm_skills(self.skills))
        object.__setattr__(self, "start", _norm_loc(self.start))
        end = self.end if self.end is not None else self.start
        object.__setattr__(self, "end", _norm_loc(end))
        object.__setattr__(self, "shift_start", float(self.shift_start))
        object.__setattr__(self, "shift_end", float(self.shift_end))
        object.__setattr__(self, "capacity", float(self.capacity))
        if self.shift_end < self.shift_start:
            raise ValueError(f"specialist {self.id}: shift_end < shift_start")
        if self.capacity < 0:
            raise ValueError(f"specialist {self.id}: capacity must be >= 0")
        if self.radius_km is not None:
            r = float(self.radius_km)
            if not r > 0:
                raise ValueError(f"specialist {self.id}: radius_km must be > 0 or None")
            object.__setattr__(self, "radius_km", r)

    def level(self, skill: str) -> int:
        for name, lvl in self.skills:
            if name == skill:
                return lvl
        return -1


@dataclass(frozen=True, eq=False)
class Problem:
    """The day's planning problem. Build with ``from_coordinates`` or ``from_matrix``."""

    tasks: tuple
    specialists: tuple
    travel: np.ndarray = field(repr=False)
    name: str = "problem"

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))
        object.__setattr__(self, "specialists", tuple(self.specialists))
        n, m = len(self.tasks), len(self.specialists)
        if m == 0:
            raise ValueError("a problem needs at least one specialist")
        ids = [t.id for t in self.tasks]
        if len(set(ids)) != n:
            raise ValueError("task ids must be unique")
        sids = [s.id for s in self.specialists]
        if len(set(sids)) != m:
            raise ValueError("specialist ids must be unique")
        sset = set(sids)
        for t in self.tasks:
            if t.pinned_to is not None and t.pinned_to not in sset:
                raise ValueError(f"task {t.id} pinned to unknown specialist {t.pinned_to!r}")
        mat = np.array(self.travel, dtype=float)
        size = n + 2 * m
        if mat.shape != (size, size):
            raise ValueError(f"travel matrix must be {size}x{size}, got {mat.shape}")
        if not np.all(np.isfinite(mat)) or np.any(mat < 0):
            raise ValueError("travel matrix must be finite and non-negative")
        mat.setflags(write=False)
        object.__setattr__(self, "travel", mat)
        for s in self.specialists:
            if s.radius_km is not None and s.start is None:
                raise ValueError(f"specialist {s.id}: radius_km needs a start location")

    # -- construction -------------------------------------------------
    @classmethod
    def from_coordinates(
        cls,
        tasks: Iterable[Task],
        specialists: Iterable[Specialist],
        travel_model: CoordinateTravel | None = None,
        name: str = "problem",
    ) -> Problem:
        """Travel times from haversine x road factor / speed (all locations needed)."""
        tasks, specialists = tuple(tasks), tuple(specialists)
        travel_model = travel_model if travel_model is not None else CoordinateTravel()
        pts = (
            [t.location for t in tasks]
            + [s.start for s in specialists]
            + [s.end for s in specialists]
        )
        if any(p is None for p in pts):
            raise ValueError("from_coordinates needs a location for every task and specialist")
        return cls(tasks, specialists, travel_model.matrix(np.array(pts, dtype=float)), name)

    @classmethod
    def from_matrix(cls, tasks, specialists, travel, name: str = "problem") -> Problem:
        """Travel times given explicitly, indexed as described in the module doc."""
        return cls(tuple(tasks), tuple(specialists), np.asarray(travel, dtype=float), name)

    # -- indexing -----------------------------------------------------
    @property
    def n_tasks(self) -> int:
        return len(self.tasks)

    @property
    def n_specialists(self) -> int:
        return len(self.specialists)

    def start_loc(self, k: int) -> int:
        return self.n_tasks + k

    def end_loc(self, k: int) -> int:
        return self.n_tasks + self.n_specialists + k

    def task_index(self) -> dict:
        return {t.id: i for i, t in enumerate(self.tasks)}

    def specialist_index(self) -> dict:
        return {s.id: k for k, s in enumerate(self.specialists)}

    def subset(
        self, task_ids: Sequence[str], specialist_ids: Sequence[str], name: str | None = None
    ) -> Problem:
        """A smaller problem (used for decomposition); travel rows are sliced, not recomputed."""
        ti, si = self.task_index(), self.specialist_index()
        tsel = [ti[t] for t in task_ids]
        ssel = [si[s] for s in specialist_ids]
        sset = set(specialist_ids)
        tasks = []
        for i in tsel:
            t = self.tasks[i]
            if t.pinned_to is not None and t.pinned_to not in sset:
                raise ValueError(
                    f"subset drops specialist {t.pinned_to} but keeps its pinned task {t.id}"
                )
            tasks.append(t)
        locs = tsel + [self.start_loc(k) for k in ssel] + [self.end_loc(k) for k in ssel]
        locs = np.array(locs, dtype=int)
        mat = self.travel[np.ix_(locs, locs)]
        return Problem(
            tuple(tasks), tuple(self.specialists[k] for k in ssel), mat, name or self.name
        )
