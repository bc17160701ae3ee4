"""Every request has an id: echoed in X-Request-ID, on every log line of the request
(plain or JSON, still masked), and carried into the Celery tasks the request sends."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from zhifu.core import health, tracing
from zhifu.core.logging import (
    MaskPersonalDataFilter,
    RequestIdFilter,
    logging_config,
    request_id_var,
)


@pytest.fixture
def log_stream():
    """Django's logging configuration with its console handler writing into a buffer."""

    def configure(log_format: str = "plain") -> io.StringIO:
        logging.config.dictConfig(logging_config(log_format=log_format))
        stream = io.StringIO()
        for handler in logging.getLogger().handlers:
            handler.stream = stream
        return stream

    yield configure
    logging.config.dictConfig(settings.LOGGING)


def test_a_request_without_an_id_gets_a_new_one(db):
    first = Client().get("/healthz/")["X-Request-ID"]
    second = Client().get("/healthz/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_a_safe_incoming_id_is_kept(db):
    response = Client().get("/healthz/", HTTP_X_REQUEST_ID="lb-7f3a.2026_11-25")
    assert response["X-Request-ID"] == "lb-7f3a.2026_11-25"


@pytest.mark.parametrize("unsafe", ["x" * 65, "a b", "id\nforged line", "<script>", "", "é"])
def test_an_unsafe_incoming_id_is_replaced(db, unsafe):
    response = Client().get("/healthz/", HTTP_X_REQUEST_ID=unsafe)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_id_is_on_every_log_line_of_the_request_and_gone_after(db, log_stream):
    stream = log_stream()
    with mock.patch.dict(health.CHECKS, {"cache": mock.Mock(side_effect=OSError("down"))}):
        Client().get("/readyz/", HTTP_X_REQUEST_ID="req-42")
    logging.getLogger("zhifu").warning("after the request")
    lines = stream.getvalue().splitlines()
    assert any("[req-42]" in line and "cache check failed" in line for line in lines)
    assert "[-] after the request" in lines[-1]
    assert request_id_var.get() == "-"


def test_json_lines_carry_the_id_and_stay_masked(db, log_stream):
    stream = log_stream("json")
    token = request_id_var.set("req-json")
    try:
        try:
            raise ValueError("bad phone 13812345678")
        except ValueError:
            logging.getLogger("zhifu.test").exception("call %s back", "13812345678")
    finally:
        request_id_var.reset(token)
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == "req-json" and entry["level"] == "ERROR"
    assert entry["logger"] == "zhifu.test" and entry["message"] == "call 138****5678 back"
    assert "13812345678" not in entry["exception"] and "138****5678" in entry["exception"]


def test_log_format_env_chooses_json(monkeypatch):
    config = logging_config(log_format="json")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert logging_config()["handlers"]["console"]["formatter"] == "plain"


def test_every_handler_masks_and_tags(settings):
    from zhifu import gunicorn_conf

    for config in (settings.LOGGING, gunicorn_conf.logconfig_dict):
        filters = {name: spec["()"] for name, spec in config["filters"].items()}
        for handler in config["handlers"].values():
            used = {filters[name] for name in handler["filters"]}
            assert "zhifu.core.logging.MaskPersonalDataFilter" in used
            assert "zhifu.core.logging.RequestIdFilter" in used
    logging.config.dictConfig(settings.LOGGING)
    for handler in logging.getLogger().handlers:
        kinds = {type(f) for f in handler.filters}
        assert {MaskPersonalDataFilter, RequestIdFilter} <= kinds


def test_the_gunicorn_access_line_carries_the_response_id():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s',
                               None, None)
    record.args = {"r": "GET /m/ HTTP/1.1", "s": "200", "{x-request-id}o": "abc123"}
    RequestIdFilter().filter(record)
    assert record.request_id == "abc123"


def test_publishing_a_task_carries_the_id_in_its_headers():
    headers: dict = {}
    tracing.carry_request_id(headers=headers)
    assert headers == {}  # no request, nothing to carry
    token = request_id_var.set("req-task")
    try:
        tracing.carry_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {"request_id": "req-task"}


def test_the_worker_adopts_a_safe_id_for_the_run_of_the_task():
    task = mock.Mock()
    task.request.request_id = "req-worker"
    tracing.adopt_request_id(task_id="t1", task=task)
    assert request_id_var.get() == "req-worker"
    tracing.drop_request_id(task_id="t1")
    assert request_id_var.get() == "-"
    task.request.request_id = "forged\nline"
    tracing.adopt_request_id(task_id="t2", task=task)
    assert request_id_var.get() == "-"
    tracing.drop_request_id(task_id="t2")


@pytest.mark.celery_worker
def test_a_real_workers_log_lines_show_the_id_of_the_request(celery_worker_process):
    from zhifu.core.models import JobRun
    from zhifu.core.services import job_create
    from zhifu.core.tasks import health_probe

    job = job_create(kind="health_probe")
    token = request_id_var.set("req-from-web-1")
    try:
        health_probe.apply_async(args=[job.id], queue=celery_worker_process.queue)
    finally:
        request_id_var.reset(token)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if JobRun.objects.get(pk=job.id).status == JobRun.Status.SUCCEEDED:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    log = celery_worker_process.log.read_text()
    assert any("[req-from-web-1]" in line and "succeeded" in line
               for line in log.splitlines()), log[-3000:]
