"""Writes to the notification centre."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from zhifu.access import CHANGE, access, restrict
from zhifu.core.masking import mask_text

from .models import Notification
from .senders import registered_senders

logger = logging.getLogger("zhifu.notifications")
TITLE_MAX, BODY_MAX, LINK_MAX = 200, 2000, 300


def _render(text: str, params: dict) -> str:
    return gettext(text) % params if params else gettext(text)


_lazy_render = lazy(_render, str)


def message(text: str, **params):
    """A message written later, in each recipient's language: mark ``text`` with
    ``gettext_noop`` where it is written; lazy ``params`` (choice labels) follow along."""
    return _lazy_render(text, params)


def language_of(user) -> str:
    """The language notifications to ``user`` are written in. No per-person preference is
    stored, so it is the platform's (Chinese first), never the language of whoever or
    whatever (a worker, an English browser) caused the notice."""
    return settings.LANGUAGE_CODE


def notify(*, recipients: Iterable, kind: str, title, body="", link: str = "",
           now: dt.datetime | None = None, key: str = "") -> list[Notification]:
    """Store one in-app row per distinct recipient, then hand them to the senders once
    the surrounding transaction commits (a rolled-back action sends nothing).

    ``title`` and ``body`` may be lazy (``message``, ``gettext_lazy``): each row is written
    in its recipient's language. With a ``key`` (what the notice is about), a recipient
    already told about it is skipped, so rerunning a sweep or a plan tells nobody twice.
    """
    now = now or timezone.now()
    seen, rows = set(), []
    people = [u for u in recipients if u is not None]
    if key and people:
        seen = set(Notification.objects.filter(key=key, recipient__in=[u.pk for u in people])
                   .values_list("recipient_id", flat=True))
    for user in people:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        # A notification goes to many people and on to SMS: numbers typed into the text
        # it quotes (a need, a reason) are masked when it is written, for every reader.
        with translation.override(language_of(user)):
            rows.append(Notification(recipient=user, kind=kind[:40],
                                     title=mask_text(str(title))[:TITLE_MAX],
                                     body=mask_text(str(body))[:BODY_MAX],
                                     link=link[:LINK_MAX], key=key[:80], created_at=now))
    if not rows:
        return []
    with transaction.atomic():
        try:
            with transaction.atomic():
                Notification.objects.bulk_create(rows)
        except IntegrityError:
            # A concurrent writer told some of them first: store the rest, send nothing twice.
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            rows = list(Notification.objects.filter(
                key=key, created_at=now, recipient__in=[r.recipient_id for r in rows]))
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
