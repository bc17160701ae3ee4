"""Cross-district reinforcement (跨片区增援): a district that cannot serve its urgent work
borrows specialists with room from its neighbours.

The rule (docs/dispatch.md, "Cross-district reinforcement"):

* **What may be borrowed for**: work a district's own plan leaves unserved that is
  mandatory, or whose priority is at least ``DISPATCH_REINFORCEMENT_MIN_PRIORITY``.
* **Who lends**: the active specialists, present that day, of the neighbouring
  districts: those whose centre lies within ``DISPATCH_REINFORCEMENT_KM`` of the
  district's centre. A lender keeps every task of its own plan (each is pinned to it);
  the borrowed work is fitted around them, within its shift and daily limits, paying the
  plan's cross-district cost. Its service radius is not applied (that is what "allow
  cross-district help" on a run means), its skills are.
* **Who decides**: the plan, automatically, on every command-mode run that allows
  cross-district help (the default). Both districts' leads are told, and either can
  move the task by hand from the board like any other.

The neighbours' plan is the one the same run made when their district is in it, and
otherwise the day as it stands (their assigned and accepted tasks).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from zhifu.accounts.models import District, Specialist

from .. import adapter
from ..choices import DispatchMode, TaskStatus
from ..models import DispatchRun, DistrictSolve, ServiceTask, SpecialistAbsence

logger = logging.getLogger(__name__)


def needs_help(item: dict) -> bool:
    """Whether an unserved task of a district's plan is worth borrowing a specialist for."""
    return bool(item.get("mandatory")) or float(item.get("priority", 0.0)) >= float(
        settings.DISPATCH_REINFORCEMENT_MIN_PRIORITY)


def neighbours(district: District, candidates: list[District]) -> list[District]:
    """The districts whose centre lies within the reinforcement distance of this one's."""
    limit = float(settings.DISPATCH_REINFORCEMENT_KM)
    return [other for other in candidates if other.pk != district.pk and adapter.distance_km(
        (district.center_lat, district.center_lng),
        (other.center_lat, other.center_lng)) <= limit]


def _current_routes(run: DispatchRun, solves: list[DistrictSolve],
                    lender_ids: list[int]) -> dict[int, list[int]]:
    """Each lender's tasks in order: from this run's plan for its district, else the day's."""
    planned = {s.district_id: s.plan for s in solves}
    routes: dict[int, list[int]] = {pk: [] for pk in lender_ids}
    in_run = set()
    for plan in planned.values():
        for route in plan.get("routes", []):
            specialist = int(route["specialist"])
            if specialist in routes:
                routes[specialist] = [int(v["task"]) for v in route["visits"]]
                in_run.add(specialist)
    outside = [pk for pk in lender_ids if pk not in in_run]
    for task in (ServiceTask.objects.filter(
            specialist_id__in=outside, service_date=run.service_date,
            status__in=(TaskStatus.ASSIGNED, TaskStatus.ACCEPTED))
            .order_by("sequence", "planned_start", "id").only("id", "specialist_id")):
        routes[task.specialist_id].append(task.pk)
    return routes


def reinforcement_plan(*, run: DispatchRun, solves: list[DistrictSolve],
                       now: dt.datetime | None) -> dict:
    """The lenders' new routes and the tasks they take on, or empty lists when no district
    needs help or no neighbour can give it."""
    empty = {"routes": [], "borrowed": []}
    if run.mode == DispatchMode.GRAB or not run.params.get("allow_cross_district"):
        return empty
    needy: dict[int, list[int]] = {}
    for solve in solves:
        for item in solve.plan.get("unserved", []):
            if needs_help(item):
                needy.setdefault(solve.district_id, []).append(int(item["task"]))
    if not needy:
        return empty
    districts = list(District.objects.all())
    by_id = {d.pk: d for d in districts}
    lending = sorted({n.pk for d in needy for n in neighbours(by_id[d], districts)})
    lenders = list(Specialist.objects.filter(active=True, home_district_id__in=lending)
                   .exclude(pk__in=SpecialistAbsence.away_all_day(run.service_date))
                   .select_related("home_district").prefetch_related("skill_levels__skill")
                   .order_by("id"))
    if not lenders:
        return empty
    routes = _current_routes(run, solves, [s.pk for s in lenders])
    wanted = [pk for ids in needy.values() for pk in ids]
    own = {task: specialist for specialist, ids in routes.items() for task in ids}
    tasks = list(ServiceTask.objects.filter(pk__in=[*wanted, *own])
                 .select_related("retailer", "district").order_by("id"))
    problem = adapter.build_problem(tasks=tasks, specialists=lenders, day=run.service_date,
                                    now=now, name=f"run{run.pk}-reinforcement", pins=own)
    seconds = min(float(run.params.get("seconds", 20)),
                  float(settings.DISPATCH_REINFORCEMENT_SECONDS))
    plan = adapter.solve_plan(problem=problem, seconds=seconds, seed=run.seed,
                              options={**run.params, "allow_cross_district": True})
    wanted_ids = {str(pk) for pk in wanted}
    kept_routes, borrowed = [], []
    for route in plan["routes"]:
        specialist = int(route["specialist"])
        visits = {v["task"] for v in route["visits"]}
        taken = [v["task"] for v in route["visits"] if v["task"] in wanted_ids]
        if not taken:
            continue
        if not {str(pk) for pk in routes.get(specialist, [])} <= visits:
            # The lender would lose some of its own work: it does not lend today.
            continue
        kept_routes.append(route)
        borrowed += [{"task": task_id, "specialist": str(specialist)} for task_id in taken]
    logger.info("run %s: %s of %s tasks needing help borrowed a neighbour", run.pk,
                len(borrowed), len(wanted))
    return {"routes": kept_routes, "borrowed": borrowed,
            "explanations": {k: v for k, v in plan.get("explanations", {}).items()
                             if k in {b["task"] for b in borrowed}}}
