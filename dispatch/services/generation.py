"""Turning demands and planned visits into the day's service tasks.

Safe to run any number of times for a day: a demand has at most one task
(one-to-one) and a shop at most one planned visit a day (unique constraint).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.accounts.choices import RetailerStatus
from zhifu.accounts.models import Retailer

from ..choices import TaskSource
from ..models import ServiceTask

DEFAULT_WINDOW = (dt.time(8, 30), dt.time(17, 30))
# tables.json strategy_by_grade: weekly (24-30), every two weeks (13-23), monthly (1-12),
# counted in working days so each day carries the same share of the visits.
VISIT_CYCLES = ((24, 30, 5, 40.0), (13, 23, 10, 30.0), (1, 12, 20, 20.0))
VISIT_MINUTES = 20
_EPOCH_MONDAY = dt.date(2024, 1, 1)


def working_day_index(day: dt.date) -> int | None:
    """Working days (Mon–Fri) since a fixed Monday; ``None`` on a weekend."""
    if day.weekday() >= 5:
        return None
    weeks, weekday = divmod((day - _EPOCH_MONDAY).days, 7)
    return weeks * 5 + weekday


def visit_due(*, retailer_id: int, grade: int, day: dt.date) -> tuple[bool, float]:
    """Whether the grade-band cadence puts this shop's planned visit on ``day``.

    Each shop takes the slot ``id mod cycle`` of its band's cycle, so visits spread
    evenly over the working days. The strategy app's visit plans replace this baseline.
    """
    index = working_day_index(day)
    for low, high, cycle, priority in VISIT_CYCLES:
        if low <= grade <= high:
            return (index is not None and index % cycle == retailer_id % cycle), priority
    return False, 0.0


def _demand_tasks(day: dt.date, district_ids: list[int]) -> list[ServiceTask]:
    from demands.choices import ApprovalLevel, DemandStatus
    from demands.models import Demand

    ready = (
        Demand.objects.filter(district_id__in=district_ids,
                              status__in=(DemandStatus.ACCEPTED, DemandStatus.ESCALATED),
                              service_task__isnull=True, item__isnull=False)
        # Compliance: work needing a sign-off is not dispatched before it.
        .filter(Q(approval_level__in=("", ApprovalLevel.NONE)) | Q(approved_at__isnull=False))
        .select_related("item", "retailer").prefetch_related("item__skills")
    )
    end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    tasks = []
    for demand in ready:
        start = timezone.localtime(demand.preferred_start) if demand.preferred_start else None
        end = timezone.localtime(demand.preferred_end) if demand.preferred_end else None
        if start and start.date() > day:
            continue  # the retailer asked for a later day
        window = DEFAULT_WINDOW
        if start and end and start.date() == day == end.date() and start < end:
            window = (start.time(), end.time())
        due_today = (demand.resolution_due_at is not None
                     and demand.resolution_due_at <= end_of_day)
        tasks.append(ServiceTask(
            source=TaskSource.DEMAND, demand=demand, retailer=demand.retailer,
            district_id=demand.district_id, title=demand.title[:120], service_date=day,
            window_start=window[0], window_end=window[1],
            service_minutes=max(1, demand.item.service_minutes),
            priority=float(demand.item.priority),
            required_skills=[{"code": s.code, "level": 1} for s in demand.item.skills.all()],
            mandatory=due_today or demand.kind == "complaint",
            checklist=list(demand.checklist or demand.item.checklist or []),
        ))
    return tasks


def _planned_visit_tasks(day: dt.date, district_ids: list[int]) -> tuple[list, set[int]]:
    """Visits the strategy app planned for the day, and the districts it has plans for."""
    from strategy.models import PlannedVisit

    planned = (PlannedVisit.objects.filter(day=day, retailer__district_id__in=district_ids,
                                           retailer__status=RetailerStatus.ACTIVE)
               .select_related("retailer"))
    # A district is covered while its plan runs, even on a day with no visit in it.
    covered = set(PlannedVisit.objects.filter(day__gte=day,
                                              retailer__district_id__in=district_ids)
                  .values_list("retailer__district_id", flat=True).distinct())
    tasks = []
    for visit in planned:
        tasks.append(ServiceTask(
            source=TaskSource.VISIT, retailer_id=visit.retailer_id,
            district_id=visit.retailer.district_id,
            title=(_("Planned visit") + (f"：{visit.reason}" if visit.reason else ""))[:120],
            service_date=day, window_start=DEFAULT_WINDOW[0], window_end=DEFAULT_WINDOW[1],
            service_minutes=visit.minutes, priority=visit.priority, mandatory=False))
    return tasks, covered


def _visit_tasks(day: dt.date, district_ids: list[int]) -> list[ServiceTask]:
    planned, covered = _planned_visit_tasks(day, district_ids)
    # Districts without a strategy plan for the day fall back to the grade-band cadence.
    district_ids = [d for d in district_ids if d not in covered]
    retailers = Retailer.objects.filter(district_id__in=district_ids,
                                        status=RetailerStatus.ACTIVE).only(
        "id", "grade", "district_id")
    tasks = []
    for retailer in retailers.iterator(chunk_size=5000):
        due, priority = visit_due(retailer_id=retailer.id, grade=retailer.grade, day=day)
        if due:
            tasks.append(ServiceTask(
                source=TaskSource.VISIT, retailer_id=retailer.id,
                district_id=retailer.district_id, title=_("Planned visit"),
                service_date=day, window_start=DEFAULT_WINDOW[0], window_end=DEFAULT_WINDOW[1],
                service_minutes=VISIT_MINUTES, priority=priority, mandatory=False,
            ))
    return planned + tasks


def tasks_generate(*, day: dt.date, district_ids: list[int]) -> dict[str, int]:
    """Create the day's tasks for these districts; returns how many of each were new."""
    with transaction.atomic():
        demand_tasks = _demand_tasks(day, district_ids)
        for task in demand_tasks:
            task.save()
        visits = _visit_tasks(day, district_ids)
        before = ServiceTask.objects.filter(service_date=day, source=TaskSource.VISIT,
                                            district_id__in=district_ids).count()
        ServiceTask.objects.bulk_create(visits, batch_size=2000, ignore_conflicts=True)
        after = ServiceTask.objects.filter(service_date=day, source=TaskSource.VISIT,
                                           district_id__in=district_ids).count()
    return {"demands": len(demand_tasks), "visits": after - before}
