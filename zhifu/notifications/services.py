"""Writes to the notification centre."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.access import CHANGE, access, restrict
from zhifu.core.masking import mask_text

from .models import Notification
from .senders import registered_senders

logger = logging.getLogger("zhifu.notifications")
TITLE_MAX, BODY_MAX, LINK_MAX = 200, 2000, 300


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", link: str = "",
           now: dt.datetime | None = None) -> list[Notification]:
    """Store one in-app row per distinct recipient, then hand them to the senders once
    the surrounding transaction commits (a rolled-back action sends nothing)."""
    now = now or timezone.now()
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        # A notification goes to many people and on to SMS: numbers typed into the text
        # it quotes (a need, a reason) are masked when it is written, for every reader.
        rows.append(Notification(recipient=user, kind=kind[:40],
                                 title=mask_text(str(title))[:TITLE_MAX],
                                 body=mask_text(str(body))[:BODY_MAX], link=link[:LINK_MAX],
                                 created_at=now))
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        transaction.on_commit(lambda: _dispatch(rows))
    return rows


def _dispatch(rows: list[Notification]) -> None:
    for sender in registered_senders():
        for row in rows:
            try:
                sender.send(row)
            except Exception:  # noqa: BLE001 - one failing channel must not block the others
                logger.exception("sender %s failed for notification %s", sender.name, row.pk)


def notification_mark_read(*, user, notification_id: int,
                           now: dt.datetime | None = None) -> Notification:
    with transaction.atomic():
        row = access(Notification.objects.select_for_update(), user, notification_id, CHANGE,
                     message=_("This notification does not exist."))
        if row.read_at is None:
            row.read_at = now or timezone.now()
            row.save(update_fields=["read_at"])
        return row


def notification_mark_all_read(*, user, now: dt.datetime | None = None) -> int:
    return restrict(Notification, user, CHANGE).filter(read_at__isnull=True).update(
        read_at=now or timezone.now())
