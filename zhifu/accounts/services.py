"""Writes about people and their sessions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from zhifu.access import CHANGE, restrict
from zhifu.core.errors import DomainError, PermissionDenied

from .models import ConsentRecord, RevokedAccessToken
from .validators import validate_id_number


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


def api_tokens_rotate(*, refresh: RefreshToken, user) -> dict[str, str]:
    """Spend a refresh token once: blacklist it, then issue a new access and refresh token.

    The blacklist row is unique per token, so of several requests spending the same token
    at once exactly one inserts it and gets a new chain; the others wait for it to commit,
    hit the unique constraint and are refused (simplejwt's own ``blacklist()`` is a
    get-or-create, which lets them all through).
    """
    with transaction.atomic():
        outstanding, _created = OutstandingToken.objects.get_or_create(
            jti=refresh[api_settings.JTI_CLAIM],
            defaults={"user": user, "token": str(refresh), "created_at": refresh.current_time,
                      "expires_at": datetime_from_epoch(refresh["exp"])})
        try:
            with transaction.atomic():
                BlacklistedToken.objects.create(token=outstanding)
        except IntegrityError as exc:
            raise DomainError(_("This refresh token has already been used; log in again."),
                              code="token_not_valid", status_code=401) from exc
        access = str(refresh.access_token)
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
    return {"access": access, "refresh": str(refresh)}


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
    if not _may_edit_retailer(actor, retailer):
        raise PermissionDenied(_("Only the shop's managers record consent."))
    with transaction.atomic():
        ConsentRecord.objects.filter(retailer=retailer, purpose=ConsentRecord.Purpose.ID_NUMBER,
                                     withdrawn_at__isnull=True).update(
            withdrawn_at=now or timezone.now())
        type(retailer).objects.filter(pk=retailer.pk).update(owner_id_number="")
    retailer.owner_id_number = ""
