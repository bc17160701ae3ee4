"""Changes during the day that re-plan the rest of it: cancelled work, urgent work,
a specialist dropping out. Work already started is never moved."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.access import CHANGE, access
from zhifu.access.capabilities import Capability, can
from zhifu.core.errors import DomainError, PermissionDenied
from zhifu.notifications.services import notify

from ..choices import ACTIVE, MOVABLE, PINNED, TaskSource, TaskStatus
from ..lifecycle import may_from_state, require_version, target_of
from ..models import ServiceTask, SpecialistAbsence, TaskEvent
from .runs import replan_day


def _require_manager(actor) -> None:
    if not can(actor, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers change the day's plan."))


def _replan_if_current(day: dt.date, district_ids: list[int], now: dt.datetime) -> None:
    if day >= timezone.localdate(now):
        replan_day(day=day, district_ids=district_ids,
                   now=now if day == timezone.localdate(now) else None)


def task_withdraw_for_demand(*, demand, actor, reason: str = "",
                             now: dt.datetime | None = None) -> ServiceTask | None:
    """The demand behind a task was withdrawn: cancel its unstarted task, tell the
    specialist who had it, and re-plan the day if it is today (or later)."""
    now = now or timezone.now()
    task = (ServiceTask.objects.select_for_update(of=("self",)).select_related("specialist__user")
            .filter(demand_id=demand.pk).first())
    if task is None or not may_from_state(task, "cancel"):
        return None
    previous = task.specialist
    task.status, task.sequence = target_of(task, "cancel"), None
    task.unserved_reason = _("The demand was withdrawn.")
    task.save(update_fields=["status", "sequence", "unserved_reason", "updated_at"])
    TaskEvent.objects.create(task=task, action="withdrawn", actor=actor,
                             data={"demand": demand.pk, "reason": reason[:200]})
    if previous is not None:
        notify(recipients=[previous.user], kind="dispatch_changed",
               title=_("A task on %(day)s was withdrawn") % {"day": task.service_date},
               body=task.title, now=now)
    if task.service_date == timezone.localdate(now):
        replan_day(day=task.service_date, district_ids=[task.district_id], now=now)
    return task


def task_cancel(*, actor, task_id: int, reason: str, now: dt.datetime | None = None,
                expected_version: int | None = None) -> ServiceTask:
    now = now or timezone.now()
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required",
                          fields={"reason": [_("This field is required.")]})
    with transaction.atomic():
        task = access(ServiceTask.objects.select_for_update(), actor, task_id, CHANGE,
                      message=_("This task does not exist."))
        require_version(task, expected_version)
        if not may_from_state(task, "cancel"):
            raise DomainError(_("Only work not yet started can be cancelled."),
                              code="wrong_state", status_code=409)
        task.status, task.unserved_reason = target_of(task, "cancel"), reason[:255]
        task.save(update_fields=["status", "unserved_reason", "updated_at"])
        TaskEvent.objects.create(task=task, action="cancelled", actor=actor,
                                 data={"reason": reason})
        _replan_if_current(task.service_date, [task.district_id], now)
    return task


def task_add_urgent(*, actor, retailer, title: str, service_minutes: int = 30,
                    required_skills: list[dict] | None = None,
                    now: dt.datetime | None = None) -> ServiceTask:
    """Urgent work for today: mandatory, top priority, and the day is re-planned around it."""
    now = now or timezone.now()
    _require_manager(actor)
    retailer = access(type(retailer), actor, retailer.pk, CHANGE,
                      message=_("This retailer does not exist."))
    title = (title or "").strip()
    if not title or len(title) > 120:
        raise DomainError(_("Give the work a title of at most 120 characters."),
                          code="bad_title", fields={"title": [_("Required, at most 120.")]})
    if not 1 <= int(service_minutes) <= 600:
        raise DomainError(_("Service minutes must be between 1 and 600."), code="bad_minutes",
                          fields={"service_minutes": [_("Between 1 and 600.")]})
    local = timezone.localtime(now)
    with transaction.atomic():
        task = ServiceTask.objects.create(
            source=TaskSource.URGENT,
            retailer=retailer, district_id=retailer.district_id, title=title,
            service_date=local.date(), window_start=min(local.time(), dt.time(17, 0)),
            window_end=dt.time(17, 30), service_minutes=int(service_minutes), priority=100.0,
            required_skills=required_skills or [], mandatory=True)
        TaskEvent.objects.create(task=task, action="urgent_added", actor=actor)
        _replan_if_current(task.service_date, [task.district_id], now)
    return task


def specialist_drop_out(*, actor, specialist, day: dt.date, reason: str,
                        available_from: dt.time | None = None,
                        available_until: dt.time | None = None,
                        now: dt.datetime | None = None) -> int:
    """Take a specialist out of a day, or of part of it (in late from ``available_from``,
    gone home at ``available_until``): their work not yet started goes back to the pool
    and the day is re-planned within the hours they have. A later report for the same day
    replaces the earlier one. Returns how many tasks were freed."""
    now = now or timezone.now()
    _require_manager(actor)
    specialist = access(type(specialist), actor, specialist.pk, CHANGE,
                        message=_("This specialist does not exist."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required",
                          fields={"reason": [_("This field is required.")]})
    if available_from and available_until and available_from >= available_until:
        raise DomainError(_("The hours left must start before they end."), code="bad_hours",
                          fields={"available_until": [_("Must be after the start.")]})
    with transaction.atomic():
        SpecialistAbsence.objects.update_or_create(
            specialist=specialist, day=day,
            defaults={"reason": reason[:200], "recorded_by": actor,
                      "available_from": available_from, "available_until": available_until})
        freed = list(ServiceTask.objects.select_for_update().filter(
            specialist=specialist, service_date=day, status__in=(*MOVABLE, *PINNED)))
        for task in freed:
            task.status, task.specialist, task.sequence = TaskStatus.OPEN, None, None
            task.planned_start = task.planned_end = None
            task.unserved_reason = _("Specialist absent: %(reason)s") % {"reason": reason[:100]}
        ServiceTask.objects.bulk_update(freed, ["status", "specialist", "sequence",
                                                "planned_start", "planned_end",
                                                "unserved_reason"])
        TaskEvent.objects.bulk_create([TaskEvent(task=t, action="freed", actor=actor,
                                                 data={"absent": specialist.pk}) for t in freed])
        districts = sorted({t.district_id for t in freed} | {specialist.home_district_id})
        _replan_if_current(day, districts, now)
    return len(freed)


def active_task_count(*, specialist, day: dt.date) -> int:
    return ServiceTask.objects.filter(specialist=specialist, service_date=day,
                                      status__in=ACTIVE).count()
