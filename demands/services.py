"""Writes about demands and the catalogue: raising a demand, the named lifecycle steps
other apps call, triage, and catalogue edits. The state machine lives in lifecycle.py."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiling.selectors import retailer_segment
from zhifu.access.capabilities import Capability, require
from zhifu.accounts.choices import RetailerStatus
from zhifu.accounts.selectors import retailer_list
from zhifu.core.errors import Conflict, DomainError, NotFound
from zhifu.core.images import clean_image
from zhifu.core.masking import mask_text

from . import clock, policies
from .choices import OPEN_STATUSES, DemandKind, DemandSource, Tier
from .eligibility import ineligibility_reasons
from .lifecycle import on_demand_withdrawn as register
from .lifecycle import transition_apply
from .models import CatalogueItem, Demand, DemandEvent, RequestPromise
from .notices import after_submit, after_transition
from .priority import priority_score

TEXT_MAX = 1000
TITLE_MAX = 120
PHOTO_MAX_BYTES = 5 * 1024 * 1024
WINDOW_MAX_DAYS = 60
REQUEST_ITEM_CODE = "consultation_complaint"
SOURCE_BY_ROLE = {policies.RETAILER: DemandSource.RETAILER,
                  policies.SPECIALIST: DemandSource.SPECIALIST,
                  policies.MANAGER: DemandSource.MANAGER, policies.ADMIN: DemandSource.MANAGER,
                  policies.SYSTEM: DemandSource.STRATEGY}



def demand_transition(**arguments) -> Demand:
    """Apply one lifecycle action (``lifecycle.transition_apply``: the checks, the state, the
    clocks, the event) and tell the people concerned, in one transaction."""
    with transaction.atomic():
        demand, event = transition_apply(**arguments)
        after_transition(demand=demand, event=event)
    return demand


def _invalid(message, code: str, field: str | None = None):
    raise DomainError(message, code=code, fields={field: [str(message)]} if field else None)


def _clean_text(value: str | None, *, field: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        _invalid(_("This field is required."), "required", field)
    if len(text) > TEXT_MAX:
        _invalid(_("Too long: at most %(n)s characters.") % {"n": TEXT_MAX}, "too_long", field)
    return text


def _clean_photo(photo):
    """The photo decoded, bounded and re-encoded under a name we choose (or ``None``)."""
    if photo is None:
        return None
    return clean_image(photo, field="photo", max_bytes=PHOTO_MAX_BYTES)


def _check_window(start, end, now) -> None:
    if start is None and end is None:
        return
    if start is None or end is None or end <= start:
        _invalid(_("Give a preferred time window whose end is after its start."), "bad_window",
                 "preferred_start")
    if start < now - dt.timedelta(minutes=5):
        _invalid(_("The preferred time window is in the past."), "bad_window",
                 "preferred_start")
    if end > now + dt.timedelta(days=WINDOW_MAX_DAYS):
        _invalid(_("Choose a time window within the next %(n)s days.")
                 % {"n": WINDOW_MAX_DAYS}, "bad_window", "preferred_end")


def _check_retailer(*, actor, retailer) -> str:
    role = policies.actor_role(actor)
    visible = role == policies.SYSTEM or (
        role != "" and retailer_list(user=actor).filter(pk=retailer.pk).exists())
    if not visible:
        raise NotFound(_("This shop does not exist."))
    if retailer.status != RetailerStatus.ACTIVE:
        _invalid(_("This shop is not active, so it cannot raise demands."),
                 "retailer_inactive")
    return role


def _check_token(*, retailer, token: str) -> None:
    token = (token or "")[:64]
    if token and Demand.objects.filter(retailer=retailer, client_token=token).exists():
        raise Conflict(_("This was already submitted."), code="duplicate_submit")


def _create(*, retailer, actor, role: str, now, client_token: str, **fields) -> Demand:
    token = (client_token or "")[:64]
    _check_token(retailer=retailer, token=token)
    demand = Demand(retailer=retailer, district_id=retailer.district_id, submitted_at=now,
                    source=SOURCE_BY_ROLE.get(role, DemandSource.RETAILER),
                    client_token=token, **fields)
    calendar = clock.work_calendar()
    clock.set_deadlines(demand, calendar)
    demand.sla_check_at = clock.next_check_at(demand, calendar)
    try:
        with transaction.atomic():
            demand.save()
            DemandEvent.objects.create(
                demand=demand, action="submit", from_status="", to_status=demand.status,
                actor=actor, actor_role=role, created_at=now,
                data={"item": demand.item.name_zh} if demand.item_id else {})
            after_submit(demand=demand)
    except IntegrityError as exc:
        # Two identical submissions raced past the check above; the constraint decides.
        raise Conflict(_("This was already submitted."), code="duplicate_submit") from exc
    return demand


def demand_order(*, retailer, item: CatalogueItem, actor, note: str = "",
                 preferred_start: dt.datetime | None = None,
                 preferred_end: dt.datetime | None = None, client_token: str = "",
                 segment: str | None = None, now: dt.datetime | None = None) -> Demand:
    """Order a catalogue item for a shop (the retailer itself, or staff on its behalf)."""
    now = now or timezone.now()
    role = _check_retailer(actor=actor, retailer=retailer)
    note = _clean_text(note, field="note", required=False)
    _check_window(preferred_start, preferred_end, now)
    if segment is None:
        segment = retailer_segment(retailer=retailer, today=timezone.localdate(now))
    reasons = ineligibility_reasons(item=item, retailer=retailer, segment=segment)
    if reasons:
        raise DomainError(" ".join(reasons), code="not_eligible")
    with transaction.atomic():
        # Lock the shop so two tabs cannot both open the same service.
        type(retailer).objects.select_for_update().filter(pk=retailer.pk).first()
        _check_token(retailer=retailer, token=client_token)
        if not item.is_personalised and Demand.objects.filter(
                retailer=retailer, item=item, status__in=OPEN_STATUSES).exists():
            raise Conflict(_("You already have an open demand for this service."),
                           code="already_open")
        return _create(
            retailer=retailer, actor=actor, role=role, now=now, client_token=client_token,
            item=item, kind=DemandKind.SERVICE, title=item.name_zh[:TITLE_MAX],
            description=note, preferred_start=preferred_start, preferred_end=preferred_end,
            response_hours=item.response_hours, resolution_hours=item.resolution_hours,
            service_minutes=item.service_minutes, priority=item.priority,
            checklist=list(item.checklist), approval_level=item.approval_level)


def demand_submit_need(*, retailer, actor, text: str, kind: str = DemandKind.PERSONALISED,
                       photo=None, client_token: str = "",
                       now: dt.datetime | None = None) -> Demand:
    """A personalised need, consultation, complaint or suggestion in the retailer's words."""
    now = now or timezone.now()
    role = _check_retailer(actor=actor, retailer=retailer)
    promise = (RequestPromise.objects.filter(kind=kind).first()
               if kind != DemandKind.SERVICE else None)
    if promise is None:
        _invalid(_("Choose what kind of request this is."), "bad_kind", "kind")
    text = _clean_text(text, field="text", required=True)
    photo = _clean_photo(photo)
    response, resolution, wall = (promise.response_hours, promise.resolution_hours,
                                  promise.wall_clock)
    item = None
    if kind != DemandKind.PERSONALISED:
        item = CatalogueItem.objects.filter(code=REQUEST_ITEM_CODE).first()
    # The title is shown everywhere (lists, the board, notifications): numbers typed into the
    # need are masked in it for good; the full text stays in the description, masked per
    # reader.
    first_line = mask_text(text.splitlines()[0])
    with transaction.atomic():
        demand = _create(
            retailer=retailer, actor=actor, role=role, now=now, client_token=client_token,
            item=item, kind=kind, title=first_line[:40], description=text,
            photo=photo or "", response_hours=response, resolution_hours=resolution,
            wall_clock=wall, service_minutes=item.service_minutes if item else 30,
            priority=item.priority if item else 40)
    return demand


# --- the named lifecycle steps (what views, the API, dispatch and evaluation call) ----------

def demand_accept(*, demand, actor, handler=None, reply_due_on: dt.date | None = None,
                  reason: str = "", now=None, expected_status=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="accept", handler=handler,
                             reply_due_on=reply_due_on, reason=reason, now=now,
                             expected_status=expected_status)


def demand_reject(*, demand, actor, reason: str, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="reject", reason=reason, now=now)


def demand_schedule(*, demand, actor, specialist, planned_start: dt.datetime | None = None,
                    now=None) -> Demand:
    """Dispatch calls this when a task for the demand is assigned (actor ``None`` = system)."""
    return demand_transition(demand=demand, actor=actor, action="schedule",
                             specialist=specialist, planned_start=planned_start, now=now)


def demand_start(*, demand, actor, now=None, via_task: bool = False) -> Demand:
    """``via_task``: the step comes from the demand's service task (check-in), the only way
    a specialist moves a demand that has one."""
    return demand_transition(demand=demand, actor=actor, action="start", now=now,
                             via_task=via_task)


def demand_complete(*, demand, actor, reason: str = "", now=None,
                    via_task: bool = False) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="complete", reason=reason,
                             now=now, via_task=via_task)


def demand_wait_customer(*, demand, actor, reason: str, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="wait_customer", reason=reason,
                             now=now)


def demand_resume(*, demand, actor, reason: str = "", now=None, calendar=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="resume", reason=reason,
                             now=now, calendar=calendar)


def demand_escalate(*, demand, actor, reason: str, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="escalate", reason=reason,
                             now=now)


def demand_cancel(*, demand, actor, reason: str = "", now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="cancel", reason=reason, now=now)


def demand_confirm(*, demand, actor, now=None) -> Demand:
    """The retailer confirms the work is done (the rating itself belongs to evaluation)."""
    return demand_transition(demand=demand, actor=actor, action="confirm", now=now)


def demand_reopen(*, demand, actor, reason: str, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="reopen", reason=reason, now=now)


def demand_mark_rated(*, demand, actor, now=None, rating_id: int | None = None) -> Demand:
    """Evaluation calls this once the retailer's anonymous rating is stored."""
    return demand_transition(demand=demand, actor=actor, action="rate", now=now)


def demand_close(*, demand, actor, reason: str = "", now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="close", reason=reason, now=now)


def demand_answer(*, demand, actor, answer: str, adopted: bool | None = None, now=None) -> Demand:
    """Answer a consultation, or reply to a suggestion saying whether it is adopted."""
    return demand_transition(demand=demand, actor=actor, action="answer", answer=answer,
                             adopted=adopted, now=now)


def demand_follow_up(*, demand, actor, note: str, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="follow_up", reason=note,
                             now=now)


def demand_approve(*, demand, actor, reason: str = "", now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="approve", reason=reason, now=now)


def demand_assign_handler(*, demand, actor, handler, now=None) -> Demand:
    return demand_transition(demand=demand, actor=actor, action="assign_handler",
                             handler=handler, now=now)


def demand_on_the_way(*, demand, actor, eta: dt.datetime, now=None) -> Demand:
    """The specialist has set off; the retailer's timeline shows when to expect them."""
    return demand_transition(demand=demand, actor=actor, action="on_the_way", eta=eta, now=now,
                             via_task=True)


def demand_confirm_checklist(*, demand, actor, point: str, now=None,
                             via_task: bool = False) -> Demand:
    """A compliance point confirmed; for a demand served by a task, only after check-in
    (``via_task``: the task's own completion confirms its points)."""
    return demand_transition(demand=demand, actor=actor, action="check", point=point, now=now,
                             via_task=via_task)


def demand_merge(*, demand, into: Demand, actor, reason: str = "", now=None) -> Demand:
    """Close a duplicate, pointing at the demand that carries the work."""
    return demand_transition(demand=demand, actor=actor, action="merge", into=into,
                             reason=reason, now=now)


def demand_triage(*, demand, actor, item: CatalogueItem | None = None,
                  new_item: dict | None = None, now=None) -> Demand:
    """Match a personalised need to a catalogue item, or create a new item from it."""
    with transaction.atomic():
        if item is None and new_item:
            locked = Demand.objects.filter(pk=getattr(demand, "pk", demand)).first()
            item = catalogue_item_create(actor=actor, created_from=locked, **new_item)
        return demand_transition(demand=demand, actor=actor, action="triage", item=item, now=now)


# --- the catalogue ----------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name_zh", "name_en", "description", "grade_bands", "market_types", "business_formats",
    "segments", "checklist", "approval_level", "response_hours", "resolution_hours",
    "service_minutes", "impact_scope", "compliance_risk", "capacity_pressure", "active",
)


def _check_manager(actor) -> None:
    # The catalogue is the whole city's: its edits are the city department's.
    require(actor, Capability.EDIT_CITY_SETTINGS)


def catalogue_item_update(*, item: CatalogueItem, actor, skills=None, **changes) -> CatalogueItem:
    """Edit an item; the priority follows the expert scores."""
    _check_manager(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        _invalid(_("These fields cannot be edited: %(f)s") % {"f": ", ".join(sorted(unknown))},
                 "bad_field")
    with transaction.atomic():
        item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        for field, value in changes.items():
            setattr(item, field, value)
        catalogue_item_prepare(item)
        item.save()
        if skills is not None:
            item.skills.set(skills)
    return item


def catalogue_item_create(*, actor, tier: str, name_zh: str, name_en: str = "",
                          created_from: Demand | None = None, skills=None,
                          **fields) -> CatalogueItem:
    _check_manager(actor)
    if tier not in Tier.values:
        _invalid(_("Choose a tier."), "bad_tier", "tier")
    name_zh = _clean_text(name_zh, field="name_zh", required=True)[:64]
    base = f"custom-{timezone.now():%Y%m%d%H%M%S%f}"
    item = CatalogueItem(code=base, tier=tier, name_zh=name_zh, name_en=name_en[:96] or name_zh,
                         created_from=created_from, sort_order=90, **fields)
    catalogue_item_prepare(item)
    item.save()
    if skills:
        item.skills.set(skills)
    return item


def catalogue_item_prepare(item: CatalogueItem) -> None:
    if not (item.name_zh or "").strip():
        _invalid(_("This field is required."), "required", "name_zh")
    try:
        item.full_clean(exclude=["code", "created_from", "skills"])
    except ValidationError as exc:
        raise DomainError(_("Some fields are not valid."), code="validation_error",
                          fields={k: [str(m) for m in v] for k, v in
                                  exc.message_dict.items()}) from exc
    item.priority = priority_score(impact_scope=item.impact_scope,
                                   compliance_risk=item.compliance_risk,
                                   capacity_pressure=item.capacity_pressure)


def on_demand_withdrawn(listener) -> None:
    """Register ``listener(demand=, actor=, reason=, now=)``, called inside the transaction
    that cancels, rejects or closes a demand (see ``lifecycle.on_demand_withdrawn``)."""
    register(listener)
