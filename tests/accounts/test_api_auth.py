"""JWT: lifetimes, rotation with blacklist, logout revocation, inactive users, tampering."""

import base64
import datetime as dt
import json

import pytest
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken

from tests.conftest import login_api


def test_lifetimes_are_within_policy():
    assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] <= dt.timedelta(minutes=15)
    assert settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] <= dt.timedelta(days=7)
    assert settings.SIMPLE_JWT["ROTATE_REFRESH_TOKENS"] is True
    assert settings.SIMPLE_JWT["BLACKLIST_AFTER_ROTATION"] is True


def test_login_then_me(org, api):
    tokens = login_api(api, org.specialist_north.user)
    access = AccessToken(tokens["access"])
    assert access["role"] == "specialist"
    lifetime = access["exp"] - access["iat"]
    assert 0 < lifetime <= 15 * 60
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "specialist"
    assert body["specialist"]["employee_no"] == org.specialist_north.employee_no


def test_wrong_password_is_401_in_one_error_shape(org, api):
    response = api.post("/api/v1/auth/token/",
                        {"username": org.specialist_north.user.username, "password": "x"},
                        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "no_active_account"
    assert "用户名或密码错误" in error["message"]


def test_missing_fields_are_400_with_field_errors(api, db):
    response = api.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"username", "password"}


def test_retailers_get_no_api_tokens(org, api):
    response = api.post("/api/v1/auth/token/",
                        {"username": org.retailer_north.user.username,
                         "password": "correct-horse-battery"}, format="json")
    assert response.status_code == 403
    assert "access" not in response.json()


def test_expired_access_token_is_refused(org, api):
    token = AccessToken.for_user(org.specialist_north.user)
    token.set_exp(lifetime=-dt.timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_refresh_rotates_and_the_old_refresh_is_blacklisted(org, api):
    tokens = login_api(api, org.specialist_north.user)
    first = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh"] != tokens["refresh"]
    again = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert again.status_code == 401
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": rotated["refresh"]},
                    format="json").status_code == 200


def test_logout_revokes_refresh_and_current_access(org, api):
    tokens = login_api(api, org.specialist_north.user)
    assert api.get("/api/v1/me/").status_code == 200
    response = api.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials()
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]},
                    format="json").status_code == 401


def test_logout_with_garbage_refresh_is_401_and_keeps_session(org, api):
    login_api(api, org.specialist_north.user)
    response = api.post("/api/v1/auth/logout/", {"refresh": "not-a-token"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"
    assert api.get("/api/v1/me/").status_code == 200


def test_deactivated_user_is_refused_with_a_valid_token(org, api):
    login_api(api, org.specialist_north.user)
    org.specialist_north.user.is_active = False
    org.specialist_north.user.save()
    assert api.get("/api/v1/me/").status_code == 401


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("forge", ["alg_none", "tampered_payload"])
def test_forged_tokens_are_refused(org, api, forge):
    tokens = login_api(api, org.specialist_north.user)
    header, payload, signature = tokens["access"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["user_id"] = str(org.admin.pk)
    if forge == "alg_none":
        forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    else:
        forged = f"{header}.{_b64(claims)}.{signature}"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert api.get("/api/v1/me/").status_code == 401
