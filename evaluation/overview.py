"""One page on one person for the manager: a retailer (profile, demands, visits and tasks,
strategy, ratings) or a specialist (today's route, load, capability, points).

This app reads every other app already, so the pages that gather one person's whole loop
live here. Every row comes through the door (``restrict`` or a selector built on it): the
person itself (another district's id is ``None``, a 404 to the caller) and everything shown
about them, so a manager sees a shared retailer's work only in its own districts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from demands import selectors as demand_selectors
from demands.choices import Tier
from dispatch import selectors as dispatch_selectors
from dispatch.choices import TaskStatus
from profiling import selectors as profile_selectors
from strategy import selectors as strategy_selectors
from strategy.models import PlannedVisit
from zhifu.access import restrict
from zhifu.accounts import selectors as people
from zhifu.core.months import this_month

from . import scoring, selectors
from .choices import CapabilityDimension
from .models import CapabilitySnapshot, ServiceRating

RECENT = 20
# The parts of the capability dimensions (tables 4 and 5), with their maximum points.
BASIC_PARTS = {"education": (_("Highest education"), 25),
               "years_in_post": (_("Years in this post"), 25),
               "certificates": (_("Grade certificates"), 25),
               "title": (_("Professional title"), 25)}
QUALITY_LABELS = {"order_fulfilment": _("Order fulfilment rate"),
                  "e_settlement": _("E-settlement success rate"),
                  "active_payment": _("Active payment success rate"),
                  "information_collection": _("Information collection"),
                  "visit_completion": _("Visit completion rate"),
                  "terminal_running": _("Retail terminal running")}


def retailer_overview(*, user, retailer_id: int) -> dict | None:
    retailer = people.retailer_get(user=user, retailer_id=retailer_id)
    if retailer is None:
        return None
    demands = demand_selectors.demand_list(user=user).filter(retailer=retailer)
    tasks = (dispatch_selectors.tasks_visible_to(user=user).filter(retailer=retailer)
             .select_related("specialist__user").order_by("-service_date", "-id"))
    visits = (restrict(PlannedVisit.objects.select_related("specialist__user"), user)
              .filter(retailer=retailer, day__gte=timezone.localdate()).order_by("day", "id"))
    ratings = (restrict(ServiceRating.objects.select_related("demand", "specialist__user"),
                        user).filter(retailer=retailer).order_by("-created_at", "-id"))
    return {
        "retailer": retailer,
        "profile": profile_selectors.profile_detail(retailer=retailer),
        "demands": list(demands.order_by("-submitted_at", "-id")[:RECENT]),
        "demand_count": demands.count(),
        "tasks": list(tasks[:RECENT]),
        "visits": list(visits[:RECENT]),
        "strategy": strategy_selectors.strategy_for_display(retailer=retailer),
        "ratings": list(ratings[:RECENT]),
    }


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def specialist_overview(*, user, specialist_id: int, day: dt.date | None = None
                        ) -> dict | None:
    specialist = people.specialist_list(user=user).filter(pk=specialist_id).first()
    if specialist is None:
        return None
    day = day or timezone.localdate()
    tasks = list(dispatch_selectors.board_tasks(user=user, day=day)
                 .filter(specialist=specialist)
                 .order_by("sequence", "planned_start", "id"))
    planned = [t for t in tasks if t.status != TaskStatus.CANCELLED]
    minutes = sum(t.service_minutes for t in planned)
    shift = max(_minutes(specialist.shift_start, specialist.shift_end), 1)
    period = this_month()
    latest = (restrict(CapabilitySnapshot.objects.all(), user)
              .filter(specialist=specialist).order_by("-period").first())
    capability = (selectors.capability_for(specialist=specialist, period=latest.period)
                  if latest else None)
    return {
        "specialist": specialist, "day": day, "tasks": tasks,
        "load": {"tasks": len(planned), "minutes": minutes, "shift_minutes": shift,
                 "percent": round(minutes / shift * 100),
                 "done": sum(t.status == TaskStatus.DONE for t in planned)},
        "capability": capability,
        **capability_breakdown(capability),
        "points": selectors.specialist_points(specialist=specialist, period=period),
    }


def capability_breakdown(capability: dict | None) -> dict:
    """The parts behind the three dimensions (tables 4–6), for a page to list."""
    return {
        "basic_parts": _parts(capability, CapabilityDimension.BASIC, BASIC_PARTS),
        "quality_parts": _parts(capability, CapabilityDimension.QUALITY, {
            code: (QUALITY_LABELS.get(code, code), maximum)
            for code, maximum in scoring.WORK_QUALITY_MAX.items()}),
        "catalogue": _catalogue(capability),
    }


def _parts(capability: dict | None, dimension: str, parts: dict) -> list[dict]:
    values = (capability or {}).get("details", {}).get(dimension) or {}
    return [{"code": code, "label": label, "points": values.get(code), "max": maximum}
            for code, (label, maximum) in parts.items()]


def _catalogue(capability: dict | None) -> dict:
    """Table 6: the catalogue score and each tier's part (weights 50/30/20)."""
    found = (capability or {}).get("details", {}).get("catalogue") or {}
    tiers = found.get("tiers") or {}
    return {"score": found.get("score"), "tiers": [
        {"label": label, "weight": round(scoring.TIER_WEIGHTS.get(code, 0) * 100),
         "score": tiers.get(code)} for code, label in Tier.choices]}
