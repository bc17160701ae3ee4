"""Reads of the dispatch app, scoped to the asking user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifu.accounts.policies import is_admin, is_manager, is_specialist

from .choices import TaskStatus
from .models import DispatchRun, ServiceTask

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
    return (_task_base().prefetch_related("photos")
            .filter(pk=task_id, specialist=user.specialist).first())


def open_pool(*, user, day: dt.date) -> list[ServiceTask]:
    """Grab mode: offered tasks in the specialist's districts that it may take."""
    from .services.field import specialist_may_serve

    if not is_specialist(user):
        return []
    specialist = user.specialist
    districts = [specialist.home_district_id, *specialist.districts.values_list("id", flat=True)]
    offered = (_task_base().filter(service_date=day, status=TaskStatus.OFFERED,
                                   district_id__in=districts).order_by("-priority", "id"))
    specialist = type(specialist).objects.prefetch_related("skill_levels__skill").get(
        pk=specialist.pk)
    return [t for t in offered if specialist_may_serve(specialist=specialist, task=t) is None]


def run_list(*, user) -> QuerySet[DispatchRun]:
    qs = DispatchRun.objects.prefetch_related("districts").select_related("requested_by")
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(districts__in=user.managed_districts.all()).distinct()
    return qs.none()


def board_tasks(*, user, day: dt.date, district_ids: list[int] | None = None
                ) -> QuerySet[ServiceTask]:
    """Every task of the day in the districts the manager may see (the dispatch board)."""
    qs = _task_base().filter(service_date=day)
    if is_manager(user):
        qs = qs.filter(district__in=user.managed_districts.all())
    elif not is_admin(user):
        return qs.none()
    if district_ids:
        qs = qs.filter(district_id__in=district_ids)
    return qs.order_by("specialist_id", "sequence", "id")


def tasks_visible_to(*, user) -> QuerySet[ServiceTask]:
    """Tasks a user may see at all (profile access for specialists builds on this)."""
    if is_admin(user):
        return ServiceTask.objects.all()
    if is_manager(user):
        return ServiceTask.objects.filter(district__in=user.managed_districts.all())
    if is_specialist(user):
        return ServiceTask.objects.filter(Q(specialist=user.specialist))
    return ServiceTask.objects.none()


def board_summary(*, tasks) -> dict:
    """Per specialist: route, load and Gantt rows; plus the unserved list (for the board)."""
    from .adapter import minutes_of

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
    chart = {"lanes": [], "bars": [], "routes": [], "shops": []}
    for index, lane in enumerate(lanes.values()):
        specialist = lane["specialist"]
        chart["lanes"].append(specialist.user.display_name)
        points = [[specialist.base_lng, specialist.base_lat]]
        for task in sorted(lane["tasks"], key=lambda t: (t.sequence or 0, t.pk)):
            if task.planned_start and task.planned_end:
                start = minutes_of(timezone.localtime(task.planned_start).time())
                end = minutes_of(timezone.localtime(task.planned_end).time())
                chart["bars"].append([index, start, end, task.title, task.status])
            points.append([task.retailer.longitude, task.retailer.latitude])
        points.append([specialist.base_lng, specialist.base_lat])
        chart["routes"].append({"name": specialist.user.display_name, "points": points})
    chart["shops"] = [[t.retailer.longitude, t.retailer.latitude, t.title] for t in unserved]
    return {"lanes": list(lanes.values()), "unserved": unserved, "chart": chart}
