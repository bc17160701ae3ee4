"""Who a login names, and JWT authentication that honours logout and password changes."""

import unicodedata

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from .lockout import normalise_username
from .models import RevokedAccessToken, User


def username_resolve(username: str) -> str:
    """The stored username a typed one names: the exact name (after NFKC, as Django
    stores names) if there is one, else the only name equal to it under
    ``normalise_username`` (full-width letters, other case). Otherwise the typed name
    unchanged, which then names nobody."""
    typed = unicodedata.normalize("NFKC", username).strip()
    if len(typed) > User._meta.get_field("username").max_length:
        return typed  # names nobody; and too long for a LIKE pattern
    wanted = normalise_username(username)
    as_sent = username.strip()  # a name stored without NFKC (created outside the forms)
    names = list(User.objects.filter(Q(username__iexact=typed) | Q(username=as_sent))
                 .values_list("username", flat=True))
    for exact in (typed, as_sent):
        if exact in names:
            return exact
    matches = [name for name in names if normalise_username(name) == wanted]
    return matches[0] if len(matches) == 1 else typed


class NormalisedUsernameBackend(ModelBackend):
    """Django's model backend, resolving the name the way the login guard counts it, so
    no spelling of a name logs in while the name is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if isinstance(username, str):
            username = username_resolve(username)
        return super().authenticate(request, username=username, password=password)


class PasswordChanged(AuthenticationFailed):
    default_detail = _("Your password has been changed; log in again.")
    default_code = "password_changed"


def token_matches_password(token, user) -> bool:
    """Every token carries a digest of the password hash it was issued under
    (simplejwt's ``CHECK_REVOKE_TOKEN``); any password change or reset (admin, self,
    ``set_password`` anywhere) changes the hash and so ends every token issued before."""
    return token.get(api_settings.REVOKE_TOKEN_CLAIM) == get_md5_hash_password(user.password)


class RevocableJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if RevokedAccessToken.objects.filter(jti=token.get("jti")).exists():
            raise InvalidToken({"detail": _("This token has been revoked by logout."),
                                "code": "token_revoked"})
        return token

    def get_user(self, validated_token):
        try:
            return super().get_user(validated_token)
        except AuthenticationFailed as exc:
            # simplejwt checks the password digest; its message has no Chinese.
            detail = exc.detail
            code = str(detail.get("code")) if isinstance(detail, dict) else exc.get_codes()
            if code == PasswordChanged.default_code:
                raise PasswordChanged() from exc
            raise
