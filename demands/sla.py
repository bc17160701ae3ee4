"""The SLA sweep: mark demands at risk (80% of their time used) or breached, and walk the
escalation chain specialist → district lead → city department, notifying each rung.

Safe to run twice: a rung is a unique ``DemandEscalation`` row, created under the
demand's row lock, and only its creator notifies.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.accounts.choices import ManagerLevel

from . import clock
from .choices import SLA_RUNNING, EscalationLevel, SlaState
from .choices import DemandStatus as S
from .models import Demand, DemandEscalation
from .notices import escalation_notice, managers_of
from .services import demand_transition

AT_RISK, BREACHED, CITY_LEVEL = clock.THRESHOLDS
# Paused (waiting_customer) demands are skipped: their clock is stopped.
SWEPT = SLA_RUNNING


def used_fraction(demand, calendar, now: dt.datetime) -> float:
    cal = clock.calendar_for(demand, calendar)
    fractions = [clock.resolution_clock(demand).used_fraction(cal, now)]
    if demand.responded_at is None:
        fractions.append(clock.response_clock(demand).used_fraction(cal, now))
    return max(fractions)


def band(fraction: float) -> str:
    """The SLA state for a share of the promised time used (one rule for sweep and readers)."""
    if fraction >= BREACHED:
        return SlaState.BREACHED
    if fraction >= AT_RISK:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def sla_state_seen(demand, *, now: dt.datetime | None = None, calendar=None) -> str:
    """The SLA state as of ``now``, computed from the demand's clocks on the working calendar.

    What every page, API response and export shows. The stored ``sla_state`` is the sweep's
    record (escalations, the index, filters) and lags behind until the sweep runs, so a
    demand whose deadline has just passed would otherwise still read "on track". Stopped
    clocks (paused, met, missed) keep the state their last step wrote.
    """
    if demand.status not in SWEPT or demand.paused_at is not None:
        return demand.sla_state
    now = now or timezone.now()
    return band(used_fraction(demand, calendar or clock.work_calendar(), now))


def attach_sla_seen(demands, *, now: dt.datetime | None = None, calendar=None) -> list:
    """Compute ``sla_state_seen`` for many demands with one calendar (two queries in all);
    each demand then answers ``demand.sla_seen`` without a query."""
    demands = list(demands)
    running = [d for d in demands if d.status in SWEPT and d.paused_at is None]
    if running and calendar is None:
        calendar = clock.work_calendar()
    now = now or timezone.now()
    for demand in demands:
        demand.remember_sla_seen(sla_state_seen(demand, now=now, calendar=calendar))
    return demands


def _recipients(demand, level: int):
    if level == EscalationLevel.SPECIALIST:
        # The specialist doing it, and the district leads whose inbox watches the district.
        leads = list(managers_of(demand, ManagerLevel.DISTRICT_LEAD))
        return [demand.assignee.user, *leads] if demand.assignee_id else leads
    if level == EscalationLevel.DISTRICT_LEAD:
        return list(managers_of(demand, ManagerLevel.DISTRICT_LEAD))
    return list(managers_of(demand, ManagerLevel.CITY_DEPARTMENT))


def demand_sla_check(*, demand_id: int, now: dt.datetime, calendar) -> dict:
    """Bring one demand's SLA state and escalation level up to date."""
    changes = {"at_risk": 0, "breached": 0, "escalations": 0}
    with transaction.atomic():
        demand = (Demand.objects.select_for_update(of=("self",))
                  .select_related("assignee__user", "district").filter(pk=demand_id).first())
        if demand is None or demand.status not in SWEPT or demand.paused_at is not None:
            return changes
        fraction = used_fraction(demand, calendar, now)
        state = band(fraction)
        level = (EscalationLevel.CITY_DEPARTMENT if fraction >= CITY_LEVEL
                 else EscalationLevel.DISTRICT_LEAD if fraction >= BREACHED
                 else EscalationLevel.SPECIALIST if fraction >= AT_RISK else 0)
        if state != demand.sla_state:
            changes["at_risk" if state == SlaState.AT_RISK else "breached"] += (
                state in (SlaState.AT_RISK, SlaState.BREACHED))
            demand.sla_state = state
            demand.save(update_fields=["sla_state", "updated_at"])
        reached = set(demand.escalations.values_list("level", flat=True))
        for rung in range(1, level + 1):
            if rung in reached:
                continue
            recipients = _recipients(demand, rung)
            DemandEscalation.objects.create(demand=demand, level=rung, created_at=now,
                                            notified=[u.pk for u in recipients])
            escalation_notice(demand=demand, level=rung, recipients=recipients, now=now)
            changes["escalations"] += 1
        demand.escalation_level = max(level, demand.escalation_level)
        demand.sla_check_at = clock.next_check_at(demand, calendar)
        demand.save(update_fields=["escalation_level", "sla_check_at", "updated_at"])
    # A breach moves an open demand into "escalated" (one event, by the system).
    if level >= EscalationLevel.DISTRICT_LEAD and demand.status != S.ESCALATED:
        demand_transition(demand=demand.pk, actor=None, action="escalate", now=now,
                          reason=_("The SLA deadline passed."))
    return changes


def demands_sla_sweep(*, now: dt.datetime | None = None) -> dict:
    """Check every running demand whose clock has moved into a new band."""
    now = now or timezone.now()
    calendar = clock.work_calendar()
    totals = {"checked": 0, "at_risk": 0, "breached": 0, "escalations": 0}
    # Only demands whose clock has crossed its next threshold: an index range scan, however
    # many demands are running.
    ids = (Demand.objects.filter(sla_check_at__lte=now, status__in=SWEPT,
                                 paused_at__isnull=True)
           .values_list("pk", flat=True).order_by("sla_check_at"))
    for demand_id in list(ids):
        result = demand_sla_check(demand_id=demand_id, now=now, calendar=calendar)
        totals["checked"] += 1
        for key in ("at_risk", "breached", "escalations"):
            totals[key] += result[key]
    logging.getLogger(__name__).info("SLA sweep %s", totals)
    return totals
