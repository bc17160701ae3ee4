"""The SLA clock of a demand, on the working calendar stored as data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .calendar import SlaClock, WallClock, WorkCalendar, periods_from_rows
from .choices import SLA_RUNNING
from .models import Holiday, WorkingPeriod

# Share of the promised time used at which escalation level 1, 2, 3 is reached:
# at risk (the specialist), breached (the district lead), half again (the city department).
THRESHOLDS = (0.8, 1.0, 1.5)


def work_calendar() -> WorkCalendar:
    """The calendar as configured (two queries); Mon–Fri office hours when none is stored."""
    rows = list(WorkingPeriod.objects.values_list("weekday", "start", "end"))
    holidays = list(Holiday.objects.values_list("date", "is_workday"))
    kwargs = {"periods": periods_from_rows(rows)} if rows else {}
    return WorkCalendar(
        tz=timezone.get_default_timezone(),
        holidays=frozenset(d for d, workday in holidays if not workday),
        extra_workdays=frozenset(d for d, workday in holidays if workday),
        **kwargs,
    )


def calendar_for(demand, calendar: WorkCalendar):
    return WallClock(tz=calendar.tz) if demand.wall_clock else calendar


def response_clock(demand) -> SlaClock:
    return SlaClock(started_at=demand.submitted_at, budget_seconds=demand.response_hours * 3600,
                    paused_seconds=demand.paused_seconds, paused_at=demand.paused_at)


def resolution_clock(demand) -> SlaClock:
    return SlaClock(started_at=demand.submitted_at,
                    budget_seconds=demand.resolution_hours * 3600,
                    paused_seconds=demand.paused_seconds, paused_at=demand.paused_at)


def set_deadlines(demand, calendar: WorkCalendar) -> None:
    """(Re)compute both due times from the hours, the start and the time paused so far."""
    cal = calendar_for(demand, calendar)
    demand.response_due_at = response_clock(demand).deadline(cal)
    demand.resolution_due_at = resolution_clock(demand).deadline(cal)


def pause(demand, *, now: dt.datetime) -> None:
    demand.paused_at = now


def unpause(demand, *, now: dt.datetime, calendar: WorkCalendar) -> None:
    if demand.paused_at is None:
        return
    cal = calendar_for(demand, calendar)
    demand.paused_seconds += int(cal.between(demand.paused_at, now))
    demand.paused_at = None
    set_deadlines(demand, calendar)


def active_clock(demand) -> SlaClock:
    """Before the first response the response promise runs; after it, resolution."""
    return response_clock(demand) if demand.responded_at is None else resolution_clock(demand)


def next_check_at(demand, calendar: WorkCalendar) -> dt.datetime | None:
    """When the running clock crosses the next threshold (for the sweep's index); ``None``
    when the clock is stopped or the chain is at its top."""
    if demand.status not in SLA_RUNNING or demand.paused_at is not None:
        return None
    if demand.escalation_level >= len(THRESHOLDS):
        return None
    share = THRESHOLDS[demand.escalation_level]
    cal = calendar_for(demand, calendar)
    clocks = [resolution_clock(demand)]
    if demand.responded_at is None:
        clocks.append(response_clock(demand))
    return min(cal.add(c.started_at, share * c.budget_seconds + c.paused_seconds)
               for c in clocks)
