"""The one place the platform talks to the solver.

Rows (service tasks, specialists) become a ``dispatch.solver.Problem`` in minutes
from local midnight of the service day; a solver ``Result`` becomes a plain JSON
plan that a run stores and applies. Nothing else in the platform imports the solver.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifu.accounts.models import Skill, Specialist

from . import solver
from .choices import PINNED, TaskStatus
from .models import ServiceTask, SpecialistAbsence
from .solver.eligibility import compute_eligibility
from .solver.travel import haversine_km

DEFAULT_TRAVEL = solver.CoordinateTravel(road_factor=1.3, speed_kmh=25.0)


def minutes_of(value: dt.time) -> float:
    return value.hour * 60 + value.minute + value.second / 60


def local_datetime(day: dt.date, minutes: float) -> dt.datetime:
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return midnight + dt.timedelta(minutes=float(minutes))


@dataclass(frozen=True)
class Availability:
    """Where and when a specialist can take new work on the day."""

    location: tuple[float, float]
    from_minute: float


def specialist_availability(*, specialist: Specialist, day: dt.date,
                            now: dt.datetime | None) -> Availability:
    """From the base at shift start; on a re-plan, from where the day's work stands now.

    Work in progress is never moved: its specialist becomes free at its planned
    end, at its shop.
    """
    base = (specialist.base_lat, specialist.base_lng)
    start = minutes_of(specialist.shift_start)
    if now is None or timezone.localdate(now) != day:
        return Availability(base, start)
    now_min = minutes_of(timezone.localtime(now).time())
    busy = (ServiceTask.objects.filter(specialist=specialist, service_date=day,
                                       status__in=(TaskStatus.IN_PROGRESS, TaskStatus.DONE))
            .select_related("retailer").order_by("-checked_in_at", "-completed_at").first())
    if busy is None:
        return Availability(base, max(start, now_min))
    free_at = now_min
    if busy.status == TaskStatus.IN_PROGRESS and busy.checked_in_at:
        began = minutes_of(timezone.localtime(busy.checked_in_at).time())
        free_at = max(now_min, began + busy.service_minutes)
    return Availability((busy.retailer.latitude, busy.retailer.longitude), max(start, free_at))


def travel_minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Minutes from ``a`` to ``b`` by the same travel model the runs use."""
    return float(DEFAULT_TRAVEL.matrix(np.array([a, b], dtype=float))[0, 1])


def _skills(task: ServiceTask) -> tuple[tuple[str, int], ...]:
    return tuple((s["code"], int(s.get("level", 1))) for s in task.required_skills)


def _finished_today(specialists: list[Specialist], day: dt.date,
                    now: dt.datetime | None) -> dict[int, int]:
    """How many of the day's tasks each specialist has under way or done (a re-plan)."""
    if now is None or timezone.localdate(now) != day:
        return {}
    rows = (ServiceTask.objects.filter(specialist__in=[s.pk for s in specialists],
                                       service_date=day,
                                       status__in=(TaskStatus.IN_PROGRESS, TaskStatus.DONE))
            .values_list("specialist_id").annotate(n=Count("id")))
    return dict(rows)


def build_problem(*, tasks: list[ServiceTask], specialists: list[Specialist], day: dt.date,
                  now: dt.datetime | None = None, name: str = "day",
                  pins: dict[int, int] | None = None) -> solver.Problem:
    """The day as the solver sees it. Accepted work is pinned to its specialist, and so is
    each task ``pins`` maps (task id to specialist id)."""
    pins = pins or {}
    solver_specialists = []
    finished = _finished_today(specialists, day, now)
    hours = {a.specialist_id: a for a in SpecialistAbsence.objects.filter(
        specialist__in=[s.pk for s in specialists], day=day)}
    for s in specialists:
        available = specialist_availability(specialist=s, day=day, now=now)
        # The day's limits: its minutes count from the shift's start, its tasks include
        # those already under way or done (they are not in the problem).
        shift_end = min(minutes_of(s.shift_end),
                        minutes_of(s.shift_start) + s.daily_minutes_limit)
        part = hours.get(s.pk)
        if part is not None and part.available_until is not None:
            shift_end = min(shift_end, minutes_of(part.available_until))
        if part is not None and part.available_from is not None:
            available = Availability(available.location,
                                     max(available.from_minute,
                                         minutes_of(part.available_from)))
        solver_specialists.append(solver.Specialist(
            id=str(s.pk),
            start=available.location,
            end=(s.base_lat, s.base_lng),
            shift_start=min(available.from_minute, shift_end),
            shift_end=shift_end,
            capacity=max(0, s.daily_task_limit - finished.get(s.pk, 0)),
            skills={x.skill.code: x.level for x in s.skill_levels.all()},
            radius_km=s.service_radius_km,
            district=s.home_district.code,
        ))
    ids = {str(s.pk) for s in specialists}
    solver_tasks = []
    for t in tasks:
        pinned = str(t.specialist_id) if t.status in PINNED and t.specialist_id else None
        if t.pk in pins:
            pinned = str(pins[t.pk])
        if pinned is not None and pinned not in ids:
            pinned = None  # its specialist dropped out: the task is free again
        solver_tasks.append(solver.Task(
            id=str(t.pk),
            location=(t.retailer.latitude, t.retailer.longitude),
            service=float(t.service_minutes),
            tw_start=minutes_of(t.window_start),
            tw_end=minutes_of(t.window_end),
            priority=max(0.0, float(t.priority)),
            skills=_skills(t),
            mandatory=t.mandatory,
            pinned_to=pinned,
            demand=1.0,  # each task counts once against the specialist's daily limit
            district=t.district.code,
        ))
    return solver.Problem.from_coordinates(solver_tasks, solver_specialists, DEFAULT_TRAVEL,
                                           name=name)


def solver_params(options: dict) -> solver.Params:
    """The run's parameters (validated by the solver's own dataclass)."""
    return solver.Params(
        allow_cross_district=bool(options.get("allow_cross_district", False)),
        cross_district_weight=float(options.get("cross_district_weight", 30.0)),
        imbalance_weight=float(options.get("imbalance_weight",
                                           settings.DISPATCH_IMBALANCE_WEIGHT)),
        unserved_weight=float(options.get("unserved_weight", 100.0)),
        workers=int(options.get("workers", 1)),
    )


def solve_plan(*, problem: solver.Problem, seconds: float, seed: int, options: dict,
               on_progress=None) -> dict:
    """Solve and return a JSON plan: routes with times, unserved with reasons, costs."""
    callbacks = []
    if on_progress is not None and math.isfinite(seconds) and seconds > 0:
        def report(generation, best_cost, elapsed):
            on_progress(min(0.99, elapsed / seconds))
            return False

        callbacks.append(report)
    params = solver_params(options)
    result = solver.solve(problem, stop=solver.MaxSeconds(seconds), seed=seed,
                          params=params, callbacks=callbacks)
    reasons = unserved_reasons(problem, params, [u.task_id for u in result.unserved])
    return {
        "feasible": result.feasible,
        "violations": [v.message for v in result.violations],
        "cost": result.to_dict()["cost"],
        "routes": [
            {
                "specialist": r.specialist_id,
                "visits": [{"task": v.task_id, "start": v.start, "end": v.end,
                            "lateness": v.lateness, "travel_in": v.travel_in}
                           for v in r.visits],
                "travel": r.travel, "work": r.work, "return_time": r.return_time,
            }
            for r in result.routes
        ],
        "unserved": [{"task": u.task_id, "reason": reasons.get(u.task_id, u.reason),
                      "mandatory": u.mandatory, "priority": u.priority}
                     for u in result.unserved],
        "explanations": result.explanations,
        "stats": {k: v for k, v in result.stats.items()
                  if isinstance(v, (int, float, str, bool))},
    }


def skill_name(code: str) -> str:
    """A skill as people call it (its code when the catalogue no longer has it)."""
    return Skill.objects.filter(code=code).values_list("name", flat=True).first() or code


def unserved_reasons(problem: solver.Problem, params: solver.Params,
                     task_ids: list[str]) -> dict[str, str]:
    """Why each of these tasks was left out, in words a district lead reads (the platform's
    language): nobody has the skill, the radius, the window, a full day, or simply no room
    left among those who could."""
    if not task_ids:
        return {}
    verdict = compute_eligibility(problem, params)
    index = {t.id: i for i, t in enumerate(problem.tasks)}
    with translation.override(settings.LANGUAGE_CODE):
        return {task_id: _district_refusal(verdict.kinds.get(index[task_id]),
                                           problem.tasks[index[task_id]], problem)
                for task_id in task_ids}


def _district_refusal(kind: str | None, task: solver.Task, problem: solver.Problem) -> str:
    if kind == "skill":
        missing = [(name, level) for name, level in task.skills
                   if all(s.level(name) < level for s in problem.specialists)]
        if missing:
            return _("no specialist here has skill %(skill)s level %(level)s") % {
                "skill": skill_name(missing[0][0]), "level": missing[0][1]}
        return _("no specialist here has all the skills it needs")
    if kind == "radius":
        return _("outside every specialist's service radius")
    if kind == "window":
        return _("its time window cannot be met within the working day")
    if kind == "capacity":
        return _("every specialist who could serve it has a full day")
    if kind == "other":
        return _("no specialist can serve it")
    return _("no specialist who could serve it had room left in the day")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle kilometres by the solver's own formula (radius, check-in distance)."""
    return float(haversine_km(a[0], a[1], b[0], b[1]))


def eligibility_refusals(*, tasks: list[ServiceTask], specialist: Specialist,
                         allow_cross_district: bool = False) -> list[str | None]:
    """Whether ``specialist`` may serve each of ``tasks`` at all (one day), decided by the
    solver's own eligibility — skills and levels, service radius, window and shift — in
    one pass: ``None`` where it may, otherwise why not, in the reader's language."""
    if not tasks:
        return []
    problem = build_problem(tasks=tasks, specialists=[specialist], day=tasks[0].service_date)
    verdict = compute_eligibility(problem, solver_params(
        {"allow_cross_district": allow_cross_district}))
    return [None if verdict.allowed[0, i] else
            _refusal(verdict.kinds.get(i, "other"), task, problem.tasks[i], specialist,
                     problem.specialists[0])
            for i, task in enumerate(tasks)]


def eligibility_refusal(*, task: ServiceTask, specialist: Specialist,
                        allow_cross_district: bool = False) -> str | None:
    return eligibility_refusals(tasks=[task], specialist=specialist,
                                allow_cross_district=allow_cross_district)[0]


def _refusal(kind: str, task: ServiceTask, need: solver.Task, specialist: Specialist,
             has: solver.Specialist) -> str:
    if kind == "skill":
        name, level = next(((n, lv) for n, lv in need.skills if has.level(n) < lv),
                           need.skills[0])
        return _("needs skill %(skill)s level %(level)s") % {"skill": skill_name(name),
                                                              "level": level}
    if kind == "radius":
        km = distance_km((specialist.base_lat, specialist.base_lng),
                         (task.retailer.latitude, task.retailer.longitude))
        return _("%(km).1f km away, outside the %(radius)s km service radius") % {
            "km": km, "radius": specialist.service_radius_km}
    if kind == "window":
        return _("its time window cannot be met within the working day")
    return _("not eligible")


VIOLATION_WORDS = {
    "skill": gettext_lazy("lacks a skill it needs"),
    "radius": gettext_lazy("outside the service radius"),
    "window": gettext_lazy("its time window would be missed"),
    "shift_end": gettext_lazy("the day would run past the end of the shift"),
    "capacity": gettext_lazy("the day already holds as many tasks as allowed"),
    "pinned": gettext_lazy("it is promised to someone else"),
}


def violation_words(kind: str) -> str:
    """What a broken constraint means for the person placing a task, in their language."""
    return str(VIOLATION_WORDS.get(kind, _("it does not fit the day")))


@dataclass(frozen=True)
class Placement:
    """A route that takes the new task, with each task's (start, end) minutes as the
    solver times it."""

    route: list[ServiceTask]
    times: list[tuple[float, float]]


def check_assignment(*, task: ServiceTask, specialist: Specialist, day: dt.date,
                     route: list[ServiceTask], allow_cross_district: bool = False,
                     now: dt.datetime | None = None) -> tuple[Placement | None, list[str]]:
    """Try ``task`` at every position of ``specialist``'s current ``route`` (manual moves).

    Returns the first placement the solver's independent checker accepts, timed by the
    solver, or ``None`` with the violations of the last position tried. Same constraints
    and the same timing as a run.
    """
    tasks = [*route, task]
    problem = build_problem(tasks=tasks, specialists=[specialist], day=day, now=now)
    params = solver_params({"allow_cross_district": allow_cross_district})
    index = {t.id: i for i, t in enumerate(problem.tasks)}
    violations: list[str] = []
    for position in range(len(route) + 1):
        candidate = [*route[:position], task, *route[position:]]
        report = solver.check(problem, {str(specialist.pk): [str(t.pk) for t in candidate]}, {},
                              allow_cross_district=allow_cross_district)
        if not report.violations:
            timed = solver.finalize(problem, params, [[index[str(t.pk)] for t in candidate]],
                                    [], {})
            visits = {v.task_id: v for r in timed.routes for v in r.visits}
            return Placement(candidate, [(visits[str(t.pk)].start, visits[str(t.pk)].end)
                                         for t in candidate]), []
        violations = [violation_words(v.kind) for v in report.violations]
    return None, list(dict.fromkeys(violations))
