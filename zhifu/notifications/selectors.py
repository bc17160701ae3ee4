"""Reads of the notification centre: a user sees only their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from zhifu.access import restrict

from .models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = restrict(Notification, user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user) -> int:
    return notification_list(user=user, unread_only=True).count()
