"""The retention purge: personal data kept no longer than its purpose needs (PIPL).

* A shop closed for longer than ``PERSONAL_DATA_RETENTION_DAYS`` is anonymised: owner,
  phone, address and login go; in its history (demands and their events, ratings'
  comments, co-creation notes, service logs, photos) personal text and pictures go,
  while the counts, states and scores that statistics need stay.
* Notifications older than ``NOTIFICATION_RETENTION_DAYS`` are deleted.
* The audit trail of unmasked views is kept ``AUDIT_RETENTION_DAYS``, then deleted.
* Revocations of access tokens that have expired anyway are deleted.
Running it twice does nothing more the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from zhifu.accounts.choices import RetailerStatus
from zhifu.accounts.models import Retailer, RevokedAccessToken, User
from zhifu.notifications.models import Notification

from .idempotency import idempotency_purge
from .models import PersonalDataAccess

REDACTED = "—"


# Each domain app registers how to redact its part of a closed shop's history (in its
# AppConfig.ready), so this module imports no domain app.
_SHOP_HISTORY_REDACTORS: list[Callable[..., None]] = []


def register_shop_history_redactor(redactor: Callable[..., None]) -> None:
    """``redactor(retailer_ids=[...])`` removes personal text and pictures from that app's
    rows about these shops, keeping the counts, states and scores statistics need."""
    if redactor not in _SHOP_HISTORY_REDACTORS:
        _SHOP_HISTORY_REDACTORS.append(redactor)


def _anonymise_shops(cutoff: dt.datetime) -> int:
    shops = list(Retailer.objects.filter(status=RetailerStatus.CLOSED, updated_at__lt=cutoff)
                 .exclude(owner_name=REDACTED))
    ids = [s.pk for s in shops]
    if not ids:
        return 0
    with transaction.atomic():
        logins = [s.user_id for s in shops if s.user_id]
        for shop in shops:
            shop.owner_name, shop.phone, shop.address, shop.user = REDACTED, "", "", None
            shop.owner_id_number = ""
        Retailer.objects.bulk_update(shops, ["owner_name", "phone", "address", "user",
                                             "owner_id_number"])
        User.objects.filter(pk__in=logins).delete()
        for redactor in _SHOP_HISTORY_REDACTORS:
            redactor(retailer_ids=ids)
    return len(ids)


def personal_data_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()

    def days(name: str, default: int) -> dt.datetime:
        return now - dt.timedelta(days=getattr(settings, name, default))

    result = {"shops_anonymised": _anonymise_shops(days("PERSONAL_DATA_RETENTION_DAYS",
                                                        3 * 365))}
    result["notifications"] = Notification.objects.filter(
        created_at__lt=days("NOTIFICATION_RETENTION_DAYS", 365)).delete()[0]
    result["audit_rows"] = PersonalDataAccess.objects.filter(
        at__lt=days("AUDIT_RETENTION_DAYS", 3 * 365)).delete()[0]
    result["revoked_tokens"] = RevokedAccessToken.objects.filter(expires_at__lt=now).delete()[0]
    result["idempotency_records"] = idempotency_purge(now=now)
    result["expired_refresh_tokens"] = OutstandingToken.objects.filter(
        expires_at__lt=now).delete()[0]
    return result
