"""Writes of the evaluation app: the three ratings, the points ledger, monthly capability
snapshots and awards.

The ledger is recomputed from its sources (ratings, completed demands, done visits,
reviews) and each entry is keyed by (kind, source): running it again, a re-rating or a
re-opened demand changes or withdraws an entry, never adds a second one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from demands import services as demand_services
from demands.choices import SERVED_STATUSES, DemandKind, DemandStatus
from demands.models import Demand, DemandEvent
from dispatch.choices import TaskSource, TaskStatus
from dispatch.models import ServiceTask
from profiling.models import RawValue
from zhifu.access import CHANGE, access, restrict
from zhifu.access.capabilities import Capability, can
from zhifu.accounts.models import Specialist
from zhifu.accounts.policies import is_retailer, is_specialist
from zhifu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from zhifu.core.months import month_of, month_range

from . import scoring
from .choices import PointsKind
from .models import (
    CapabilitySnapshot,
    CoCreationRating,
    EvaluationSettings,
    ManagerReview,
    MonthlyAward,
    PointsEntry,
    PointsRule,
    ServiceRating,
    WorkQualityRecord,
)

ASPECTS = ("attitude", "professionalism", "timeliness", "result")


def _stars(values: dict) -> dict[str, int]:
    stars, errors = {}, {}
    for aspect in ASPECTS:
        try:
            value = int(values.get(aspect))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[aspect] = [_("Give 1 to 5 stars.")]
        stars[aspect] = value
    if errors:
        raise DomainError(_("Rate every aspect with 1 to 5 stars."), code="bad_stars",
                          fields=errors)
    return stars


# --- the three ratings ------------------------------------------------------------------------

def rating_refusal(*, demand, rating: ServiceRating | None, now: dt.datetime,
                   rerate_days: int) -> Conflict | None:
    """The one rule for "may this service be rated, or its rating changed, now": ``None``
    when it may, otherwise the refusal. The page, the API and the service all ask it."""
    if rating is None and demand.status != DemandStatus.COMPLETED:
        return Conflict(_("Only a completed service can be rated."), code="not_rateable")
    if rating is not None and now - rating.created_at > dt.timedelta(days=rerate_days):
        return Conflict(_("This rating can no longer be changed."), code="rating_closed")
    return None


def rating_submit(*, user, demand_id: int, comment: str = "", now: dt.datetime | None = None,
                  **values) -> ServiceRating:
    """The retailer rates a finished service, anonymously; changeable for a few days."""

    now = now or timezone.now()
    if not is_retailer(user):
        raise PermissionDenied(_("Only the retailer who received the service rates it."))
    stars = _stars(values)
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise DomainError(_("The comment is too long (at most 1000 characters)."),
                          code="comment_too_long", fields={"comment": [_("Too long.")]})
    settings = EvaluationSettings.current()
    with transaction.atomic():
        demand = access(Demand.objects.select_for_update(), user, demand_id, CHANGE,
                        message=_("This demand does not exist."))
        existing = ServiceRating.objects.filter(demand=demand).first()
        refusal = rating_refusal(demand=demand, rating=existing, now=now,
                                 rerate_days=settings.rerate_days)
        if refusal is not None:
            raise refusal
        overall = round(sum(stars.values()) / len(stars), 2)
        rating = existing or ServiceRating(demand=demand, retailer=user.retailer,
                                           specialist_id=demand.assignee_id, created_at=now,
                                           period=month_of(now))
        for aspect, value in stars.items():
            setattr(rating, aspect, value)
        rating.overall, rating.comment, rating.updated_at = overall, comment, now
        rating.save()
        if existing is None:
            demand_services.demand_mark_rated(demand=demand, actor=user, now=now,
                                              rating_id=rating.pk)
        points_sync(demand_ids=[demand.pk])
    return rating


def co_creation_submit(*, user, task_id: int, cooperation: int, data_provided: int,
                       note: str = "") -> CoCreationRating:
    """The specialist rates the retailer as a co-creation partner after a finished task."""

    if not is_specialist(user):
        raise PermissionDenied(_("Only specialists rate co-creation."))
    scores = {}
    for name, value in (("cooperation", cooperation), ("data_provided", data_provided)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("Give 1 to 5 stars."), code="bad_stars",
                              fields={name: [_("Give 1 to 5 stars.")]})
        scores[name] = value
    with transaction.atomic():
        task = (restrict(ServiceTask.objects.select_for_update(), user, CHANGE)
                .filter(pk=task_id, specialist=user.specialist).first())
        if task is None:
            raise NotFound(_("This task does not exist."))
        if task.status != TaskStatus.DONE:
            raise Conflict(_("Rate the co-creation once the task is done."), code="not_done")
        rating, _created = CoCreationRating.objects.update_or_create(
            task=task, defaults={"retailer_id": task.retailer_id,
                                 "specialist": user.specialist, "note": (note or "")[:500],
                                 **scores})
    return rating


def review_submit(*, user, demand_id: int, audit_passed: bool, quality: int,
                  complaint_upheld: bool = False, note: str = "") -> ManagerReview:
    """The manager's audit of a finished demand in a district they manage."""

    if not can(user, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers review services."))
    if not isinstance(quality, int) or not 1 <= quality <= 5:
        raise DomainError(_("Give 1 to 5 stars."), code="bad_stars",
                          fields={"quality": [_("Give 1 to 5 stars.")]})
    demand = access(Demand, user, demand_id, CHANGE, message=_("This demand does not exist."))
    if demand.status not in SERVED_STATUSES:
        raise Conflict(_("Only finished services are reviewed."), code="not_finished")
    if complaint_upheld and demand.kind != DemandKind.COMPLAINT:
        raise DomainError(_("Only a complaint can be upheld."), code="not_a_complaint",
                          fields={"complaint_upheld": [_("Not a complaint.")]})
    with transaction.atomic():
        review, _created = ManagerReview.objects.update_or_create(
            demand=demand, defaults={"reviewer": user, "audit_passed": bool(audit_passed),
                                     "quality": quality,
                                     "complaint_upheld": bool(complaint_upheld),
                                     "note": (note or "")[:500]})
        points_sync(demand_ids=[demand.pk])
    return review


# --- the points ledger --------------------------------------------------------------------------

def _rules() -> dict[str, int]:
    return {r.kind: r.points for r in PointsRule.objects.filter(active=True)}


def _desired(*, demand_ids=None, period: dt.date | None = None) -> dict[tuple, dict]:
    """Every ledger entry the sources call for (within the filter)."""

    rules = _rules()
    wanted: dict[tuple, dict] = {}

    def put(kind, source_type, source_id, specialist_id, points, reason, when):
        if kind in rules and specialist_id and points:
            wanted[(kind, source_type, source_id)] = {
                "specialist_id": specialist_id, "points": points, "reason": reason,
                "period": month_of(when)}

    ratings = ServiceRating.objects.filter(specialist__isnull=False)
    demands = Demand.objects.filter(assignee__isnull=False, completed_at__isnull=False)
    reviews = ManagerReview.objects.filter(complaint_upheld=True,
                                           demand__assignee__isnull=False)
    visits = ServiceTask.objects.filter(source=TaskSource.VISIT, status=TaskStatus.DONE,
                                        specialist__isnull=False)
    if demand_ids is not None:
        ratings = ratings.filter(demand_id__in=demand_ids)
        demands = demands.filter(pk__in=demand_ids)
        reviews = reviews.filter(demand_id__in=demand_ids)
        visits = visits.none()
    if period is not None:
        start, end = month_range(period)
        ratings = ratings.filter(created_at__gte=start, created_at__lt=end)
        demands = demands.filter(completed_at__gte=start, completed_at__lt=end)
        reviews = reviews.filter(created_at__gte=start, created_at__lt=end)
        visits = visits.filter(completed_at__gte=start, completed_at__lt=end)
    for r in ratings:
        if PointsKind.RATING in rules:
            put(PointsKind.RATING, "rating", r.pk, r.specialist_id,
                scoring.rating_points(r.overall, rules[PointsKind.RATING]),
                _("Customer rating"), r.created_at)
    reopened = set(DemandEvent.objects.filter(action="reopen", demand__in=demands)
                   .values_list("demand_id", flat=True))
    for d in demands.only("id", "assignee_id", "completed_at", "sla_state"):
        if d.sla_state == "missed":
            put(PointsKind.SLA_BREACH, "demand", d.pk, d.assignee_id,
                -abs(rules.get(PointsKind.SLA_BREACH, 0)), _("SLA breached"), d.completed_at)
        else:
            put(PointsKind.SLA_MET, "demand", d.pk, d.assignee_id,
                rules.get(PointsKind.SLA_MET, 0), _("SLA met"), d.completed_at)
        if d.pk not in reopened:
            put(PointsKind.FIRST_TIME, "demand", d.pk, d.assignee_id,
                rules.get(PointsKind.FIRST_TIME, 0), _("Resolved the first time"),
                d.completed_at)
    for review in reviews.select_related("demand"):
        put(PointsKind.COMPLAINT_UPHELD, "review", review.pk, review.demand.assignee_id,
            -abs(rules.get(PointsKind.COMPLAINT_UPHELD, 0)), _("Complaint upheld"),
            review.created_at)
    for task in visits.only("id", "specialist_id", "completed_at"):
        put(PointsKind.VISIT_DONE, "task", task.pk, task.specialist_id,
            rules.get(PointsKind.VISIT_DONE, 0), _("Planned visit completed"),
            task.completed_at)
    return wanted


def points_sync(*, demand_ids=None, period: dt.date | None = None) -> dict[str, int]:
    """Bring the ledger in line with its sources (all, some demands, or one month)."""
    wanted = _desired(demand_ids=demand_ids, period=period)
    existing_qs = PointsEntry.objects.exclude(kind=PointsKind.MANUAL)
    if demand_ids is not None:
        rating_ids = ServiceRating.objects.filter(demand_id__in=demand_ids).values("pk")
        review_ids = ManagerReview.objects.filter(demand_id__in=demand_ids).values("pk")
        existing_qs = existing_qs.filter(
            Q(source_type="demand", source_id__in=demand_ids)
            | Q(source_type="rating", source_id__in=rating_ids)
            | Q(source_type="review", source_id__in=review_ids))
    if period is not None:
        existing_qs = existing_qs.filter(period=period)
    existing = {(e.kind, e.source_type, e.source_id): e for e in existing_qs}
    created = updated = deleted = 0
    with transaction.atomic():
        for key, values in wanted.items():
            entry = existing.pop(key, None)
            if entry is None:
                PointsEntry.objects.create(kind=key[0], source_type=key[1], source_id=key[2],
                                           **values)
                created += 1
            elif any(getattr(entry, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(entry, f, v)
                entry.save()
                updated += 1
        # Sources that no longer call for an entry (a re-opened demand, a removed review).
        deleted = len(existing)
        PointsEntry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    return {"created": created, "updated": updated, "deleted": deleted}


def points_adjust(*, actor, specialist, points: int, reason: str,
                  when: dt.datetime | None = None) -> PointsEntry:
    """A manager's manual adjustment, with its reason (kept in the ledger)."""
    if not (can(actor, Capability.MANAGE_DISTRICT_WORK)
            and restrict(type(specialist), actor, CHANGE).filter(pk=specialist.pk).exists()):
        raise PermissionDenied(_("Only the specialist's managers adjust points."))
    reason = (reason or "").strip()
    if not reason or not -100 <= int(points) <= 100 or not points:
        raise DomainError(_("Give a reason and between -100 and 100 points."),
                          code="bad_adjustment")
    when = when or timezone.now()
    last = PointsEntry.objects.filter(kind=PointsKind.MANUAL).order_by("-source_id").first()
    return PointsEntry.objects.create(
        specialist=specialist, kind=PointsKind.MANUAL, points=int(points), reason=reason[:200],
        source_type="manual", source_id=(last.source_id + 1) if last else 1,
        period=month_of(when))


# --- monthly capability and awards ----------------------------------------------------------------

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
                    "details": {"basic_information": basic_parts,
                                "work_quality": quality_parts,
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
