"""Reads about a retailer's business, profile and segment, scoped by the asking user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Floor, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.accounts import selectors as people
from zhifu.accounts.models import Retailer
from zhifu.core.errors import NotFound

from .choices import Segment
from .models import Dimension, Indicator, OrderRecord, ProfileSnapshot

# tables.json: retailer_segments (yearly order amount, CNY)
VALUE_SEGMENT_MIN = Decimal("100000")
POTENTIAL_SEGMENT_MIN = Decimal("50000")
TREND_MONTHS = 12


def segment_for_amount(yearly_amount: Decimal | float) -> str:
    """value ≥ 100k CNY a year, potential 50k–100k, basic < 50k."""
    amount = Decimal(str(yearly_amount))
    if amount >= VALUE_SEGMENT_MIN:
        return "value"
    if amount >= POTENTIAL_SEGMENT_MIN:
        return "potential"
    return "basic"


def retailer_segments(*, retailer_ids, today: dt.date | None = None) -> dict[int, str]:
    """The value / potential / basic segment of each retailer, from its last 12 months of
    cigarette orders (the same rule the profile snapshots store). Retailers with no orders
    are ``basic``."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=365)
    totals = dict(
        OrderRecord.objects.filter(retailer_id__in=retailer_ids, ordered_on__gt=since,
                                   ordered_on__lte=today)
        .values("retailer_id").annotate(total=Sum("cigarette_amount"))
        .values_list("retailer_id", "total")
    )
    return {rid: segment_for_amount(totals.get(rid) or 0) for rid in retailer_ids}


def retailer_segment(*, retailer, today: dt.date | None = None) -> str:
    return retailer_segments(retailer_ids=[retailer.id], today=today)[retailer.id]


# --- scope ------------------------------------------------------------------------------------

def profile_retailer_list(*, user) -> QuerySet[Retailer]:
    """Retailers whose profile the user may see (for a specialist: the shops behind its
    own work, in any district)."""
    return people.retailer_list(user=user)


def profile_retailer_get(*, user, retailer_id: int) -> Retailer:
    retailer = profile_retailer_list(user=user).filter(pk=retailer_id).first()
    if retailer is None:
        raise NotFound(_("No such retailer."))
    return retailer


# --- profiles ---------------------------------------------------------------------------------

def latest_period() -> dt.date | None:
    return ProfileSnapshot.objects.aggregate(latest=Max("period"))["latest"]


def dimension_list() -> QuerySet[Dimension]:
    return Dimension.objects.order_by("position")


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("dimension").order_by("dimension__position",
                                                                  "position")


def profile_list(*, user, period: dt.date | None = None) -> QuerySet[Retailer]:
    """The user's retailers joined to their snapshot of ``period`` (default: the latest month
    computed) as ``snap``; fields ``snap_total``, ``snap_segment``, ``snap_churn`` and friends."""
    period = period or latest_period()
    return (profile_retailer_list(user=user)
            .alias(snap=FilteredRelation("profile_snapshots",
                                         condition=Q(profile_snapshots__period=period)))
            .annotate(snap_total=F("snap__total"), snap_segment=F("snap__segment"),
                      snap_churn=F("snap__churn_warning"), snap_scores=F("snap__scores"),
                      snap_verdicts=F("snap__verdicts"), snap_weak=F("snap__weak_count"),
                      snap_rfm_r=F("snap__rfm_r"), snap_rfm_f=F("snap__rfm_f"),
                      snap_rfm_m=F("snap__rfm_m"), snap_yearly=F("snap__yearly_amount")))


def profile_distribution(profiles: QuerySet[Retailer]) -> dict:
    """How the (filtered) profiles spread: shops per ten points of total score, and per
    customer segment, counted in the database whatever the page shows."""
    bins = {int(row["bucket"]): row["n"] for row in profiles.filter(snap_total__isnull=False)
            .annotate(bucket=Least(Floor(F("snap_total") / 10), Value(9.0)))
            .values("bucket").annotate(n=Count("id")).order_by()}
    segments = dict(profiles.filter(snap_segment__isnull=False).values_list("snap_segment")
                    .annotate(n=Count("id")).order_by())
    return {"bins": [f"{10 * b}–{10 * b + 10}" for b in range(10)],
            "counts": [bins.get(b, 0) for b in range(10)],
            "segments": [{"name": str(label), "value": segments.get(code, 0)}
                         for code, label in Segment.choices]}


def profile_snapshots_latest(*, retailer_ids) -> dict[int, ProfileSnapshot]:
    """Each retailer's most recent snapshot (for strategy generation and dispatch, which
    read many profiles at once); retailers never profiled are absent."""
    latest = (ProfileSnapshot.objects.filter(retailer_id__in=retailer_ids)
              .order_by("retailer_id", "-period"))
    result: dict[int, ProfileSnapshot] = {}
    for snapshot in latest.iterator(chunk_size=2000):
        result.setdefault(snapshot.retailer_id, snapshot)
    return result


def profile_detail(*, retailer: Retailer) -> dict:
    """Everything a profile page or the API shows: dimensions with score, verdict, peer mean
    and thresholds; radar data; segment; the trend of the last 12 months computed."""
    snapshots = list(retailer.profile_snapshots.order_by("-period")[:TREND_MONTHS])
    latest = snapshots[0] if snapshots else None
    dimensions = []
    for d in dimension_list():
        dimensions.append({
            "code": d.code, "name": d.name, "name_en": d.name_en, "group": d.group,
            "score": latest.scores.get(d.code) if latest else None,
            "verdict": latest.verdicts.get(d.code) if latest else None,
            "peer_mean": latest.peer_means.get(d.code) if latest else None,
            "strength_threshold": d.strength_threshold,
            "weakness_threshold": d.weakness_threshold,
        })
    trend = [{"period": s.period.strftime("%Y-%m"), "total": s.total, "scores": s.scores}
             for s in reversed(snapshots)]
    segment = None
    if latest:
        segment = {"code": latest.segment, "label": latest.get_segment_display(),
                   "yearly_amount": latest.yearly_amount,
                   "recency_days": latest.recency_days, "frequency": latest.frequency,
                   "rfm": {"r": latest.rfm_r, "f": latest.rfm_f, "m": latest.rfm_m},
                   "churn_warning": latest.churn_warning}
    return {
        "retailer_id": retailer.id,
        "period": latest.period.strftime("%Y-%m") if latest else None,
        "computed_at": latest.computed_at if latest else None,
        "total": latest.total if latest else None,
        "dimensions": dimensions,
        "strengths": [d["code"] for d in dimensions if d["verdict"] == "strength"],
        "weaknesses": [d["code"] for d in dimensions if d["verdict"] == "weakness"],
        "segment": segment,
        "radar": {"indicators": [{"name": d["name"], "max": 100} for d in dimensions],
                  "values": [d["score"] or 0 for d in dimensions],
                  "peer": [d["peer_mean"] for d in dimensions]},
        "trend": trend,
    }
