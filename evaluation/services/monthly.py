"""The month's close: each specialist's capability snapshot, the awards, and the ledger
brought up to date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from demands.models import Demand
from dispatch.choices import TaskSource, TaskStatus
from dispatch.models import ServiceTask
from profiling.models import RawValue
from zhifu.accounts.models import Specialist
from zhifu.core.months import month_range

from .. import scoring
from ..choices import CapabilityDimension
from ..models import (
    CapabilitySnapshot,
    EvaluationSettings,
    MonthlyAward,
    PointsEntry,
    ServiceRating,
    WorkQualityRecord,
)
from .ledger import points_sync


def _rates(period: dt.date) -> dict[int, dict[str, float | None]]:
    """Work-quality rates of every specialist for the month: imported ones, plus the
    platform's own (information collection, planned-visit completion)."""

    settings = EvaluationSettings.current()
    start, end = month_range(period)
    rates: dict[int, dict[str, float | None]] = defaultdict(dict)
    for record in WorkQualityRecord.objects.filter(period=period):
        rates[record.specialist_id].update({
            "order_fulfilment": record.order_fulfilment, "e_settlement": record.e_settlement,
            "active_payment": record.active_payment,
            "terminal_running": record.terminal_running})
    users = dict(Specialist.objects.values_list("user_id", "pk"))
    collections = RawValue.objects.filter(source="collection", updated_at__gte=start,
                                          updated_at__lt=end).values("collected_by").annotate(
        n=Count("id"))
    for row in collections:
        specialist_id = users.get(row["collected_by"])
        if specialist_id:
            rates[specialist_id]["information_collection"] = min(
                1.0, row["n"] / settings.collection_target)
    visits = (ServiceTask.objects.filter(source=TaskSource.VISIT, service_date__gte=period,
                                         service_date__lt=end.date(), specialist__isnull=False)
              .exclude(status=TaskStatus.CANCELLED).values("specialist_id")
              .annotate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE))))
    for row in visits:
        rates[row["specialist_id"]]["visit_completion"] = row["done"] / row["total"]
    return rates


def _catalogue_quality(period: dt.date) -> dict[int, dict[str, tuple[str, int, float]]]:
    """Per specialist and catalogue item: the share of the month's completed services of
    that item done within SLA and not failed by a manager's audit."""

    start, end = month_range(period)
    rows = (Demand.objects.filter(completed_at__gte=start, completed_at__lt=end,
                                  assignee__isnull=False, item__isnull=False)
            .values("assignee_id", "item__code", "item__tier", "item__item_score", "sla_state",
                    "review__audit_passed"))
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    meta = {}
    for row in rows:
        key = (row["assignee_id"], row["item__code"])
        meta[key] = (row["item__tier"], row["item__item_score"])
        counts[key][0] += 1
        good = row["sla_state"] != "missed" and row["review__audit_passed"] is not False
        counts[key][1] += int(good)
    out: dict[int, dict] = defaultdict(dict)
    for (specialist_id, code), (total, good) in counts.items():
        tier, points = meta[(specialist_id, code)]
        out[specialist_id][code] = (tier, points, good / total)
    return out


def capability_compute(*, period: dt.date, now: dt.datetime | None = None) -> int:
    """Every active specialist's three dimensions for the month (the radar)."""
    now = now or timezone.now()
    settings = EvaluationSettings.current()
    start, end = month_range(period)
    rates = _rates(period)
    catalogue = _catalogue_quality(period)
    ratings = {row["specialist_id"]: row for row in ServiceRating.objects.filter(
        created_at__gte=start, created_at__lt=end, specialist__isnull=False)
        .values("specialist_id").annotate(n=Count("id"), mean=Avg("overall"))}
    count = 0
    with transaction.atomic():
        for s in Specialist.objects.filter(active=True):
            basic, basic_parts = scoring.basic_information(
                education=s.education, years=s.years_in_post,
                certificates=len(s.certificates or []), title=s.title)
            quality, quality_parts = scoring.work_quality(rates.get(s.pk, {}))
            rated = ratings.get(s.pk)
            mean = rated["mean"] if rated and rated["n"] >= settings.min_ratings_shown else None
            cat, tier_scores = scoring.catalogue_score(catalogue.get(s.pk, {}))
            service = scoring.service_evaluation(rating_mean=mean, catalogue=cat,
                                                 rating_weight=settings.rating_weight)
            parts = [v for v in (basic, quality, service) if v is not None]
            CapabilitySnapshot.objects.update_or_create(
                specialist=s, period=period, defaults={
                    "basic_information": basic, "work_quality": quality or 0.0,
                    "service_evaluation": service,
                    "average": round(sum(parts) / len(parts), 2),
                    "computed_at": now,
                    "details": {CapabilityDimension.BASIC: basic_parts,
                                CapabilityDimension.QUALITY: quality_parts,
                                "ratings": {"count": rated["n"] if rated else 0,
                                            "mean": round(mean, 2) if mean else None},
                                "catalogue": {"score": cat, "tiers": tier_scores}}})
            count += 1
    return count


def awards_grant(*, period: dt.date) -> list[MonthlyAward]:
    """营销服务之星: the month's top specialists by points (ties: capability average)."""
    settings = EvaluationSettings.current()
    totals = dict(PointsEntry.objects.filter(period=period).values("specialist_id")
                  .annotate(total=Sum("points")).values_list("specialist_id", "total"))
    averages = dict(CapabilitySnapshot.objects.filter(period=period)
                    .values_list("specialist_id", "average"))
    ranked = sorted((sid for sid, total in totals.items() if total > 0),
                    key=lambda sid: (-totals[sid], -averages.get(sid, 0), sid))
    with transaction.atomic():
        MonthlyAward.objects.filter(period=period).delete()
        awards = [MonthlyAward(period=period, specialist_id=sid, rank=rank,
                               points=totals[sid])
                  for rank, sid in enumerate(ranked[:settings.award_top_n], start=1)]
        MonthlyAward.objects.bulk_create(awards)
    return awards


def month_close(*, period: dt.date) -> dict:
    """What the beat task runs on the first of a month for the month before."""
    ledger = points_sync(period=period)
    snapshots = capability_compute(period=period)
    awards = awards_grant(period=period)
    return {"ledger": ledger, "snapshots": snapshots, "awards": len(awards)}
