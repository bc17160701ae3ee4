"""The points ledger, recomputed from its sources (ratings, completed demands, done visits,
reviews); each entry is keyed by (kind, source), so running it again, a re-rating or a
re-opened demand changes or withdraws an entry, never adds a second one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.models import Demand, DemandEvent
from dispatch.choices import VISIT_SOURCES, TaskStatus
from dispatch.models import ServiceTask
from zhifu.access import CHANGE, restrict
from zhifu.access.capabilities import Capability, can
from zhifu.core.errors import DomainError, PermissionDenied
from zhifu.core.months import month_of, month_range

from .. import scoring
from ..choices import PointsKind
from ..models import ManagerReview, PointsEntry, PointsRule, ServiceRating


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
    visits = ServiceTask.objects.filter(source__in=VISIT_SOURCES, status=TaskStatus.DONE,
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
