"""Repeated failed logins lock the account name and the address, on every login."""

import pytest
from django.test import Client

from tests import factories
from zhifu.accounts import lockout


def _web(client, username, password, url="/login/"):
    return client.post(url, {"username": username, "password": password})


def test_web_login_locks_after_repeated_failures_even_with_the_right_password(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    name = org.manager_north.username
    for _ in range(lockout.MAX_FAILURES):
        assert _web(client, name, "wrong").status_code == 200
    response = _web(client, name, factories.PASSWORD)
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_success_before_the_limit_resets_the_count(org):
    client = Client()
    name = org.manager_north.username
    for _ in range(lockout.MAX_FAILURES - 1):
        _web(client, name, "wrong")
    assert _web(client, name, factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(lockout.MAX_FAILURES - 1):
        _web(client, name, "wrong")
    assert _web(client, name, factories.PASSWORD).status_code == 302


def test_admin_login_is_protected_too(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(lockout.MAX_FAILURES):
        _web(client, org.admin.username, "wrong", url="/admin/login/")
    response = _web(client, org.admin.username, factories.PASSWORD, url="/admin/login/")
    assert "Too many failed logins" in response.content.decode()


def test_api_login_locks_with_429_in_the_error_shape(org, api):
    name = org.specialist_north.user.username
    for _ in range(lockout.MAX_FAILURES):
        assert api.post("/api/v1/auth/token/", {"username": name, "password": "x"},
                        format="json").status_code == 401
    response = api.post("/api/v1/auth/token/", {"username": name,
                                                "password": factories.PASSWORD},
                        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"
    assert "access" not in response.json()


def test_one_address_trying_many_names_is_locked(org):
    client = Client()
    for i in range(lockout.MAX_FAILURES_PER_ADDRESS):
        _web(client, f"guess{i}", "wrong")
    response = _web(client, org.manager_north.username, factories.PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", ["", " ", "x" * 5000])
def test_odd_usernames_do_not_break_the_guard(db, username):
    response = _web(Client(), username, "wrong")
    assert response.status_code == 200


def test_the_lock_holds_across_processes(org, settings):
    """Failures counted by another process (another gunicorn worker) lock this one out:
    the counters live in the shared Redis cache."""
    import os
    import subprocess
    import sys

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs REDIS_URL: the per-process memory cache is not shared")
    name = org.manager_north.username
    script = ("import django; django.setup()\n"
              "from zhifu.accounts import lockout\n"
              f"for _ in range(lockout.MAX_FAILURES):\n"
              f"    lockout.login_record_failure(username={name!r}, address='10.9.8.7')\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifu.settings.test"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    with pytest.raises(lockout.LoginLocked):
        lockout.login_check_allowed(username=name, address="127.0.0.1")
    response = Client().post("/login/", {"username": name, "password": factories.PASSWORD})
    assert "_auth_user_id" not in response.wsgi_request.session
