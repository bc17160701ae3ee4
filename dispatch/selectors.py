"""Reads of the dispatch app, scoped to the asking user."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from zhifu.access import restrict
from zhifu.accounts.models import Specialist
from zhifu.accounts.policies import is_admin, is_manager, is_specialist

from . import adapter
from .adapter import minutes_of
from .choices import TaskStatus
from .models import DispatchRun, ServiceTask, TaskEvent, TaskPhoto

DAY_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS,
                TaskStatus.DONE)


def _task_base() -> QuerySet[ServiceTask]:
    return ServiceTask.objects.select_related("retailer", "retailer__district", "district",
                                              "demand", "specialist__user")


def specialist_day(*, user, day: dt.date) -> QuerySet[ServiceTask]:
    """The specialist's tasks of the day in route order."""
    if not is_specialist(user):
        return ServiceTask.objects.none()
    return (_task_base().filter(specialist=user.specialist, service_date=day,
                                status__in=DAY_STATUSES)
            .prefetch_related("photos").order_by("sequence", "planned_start", "id"))


def specialist_task_get(*, user, task_id: int) -> ServiceTask | None:
    if not is_specialist(user):
        return None
    return (restrict(_task_base().prefetch_related("photos"), user)
            .filter(pk=task_id, specialist=user.specialist).first())


def demand_candidates(*, user, demand) -> list:
    """Who may be scheduled for a demand, those who can serve it first: the specialists the
    user may see, active, with every skill the demand's service needs ahead of those
    without, and its own district's people ahead of others. Each carries ``can_serve``.
    (The placement itself still checks radius, shift and the day.)"""
    needed = set(demand.item.skills.values_list("code", flat=True)) if demand.item_id else set()
    people = list(restrict(Specialist.objects.filter(active=True), user)
                  .select_related("user", "home_district")
                  .prefetch_related("skill_levels__skill").order_by("employee_no"))
    for person in people:
        person.can_serve = needed <= {x.skill.code for x in person.skill_levels.all()}
    return sorted(people, key=lambda p: (not p.can_serve,
                                         p.home_district_id != demand.district_id))


# A change written in a transaction that commits after a read is stamped before it: the
# feed looks back this much further than the cursor, so such a change is never missed
# (a change may come twice; its version tells the phone whether it is new).
SYNC_OVERLAP = dt.timedelta(seconds=60)


def specialist_changes(*, user, since: dt.datetime | None,
                       now: dt.datetime | None = None) -> dict:
    """What a phone must learn to bring its copy of the specialist's days (today onwards)
    up to date: the tasks changed since ``since`` (all of them the first time), the ids of
    tasks that left its days, and the cursor to send next time."""
    now = now or timezone.now()
    if not is_specialist(user):
        return {"cursor": now, "tasks": [], "removed": []}
    today = timezone.localdate(now)
    mine = (restrict(_task_base(), user).filter(specialist=user.specialist,
                                               service_date__gte=today)
            .prefetch_related("photos").order_by("service_date", "sequence", "id"))
    removed: list[int] = []
    if since is None:
        mine = mine.filter(status__in=DAY_STATUSES)
    else:
        mine = mine.filter(updated_at__gte=since - SYNC_OVERLAP)
        left = set(TaskEvent.objects.filter(
            action="released", data__specialist=user.specialist.pk,
            created_at__gte=since - SYNC_OVERLAP).values_list("task_id", flat=True))
        still = set(ServiceTask.objects.filter(pk__in=left, specialist=user.specialist,
                                               service_date__gte=today)
                    .values_list("pk", flat=True))
        removed = sorted(left - still)
    return {"cursor": now, "tasks": list(mine), "removed": removed}


def open_pool(*, user, day: dt.date) -> list[ServiceTask]:
    """Grab mode: offered tasks in the specialist's districts that it may take."""
    if not is_specialist(user):
        return []
    offered = (restrict(_task_base(), user)
               .filter(service_date=day, status=TaskStatus.OFFERED)
               .order_by("-priority", "id"))
    specialist = (type(user.specialist).objects.prefetch_related("skill_levels__skill")
                  .select_related("home_district").get(pk=user.specialist.pk))
    offered = list(offered)
    refusals = adapter.eligibility_refusals(tasks=offered, specialist=specialist)
    return [task for task, refusal in zip(offered, refusals, strict=True) if refusal is None]


def run_list(*, user) -> QuerySet[DispatchRun]:
    """Runs whose districts all lie in the user's scope (a city-wide run is not a lead's)."""
    return restrict(DispatchRun.objects.prefetch_related("districts")
                    .select_related("requested_by"), user)


def board_tasks(*, user, day: dt.date, district_ids: list[int] | None = None
                ) -> QuerySet[ServiceTask]:
    """Every task of the day in the districts the manager may see (the dispatch board)."""
    if not (is_manager(user) or is_admin(user)):
        return ServiceTask.objects.none()
    qs = restrict(_task_base(), user).filter(service_date=day)
    if district_ids:
        qs = qs.filter(district_id__in=district_ids)
    return qs.order_by("specialist_id", "sequence", "id")


def tasks_visible_to(*, user) -> QuerySet[ServiceTask]:
    """Tasks a user may see at all."""
    return restrict(ServiceTask, user)


def board_summary(*, tasks) -> dict:
    """Per specialist: load and Gantt rows; plus the unserved list (for the board)."""
    lanes: dict[int, dict] = {}
    unserved = []
    for task in tasks:
        if task.specialist_id is None:
            if task.status in (TaskStatus.OPEN, TaskStatus.OFFERED):
                unserved.append(task)
            continue
        lane = lanes.setdefault(task.specialist_id, {
            "specialist": task.specialist, "tasks": [], "minutes": 0, "done": 0})
        lane["tasks"].append(task)
        lane["minutes"] += task.service_minutes
        lane["done"] += task.status == TaskStatus.DONE
    chart = {"lanes": [], "bars": []}
    for index, lane in enumerate(lanes.values()):
        specialist = lane["specialist"]
        chart["lanes"].append(specialist.user.display_name)
        for task in sorted(lane["tasks"], key=lambda t: (t.sequence or 0, t.pk)):
            if task.planned_start and task.planned_end:
                start = minutes_of(timezone.localtime(task.planned_start).time())
                end = minutes_of(timezone.localtime(task.planned_end).time())
                chart["bars"].append([index, start, end, task.title, task.status])
    return {"lanes": list(lanes.values()), "unserved": unserved, "chart": chart}


def board_map(*, tasks) -> dict:
    """The day on the city's map, from the board's own (already scoped) tasks.

    Each specialist's route starts at its base and runs through its stops by
    ``sequence`` (numbered 1, 2, 3…); a stop outside the specialist's home district is
    borrowed (跨片区增援); open and offered tasks without a specialist are unplanned.
    """
    routes: dict[int, dict] = {}
    unplanned, borrowed = [], []
    for task in sorted(tasks, key=lambda t: (t.specialist_id or 0, t.sequence or 0, t.pk)):
        where = [task.retailer.longitude, task.retailer.latitude]
        if task.specialist_id is None:
            if task.status in (TaskStatus.OPEN, TaskStatus.OFFERED):
                unplanned.append({"at": where, "title": task.title})
            continue
        if task.status == TaskStatus.CANCELLED:
            continue
        specialist = task.specialist
        route = routes.setdefault(task.specialist_id, {
            "name": specialist.user.display_name,
            "base": [specialist.base_lng, specialist.base_lat], "stops": []})
        lent = task.district_id != specialist.home_district_id
        route["stops"].append({"at": where, "number": len(route["stops"]) + 1,
                               "sequence": task.sequence, "title": task.title,
                               "borrowed": lent})
        if lent and route["name"] not in borrowed:
            borrowed.append(route["name"])
    return {"routes": list(routes.values()), "unplanned": unplanned, "borrowed": borrowed,
            "labels": {"base": gettext("Base"), "unplanned": gettext("Not planned"),
                       "borrowed": gettext("Borrowed from another district")}}


def board_spread(*, tasks, specialists) -> list[dict]:
    """Per home district: min / median / max of each specialist's work minutes and tasks.

    Work minutes are planned end − planned start of its non-cancelled tasks (service
    time; travel is not stored on a task, so it is not counted). A specialist with no
    task counts as 0.
    """
    load: dict[int, list[int]] = {s.pk: [0, 0] for s in specialists}
    for task in tasks:
        if task.specialist_id not in load or task.status == TaskStatus.CANCELLED:
            continue
        load[task.specialist_id][1] += 1
        if task.planned_start and task.planned_end:
            load[task.specialist_id][0] += int(
                (task.planned_end - task.planned_start).total_seconds() // 60)
    by_district: dict[int, dict] = {}
    for s in specialists:
        row = by_district.setdefault(s.home_district_id, {
            "district": s.home_district, "minutes": [], "tasks": []})
        row["minutes"].append(load[s.pk][0])
        row["tasks"].append(load[s.pk][1])
    return [{"district": row["district"], "specialists": len(row["minutes"]),
             "minutes": _spread(row["minutes"]), "tasks": _spread(row["tasks"])}
            for row in by_district.values()]


def _spread(values: list[int]) -> dict:
    ordered = sorted(values)
    return {"min": ordered[0], "median": statistics.median(ordered), "max": ordered[-1]}


def task_photo_visible(*, user, name: str) -> bool:
    """Whether ``user`` may see this stored photo: it belongs to a task the user sees."""
    return restrict(TaskPhoto, user).filter(image=name).exists()
