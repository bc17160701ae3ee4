"""The end of a field day: every task left undone gets a fate.

A task still waiting when its day is over (open, in the pool, assigned or accepted) is

* **rolled over** to the next working day, more urgent than it was: its priority rises
  by ``DISPATCH_ROLLOVER_PRIORITY_STEP`` each time, and it becomes mandatory once its
  demand's resolution is due by the end of that day;
* **escalated** to the district leads as well (and rolled over, so nothing is lost) when
  its demand is overdue or it has been rolled over ``DISPATCH_ESCALATE_AFTER_ROLLOVERS``
  times: the lead is told why, in their language;
* **cancelled**, with the reason, when its demand ended meanwhile, or for a planned visit
  when the shop already has one that day or it has been missed
  ``DISPATCH_VISIT_MAX_ROLLOVERS`` times (the next cycle's visit replaces it).

Each fate is a ``TaskEvent`` (``rolled_over``, ``escalated`` or ``cancelled``) carrying the
day it left and, when it moved, the day it went to. Work already under way stays where
it is. Closing a day twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from demands import selectors as demand_selectors
from demands.choices import FINAL_STATUSES, DemandKind
from zhifu.access import district_staff
from zhifu.accounts.choices import ManagerLevel
from zhifu.notifications.services import message, notify

from ..choices import MOVABLE, PINNED, DispatchMode, TaskFate, TaskSource, TaskStatus
from ..models import ServiceTask, TaskEvent
from .links import board_link

PRIORITY_CEILING = 100.0
# Why a task met its fate: codes on the event, words (in the reader's language) below.
REASONS = {
    "not_served": gettext_noop("not served on its day"),
    "demand_overdue": gettext_noop("its demand is past its resolution time"),
    "rolled_too_often": gettext_noop("rolled over %(n)s times without being served"),
    "demand_ended": gettext_noop("its demand was withdrawn or closed"),
    "visit_exists": gettext_noop("the shop already has a visit that day"),
    "visit_given_up": gettext_noop("missed %(n)s times; the next cycle's visit replaces it"),
    "shop_closed": gettext_noop("the shop was closed"),
}


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def roll_over(task: ServiceTask, *, to_day: dt.date, window, reason: str, actor=None,
              now: dt.datetime) -> None:
    """Move one undone task to ``to_day``, more urgent, and record it (the caller holds the
    row's lock and saves nothing else)."""
    from_day = task.service_date
    task.service_date = to_day
    task.window_start, task.window_end = window
    if task.mode == DispatchMode.GRAB and task.status != TaskStatus.ACCEPTED:
        # A grab-mode task stays in the open pool, now that day's.
        task.status, task.specialist = TaskStatus.OFFERED, None
    elif task.status != TaskStatus.ACCEPTED:
        # An accepted task keeps its specialist: the promise holds into the next day.
        task.status, task.specialist = TaskStatus.OPEN, None
    task.sequence, task.planned_start, task.planned_end, task.run = None, None, None, None
    task.priority = min(PRIORITY_CEILING,
                        task.priority + float(settings.DISPATCH_ROLLOVER_PRIORITY_STEP))
    demand = task.demand
    if demand is not None and (demand.kind == DemandKind.COMPLAINT or (
            demand.resolution_due_at is not None
            and demand.resolution_due_at <= _end_of(to_day))):
        task.mandatory = True
    task.unserved_reason = ""
    task.save()
    TaskEvent.objects.create(task=task, action=TaskFate.ROLLED_OVER, actor=actor, data={
        "from": from_day.isoformat(), "to": to_day.isoformat(), "reason": reason,
        "at": now.isoformat()})


def _cancel(task: ServiceTask, *, reason: str, now: dt.datetime, **params) -> None:
    from_day = task.service_date
    task.status, task.sequence = TaskStatus.CANCELLED, None
    task.planned_start = task.planned_end = None
    # Stored in the platform's language, whoever's request closed the day.
    with translation.override(settings.LANGUAGE_CODE):
        task.unserved_reason = (_(REASONS[reason]) % params if params
                                else _(REASONS[reason]))[:255]
    task.save()
    TaskEvent.objects.create(task=task, action=TaskFate.CANCELLED, data={
        "from": from_day.isoformat(), "reason": reason, **params, "at": now.isoformat()})


def _escalate(task: ServiceTask, *, reason: str, from_day: dt.date, now: dt.datetime,
              leads: dict, **params) -> None:
    TaskEvent.objects.create(task=task, action=TaskFate.ESCALATED, data={
        "from": from_day.isoformat(), "to": task.service_date.isoformat(),
        "reason": reason, **params, "at": now.isoformat()})
    if task.district_id not in leads:
        leads[task.district_id] = list(district_staff(
            task.district_id, specialists=False, level=ManagerLevel.DISTRICT_LEAD))
    link = board_link(task.service_date, task.district.code)
    notify(recipients=leads[task.district_id], kind="dispatch.escalated",
           title=message(gettext_noop("Undone work at %(shop)s needs you"),
                         shop=task.retailer.shop_name),
           body=message(gettext_noop("%(title)s: %(why)s. Moved to %(day)s."),
                        title=task.title, why=message(REASONS[reason], **params),
                        day=task.service_date.isoformat()),
           link=link, now=now,
           key=f"task:{task.pk}:escalated:{from_day.isoformat()}")


def days_close(*, through: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """Give every undone task dated ``through`` or earlier its fate. Returns how many met
    each fate."""
    now = now or timezone.now()
    calendar = demand_selectors.work_calendar()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    counts = {fate: 0 for fate in TaskFate.values}
    leads: dict[int, list] = {}
    with transaction.atomic():
        left = list(
            ServiceTask.objects.select_for_update(of=("self",))
            .filter(service_date__lte=through, status__in=(*MOVABLE, *PINNED))
            .select_related("demand", "retailer", "district")
            .order_by("service_date", "id"))
        rolled = dict(TaskEvent.objects.filter(task__in=[t.pk for t in left],
                                               action=TaskFate.ROLLED_OVER)
                      .values_list("task_id").annotate(n=Count("id")))
        for task in left:
            task.rollovers = rolled.get(task.pk, 0)
            # Today's work goes to the next working day; older work to the first from today.
            to_day = calendar.next_working_day(max(task.service_date, yesterday))
            from_day = task.service_date
            demand = task.demand
            if demand is not None and demand.status in FINAL_STATUSES:
                _cancel(task, reason="demand_ended", now=now)
                counts[TaskFate.CANCELLED] += 1
                continue
            if task.source == TaskSource.VISIT and demand is None:
                limit = settings.DISPATCH_VISIT_MAX_ROLLOVERS
                if task.rollovers >= limit:
                    _cancel(task, reason="visit_given_up", now=now, n=task.rollovers)
                    counts[TaskFate.CANCELLED] += 1
                    continue
                if ServiceTask.objects.filter(retailer_id=task.retailer_id, service_date=to_day,
                                              source=TaskSource.VISIT).exists():
                    _cancel(task, reason="visit_exists", now=now)
                    counts[TaskFate.CANCELLED] += 1
                    continue
            roll_over(task, to_day=to_day, window=calendar.day_span(to_day),
                      reason="not_served", now=now)
            counts[TaskFate.ROLLED_OVER] += 1
            if demand is None:
                continue
            if demand.resolution_due_at is not None and demand.resolution_due_at < now:
                _escalate(task, reason="demand_overdue", from_day=from_day, now=now,
                          leads=leads)
                counts[TaskFate.ESCALATED] += 1
            elif task.rollovers + 1 >= settings.DISPATCH_ESCALATE_AFTER_ROLLOVERS:
                _escalate(task, reason="rolled_too_often", from_day=from_day, now=now,
                          leads=leads, n=task.rollovers + 1)
                counts[TaskFate.ESCALATED] += 1
    return counts


def task_fates(task_ids: list[int]) -> dict[int, list[TaskEvent]]:
    """The fate events of these tasks (oldest first): what became of each undone day."""
    fates: dict[int, list[TaskEvent]] = {}
    for event in TaskEvent.objects.filter(task_id__in=task_ids,
                                          action__in=TaskFate.values).order_by("created_at",
                                                                               "id"):
        fates.setdefault(event.task_id, []).append(event)
    return fates
