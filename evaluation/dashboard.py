"""The manager's dashboard figures: platform KPIs, their monthly trends, demand flow,
district comparison. Every figure is one aggregate query scoped to the manager's
districts and the chosen months; nothing loops over demands in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from demands.choices import DemandKind
from demands.models import Demand, DemandEvent
from zhifu.accounts import selectors as people
from zhifu.accounts.choices import RetailerStatus
from zhifu.accounts.models import Retailer, Skill, SpecialistSkill
from zhifu.core.months import add_months, this_month

from .models import CapabilitySnapshot, ManagerReview, ServiceRating
from .selectors import ranking

KPI_NAMES = ["handling_hours", "first_time_resolution", "audit_pass_rate", "self_submitted_rate",
             "catalogue_awareness", "personalised_share", "sla_compliance", "satisfaction"]


@dataclass(frozen=True)
class Scope:
    """Which districts and months a dashboard shows."""

    district_ids: tuple[int, ...]
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the month after the last

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))

    @property
    def end_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end, dt.time()))


def scope_for(*, user, district_code: str | None, first: dt.date | None,
              last: dt.date | None) -> Scope:
    """The manager's districts (or the one chosen among them) over [first, last] months;
    by default the last six months including this one."""
    districts = people.district_list(user=user)
    if district_code:
        districts = districts.filter(code=district_code)
    last = (last or this_month()).replace(day=1)
    first = (first or add_months(last, -5)).replace(day=1)
    if first > last:
        first, last = last, first
    return Scope(tuple(districts.values_list("id", flat=True)), first, add_months(last, 1))


def _demands(scope: Scope):

    return Demand.objects.filter(district_id__in=scope.district_ids)


def _month_key(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _kpi_rows(scope: Scope, monthly: bool) -> dict[str, dict[str, float | None]]:
    """The KPIs of the scope, per month (``monthly``) or over the whole scope (key "all")."""

    def grouped(queryset, field):
        # order_by(): a model's default ordering would otherwise join the GROUP BY.
        queryset = queryset.order_by()
        if monthly:
            return queryset.annotate(m=TruncMonth(field)).values("m")
        return queryset.annotate(m=Value("all", output_field=CharField())).values("m")

    def key_of(value):
        return _month_key(value) if monthly else "all"

    out: dict[str, dict] = {}
    if monthly:
        month = scope.start
        while month < scope.end:
            out[_month_key(month)] = dict.fromkeys(KPI_NAMES)
            month = add_months(month, 1)
    else:
        out["all"] = dict.fromkeys(KPI_NAMES)
    demands = _demands(scope)
    submitted = grouped(demands.filter(submitted_at__gte=scope.start_at,
                                       submitted_at__lt=scope.end_at), "submitted_at").annotate(
        total=Count("id"), own=Count("id", filter=Q(source="retailer")),
        personalised=Count("id", filter=Q(kind=DemandKind.PERSONALISED)),
        service_shops=Count("retailer_id", filter=Q(kind=DemandKind.SERVICE), distinct=True))
    shops = Retailer.objects.filter(district_id__in=scope.district_ids,
                                    status=RetailerStatus.ACTIVE).count()
    for row in submitted:
        figures = out.get(key_of(row["m"]))
        if figures is not None and row["total"]:
            figures["self_submitted_rate"] = row["own"] / row["total"]
            figures["personalised_share"] = row["personalised"] / row["total"]
            # Catalogue awareness: the share of active shops that ordered a catalogue service.
            figures["catalogue_awareness"] = row["service_shops"] / shops if shops else None
    handling = ExpressionWrapper(F("completed_at") - F("submitted_at"),
                                 output_field=DurationField())

    # A subquery, not a join: joining the events would repeat each demand once per event.
    reopened = Exists(DemandEvent.objects.filter(demand=OuterRef("pk"), action="reopen"))
    completed = grouped(demands.filter(completed_at__gte=scope.start_at,
                                       completed_at__lt=scope.end_at)
                        .annotate(was_reopened=reopened), "completed_at").annotate(
        total=Count("id"), took=Avg(handling),
        met=Count("id", filter=Q(sla_state="met")),
        missed=Count("id", filter=Q(sla_state="missed")),
        reopened=Count("id", filter=Q(was_reopened=True)))
    for row in completed:
        figures = out.get(key_of(row["m"]))
        if figures is None or not row["total"]:
            continue
        figures["handling_hours"] = row["took"].total_seconds() / 3600 if row["took"] else None
        figures["first_time_resolution"] = 1 - row["reopened"] / row["total"]
        judged = row["met"] + row["missed"]
        figures["sla_compliance"] = row["met"] / judged if judged else None
    reviews = grouped(ManagerReview.objects.filter(
        demand__district_id__in=scope.district_ids, created_at__gte=scope.start_at,
        created_at__lt=scope.end_at), "created_at").annotate(
        total=Count("id"), passed=Count("id", filter=Q(audit_passed=True)))
    for row in reviews:
        figures = out.get(key_of(row["m"]))
        if figures is not None and row["total"]:
            figures["audit_pass_rate"] = row["passed"] / row["total"]
    ratings = grouped(ServiceRating.objects.filter(
        demand__district_id__in=scope.district_ids, created_at__gte=scope.start_at,
        created_at__lt=scope.end_at), "created_at").annotate(mean=Avg("overall"))
    for row in ratings:
        figures = out.get(key_of(row["m"]))
        if figures is not None:
            figures["satisfaction"] = row["mean"]
    return out


def kpis_by_month(scope: Scope) -> dict[str, dict[str, float | None]]:
    """Every KPI for every month of the scope (the trend lines)."""
    return _kpi_rows(scope, monthly=True)


def kpis_total(scope: Scope) -> dict[str, float | None]:
    """Every KPI over the whole scope (the headline cards)."""
    return _kpi_rows(scope, monthly=False)["all"]


def demand_flow(scope: Scope) -> dict:
    """Demands submitted in the scope's months, by district and by current status."""
    rows = (_demands(scope).filter(submitted_at__gte=scope.start_at,
                                   submitted_at__lt=scope.end_at)
            .values("district__name", "status").annotate(n=Count("id"))
            .order_by("district__name", "status"))
    districts = sorted({r["district__name"] for r in rows})
    statuses = sorted({r["status"] for r in rows})
    counts = {(r["district__name"], r["status"]): r["n"] for r in rows}
    return {"districts": districts, "statuses": statuses,
            "series": {s: [counts.get((d, s), 0) for d in districts] for s in statuses}}


def district_comparison(scope: Scope) -> list[dict]:
    """The headline KPIs per district over the whole scope."""

    handling = ExpressionWrapper(F("completed_at") - F("submitted_at"),
                                 output_field=DurationField())
    rows = (Demand.objects.filter(district_id__in=scope.district_ids,
                                  submitted_at__gte=scope.start_at,
                                  submitted_at__lt=scope.end_at)
            .values("district__name").annotate(
        demands=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        met=Count("id", filter=Q(sla_state="met")),
        missed=Count("id", filter=Q(sla_state="missed")),
        personalised=Count("id", filter=Q(kind="personalised")),
        took=Avg(handling, filter=Q(completed_at__isnull=False)))
            .order_by("district__name"))
    satisfaction = dict(ServiceRating.objects.filter(
        demand__district_id__in=scope.district_ids, created_at__gte=scope.start_at,
        created_at__lt=scope.end_at).values("demand__district__name").annotate(
        mean=Avg("overall")).values_list("demand__district__name", "mean"))
    out = []
    for r in rows:
        judged = r["met"] + r["missed"]
        out.append({
            "district": r["district__name"], "demands": r["demands"],
            "completed": r["completed"],
            "sla_compliance": r["met"] / judged if judged else None,
            "personalised_share": r["personalised"] / r["demands"] if r["demands"] else None,
            "handling_hours": r["took"].total_seconds() / 3600 if r["took"] else None,
            "satisfaction": satisfaction.get(r["district__name"]),
        })
    return out


def capability_table(*, user, scope: Scope, period: dt.date) -> list[dict]:
    """Each specialist's radar values and points for a month, in ranking order."""

    snapshots = {s.specialist_id: s for s in CapabilitySnapshot.objects.filter(
        period=period, specialist__home_district_id__in=scope.district_ids)}
    table = ranking(period=period, district_ids=list(scope.district_ids))
    rows = []
    for row in table:
        snap = snapshots.get(row["specialist_id"])
        rows.append({**row,
                     "basic": snap.basic_information if snap else None,
                     "quality": snap.work_quality if snap else None,
                     "service": snap.service_evaluation if snap else None})
    return rows


def skill_gaps(scope: Scope, top: int = 5) -> list[dict]:
    """Per district: which skills the demand mix needs more than the team can give.

    Demand share: each demand of the scope counts once for every skill its catalogue
    item needs. Supply share: the specialists' skill levels summed per skill. The gap is
    demand share − supply share, in percentage points; the largest are listed.
    """

    needed = (Demand.objects.filter(district_id__in=scope.district_ids,
                                    submitted_at__gte=scope.start_at,
                                    submitted_at__lt=scope.end_at, item__isnull=False)
              .order_by().values("district__name", "item__skills__code")
              .annotate(n=Count("id")))
    supplied = (SpecialistSkill.objects.filter(specialist__active=True,
                                               specialist__home_district_id__in=scope.district_ids)
                .order_by().values("specialist__home_district__name", "skill__code")
                .annotate(levels=Sum("level")))
    names = dict(Skill.objects.values_list("code", "name"))
    demand: dict[str, dict[str, int]] = {}
    for row in needed:
        if row["item__skills__code"]:
            demand.setdefault(row["district__name"], {})[row["item__skills__code"]] = row["n"]
    supply: dict[str, dict[str, int]] = {}
    for row in supplied:
        supply.setdefault(row["specialist__home_district__name"], {})[row["skill__code"]] = (
            row["levels"])
    out = []
    for district in sorted(set(demand) | set(supply)):
        need, have = demand.get(district, {}), supply.get(district, {})
        need_total, have_total = sum(need.values()) or 1, sum(have.values()) or 1
        gaps = sorted(((need.get(s, 0) / need_total - have.get(s, 0) / have_total) * 100, s)
                      for s in set(need) | set(have))
        for gap, skill in sorted(gaps, reverse=True)[:top]:
            if gap > 0:
                out.append({"district": district, "skill": names.get(skill, skill),
                            "demand_share": round(need.get(skill, 0) / need_total * 100, 1),
                            "supply_share": round(have.get(skill, 0) / have_total * 100, 1),
                            "gap_points": round(gap, 1)})
    return out
