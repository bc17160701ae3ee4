"""What a specialist does to its own tasks during the day: accept, check in, complete,
report a problem (claims and managers' moves are in ``placement``).

Every action locks the task row, checks who may act and from which state, records
a ``TaskEvent``, and moves the demand behind the task along its lifecycle so the
retailer's timeline shows each step.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from demands import selectors as demand_selectors
from demands import services as demand_services
from demands.choices import DemandStatus
from zhifu.access import CHANGE, restrict
from zhifu.accounts.policies import is_specialist
from zhifu.core.errors import DomainError, NotFound, PermissionDenied
from zhifu.core.images import clean_image
from zhifu.notifications.services import message, notify

from .. import adapter
from ..choices import DispatchMode, ExceptionKind, TaskStatus
from ..lifecycle import require_state, require_version, target_of
from ..models import ServiceTask, TaskEvent, TaskPhoto
from .rollover import roll_over
from .runs import replan_day

# A check-in further than this from the shop is flagged for the manager.
CHECK_IN_FAR_METRES = getattr(settings, "DISPATCH_CHECK_IN_FAR_METRES", 500)
NOTES_MAX = 4000
PHOTO_MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 9


# A step sent later from a phone's offline queue keeps the time it happened, within reason.
FACT_MAX_AGE = dt.timedelta(hours=48)
FACT_CLOCK_SKEW = dt.timedelta(minutes=5)


def fact_time(occurred_at: dt.datetime | None, *, now: dt.datetime | None = None
              ) -> dt.datetime:
    """The time a step happened: the phone's, when it sends one that is plausible (not in
    the future beyond a phone clock's skew, not older than two days), else now."""
    now = now or timezone.now()
    if occurred_at is None:
        return now
    if occurred_at > now + FACT_CLOCK_SKEW or occurred_at < now - FACT_MAX_AGE:
        raise DomainError(_("The time it happened must lie within the last 48 hours."),
                          code="bad_occurred_at",
                          fields={"occurred_at": [_("Not a plausible time.")]})
    return min(occurred_at, now)


def _locked_task_for(user, task_id: int, expected_version: int | None = None) -> ServiceTask:
    """The task, locked, if this specialist may act on it (404 otherwise) and still at the
    version the phone read, when it says which (409 with what changed otherwise)."""
    if not is_specialist(user):
        raise PermissionDenied(_("Only specialists work on tasks."))
    task = (restrict(ServiceTask.objects.select_for_update(), user, CHANGE)
            .filter(pk=task_id, specialist_id=user.specialist.pk).first())
    if task is None:
        raise NotFound(_("This task does not exist."))
    require_version(task, expected_version)
    return task


def _event(task: ServiceTask, action: str, actor, **data) -> None:
    """A step on the task's history; ``at`` (when given) is when it happened on the phone,
    the row's own time when the server heard of it."""
    TaskEvent.objects.create(task=task, action=action, actor=actor, data=data)


def task_accept(*, user, task_id: int, expected_version: int | None = None) -> ServiceTask:
    with transaction.atomic():
        task = _locked_task_for(user, task_id)
        if task.status == TaskStatus.ACCEPTED:
            return task  # a double tap changes nothing
        require_version(task, expected_version)
        require_state(task, "accept")
        task.status, task.accepted_at = target_of(task, "accept"), timezone.now()
        task.save(update_fields=["status", "accepted_at", "updated_at"])
        _event(task, "accepted", user)
    return task


ETA_MAX_MINUTES = 240


def task_on_the_way(*, user, task_id: int, eta_minutes: int,
                    expected_version: int | None = None,
                    now: dt.datetime | None = None) -> ServiceTask:
    """The specialist sets off for the shop: the retailer learns when to expect them (on the
    demand's timeline, or a message for a planned visit)."""
    now = now or timezone.now()
    if not isinstance(eta_minutes, int) or not 1 <= eta_minutes <= ETA_MAX_MINUTES:
        raise DomainError(_("Give the minutes until you arrive (1 to %(n)s).")
                          % {"n": ETA_MAX_MINUTES}, code="bad_eta",
                          fields={"eta_minutes": [_("Between 1 and %(n)s.")
                                                  % {"n": ETA_MAX_MINUTES}]})
    eta = now + dt.timedelta(minutes=eta_minutes)
    with transaction.atomic():
        task = _locked_task_for(user, task_id, expected_version)
        require_state(task, "on_the_way")
        _event(task, "on_the_way", user, eta=eta.isoformat(), at=now.isoformat())
        if task.demand_id:
            demand_services.demand_on_the_way(demand=task.demand, actor=user, eta=eta, now=now)
        elif task.retailer.user_id:
            notify(recipients=[task.retailer.user], kind="visit.on_the_way",
                   title=message(gettext_noop("Your specialist is on the way, expected at "
                                              "%(time)s"),
                                 time=timezone.localtime(eta).strftime("%H:%M")),
                   body=task.title, now=now)
    return task


def task_start(*, user, task_id: int, latitude: float, longitude: float,
               expected_version: int | None = None,
               now: dt.datetime | None = None) -> ServiceTask:
    """Check in at the shop; a position far from it is recorded and flagged."""
    now = now or timezone.now()
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError(_("The position is not a valid coordinate."), code="bad_position",
                          fields={"latitude": [_("Invalid.")], "longitude": [_("Invalid.")]})
    with transaction.atomic():
        task = _locked_task_for(user, task_id, expected_version)
        require_state(task, "start")
        if task.service_date != timezone.localdate(now):
            raise DomainError(_("This task is planned for %(day)s, not today.")
                              % {"day": task.service_date}, code="not_today")
        distance = 1000 * adapter.distance_km(
            (latitude, longitude), (task.retailer.latitude, task.retailer.longitude))
        task.status = target_of(task, "start")
        task.accepted_at = task.accepted_at or now
        task.checked_in_at = now
        task.check_in_lat, task.check_in_lng = latitude, longitude
        task.check_in_distance_m = int(round(distance))
        task.check_in_far = distance > CHECK_IN_FAR_METRES
        task.save()
        _event(task, "started", user, distance_m=task.check_in_distance_m,
               far=task.check_in_far, at=now.isoformat())
        if task.demand_id:
            demand_services.demand_start(demand=task.demand, actor=user, now=now,
                                         via_task=True)
    return task


def _clean_photos(photos) -> list:
    """Each photo decoded, bounded and re-encoded under a name we choose."""
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, code="too_many_photos",
                          fields={"photos": [_("Too many photos.")]})
    return [clean_image(photo, field="photos", max_bytes=PHOTO_MAX_BYTES) for photo in photos]


def task_complete(*, user, task_id: int, notes: str, checklist_confirmed: list[str],
                  photos=(), expected_version: int | None = None,
                  now: dt.datetime | None = None) -> ServiceTask:
    """Finish with a service log; every compliance point must be confirmed."""
    now = now or timezone.now()
    notes = (notes or "").strip()
    if not notes:
        raise DomainError(_("Write what was done."), code="notes_required",
                          fields={"notes": [_("This field is required.")]})
    if len(notes) > NOTES_MAX:
        raise DomainError(_("The service log is too long (at most %(n)s characters).")
                          % {"n": NOTES_MAX}, code="notes_too_long",
                          fields={"notes": [_("Too long.")]})
    photos = list(photos)
    photos = _clean_photos(photos)
    with transaction.atomic():
        task = _locked_task_for(user, task_id, expected_version)
        require_state(task, "complete")
        confirmed = [point for point in checklist_confirmed if point]
        unknown = [p for p in confirmed if p not in task.checklist]
        missing = [p for p in task.checklist if p not in confirmed]
        if unknown or missing:
            raise DomainError(
                _("Confirm every compliance point: %(points)s")
                % {"points": "、".join(missing) or "—"}, code="checklist_incomplete",
                fields={"checklist_confirmed": [_("Unknown point: %(p)s") % {"p": p}
                                                for p in unknown] or [_("Incomplete.")]})
        task.status, task.completed_at = target_of(task, "complete"), now
        task.service_notes, task.checklist_confirmed = notes, confirmed
        task.save(update_fields=["status", "completed_at", "service_notes",
                                 "checklist_confirmed", "updated_at"])
        for photo in photos:
            TaskPhoto.objects.create(task=task, image=photo)
        _event(task, "completed", user, photos=len(photos), at=now.isoformat())
        if task.demand_id:
            for point in confirmed:
                if point not in (task.demand.checklist_confirmed or []):
                    demand_services.demand_confirm_checklist(demand=task.demand, actor=user,
                                                             point=point, now=now,
                                                             via_task=True)
            demand_services.demand_complete(demand=task.demand, actor=user,
                                            reason=notes[:200], now=now, via_task=True)
    return task


def _asked_for_this_time(task: ServiceTask) -> bool:
    """The retailer chose this day's time window for the work (its demand said so)."""
    demand = task.demand if task.demand_id else None
    if demand is None or demand.preferred_start is None:
        return False
    return timezone.localtime(demand.preferred_start).date() == task.service_date


def _after_shop_closed(task: ServiceTask, *, user, now: dt.datetime) -> None:
    """A closed shop is tried again in a later slot of the day, or on the next working day
    when none is left, never as the reporter's very next stop; unless the retailer asked
    for this time, when it stays in its window."""
    if _asked_for_this_time(task):
        return
    retry = timezone.localtime(now) + dt.timedelta(
        minutes=settings.DISPATCH_SHOP_CLOSED_RETRY_MINUTES)
    latest = dt.datetime.combine(retry.date(), task.window_end, tzinfo=retry.tzinfo)
    if (retry.date() == task.service_date
            and retry + dt.timedelta(minutes=task.service_minutes) <= latest):
        task.window_start = max(task.window_start, retry.time().replace(microsecond=0))
        task.save(update_fields=["window_start", "updated_at"])
        return
    calendar = demand_selectors.work_calendar()
    to_day = calendar.next_working_day(task.service_date)
    roll_over(task, to_day=to_day, window=calendar.day_span(to_day), reason="shop_closed",
              actor=user, now=now)


def task_report_exception(*, user, task_id: int, kind: str, note: str = "",
                          expected_version: int | None = None,
                          now: dt.datetime | None = None) -> ServiceTask:
    """The specialist cannot do the task: it goes back to the pool and the day is
    re-planned; a demand behind it is escalated so a manager sees it."""
    now = now or timezone.now()
    if kind not in ExceptionKind.values:
        raise DomainError(_("Unknown exception kind."), code="bad_kind",
                          fields={"kind": [_("Choose one of the listed kinds.")]})
    note = (note or "").strip()
    if kind == ExceptionKind.OTHER and not note:
        raise DomainError(_("Say what happened."), code="note_required",
                          fields={"note": [_("This field is required.")]})
    if len(note) > 500:
        raise DomainError(_("The note is too long (at most 500 characters)."),
                          code="note_too_long", fields={"note": [_("Too long.")]})
    with transaction.atomic():
        task = _locked_task_for(user, task_id, expected_version)
        require_state(task, "exception")
        previous = task.specialist_id
        grab = task.mode == DispatchMode.GRAB
        task.status = target_of(task, "exception")
        task.specialist, task.sequence = None, None
        task.planned_start = task.planned_end = None
        task.exception_kind, task.exception_note = kind, note
        task.unserved_reason = ExceptionKind(kind).label
        task.save()
        _event(task, "exception", user, kind=kind, note=note, specialist=previous,
               at=now.isoformat())
        if kind == ExceptionKind.SHOP_CLOSED:
            _after_shop_closed(task, user=user, now=now)
        if task.demand_id:
            if task.demand.status != DemandStatus.ESCALATED:
                demand_services.demand_escalate(
                    demand=task.demand, actor=user, now=now,
                    reason=f"{ExceptionKind(kind).label}: {note}".strip(": ")[:200])
        if not grab and task.service_date == timezone.localdate(now):
            replan_day(day=task.service_date, district_ids=[task.district_id], now=now)
    return task
