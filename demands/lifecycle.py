"""The one lifecycle of a demand: an explicit transition table and the service that
applies it.

    submitted → accepted → scheduled → in_progress → completed → rated → closed
    branches: rejected, cancelled, waiting_customer (SLA paused), escalated

Every action locks the demand row (``select_for_update``: on PostgreSQL a second
concurrent action waits, then finds the state moved and gets a 409), checks who may
act and from which state, applies its effect and writes a ``DemandEvent``: the
retailer's timeline and the managers' audit trail. Actions that keep the state
(approve, confirm a checklist point, triage…) go through the same door.

Other apps call the named functions below (``demand_schedule``, ``demand_start``,
``demand_complete``, ``demand_mark_rated``…), never the models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispatch.choices import TaskStatus
from zhifu.access import district_staff
from zhifu.core.errors import Conflict, DomainError, NotFound, PermissionDenied

from . import clock, policies
from .choices import FINAL_STATUSES, DemandKind, SlaState
from .choices import DemandStatus as S
from .models import Demand, DemandEvent
from .policies import ADMIN, MANAGER, RETAILER, SPECIALIST, SYSTEM

REASON_MAX = 1000
FOLLOW_UP_DAYS = 3
SAME = "="  # the action keeps the state
RESUME = "<"  # the action returns to the state before the pause


@dataclass(frozen=True)
class Transition:
    label: Any
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    reason_required: bool = False


def _t(label, sources, target, roles, reason=False) -> Transition:
    return Transition(label, tuple(sources), target, frozenset(roles), reason)


STAFF = (MANAGER, ADMIN)
UNSTARTED = (S.SUBMITTED, S.ACCEPTED, S.SCHEDULED)
TRANSITIONS: dict[str, Transition] = {
    "submit": _t(gettext_lazy("Submitted"), (), S.SUBMITTED,
                 (RETAILER, SPECIALIST, *STAFF, SYSTEM)),
    "accept": _t(gettext_lazy("Accepted"), (S.SUBMITTED, S.ESCALATED), S.ACCEPTED,
                 (SPECIALIST, *STAFF, SYSTEM)),
    "reject": _t(gettext_lazy("Rejected"), (S.SUBMITTED, S.ACCEPTED, S.ESCALATED), S.REJECTED,
                 STAFF, reason=True),
    "schedule": _t(gettext_lazy("Scheduled"), (S.ACCEPTED, S.SCHEDULED, S.ESCALATED),
                   S.SCHEDULED, (*STAFF, SYSTEM)),
    "start": _t(gettext_lazy("Work started"), (S.SCHEDULED, S.ESCALATED), S.IN_PROGRESS,
                (SPECIALIST, SYSTEM)),
    "wait_customer": _t(gettext_lazy("Waiting for the customer"),
                        (S.ACCEPTED, S.SCHEDULED, S.IN_PROGRESS), S.WAITING_CUSTOMER,
                        (SPECIALIST, *STAFF), reason=True),
    "resume": _t(gettext_lazy("Resumed"), (S.WAITING_CUSTOMER,), RESUME,
                 (RETAILER, SPECIALIST, *STAFF)),
    "escalate": _t(gettext_lazy("Escalated"), (*UNSTARTED, S.IN_PROGRESS), S.ESCALATED,
                   (SPECIALIST, *STAFF, SYSTEM), reason=True),
    "complete": _t(gettext_lazy("Completed"), (S.IN_PROGRESS, S.ESCALATED), S.COMPLETED,
                   (SPECIALIST, *STAFF, SYSTEM)),
    "answer": _t(gettext_lazy("Answered"), (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS,
                                            S.ESCALATED), S.COMPLETED,
                 (SPECIALIST, *STAFF)),
    "reopen": _t(gettext_lazy("Reopened: not solved yet"), (S.COMPLETED,), S.IN_PROGRESS,
                 (RETAILER, *STAFF), reason=True),
    "confirm": _t(gettext_lazy("Completion confirmed by the retailer"), (S.COMPLETED,), SAME,
                  (RETAILER,)),
    "rate": _t(gettext_lazy("Rated"), (S.COMPLETED,), S.RATED, (RETAILER, SYSTEM)),
    "follow_up": _t(gettext_lazy("Followed up"), (S.COMPLETED, S.RATED), SAME,
                    (SPECIALIST, *STAFF), reason=True),
    "close": _t(gettext_lazy("Demand closed"), (S.COMPLETED, S.RATED), S.CLOSED, (*STAFF, SYSTEM)),
    "cancel": _t(gettext_lazy("Cancelled"), (*UNSTARTED, S.WAITING_CUSTOMER), S.CANCELLED,
                 (RETAILER, *STAFF)),
    "merge": _t(gettext_lazy("Merged into another demand"), (S.SUBMITTED, S.ACCEPTED,
                                                            S.ESCALATED), S.CLOSED, STAFF),
    "triage": _t(gettext_lazy("Matched to a catalogue service"), (S.SUBMITTED, S.ACCEPTED,
                                                                  S.ESCALATED), SAME, STAFF),
    "approve": _t(gettext_lazy("Approved"), (S.SUBMITTED, S.ACCEPTED, S.ESCALATED), SAME,
                  STAFF),
    "assign_handler": _t(gettext_lazy("Handler designated"),
                         (S.SUBMITTED, S.ACCEPTED, S.SCHEDULED, S.IN_PROGRESS, S.ESCALATED),
                         SAME, STAFF),
    "check": _t(gettext_lazy("Compliance point confirmed"),
                (S.ACCEPTED, S.SCHEDULED, S.IN_PROGRESS, S.ESCALATED), SAME,
                (SPECIALIST, *STAFF)),
    "on_the_way": _t(gettext_lazy("The specialist is on the way"),
                     (S.ACCEPTED, S.SCHEDULED, S.ESCALATED), SAME, (SPECIALIST,)),
}
# Timeline labels for the retailer, from the action recorded on each event.
ACTION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}
ACTION_LABELS["sla_escalation"] = gettext_lazy("Escalated by the SLA clock")


def event_label(event) -> str:
    """What one timeline step says, in the reader's language (with the time the specialist
    expects to arrive, for "on the way")."""
    label = str(ACTION_LABELS.get(event.action, event.action))
    eta = (event.data or {}).get("eta")
    if eta:
        moment = timezone.localtime(dt.datetime.fromisoformat(eta))
        label = _("%(label)s, expected at %(time)s") % {"label": label,
                                                       "time": moment.strftime("%H:%M")}
    return label


# Button captions: what the actor does (the labels above say what happened).
ACTION_VERBS = {
    "accept": gettext_lazy("Accept"), "reject": gettext_lazy("Reject"),
    "schedule": gettext_lazy("Schedule"), "start": gettext_lazy("Start work"),
    "wait_customer": gettext_lazy("Wait for the customer"), "resume": gettext_lazy("Resume"),
    "escalate": gettext_lazy("Escalate"), "complete": gettext_lazy("Complete"),
    "answer": gettext_lazy("Answer"), "reopen": gettext_lazy("Reopen"),
    "confirm": gettext_lazy("Confirm completion"), "rate": gettext_lazy("Rate"),
    "follow_up": gettext_lazy("Record the follow-up"), "close": gettext_lazy("Close"),
    "cancel": gettext_lazy("Cancel"), "merge": gettext_lazy("Merge into"),
    "triage": gettext_lazy("Match to a service"), "approve": gettext_lazy("Approve"),
    "assign_handler": gettext_lazy("Designate handler"),
    "check": gettext_lazy("Confirm compliance point"),
    "on_the_way": gettext_lazy("On my way"),
}


# What an action needs from the actor beyond a reason, by the demand's kind (``None``: any
# kind). The forms and the API offer these fields; the checks below refuse without them.
ANY_KIND = None
REQUIREMENTS: dict[str, dict[str | None, tuple[str, ...]]] = {
    "accept": {DemandKind.COMPLAINT: ("handler",), DemandKind.SUGGESTION: ("reply_due_on",)},
    "schedule": {ANY_KIND: ("specialist", "planned_start")},
    "answer": {ANY_KIND: ("answer",), DemandKind.SUGGESTION: ("answer", "adopted")},
    "assign_handler": {ANY_KIND: ("handler",)},
    "check": {ANY_KIND: ("point",)},
    "merge": {ANY_KIND: ("into",)},
    "triage": {ANY_KIND: ("item",)},
}


def action_requirements(action: str, demand: Demand) -> tuple[str, ...]:
    """The fields ``action`` needs for this demand; ``reason`` when the action needs one."""
    by_kind = REQUIREMENTS.get(action, {})
    fields = by_kind.get(demand.kind, by_kind.get(ANY_KIND, ()))
    return (*fields, "reason") if TRANSITIONS[action].reason_required else fields


def _applicable(action: str, demand: Demand) -> bool:
    """Whether an action makes sense for this demand at all (its kind, its compliance)."""
    kind = demand.kind
    return {
        "answer": kind in (DemandKind.CONSULTATION, DemandKind.SUGGESTION),
        "follow_up": kind == DemandKind.COMPLAINT and demand.followed_up_at is None,
        "assign_handler": kind == DemandKind.COMPLAINT,
        "triage": kind == DemandKind.PERSONALISED and demand.triaged_at is None,
        "approve": bool(demand.approval_level) and demand.approved_at is None,
        "check": any(p not in demand.checklist_confirmed for p in demand.checklist),
        "confirm": demand.confirmed_at is None,
    }.get(action, True)


def allowed_actions(*, demand: Demand, role: str) -> list[str]:
    """Actions this role may try from the demand's state (for buttons; the service still checks)."""
    status = policies.status_seen_by(role, demand.status)
    return [name for name, t in TRANSITIONS.items()
            if status in t.sources and role in t.roles and _applicable(name, demand)]


def _fail(message, code: str, fields: dict | None = None):
    raise DomainError(message, code=code, fields=fields)


# Steps that, for a demand served by a dispatched task, happen only through the task (check-in
# with a position, completion with photos and checklist), never by a bare API call.
TASK_STEPS = ("start", "complete", "wait_customer", "resume", "on_the_way")


def _check_served_by_task(action: str, demand: Demand, role: str, params: dict) -> None:
    if role != SPECIALIST or params.get("via_task"):
        return
    task_status = (Demand.objects.filter(pk=demand.pk, service_task__isnull=False)
                   .exclude(service_task__status=TaskStatus.CANCELLED)
                   .values_list("service_task__status", flat=True).first())
    if task_status is None:
        return
    if action in TASK_STEPS:
        raise Conflict(_("This demand is served through its task: check in, complete or "
                         "report on the task."), code="use_the_task")
    if action == "check" and task_status != TaskStatus.IN_PROGRESS:
        # A compliance point is confirmed at the shop, after checking in.
        raise Conflict(_("Check in at the shop before confirming its compliance points."),
                       code="check_in_first")


def _check_conditions(action: str, demand: Demand, user, role: str, params: dict) -> None:
    """The rules beyond role and state, per action."""
    needs = action_requirements(action, demand)
    if action == "accept":
        if "handler" in needs and not (params.get("handler") or demand.handler_id):
            _fail(_("A complaint needs a designated handler before it is accepted."),
                  "handler_required", {"handler": [_("Choose a handler.")]})
        if "reply_due_on" in needs and not (params.get("reply_due_on") or demand.reply_due_on):
            _fail(_("A suggestion needs a committed reply date before it is accepted."),
                  "reply_date_required", {"reply_due_on": [_("Choose a date.")]})
    elif action == "schedule":
        specialist = params.get("specialist")
        if specialist is None:
            _fail(_("Choose the specialist who will do the work."), "specialist_required",
                  {"specialist": [_("This field is required.")]})
        if demand.approval_level and demand.approved_at is None:
            _fail(_("This service needs approval before it can be dispatched."),
                  "approval_required")
    elif action == "start":
        if demand.assignee_id is None:
            _fail(_("Nobody is assigned to this demand yet."), "not_assigned")
        if role == SPECIALIST and demand.assignee_id != user.specialist.pk:
            raise NotFound(_("This demand does not exist."))
    elif action == "complete":
        missing = [p for p in demand.checklist if p not in demand.checklist_confirmed]
        if missing:
            _fail(_("Confirm every compliance point before completing: %(points)s")
                  % {"points": "；".join(missing)}, "checklist_incomplete")
        if role == SPECIALIST and demand.assignee_id != user.specialist.pk:
            raise NotFound(_("This demand does not exist."))
    elif action == "answer":
        if demand.kind not in (DemandKind.CONSULTATION, DemandKind.SUGGESTION):
            _fail(_("Only consultations and suggestions are answered this way."), "wrong_kind")
        text = (params.get("answer") or "").strip()
        if not text or len(text) > 2000:
            _fail(_("Write an answer of 1 to 2000 characters."), "answer_required",
                  {"answer": [_("Write an answer of 1 to 2000 characters.")]})
        if "adopted" in needs and params.get("adopted") is None:
            _fail(_("Say whether the suggestion is adopted."), "adopted_required",
                  {"adopted": [_("This field is required.")]})
    elif action == "follow_up":
        if demand.kind != DemandKind.COMPLAINT:
            _fail(_("Only complaints are followed up."), "wrong_kind")
    elif action == "close":
        if demand.kind == DemandKind.COMPLAINT and demand.followed_up_at is None:
            _fail(_("A complaint is closed only after its follow-up."), "follow_up_required")
    elif action == "cancel":
        if demand.status == S.WAITING_CUSTOMER and demand.resume_status == S.IN_PROGRESS:
            _fail(_("The work has already started; it can no longer be cancelled."),
                  "already_started")
    elif action == "confirm":
        if demand.confirmed_at is not None:
            raise Conflict(_("You have already confirmed this demand."),
                           code="already_confirmed")
    elif action == "merge":
        into = params.get("into")
        if into is None or into.pk == demand.pk or not into.is_open:
            _fail(_("Choose another open demand to merge into."), "bad_merge_target")
        if role == MANAGER and not policies.may_act_on(user, role, into):
            raise NotFound(_("This demand does not exist."))
    elif action == "triage":
        if params.get("item") is None:
            _fail(_("Choose a catalogue service."), "item_required")
    elif action == "approve":
        if not demand.approval_level:
            _fail(_("This demand needs no approval."), "no_approval_needed")
        if demand.approved_at is not None:
            raise Conflict(_("This demand is already approved."), code="already_approved")
        if not policies.may_approve(user, demand.approval_level):
            raise PermissionDenied(_("Your level cannot approve this demand."),
                                   code="approval_level_too_low")
    elif action == "assign_handler":
        handler = params.get("handler")
        if handler is None:
            _fail(_("Choose a handler."), "handler_required")
        if not district_staff(demand.district_id).filter(pk=handler.pk).exists():
            _fail(_("The handler must work in the demand's district."), "handler_out_of_scope")
    elif action == "check":
        point = params.get("point")
        if point not in demand.checklist:
            _fail(_("This is not one of the demand's compliance points."), "bad_checklist_point")


def _apply(action: str, demand: Demand, user, params: dict, now: dt.datetime, calendar,
           data: dict) -> list[str]:
    """Set the fields an action changes; returns the changed field names."""
    changed: list[str] = []

    def put(field: str, value) -> None:
        setattr(demand, field, value)
        changed.append(field)

    if action in ("accept", "answer") and demand.responded_at is None:
        put("responded_at", now)
    if action == "accept":
        if params.get("handler") is not None:
            put("handler", params["handler"])
        if params.get("reply_due_on") is not None:
            put("reply_due_on", params["reply_due_on"])
            data["reply_due_on"] = params["reply_due_on"].isoformat()
    elif action == "schedule":
        put("assignee", params["specialist"])
        put("planned_start", params.get("planned_start"))
        data["specialist"] = params["specialist"].user.display_name
        if params.get("planned_start"):
            data["planned_start"] = params["planned_start"].isoformat()
    elif action == "wait_customer":
        put("resume_status", demand.status)
        clock.pause(demand, now=now)
        changed.append("paused_at")
        put("sla_state", SlaState.PAUSED)
    elif action == "resume":
        data["resumed_to"] = demand.resume_status or S.ACCEPTED
        clock.unpause(demand, now=now, calendar=calendar)
        changed += ["paused_at", "paused_seconds", "response_due_at", "resolution_due_at"]
        put("resume_status", "")
        put("sla_state", SlaState.ON_TRACK)
    elif action in ("complete", "answer"):
        put("completed_at", now)
        if demand.kind == DemandKind.COMPLAINT:
            # Table 2: the designated person reports back within three days of the fix.
            put("follow_up_due_on", (now + dt.timedelta(days=FOLLOW_UP_DAYS)).date())
        put("sla_state", SlaState.MET if now <= demand.resolution_due_at else SlaState.MISSED)
        if action == "answer":
            put("answer", params["answer"].strip())
            if demand.kind == DemandKind.SUGGESTION:
                put("adopted", bool(params["adopted"]))
                data["adopted"] = bool(params["adopted"])
    elif action == "reopen":
        put("completed_at", None)
        put("confirmed_at", None)
    elif action == "confirm":
        put("confirmed_at", now)
    elif action == "follow_up":
        put("followed_up_at", now)
    elif action in ("close", "cancel", "reject", "merge"):
        put("closed_at", now)
        if demand.paused_at is not None:
            put("paused_at", None)
        if action == "merge":
            put("merged_into", params["into"])
            data["into"] = params["into"].pk
    elif action == "triage":
        item = params["item"]
        put("item", item)
        put("triaged_at", now)
        put("triaged_by", user)
        for field in ("service_minutes", "priority", "checklist", "approval_level"):
            put(field, getattr(item, field))
        data["item"] = item.name_zh
    elif action == "approve":
        put("approved_at", now)
        put("approved_by", user)
    elif action == "assign_handler":
        put("handler", params["handler"])
        data["handler"] = params["handler"].display_name
    elif action == "check":
        put("checklist_confirmed", [*demand.checklist_confirmed, params["point"]])
        data["point"] = params["point"]
    elif action == "on_the_way":
        data["eta"] = params["eta"].isoformat()
    return changed


def transition_apply(*, demand: Demand | int, actor, action: str, reason: str = "",
                     now: dt.datetime | None = None, expected_status: str | None = None,
                     calendar=None, **params) -> tuple[Demand, DemandEvent]:
    """Apply one action to one demand, or refuse it and change nothing; returns the demand
    and the event it wrote (``services.demand_transition`` tells the people concerned).

    ``actor`` is a user, or ``None`` for the system (the SLA clock, dispatch jobs).
    ``expected_status``: the state the caller saw; if it moved meanwhile, 409.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or action == "submit":
        _fail(_("Unknown action."), "unknown_action")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        _fail(_("The reason is too long (at most %(n)s characters).") % {"n": REASON_MAX},
              "reason_too_long", {"reason": [_("Too long.")]})
    if transition.reason_required and not reason:
        _fail(_("Give a reason."), "reason_required",
              {"reason": [_("This field is required.")]})
    role = policies.actor_role(actor)
    now = now or timezone.now()
    demand_id = demand.pk if isinstance(demand, Demand) else demand
    with transaction.atomic():
        locked = Demand.objects.select_for_update().filter(pk=demand_id).first()
        if locked is None or not policies.may_act_on(actor, role, locked):
            raise NotFound(_("This demand does not exist."))
        if role not in transition.roles:
            raise PermissionDenied(_("You may not do this to a demand."),
                                   code="role_not_allowed")
        _check_served_by_task(action, locked, role, params)
        seen = policies.status_seen_by(role, locked.status)
        if expected_status and seen != expected_status:
            raise Conflict(_("This demand changed meanwhile; reload and try again."),
                           code="stale_state")
        if seen not in transition.sources:
            raise Conflict(
                _("This cannot be done while the demand is %(status)s.")
                % {"status": S(seen).label}, code="wrong_state")
        _check_conditions(action, locked, actor, role, params)
        from_status = locked.status
        data: dict = {}
        calendar = calendar or (clock.work_calendar() if action == "resume" else None)
        changed = _apply(action, locked, actor, params, now, calendar, data)
        if transition.target == RESUME:
            target = data["resumed_to"]
        elif transition.target == SAME:
            target = from_status
        else:
            target = transition.target
        locked.status = target
        locked.sla_check_at = clock.next_check_at(locked, calendar or clock.work_calendar())
        locked.save(update_fields=sorted({*changed, "status", "sla_check_at", "updated_at"}))
        event = DemandEvent.objects.create(
            demand=locked, action=action, from_status=from_status, to_status=target,
            actor=actor, actor_role=role, reason=reason, data=data, created_at=now)
        if target in WITHDRAWN and from_status not in WITHDRAWN:
            for listener in _WITHDRAWAL_LISTENERS:
                listener(demand=locked, actor=actor, reason=reason, now=now)
    return locked, event


# A demand that will not be served any more (cancelled, rejected, closed or merged away):
# the apps that planned work for it withdraw that work at once, in the same transaction.
# Registered by those apps (dispatch, in its AppConfig.ready), so demands imports none.
WITHDRAWN = FINAL_STATUSES
_WITHDRAWAL_LISTENERS: list = []


def on_demand_withdrawn(listener) -> None:
    """``listener(demand=, actor=, reason=, now=)`` runs when a demand is withdrawn."""
    if listener not in _WITHDRAWAL_LISTENERS:
        _WITHDRAWAL_LISTENERS.append(listener)

