"""Who hears about a step in a demand's life, through the notification centre.

Every notice is written in its recipient's language (``notifications.services.message``)
and carries a key, so a sweep or a retried step never tells anyone twice.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from zhifu.access import district_staff
from zhifu.accounts.choices import ManagerLevel, Role
from zhifu.notifications.services import message, notify

from .choices import DemandKind
from .lifecycle import ACTION_LABELS

# Steps the retailer is told about (the rest show on the timeline only).
RETAILER_ACTIONS = {"accept", "reject", "schedule", "on_the_way", "start", "wait_customer",
                    "complete", "answer", "merge", "close"}


def retailer_link(demand) -> str:
    return reverse("demands:demand-detail", args=[demand.pk])


def manager_link(demand) -> str:
    return reverse("demands:manager-demand", args=[demand.pk])


def specialist_link(demand) -> str:
    """The specialist's page of the demand (a page a person reads, not the API resource)."""
    return reverse("demands:specialist-demand", args=[demand.pk])


def _link_for(user, demand) -> str:
    return specialist_link(demand) if user.role == Role.SPECIALIST else manager_link(demand)


def managers_of(demand, level: str):
    return district_staff(demand.district_id, specialists=False, level=level)


def after_transition(*, demand, event) -> None:
    label = ACTION_LABELS.get(event.action, event.action)  # lazy: each reader's language
    title = message(gettext_noop("Demand #%(id)s: %(step)s"), id=demand.pk, step=label)
    key = f"demand:{demand.pk}:event:{event.pk}"
    retailer_user = demand.retailer.user if demand.retailer.user_id else None
    if event.action in RETAILER_ACTIONS and event.actor_id != getattr(retailer_user, "pk",
                                                                       None):
        notify(recipients=[retailer_user], kind=f"demand.{event.action}", title=title,
               body=demand.title, link=retailer_link(demand), now=event.created_at, key=key)
    if event.action == "schedule" and demand.assignee_id:
        notify(recipients=[demand.assignee.user], kind="demand.assigned", title=title,
               body=demand.title, link=specialist_link(demand), now=event.created_at, key=key)
    if event.action == "assign_handler" and demand.handler_id:
        notify(recipients=[demand.handler], kind="demand.handler", title=title,
               body=demand.title, link=_link_for(demand.handler, demand),
               now=event.created_at, key=key)
    if event.action == "escalate" and event.actor_id is not None:
        # A person escalated it; the SLA clock's own escalation is told by escalation_notice.
        notify(recipients=managers_of(demand, ManagerLevel.DISTRICT_LEAD),
               kind="demand.escalated",
               title=message(gettext_noop("Demand #%(id)s was escalated to you"),
                             id=demand.pk),
               body=event.reason or demand.title, link=manager_link(demand),
               now=event.created_at, key=key)
    if event.action in ("resume", "cancel", "reopen") and event.actor_role == "retailer":
        staff = [demand.assignee.user] if demand.assignee_id else list(
            managers_of(demand, ManagerLevel.DISTRICT_LEAD))
        for user in staff:
            notify(recipients=[user], kind=f"demand.{event.action}", title=title,
                   body=event.reason or demand.title, link=_link_for(user, demand),
                   now=event.created_at, key=key)


def after_submit(*, demand) -> None:
    """A new demand goes to the district leads' queue (and its designated people later);
    a complaint says so, because a designated person must take it up."""
    if demand.kind == DemandKind.COMPLAINT:
        kind, text = "demand.complaint", gettext_noop("New complaint #%(id)s from %(shop)s")
    else:
        kind, text = "demand.new", gettext_noop("New demand #%(id)s from %(shop)s")
    notify(recipients=managers_of(demand, ManagerLevel.DISTRICT_LEAD), kind=kind,
           title=message(text, id=demand.pk, shop=demand.retailer.shop_name),
           body=demand.title, link=manager_link(demand), now=demand.submitted_at,
           key=f"demand:{demand.pk}:submitted")


def escalation_notice(*, demand, level: int, recipients, now) -> None:
    if level == 1:
        title = message(gettext_noop("Demand #%(id)s is at risk of missing its deadline"),
                        id=demand.pk)
    else:
        title = message(gettext_noop(
            "Demand #%(id)s missed its deadline and is escalated to you"), id=demand.pk)
    for user in recipients:
        notify(recipients=[user], kind=f"demand.escalation.{level}", title=title,
               body=demand.title, link=_link_for(user, demand), now=now,
               key=f"demand:{demand.pk}:escalation:{level}")
