"""Writes about people and their sessions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from zhifu.core.errors import DomainError

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
