"""The demo city's dispatch: today and the next working day planned, as the morning plan
and the nightly run would have left them, so the board, the specialist's day and the
retailer's "planned visit" show a real plan from the first ``make run``.

Plans through the real runs (``runs.run_start``) with a short time limit per district; the
seed command runs background work inline, so the plans exist when it returns.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from demands import selectors as demand_selectors

from .choices import RunStatus, RunTrigger
from .models import DispatchRun, ServiceTask
from .services import runs

SECONDS_PER_DISTRICT = 2.0


def seed(ctx) -> None:
    today = timezone.localdate()
    if ctx.today < today:
        return  # a demo dated in the past has no day left to plan
    calendar = demand_selectors.work_calendar()
    days = [ctx.today, calendar.next_working_day(ctx.today)]
    for day in days:
        if DispatchRun.objects.filter(service_date=day, status=RunStatus.SUCCEEDED).exists():
            continue
        # Each day as the nightly run left it the evening before (so today has a whole
        # plan at whatever hour the demo is loaded).
        evening_before = timezone.make_aware(dt.datetime.combine(
            day - dt.timedelta(days=1), dt.time(20, 0)))
        runs.run_start(actor=None, day=day, seconds=SECONDS_PER_DISTRICT,
                       trigger=RunTrigger.SCHEDULE, now=timezone.now(),
                       planned_as_of=evening_before)
    # Counted once the runs have run (they are sent when the seeder's transaction commits).
    transaction.on_commit(lambda: ctx.counts.update({
        "days planned": DispatchRun.objects.filter(service_date__in=days,
                                                   status=RunStatus.SUCCEEDED).count(),
        "tasks planned": ServiceTask.objects.filter(service_date__in=days,
                                                    specialist__isnull=False).count()}))
