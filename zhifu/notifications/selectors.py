"""Reads of the notification centre: a user sees only their own notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhifu.access import restrict

from .models import Notification


@dataclass(frozen=True)
class KindGroup:
    """A filter of the inbox: the notification kinds (by prefix) it gathers."""

    code: str
    label: str
    prefixes: tuple[str, ...]
    excluding: tuple[str, ...] = ()

    def q(self) -> Q:
        wanted = Q(pk__in=[])
        for prefix in self.prefixes:
            wanted |= Q(kind__startswith=prefix)
        for prefix in self.excluding:
            wanted &= ~Q(kind__startswith=prefix)
        return wanted


# The kinds the apps write (demands/notices.py, dispatch/services), as the inbox groups them.
_SPECIFIC = ("demand.escalation.", "demand.escalated", "demand.complaint", "demand.new")
KIND_GROUPS = (
    KindGroup("sla", _("SLA at risk or breached"), ("demand.escalation.",)),
    KindGroup("escalation", _("Escalated by a person"), ("demand.escalated",)),
    KindGroup("complaint", _("New complaints"), ("demand.complaint",)),
    KindGroup("new", _("New demands"), ("demand.new",)),
    KindGroup("progress", _("Demand progress"), ("demand.",), _SPECIFIC),
    KindGroup("dispatch", _("Dispatch"), ("dispatch",)),
)
_BY_CODE = {group.code: group for group in KIND_GROUPS}


def notification_list(*, user, unread_only: bool = False,
                      group: str = "") -> QuerySet[Notification]:
    qs = restrict(Notification, user)
    if group in _BY_CODE:
        qs = qs.filter(_BY_CODE[group].q())
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user) -> int:
    """One COUNT on the (recipient, read_at) index: the badge on every page."""
    return notification_list(user=user, unread_only=True).count()
