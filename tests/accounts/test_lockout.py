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
              f"    with lockout.login_attempt(username={name!r}, address='10.9.8.7'):\n"
              f"        pass\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifu.settings.test"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert lockout.login_is_locked(username=name, address="127.0.0.1")
    with pytest.raises(lockout.LoginLocked), lockout.login_attempt(username=name,
                                                                   address="127.0.0.1"):
        pass
    response = Client().post("/login/", {"username": name, "password": factories.PASSWORD})
    assert "_auth_user_id" not in response.wsgi_request.session


# --- attacks found on a production-shaped server ----------------------------------------

def _api(client, username, password, **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password},
                       format="json", **extra)


def test_an_empty_password_counts_as_a_failure_on_the_web(org):
    """Today's bug: an empty password skipped the check and reset the counter."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    name = org.manager_north.username
    for _ in range(lockout.MAX_FAILURES - 1):
        _web(client, name, "wrong")
    assert _web(client, name, "").status_code == 200
    response = _web(client, name, factories.PASSWORD)
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_empty_password_counts_as_a_failure_on_the_api(org, api):
    name = org.specialist_north.user.username
    for _ in range(lockout.MAX_FAILURES - 1):
        assert _api(api, name, "wrong").status_code == 401
    assert _api(api, name, "").status_code == 400
    response = _api(api, name, factories.PASSWORD)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"


def _full_width(name: str) -> str:
    """The same name in full-width letters and digits: NFKC turns it back."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)


def test_a_full_width_username_is_locked_with_the_account(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    name = org.manager_north.username
    for _ in range(lockout.MAX_FAILURES):
        _web(client, name, "wrong")
    response = _web(client, _full_width(name), factories.PASSWORD)
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_under_another_spelling_count_for_the_account(org, api):
    name = org.specialist_north.user.username
    spellings = [_full_width(name), name.upper(), _full_width(name.upper()), f" {name} ",
                 _full_width(name)]
    for spelling in spellings[:lockout.MAX_FAILURES]:
        assert _api(api, spelling, "wrong").status_code == 401
    response = _api(api, name, factories.PASSWORD)
    assert response.status_code == 429


@pytest.mark.parametrize("spell", [_full_width, str.upper])
def test_every_login_resolves_the_same_spellings(org, api, spell):
    """The counter and the login agree on who a spelling names: web, admin and API."""
    user = org.specialist_north.user
    assert _api(api, spell(user.username), factories.PASSWORD).status_code == 200
    client = Client()
    assert _web(client, spell(org.manager_north.username), factories.PASSWORD).status_code == 302
    admin_client = Client()
    _web(admin_client, spell(org.admin.username), factories.PASSWORD, url="/admin/login/")
    assert admin_client.session.get("_auth_user_id") == str(org.admin.pk)


def test_an_exact_username_wins_over_a_case_variant(db):
    exact = factories.user("specialist", username="Wang")
    factories.user("specialist", username="wang")
    client = Client()
    assert _web(client, "Wang", factories.PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(exact.pk)
    # "WANG" could be either: nobody is logged in.
    assert _web(Client(), "WANG", factories.PASSWORD).status_code == 200


PROXY = "10.0.0.2"  # the reverse proxy in front of gunicorn


def test_behind_the_proxy_one_address_locks_only_itself(org, settings):
    """Today's bug: every request came from the proxy's address, so one person's 20
    typos locked everyone out."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for i in range(lockout.MAX_FAILURES_PER_ADDRESS):
        _web(attacker, f"guess{i}", "wrong")
    response = _web(attacker, org.manager_north.username, factories.PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in attacker.session
    user = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _web(user, org.manager_north.username, factories.PASSWORD).status_code == 302


def test_an_address_locked_out_does_not_lock_the_accounts_it_tried(org, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    name = org.manager_north.username
    for i in range(lockout.MAX_FAILURES_PER_ADDRESS + 10):
        _web(attacker, name if i % 5 == 0 else f"guess{i}", "wrong")
    user = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _web(user, name, factories.PASSWORD).status_code == 302


def test_a_forged_forwarded_for_is_ignored_without_trusted_proxies(org, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(lockout.MAX_FAILURES_PER_ADDRESS):
        _web(Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"), f"guess{i}", "wrong")
    client = Client(HTTP_X_FORWARDED_FOR="192.0.2.200")
    response = _web(client, org.manager_north.username, factories.PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (0, "1.2.3.4", "127.0.0.1"),
    (1, "1.2.3.4", "1.2.3.4"),
    (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),
    (2, "6.6.6.6, 1.2.3.4, 10.0.0.3", "1.2.3.4"),
    (1, None, "127.0.0.1"),
])
def test_the_client_address_is_the_one_drf_throttles(rf, settings, count, forwarded,
                                                     expected):
    from rest_framework.throttling import BaseThrottle

    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.post("/login/", REMOTE_ADDR="127.0.0.1", **extra)
    assert lockout.client_address(request) == expected
    assert BaseThrottle().get_ident(request) == expected


def test_drf_trusts_as_many_proxies_as_the_login_guard():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT == 0


def test_the_api_throttle_ignores_a_forged_forwarded_for(org, api, monkeypatch):
    """Today's bug: without NUM_PROXIES, DRF keys its throttle on the whole
    X-Forwarded-For header, which the client writes."""
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    responses = [_api(api, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
                      HTTP_ACCEPT_LANGUAGE="zh-hans") for i in range(4)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    error = responses[-1].json()["error"]
    assert error["code"] == "throttled" and "限流" in error["message"]


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_check_at_most_the_limit(monkeypatch):
    """Today's bug: 16 wrong passwords sent at once were all checked (the guard read the
    count, then checked, then counted). Now each attempt takes its place first."""
    import threading
    import time

    from django.db import connections
    from rest_framework.test import APIClient

    from zhifu.accounts.models import User

    name = factories.specialist(factories.district("N1")).user.username
    checks = []
    original = User.check_password

    def slow_check(self, raw_password):
        checks.append(raw_password)
        time.sleep(0.3)  # every request is inside its check at the same time
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", slow_check)
    start = threading.Barrier(16)
    statuses = []

    def attempt(i):
        try:
            start.wait(timeout=10)
            statuses.append(_api(APIClient(), name, f"wrong{i}").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == 16
    assert len(checks) <= lockout.MAX_FAILURES
    assert sorted(set(statuses)) == [401, 429]


def test_a_name_stored_without_nfkc_still_logs_in_and_shares_its_count(db, api):
    """Rows created outside Django's forms may keep a full-width name."""
    user = factories.user("specialist", username=_full_width("wide7"))
    assert _api(api, user.username, factories.PASSWORD).status_code == 200
    for _ in range(lockout.MAX_FAILURES):
        _api(api, "WIDE7", "wrong")
    assert _api(api, user.username, factories.PASSWORD).status_code == 429
