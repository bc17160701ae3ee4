"""Reads of the evaluation app.

Anonymity for specialists: they never get a rating row, a rating's time, or a retailer.
What they see of ratings is a month's aggregate, only for a closed month and only from
the minimum number of ratings up; their points from ratings are shown as one line per
month under the same rule. Everything else in the ledger is itemised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Sum
from django.utils import timezone

from zhifu.access import CHANGE, restrict
from zhifu.accounts.models import Specialist
from zhifu.accounts.policies import is_admin, is_manager
from zhifu.core.months import month_range, this_month

from .choices import PointsKind
from .models import CapabilitySnapshot, EvaluationSettings, MonthlyAward, PointsEntry, ServiceRating
from .services import rating_refusal


def is_closed(period: dt.date) -> bool:
    return period < this_month()


def rating_aggregate(*, specialist, period: dt.date) -> dict:
    """The month's ratings of one specialist as they may see them."""
    settings = EvaluationSettings.current()
    if not is_closed(period):
        return {"shown": False, "why": "month_open"}
    start, end = month_range(period)
    row = ServiceRating.objects.filter(specialist=specialist, created_at__gte=start,
                                       created_at__lt=end).aggregate(
        n=Count("id"), mean=Avg("overall"))
    if row["n"] < settings.min_ratings_shown:
        return {"shown": False, "why": "too_few_ratings",
                "minimum": settings.min_ratings_shown}
    return {"shown": True, "count": row["n"], "mean": round(row["mean"], 2)}


def _ratings_visible(specialist_ids, period: dt.date) -> set[int]:
    """Specialists whose rating points for the month may be shown (closed month, enough
    ratings): the same rule for everyone, so a ranking leaks nothing either."""
    if not is_closed(period):
        return set()
    settings = EvaluationSettings.current()
    start, end = month_range(period)
    counts = ServiceRating.objects.filter(specialist_id__in=specialist_ids,
                                          created_at__gte=start, created_at__lt=end).values(
        "specialist_id").annotate(n=Count("id"))
    return {row["specialist_id"] for row in counts if row["n"] >= settings.min_ratings_shown}


def specialist_points(*, specialist, period: dt.date) -> dict:
    visible = specialist.pk in _ratings_visible([specialist.pk], period)
    entries = PointsEntry.objects.filter(specialist=specialist, period=period)
    lines = [{"kind": e.kind, "label": str(PointsKind(e.kind).label), "points": e.points,
              "reason": e.reason, "date": e.created_at.date().isoformat()}
             for e in entries.exclude(kind=PointsKind.RATING).order_by("created_at", "id")]
    rated = entries.filter(kind=PointsKind.RATING).aggregate(total=Sum("points"),
                                                             n=Count("id"))
    if visible and rated["n"]:
        lines.append({"kind": PointsKind.RATING, "label": str(PointsKind.RATING.label),
                      "points": rated["total"],
                      "reason": str(PointsKind.RATING.label), "date": None})
    return {"period": period.isoformat(), "total": sum(line["points"] for line in lines),
            "lines": lines, "rating_points_shown": visible}


def ranking(*, period: dt.date, district_ids=None) -> list[dict]:
    """Specialists by points for the month (names and points only), under the same
    visibility rule for rating points as each specialist's own page."""
    specialists = Specialist.objects.filter(active=True).select_related("user")
    if district_ids is not None:
        specialists = specialists.filter(home_district_id__in=district_ids)
    ids = [s.pk for s in specialists]
    visible = _ratings_visible(ids, period)
    totals = {sid: 0 for sid in ids}
    for row in PointsEntry.objects.filter(period=period, specialist_id__in=ids).values(
            "specialist_id", "kind").annotate(total=Sum("points")):
        if row["kind"] == PointsKind.RATING and row["specialist_id"] not in visible:
            continue
        totals[row["specialist_id"]] += row["total"]
    names = {s.pk: s.user.display_name for s in specialists}
    ordered = sorted(ids, key=lambda sid: (-totals[sid], sid))
    return [{"rank": rank, "specialist_id": sid, "name": names[sid], "points": totals[sid]}
            for rank, sid in enumerate(ordered, start=1)]


def capability_for(*, specialist, period: dt.date) -> dict | None:
    snapshot = CapabilitySnapshot.objects.filter(specialist=specialist, period=period).first()
    if snapshot is None:
        return None
    open_month = not is_closed(period)
    details = dict(snapshot.details)
    details.pop("ratings", None)  # counts and means come only through rating_aggregate
    return {
        "period": period.isoformat(),
        "basic_information": snapshot.basic_information,
        "work_quality": snapshot.work_quality,
        # Within an open month the service dimension would move with each new rating.
        "service_evaluation": None if open_month else snapshot.service_evaluation,
        "average": None if open_month else snapshot.average,
        "details": details,
    }


def team_radar(*, user, period: dt.date) -> list[dict]:
    """The mean of each dimension per district the manager sees."""
    if not (is_manager(user) or is_admin(user)):
        return []
    # Grouped by home district: a specialist counts once, in the district it belongs to.
    snapshots = restrict(CapabilitySnapshot.objects.filter(period=period), user,
                         CHANGE)
    rows = snapshots.values("specialist__home_district_id",
                            "specialist__home_district__name").annotate(
        basic=Avg("basic_information"), quality=Avg("work_quality"),
        service=Avg("service_evaluation"), n=Count("id")).order_by(
        "specialist__home_district__name")
    return [{"district_id": r["specialist__home_district_id"],
             "district": r["specialist__home_district__name"],
             "basic": round(r["basic"], 1), "quality": round(r["quality"], 1),
             "service": round(r["service"], 1) if r["service"] is not None else None,
             "specialists": r["n"]} for r in rows]


def awards(*, period: dt.date) -> list[MonthlyAward]:
    return list(MonthlyAward.objects.filter(period=period).select_related("specialist__user"))


def specialist_month(*, specialist, period: dt.date) -> dict:
    """A specialist's own month, as its phone shows it: points (itemised, ratings as one
    monthly line), its rank in the city and in its home district, the three capability
    dimensions (the service dimension only once the month is closed), its ratings'
    aggregate under the same rule, and the month's service stars."""
    city = ranking(period=period)
    district = ranking(period=period, district_ids=[specialist.home_district_id])
    return {
        "period": period,
        "points": specialist_points(specialist=specialist, period=period),
        "rank": next((r["rank"] for r in city if r["specialist_id"] == specialist.pk), None),
        "of": len(city),
        "district_rank": next((r["rank"] for r in district
                               if r["specialist_id"] == specialist.pk), None),
        "district_of": len(district),
        "top": city[:10],
        "capability": capability_for(specialist=specialist, period=period),
        "ratings": rating_aggregate(specialist=specialist, period=period),
        "awards": awards(period=period),
    }


@dataclass(frozen=True)
class RatingState:
    """What the retailer's page shows about rating one demand."""

    rating: ServiceRating | None
    open: bool  # the form may be sent (a first rating, or a change within the window)
    shown: bool  # the section belongs on the page at all (the service was delivered)
    closes_on: dt.date | None  # the last day a rating may still be changed


def rating_state(*, demand, now: dt.datetime | None = None) -> RatingState:
    now = now or timezone.now()
    rating = ServiceRating.objects.filter(demand=demand).first()
    days = EvaluationSettings.current().rerate_days
    refusal = rating_refusal(demand=demand, rating=rating, now=now, rerate_days=days)
    closes = (timezone.localtime(rating.created_at + dt.timedelta(days=days)).date()
              if rating is not None else None)
    return RatingState(rating=rating, open=refusal is None,
                       shown=refusal is None or rating is not None, closes_on=closes)
