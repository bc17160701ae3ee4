"""Writes about people and their sessions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from zhifu.access import CHANGE, restrict
from zhifu.core.errors import DomainError, PermissionDenied

from .models import RevokedAccessToken


def session_logout_api(*, refresh: str, access: AccessToken | None) -> None:
    """End an API session: blacklist the refresh token and revoke the access token in use."""
    try:
        token = RefreshToken(refresh)
    except TokenError as exc:
        raise DomainError(_("The refresh token is invalid or expired."),
                          code="token_not_valid", status_code=401) from exc
    with transaction.atomic():
        token.blacklist()
        if access is not None:
            expires = dt.datetime.fromtimestamp(access["exp"], tz=dt.UTC)
            RevokedAccessToken.objects.get_or_create(jti=access["jti"],
                                                     defaults={"expires_at": expires})


def revoked_tokens_purge() -> int:
    """Drop revocations of tokens that have expired anyway."""
    deleted, _detail = RevokedAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def _may_edit_retailer(actor, retailer) -> bool:
    return restrict(type(retailer), actor, CHANGE).filter(pk=retailer.pk).exists()


def retailer_id_number_set(*, retailer, id_number: str, actor, consent_how: str = "",
                           now: dt.datetime | None = None):
    """Store the licence holder's ID number, only under consent: one already in force, or
    the one recorded now (``consent_how`` says how it was given)."""
    from django.core.exceptions import ValidationError

    from .models import ConsentRecord
    from .validators import validate_id_number

    if not _may_edit_retailer(actor, retailer):
        raise PermissionDenied(_("Only the shop's managers record its owner's ID number."))
    id_number = (id_number or "").strip().upper()
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="bad_id_number",
                          fields={"owner_id_number": exc.messages}) from exc
    now = now or timezone.now()
    with transaction.atomic():
        active = ConsentRecord.objects.select_for_update().filter(
            retailer=retailer, purpose=ConsentRecord.Purpose.ID_NUMBER,
            withdrawn_at__isnull=True).first()
        if active is None:
            if not (consent_how or "").strip():
                raise DomainError(_("Record the owner's consent before storing an ID number."),
                                  code="consent_required",
                                  fields={"consent": [_("This field is required.")]})
            ConsentRecord.objects.create(retailer=retailer,
                                         purpose=ConsentRecord.Purpose.ID_NUMBER, given_at=now,
                                         recorded_by=actor, how=consent_how.strip()[:200])
        type(retailer).objects.filter(pk=retailer.pk).update(owner_id_number=id_number)
    retailer.owner_id_number = id_number
    return retailer


def retailer_consent_withdraw(*, retailer, actor, now: dt.datetime | None = None) -> None:
    """The owner withdraws consent: the ID number is erased at once."""
    from .models import ConsentRecord

    if not _may_edit_retailer(actor, retailer):
        raise PermissionDenied(_("Only the shop's managers record consent."))
    with transaction.atomic():
        ConsentRecord.objects.filter(retailer=retailer, purpose=ConsentRecord.Purpose.ID_NUMBER,
                                     withdrawn_at__isnull=True).update(
            withdrawn_at=now or timezone.now())
        type(retailer).objects.filter(pk=retailer.pk).update(owner_id_number="")
    retailer.owner_id_number = ""
