"""The three ratings of a finished service: the retailer's (anonymous to the specialist), the
specialist's co-creation rating of the retailer, and the manager's review; and the one rule
that says whether a service may be rated, or its rating changed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demands import services as demand_services
from demands.choices import SERVED_STATUSES, DemandKind, DemandStatus
from demands.models import Demand
from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask
from zhifu.access import CHANGE, access, restrict
from zhifu.access.capabilities import Capability, can
from zhifu.accounts.policies import is_retailer, is_specialist
from zhifu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from zhifu.core.months import month_of

from ..models import CoCreationRating, EvaluationSettings, ManagerReview, ServiceRating
from .ledger import points_sync

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


def review_refusal(*, demand) -> Conflict | None:
    """The one rule for "may this service be reviewed now" (the page asks it too)."""
    if demand.status not in SERVED_STATUSES:
        return Conflict(_("Only finished services are reviewed."), code="not_finished")
    return None


def review_submit(*, user, demand_id: int, audit_passed: bool, quality: int,
                  complaint_upheld: bool = False, note: str = "") -> ManagerReview:
    """The manager's audit of a finished demand in a district they manage."""

    if not can(user, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers review services."))
    if not isinstance(quality, int) or not 1 <= quality <= 5:
        raise DomainError(_("Give 1 to 5 stars."), code="bad_stars",
                          fields={"quality": [_("Give 1 to 5 stars.")]})
    demand = access(Demand, user, demand_id, CHANGE, message=_("This demand does not exist."))
    refusal = review_refusal(demand=demand)
    if refusal is not None:
        raise refusal
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
