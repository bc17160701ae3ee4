"""/healthz/ says the process is up and touches nothing; /readyz/ checks the database, the
cache and the broker and names whichever failed, without any detail of the failure."""

import json
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from zhifu.core import health


def test_liveness_needs_no_dependency(db):
    with mock.patch.object(connection, "cursor", side_effect=AssertionError("no database")):
        response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_each_dependency(db):
    response = Client().get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    # Without a broker tasks run in process: nothing to reach. With one, it answered.
    assert body["checks"]["broker"] in ({"skipped"} if health.settings.CELERY_TASK_ALWAYS_EAGER
                                        else {"ok"})


SECRET = "postgres://zhifu:hunter2-secret@10.0.0.5:5432/zhifu"


@pytest.mark.parametrize("failing", ["database", "cache", "broker"])
def test_readiness_answers_503_naming_what_failed(db, failing, caplog):
    broken = mock.Mock(side_effect=ConnectionError(f"could not connect to {SECRET}"))
    with mock.patch.dict(health.CHECKS, {failing: broken}):
        response = Client().get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "failed"
    assert [name for name, result in body["checks"].items() if result == "failed"] == [failing]
    # The body never carries the error: no address, user or password.
    text = json.dumps(body)
    assert "hunter2" not in text and "10.0.0.5" not in text
    assert f"{failing} check failed" in caplog.text


def test_a_cache_that_degrades_to_empty_is_not_ready(db):
    """The Redis cache answers "no value" while Redis is down instead of raising."""
    with mock.patch.object(health.cache, "get", return_value=None):
        with pytest.raises(RuntimeError):
            health.check_cache()


def test_an_unreachable_broker_fails_within_the_timeout(settings):
    import time

    from kombu import Connection

    from zhifu.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    nobody_listens = Connection("redis://127.0.0.1:1/0",
                                transport_options=app.conf.broker_transport_options)
    with mock.patch.object(app, "connection_for_write", return_value=nobody_listens):
        started = time.monotonic()
        with pytest.raises(Exception):  # noqa: B017 - kombu's OperationalError or the like
            health.check_broker()
    assert time.monotonic() - started < health.CHECK_TIMEOUT_SECONDS + 3


def test_a_database_that_does_not_answer_is_not_ready(db):
    with mock.patch.object(connection, "cursor", side_effect=OSError("connection refused")):
        ready, checks = health.readiness()
    assert not ready and checks["database"] == "failed"
