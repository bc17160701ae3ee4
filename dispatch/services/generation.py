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

from demands import selectors as demand_selectors
from demands.choices import FINAL_STATUSES, ApprovalLevel, DemandStatus
from demands.models import Demand
from strategy import selectors as strategy_selectors
from strategy.models import PlannedVisit
from zhifu.accounts.choices import RetailerStatus, band_of
from zhifu.accounts.models import Retailer

from ..choices import MOVABLE, PINNED, TaskSource, TaskStatus
from ..models import ServiceTask, TaskEvent


def visit_due(*, retailer_id: int, cycle_days: int, day_number: int | None) -> bool:
    """Whether a cadence of ``cycle_days`` working days puts this shop's visit on the
    working day numbered ``day_number`` (``WorkCalendar.working_day_number``).

    Each shop takes the slot ``id mod cycle`` of its cycle, so visits spread evenly over
    the working days. The strategy app's visit plans replace this baseline.
    """
    return day_number is not None and day_number % cycle_days == retailer_id % cycle_days


# A demand with no catalogue service (a complaint, say) scheduled by hand takes this long.
UNLISTED_MINUTES = 30
UNLISTED_PRIORITY = 80.0


def ready_for_dispatch(demand: Demand) -> bool:
    """Accepted (or escalated) work with any sign-off it needs. (The nightly generation
    also wants a catalogue service; a manager may schedule one without.)"""
    return (demand.status in (DemandStatus.ACCEPTED, DemandStatus.ESCALATED)
            and (demand.approval_level in ("", ApprovalLevel.NONE)
                 or demand.approved_at is not None))


def demand_task(demand: Demand, day: dt.date, window) -> ServiceTask | None:
    """The (unsaved) task that serves ``demand`` on ``day``, or ``None`` when the retailer
    asked for a later day. Its window is the retailer's when it falls on that day."""
    start = timezone.localtime(demand.preferred_start) if demand.preferred_start else None
    end = timezone.localtime(demand.preferred_end) if demand.preferred_end else None
    if start and start.date() > day:
        return None
    if start and end and start.date() == day == end.date() and start < end:
        window = (start.time(), end.time())
    end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    due_today = demand.resolution_due_at is not None and demand.resolution_due_at <= end_of_day
    item = demand.item
    return ServiceTask(
        source=TaskSource.DEMAND, demand=demand, retailer=demand.retailer,
        district_id=demand.district_id, title=demand.title[:120], service_date=day,
        window_start=window[0], window_end=window[1],
        service_minutes=max(1, item.service_minutes) if item else UNLISTED_MINUTES,
        priority=float(item.priority) if item else UNLISTED_PRIORITY,
        required_skills=[{"code": s.code, "level": 1} for s in item.skills.all()] if item
        else [],
        mandatory=due_today or demand.kind == "complaint",
        checklist=list(demand.checklist or (item.checklist if item else None) or []),
    )


def _demand_tasks(day: dt.date, district_ids: list[int], window) -> list[ServiceTask]:
    ready = (
        Demand.objects.filter(district_id__in=district_ids,
                              status__in=(DemandStatus.ACCEPTED, DemandStatus.ESCALATED),
                              service_task__isnull=True, item__isnull=False)
        # Compliance: work needing a sign-off is not dispatched before it.
        .filter(Q(approval_level__in=("", ApprovalLevel.NONE)) | Q(approved_at__isnull=False))
        .select_related("item", "retailer").prefetch_related("item__skills")
    )
    return [task for demand in ready if (task := demand_task(demand, day, window)) is not None]


def _planned_visit_tasks(day: dt.date, district_ids: list[int], window
                         ) -> tuple[list, set[int]]:
    """Visits the strategy app planned for the day, and the districts it has plans for."""
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
            service_date=day, window_start=window[0], window_end=window[1],
            service_minutes=visit.minutes, priority=visit.priority, mandatory=False))
    return tasks, covered


def _visit_tasks(day: dt.date, district_ids: list[int], window, day_number: int | None
                 ) -> list[ServiceTask]:
    planned, covered = _planned_visit_tasks(day, district_ids, window)
    # Districts without a strategy plan for the day fall back to the grade-band cadence.
    district_ids = [d for d in district_ids if d not in covered]
    retailers = Retailer.objects.filter(district_id__in=district_ids,
                                        status=RetailerStatus.ACTIVE).only(
        "id", "grade", "district_id")
    # The bands' cadence, length and priority: only from the grade-band templates.
    templates = strategy_selectors.band_templates()
    tasks = []
    for retailer in retailers.iterator(chunk_size=5000):
        template = templates.get(band_of(retailer.grade).value)
        if template is None or not visit_due(retailer_id=retailer.id,
                                             cycle_days=template.visit_cycle_days,
                                             day_number=day_number):
            continue
        tasks.append(ServiceTask(
            source=TaskSource.VISIT, retailer_id=retailer.id,
            district_id=retailer.district_id, title=_("Planned visit"),
            service_date=day, window_start=window[0], window_end=window[1],
            service_minutes=template.visit_minutes, priority=template.visit_priority,
            mandatory=False,
        ))
    return planned + tasks


def tasks_generate(*, day: dt.date, district_ids: list[int]) -> dict[str, int]:
    """Create the day's tasks for these districts; returns how many of each were new."""
    calendar = demand_selectors.work_calendar()
    window = calendar.day_span(day)
    with transaction.atomic():
        demand_tasks = _demand_tasks(day, district_ids, window)
        for task in demand_tasks:
            task.save()
        visits = _visit_tasks(day, district_ids, window, calendar.working_day_number(day))
        before = ServiceTask.objects.filter(service_date=day, source=TaskSource.VISIT,
                                            district_id__in=district_ids).count()
        ServiceTask.objects.bulk_create(visits, batch_size=2000, ignore_conflicts=True)
        after = ServiceTask.objects.filter(service_date=day, source=TaskSource.VISIT,
                                           district_id__in=district_ids).count()
    return {"demands": len(demand_tasks), "visits": after - before}


def tasks_withdraw_cancelled(*, day: dt.date, district_ids: list[int]) -> int:
    """Cancel tasks whose demand ended meanwhile (cancelled, rejected or closed): withdrawn
    at once when it happens, and again here before each plan."""
    stale = list(ServiceTask.objects.filter(
        service_date=day, district_id__in=district_ids, status__in=(*MOVABLE, *PINNED),
        demand__status__in=FINAL_STATUSES))
    for task in stale:
        task.status, task.sequence = TaskStatus.CANCELLED, None
        task.unserved_reason = _("The demand was withdrawn.")
    ServiceTask.objects.bulk_update(stale, ["status", "sequence", "unserved_reason"])
    TaskEvent.objects.bulk_create([TaskEvent(task=t, action="withdrawn") for t in stale])
    return len(stale)
