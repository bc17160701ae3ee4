"""Placing one task in one specialist's day by hand: a grab-mode claim (the first valid
claim wins) or a manager's move. Both are checked by the solver, through the adapter,
against the same constraints as a run, and the route is re-timed at the solver's times."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from demands import selectors as demand_selectors
from demands.models import Demand
from zhifu.access import CHANGE, CLAIM, access, restrict
from zhifu.access.capabilities import Capability, can
from zhifu.accounts.models import Specialist
from zhifu.accounts.policies import is_specialist
from zhifu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from zhifu.notifications.services import message, notify

from .. import adapter
from ..choices import DispatchMode, TaskStatus
from ..lifecycle import may_from_state, require_state, require_version, target_of
from ..models import ServiceTask, TaskEvent
from .follow import demand_follow_task
from .generation import demand_task, ready_for_dispatch
from .runs import plan_link


def _day_route(specialist: Specialist, day: dt.date, exclude: int) -> list[ServiceTask]:
    return list(ServiceTask.objects.filter(
        specialist=specialist, service_date=day,
        status__in=(TaskStatus.ASSIGNED, TaskStatus.ACCEPTED),
    ).exclude(pk=exclude).select_related("retailer", "district")
        .order_by("planned_start", "sequence", "id"))


def _place(task: ServiceTask, specialist: Specialist, placement: adapter.Placement,
           status: str, run_mode: str) -> None:
    """Give ``task`` to ``specialist`` in the placement's order, at the solver's times."""
    route = placement.route
    for position, (item, (start, end)) in enumerate(zip(route, placement.times, strict=True),
                                                     start=1):
        item.sequence = position
        item.planned_start = adapter.local_datetime(task.service_date, start)
        item.planned_end = adapter.local_datetime(task.service_date, end)
        if item.pk == task.pk:
            item.specialist, item.status, item.mode = specialist, status, run_mode
            item.unserved_reason = ""
    ServiceTask.objects.bulk_update(route, ["sequence", "planned_start", "planned_end",
                                            "specialist", "status", "mode",
                                            "unserved_reason"])


def task_claim(*, user, task_id: int) -> ServiceTask:
    """Grab mode: the first valid claim wins; later claims get a clear 409."""
    if not is_specialist(user):
        raise PermissionDenied(_("Only specialists claim tasks."))
    specialist = (Specialist.objects.prefetch_related("skill_levels__skill")
                  .select_related("home_district").get(pk=user.specialist.pk))
    with transaction.atomic():
        # The claim rule ignores the status, so a lost race reads "taken", not "missing".
        task = (restrict(ServiceTask.objects.select_for_update().select_related(
            "retailer", "district"), user, CLAIM).filter(pk=task_id).first())
        if task is None:
            raise NotFound(_("This task does not exist."))
        if not may_from_state(task, "claim"):
            raise Conflict(_("Someone else has already taken this task."), code="already_taken")
        reason = adapter.eligibility_refusal(task=task, specialist=specialist)
        if reason:
            raise DomainError(_("You cannot take this task: %(reason)s") % {"reason": reason},
                              code="not_eligible", status_code=403)
        route = _day_route(specialist, task.service_date, exclude=task.pk)
        placed, violations = adapter.check_assignment(task=task, specialist=specialist,
                                                      day=task.service_date, route=route,
                                                      now=timezone.now())
        if placed is None:
            raise DomainError(_("It does not fit your day: %(why)s")
                              % {"why": "; ".join(violations[:3])}, code="does_not_fit")
        _place(task, specialist, placed, target_of(task, "claim"), DispatchMode.GRAB)
        ServiceTask.objects.filter(pk=task.pk).update(accepted_at=timezone.now())
        TaskEvent.objects.create(task=task, action="claimed", actor=user, data={})
        task.refresh_from_db()
        demand_follow_task(task=task)
    return task


def task_reassign(*, actor, task_id: int, specialist_id: int | None,
                  allow_cross_district: bool = False, reason: str = "",
                  expected_version: int | None = None) -> ServiceTask:
    """A manager moves a task by hand, checked against the same constraints as a run; the
    manager's ``reason`` is kept on the task's history."""
    why = (reason or "").strip()[:200]
    if not can(actor, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers move tasks."))
    with transaction.atomic():
        task = access(ServiceTask.objects.select_for_update().select_related(
            "retailer", "district"), actor, task_id, CHANGE,
            message=_("This task does not exist."))
        require_version(task, expected_version)
        require_state(task, "reassign")
        previous = task.specialist_id
        if specialist_id is None:
            task.status, task.specialist, task.sequence = TaskStatus.OPEN, None, None
            task.planned_start = task.planned_end = None
            task.save()
        else:
            specialist = (restrict(Specialist, actor, CHANGE)
                          .prefetch_related("skill_levels__skill")
                          .select_related("home_district").filter(pk=specialist_id,
                                                                  active=True).first())
            if specialist is None:
                raise DomainError(_("Choose an active specialist from your districts."),
                                  code="bad_specialist",
                                  fields={"specialist": [_("Not available.")]})
            reason = adapter.eligibility_refusal(task=task, specialist=specialist,
                                                 allow_cross_district=allow_cross_district)
            if reason:
                raise DomainError(_("This specialist cannot take the task: %(reason)s")
                                  % {"reason": reason}, code="not_eligible")
            route = _day_route(specialist, task.service_date, exclude=task.pk)
            # Placed from now on when it is today: nothing is planned in the past.
            placed, violations = adapter.check_assignment(
                task=task, specialist=specialist, day=task.service_date, route=route,
                allow_cross_district=allow_cross_district, now=timezone.now())
            if placed is None:
                raise DomainError(_("It does not fit this specialist's day: %(why)s")
                                  % {"why": "; ".join(violations[:3])}, code="does_not_fit")
            _place(task, specialist, placed, target_of(task, "reassign"),
                   DispatchMode.COMMAND)
            task.refresh_from_db()
        TaskEvent.objects.create(task=task, action="reassigned", actor=actor, data={
            "previous": previous, "specialist": specialist_id, "reason": why})
        demand_follow_task(task=task)
    _notify_move(task, previous)
    return task


def _notify_move(task: ServiceTask, previous: int | None) -> None:
    users = list(Specialist.objects.filter(pk__in=[p for p in (previous, task.specialist_id)
                                                   if p]).select_related("user"))
    if users:
        notify(recipients=[s.user for s in users], kind="dispatch_changed",
               title=message(gettext_noop("A task on %(day)s was moved"),
                             day=task.service_date.isoformat()),
               body=task.title, link=plan_link(task.service_date))


def demand_place_by_hand(*, actor, demand, specialist: Specialist | None,
                         planned_start: dt.datetime | None = None,
                         reason: str = "") -> ServiceTask:
    """A manager schedules a demand to a specialist. It goes through the demand's task (made
    for the day when there is none yet), checked like any move — skills, radius, shift,
    the day's other work — so the visit is in the specialist's day and the demand follows
    it; refused as a whole when it does not fit."""
    if not can(actor, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers move tasks."))
    if specialist is None:
        raise DomainError(_("Choose the specialist who will serve it."), code="bad_specialist",
                          fields={"specialist": [_("This field is required.")]})
    now = timezone.now()
    when = timezone.localtime(planned_start) if planned_start else timezone.localtime(now)
    day = when.date()
    if day < timezone.localdate(now):
        raise DomainError(_("A day in the past cannot be planned."), code="day_in_past",
                          fields={"planned_start": [_("A day in the past cannot be planned.")]})
    span = demand_selectors.work_calendar().day_span(day)
    with transaction.atomic():
        demand = access(Demand.objects.select_for_update(of=("self",))
                        .select_related("item", "retailer"),
                        actor, demand.pk, CHANGE, message=_("This demand does not exist."))
        task = ServiceTask.objects.select_for_update().filter(demand=demand).first()
        if task is None:
            if not ready_for_dispatch(demand):
                raise DomainError(_("Accept the demand (and approve it, if it needs a "
                                    "sign-off) before scheduling it."), code="not_ready",
                                  status_code=409)
            task = demand_task(demand, day, span)
            if task is None:
                raise DomainError(_("The retailer asked for a later day."), code="later_day",
                                  fields={"planned_start": [_("Choose a later day.")]})
            task.save()
        else:
            require_state(task, "reassign")
            if task.service_date != day:
                task.service_date = day
                task.window_start, task.window_end = span
        if planned_start is not None and task.window_start < when.time() < task.window_end:
            task.window_start = when.time().replace(second=0, microsecond=0)
        task.save()
        # The manager chose this person: one from another district is lent (its service
        # radius gives way, as in a run's reinforcement); skills, shift and the day hold.
        return task_reassign(actor=actor, task_id=task.pk, specialist_id=specialist.pk,
                             reason=reason or _("Scheduled by hand from the demand"),
                             allow_cross_district=specialist.home_district_id
                             != demand.district_id)
