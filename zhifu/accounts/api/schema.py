"""Teach drf-spectacular that our revocable JWT authentication is a bearer JWT."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class RevocableJWTScheme(SimpleJWTScheme):
    target_class = "zhifu.accounts.authentication.RevocableJWTAuthentication"
    name = "jwtAuth"
