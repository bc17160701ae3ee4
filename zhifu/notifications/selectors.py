"""Reads of the notification centre: a user sees only their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user) -> int:
    return notification_list(user=user, unread_only=True).count()
