"""Who hears about a step in a demand's life, through the notification centre."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhifu.access import district_staff
from zhifu.accounts.choices import ManagerLevel, Role
from zhifu.notifications.services import notify

# Steps the retailer is told about (the rest show on the timeline only).
RETAILER_ACTIONS = {"accept", "reject", "schedule", "start", "wait_customer", "complete",
                    "answer", "merge", "close"}


def retailer_link(demand) -> str:
    return reverse("demands:demand-detail", args=[demand.pk])


def manager_link(demand) -> str:
    return reverse("demands:manager-demand", args=[demand.pk])


def specialist_link(demand) -> str:
    """Specialists work from the mobile client: the API resource of the demand."""
    return reverse("demands-api:demand-detail", args=[demand.pk])


def _link_for(user, demand) -> str:
    return specialist_link(demand) if user.role == Role.SPECIALIST else manager_link(demand)


def managers_of(demand, level: str):
    return district_staff(demand.district_id, specialists=False, level=level)


def after_transition(*, demand, event) -> None:
    from .lifecycle import ACTION_LABELS

    # Stored text is in the platform's default language (Chinese first).
    with translation.override(None):
        label = str(ACTION_LABELS.get(event.action, event.action))
        title = _("Demand #%(id)s: %(step)s") % {"id": demand.pk, "step": label}
        retailer_user = demand.retailer.user if demand.retailer.user_id else None
        if event.action in RETAILER_ACTIONS and event.actor_id != getattr(retailer_user, "pk",
                                                                           None):
            notify(recipients=[retailer_user], kind=f"demand.{event.action}", title=title,
                   body=demand.title, link=retailer_link(demand), now=event.created_at)
        if event.action == "schedule" and demand.assignee_id:
            notify(recipients=[demand.assignee.user], kind="demand.assigned", title=title,
                   body=demand.title, link=specialist_link(demand), now=event.created_at)
        if event.action == "assign_handler" and demand.handler_id:
            notify(recipients=[demand.handler], kind="demand.handler", title=title,
                   body=demand.title, link=_link_for(demand.handler, demand),
                   now=event.created_at)
        if event.action in ("resume", "cancel", "reopen") and event.actor_role == "retailer":
            staff = [demand.assignee.user] if demand.assignee_id else list(
                managers_of(demand, ManagerLevel.DISTRICT_LEAD))
            for user in staff:
                notify(recipients=[user], kind=f"demand.{event.action}", title=title,
                       body=event.reason or demand.title, link=_link_for(user, demand),
                       now=event.created_at)


def after_submit(*, demand) -> None:
    """A new demand goes to the district leads' queue (and its designated people later)."""
    with translation.override(None):
        title = _("New demand #%(id)s from %(shop)s") % {"id": demand.pk,
                                                         "shop": demand.retailer.shop_name}
        notify(recipients=managers_of(demand, ManagerLevel.DISTRICT_LEAD), kind="demand.new",
               title=title, body=demand.title, link=manager_link(demand),
               now=demand.submitted_at)


def escalation_notice(*, demand, level: int, recipients, now) -> None:
    with translation.override(None):
        if level == 1:
            title = _("Demand #%(id)s is at risk of missing its deadline") % {"id": demand.pk}
        else:
            title = _("Demand #%(id)s missed its deadline and is escalated to you") % {
                "id": demand.pk}
        for user in recipients:
            notify(recipients=[user], kind=f"demand.escalation.{level}", title=title,
                   body=demand.title, link=_link_for(user, demand), now=now)

