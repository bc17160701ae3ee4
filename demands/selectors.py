"""Reads about demands and the catalogue, always scoped to what the user may see.

Who sees which demand is the door's rule (``zhifu.access.rules``): a retailer its own,
a specialist those assigned to it, a manager its districts', an admin all. Query counts of the
page-level selectors do not depend on how many rows exist (tests pin them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from profiling.selectors import retailer_segment
from zhifu.access import VIEW, restrict
from zhifu.accounts import selectors as people
from zhifu.accounts.choices import Role
from zhifu.accounts.models import User
from zhifu.core.errors import NotFound

from . import clock
from .calendar import WorkCalendar
from .choices import (
    OPEN_STATUSES,
    SLA_RUNNING,
    DemandKind,
    DemandSource,
    DemandStatus,
    SlaState,
    Tier,
)
from .eligibility import ineligibility_reasons
from .models import CatalogueItem, Demand, DemandEvent
from .sla import attach_sla_seen


def work_calendar() -> WorkCalendar:
    """The company's working calendar as configured (working periods, holidays and make-up
    days): the one answer to "is this a working day / working hour" for every app."""
    return clock.work_calendar()


def demand_list(*, user, action: str = VIEW) -> QuerySet[Demand]:
    return restrict(Demand.objects.select_related(
        "item", "retailer", "district", "assignee__user", "handler"), user, action)


def demands_awaiting_retailer(*, user, limit: int = 10) -> list[Demand]:
    """What waits for the retailer itself: a finished service to confirm and rate, a
    question it has been asked (the SLA clock waits for its answer)."""
    return list(demand_list(user=user).filter(
        status__in=(DemandStatus.COMPLETED, DemandStatus.WAITING_CUSTOMER))
        .order_by("-updated_at", "-pk")[:limit])


def demand_get(*, user, demand_id: int, with_events: bool = True) -> Demand | None:
    qs = demand_list(user=user)
    if with_events:
        qs = qs.prefetch_related(Prefetch(
            "events", queryset=DemandEvent.objects.select_related("actor").order_by(
                "created_at", "id")))
    return qs.filter(pk=demand_id).first()


def catalogue_list(*, active_only: bool = True) -> QuerySet[CatalogueItem]:
    qs = CatalogueItem.objects.prefetch_related("skills")
    return qs.filter(active=True) if active_only else qs


@dataclass
class CatalogueEntry:
    item: CatalogueItem
    reasons: list[str]
    open_demand_id: int | None = None

    @property
    def orderable(self) -> bool:
        return not self.reasons and self.open_demand_id is None


@dataclass
class CatalogueTier:
    code: str
    label: str
    entries: list[CatalogueEntry] = field(default_factory=list)


def catalogue_for_retailer(*, retailer, segment: str | None = None,
                           today: dt.date | None = None) -> list[CatalogueTier]:
    """Every active item by tier, each with the reasons it may not be ordered (if any)."""
    if segment is None:
        segment = retailer_segment(retailer=retailer, today=today or timezone.localdate())
    open_by_item = dict(
        Demand.objects.filter(retailer=retailer, status__in=OPEN_STATUSES, item__isnull=False)
        .values_list("item_id", "id"))
    tiers = {code: CatalogueTier(code=code, label=str(label)) for code, label in Tier.choices}
    for item in CatalogueItem.objects.filter(active=True).order_by("tier", "sort_order", "id"):
        if item.is_personalised:
            continue  # personalised needs have their own form
        tiers[item.tier].entries.append(CatalogueEntry(
            item=item, reasons=ineligibility_reasons(item=item, retailer=retailer,
                                                     segment=segment),
            open_demand_id=open_by_item.get(item.pk)))
    return list(tiers.values())


def demand_counts_by_status(*, user) -> dict[str, int]:
    rows = demand_list(user=user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def triage_queue(*, user) -> QuerySet[Demand]:
    """Personalised needs not yet matched to a catalogue item."""
    return demand_list(user=user).filter(kind=DemandKind.PERSONALISED, triaged_at__isnull=True,
                                         status__in=OPEN_STATUSES).order_by("submitted_at")


def demand_shares(*, user, since: dt.datetime | None = None) -> dict:
    """Personalised-need share and self-submitted share (platform metrics)."""
    qs = demand_list(user=user).order_by()
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    totals = qs.aggregate(
        total=Count("id"),
        personalised=Count("id", filter=Q(kind=DemandKind.PERSONALISED)),
        self_submitted=Count("id", filter=Q(source=DemandSource.RETAILER)),
    )
    total = totals["total"] or 0
    return {
        "total": total,
        "personalised": totals["personalised"],
        "self_submitted": totals["self_submitted"],
        "personalised_share": round(totals["personalised"] / total, 4) if total else 0.0,
        "self_submitted_share": round(totals["self_submitted"] / total, 4) if total else 0.0,
    }


def sla_seen_q(state: str, *, now: dt.datetime | None = None) -> Q:
    """Demands whose SLA state as of ``now`` is ``state``, in SQL, without waiting for the
    sweep: a passed deadline is a breach, and a clock past its next threshold time
    (``sla_check_at``, computed on the working calendar) is at risk at least. Rows then show
    the exact state through ``demands.sla.attach_sla_seen``."""
    now = now or timezone.now()
    running = Q(status__in=SLA_RUNNING, paused_at__isnull=True)
    breached = running & (Q(sla_state=SlaState.BREACHED) | Q(resolution_due_at__lte=now)
                          | Q(responded_at__isnull=True, response_due_at__lte=now))
    at_risk = running & ~breached & (Q(sla_state=SlaState.AT_RISK) | Q(escalation_level__gte=1)
                                     | Q(sla_check_at__lte=now))
    if state == SlaState.BREACHED:
        return breached
    if state == SlaState.AT_RISK:
        return at_risk
    if state == SlaState.ON_TRACK:
        return running & ~breached & ~at_risk
    return ~running & Q(sla_state=state)


def with_sla_seen(demands) -> list[Demand]:
    """The demands, each knowing its SLA state as of now (one calendar read for all)."""
    return attach_sla_seen(demands)


def sla_at_risk(*, user, now: dt.datetime | None = None) -> QuerySet[Demand]:
    return demand_list(user=user).filter(
        sla_seen_q(SlaState.AT_RISK, now=now) | sla_seen_q(SlaState.BREACHED, now=now)
    ).order_by("resolution_due_at")


def duplicates_of(*, user, demand: Demand) -> QuerySet[Demand]:
    """Other open demands of the same shop and item (or personalised), for merging."""
    qs = demand_list(user=user).filter(retailer_id=demand.retailer_id,
                                       status__in=OPEN_STATUSES).exclude(pk=demand.pk)
    if demand.item_id:
        return qs.filter(Q(item_id=demand.item_id) | Q(kind=DemandKind.PERSONALISED))
    return qs


def demand_photo_visible(*, user, name: str) -> bool:
    """Whether ``user`` may see this stored photo: it belongs to a demand the user sees."""
    return demand_list(user=user).filter(photo=name).exists()


def action_objects(*, user, data: dict) -> dict:
    """The objects a manager's demand action names by id (a specialist, a handler, a
    catalogue item, a demand to merge into), each found only among those ``user`` may see;
    an unknown or foreign id is "not found". Other fields pass through."""
    not_found = NotFound(_("Not found, or not in your districts."))
    params = {}
    if data.get("specialist"):
        params["specialist"] = people.specialist_list(user=user).filter(
            pk=data["specialist"]).first()
        if params["specialist"] is None:
            raise not_found
    if data.get("handler"):
        params["handler"] = restrict(User, user).filter(
            pk=data["handler"], role__in=(Role.MANAGER, Role.SPECIALIST)).first()
        if params["handler"] is None:
            raise not_found
    if data.get("item"):
        params["item"] = catalogue_list().filter(pk=data["item"]).first()
        if params["item"] is None:
            raise not_found
    if data.get("into"):
        params["into"] = demand_get(user=user, demand_id=data["into"], with_events=False)
        if params["into"] is None:
            raise not_found
    for name in ("planned_start", "reply_due_on", "answer", "adopted", "point"):
        if data.get(name) not in (None, ""):
            params[name] = data[name]
    return params
