"""JWT authentication that also honours logout: a revoked access token is refused."""

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from .models import RevokedAccessToken


class RevocableJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if RevokedAccessToken.objects.filter(jti=token.get("jti")).exists():
            raise InvalidToken({"detail": _("This token has been revoked by logout."),
                                "code": "token_revoked"})
        return token
