"""Error reporting is off unless SENTRY_DSN is set (no SDK import, no network), and what
it would send has its phone and ID numbers masked like the log lines."""

import os
import subprocess
import sys
from unittest import mock

import sentry_sdk
from django.conf import settings

from zhifu.core import reporting


def test_without_a_dsn_nothing_is_started():
    assert reporting.init_from_environment({}) is False
    assert reporting.init_from_environment({"SENTRY_DSN": "  "}) is False
    assert not sentry_sdk.get_client().is_active()


def test_django_starts_without_importing_the_sdk():
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    code = ("import django, sys; django.setup(); "
            "print('sentry_sdk' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_with_a_dsn_it_starts_with_django_and_celery_and_no_personal_data():
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    with mock.patch("sentry_sdk.init") as init:
        started = reporting.init_from_environment(
            {"SENTRY_DSN": "https://public@errors.example.invalid/7",
             "SENTRY_ENVIRONMENT": "staging"})
    assert started is True
    options = init.call_args.kwargs
    assert options["dsn"] == "https://public@errors.example.invalid/7"
    assert options["send_default_pii"] is False
    assert options["before_send"] is reporting.before_send
    assert options["environment"] == "staging"
    assert options["traces_sample_rate"] == 0
    kinds = {type(integration) for integration in options["integrations"]}
    assert kinds == {DjangoIntegration, CeleryIntegration}


def test_before_send_masks_every_string_of_the_event():
    event = {
        "message": "retailer 13812345678 complained",
        "logentry": {"message": "call %s", "params": ["13812345678"],
                     "formatted": "call 13812345678"},
        "exception": {"values": [{"type": "ValueError",
                                  "value": "ID 440508199001011234 is invalid",
                                  "stacktrace": {"frames": [
                                      {"vars": {"phone": "'13812345678'", "count": 3}}]}}]},
        "breadcrumbs": {"values": [{"message": "looked up 138-1234-5678"}]},
        "request": {"query_string": "phone=13812345678", "url": "https://x/m/"},
        "level": "error",
        "extra": {"numbers": ("13812345678", 42)},
    }
    sent = reporting.before_send(event, {})
    text = repr(sent)
    assert "13812345678" not in text and "440508199001011234" not in text
    assert "1234-5678" not in text
    assert sent["message"] == "retailer 138****5678 complained"
    assert sent["logentry"]["params"] == ["138****5678"]
    assert sent["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]["count"] == 3
    assert sent["extra"]["numbers"] == ("138****5678", 42)
    assert sent["level"] == "error" and sent["request"]["url"] == "https://x/m/"
