"""Redis down: pages and the API keep answering, work asked for meanwhile is not lost,
and it runs once Redis is back."""

import datetime as dt
import time
import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from dispatch.models import DispatchRun, ServiceTask
from tests import factories
from tests.conftest import require_real_broker, spawn_worker, stop_worker
from tests.dispatch.conftest import make_task
from tests.faults.conftest import redis_start, redis_stop

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_pages_and_api_answer_and_queued_work_resumes(real_redis, settings, tmp_path):
    require_real_broker()
    from django.core.cache import cache

    from zhifu.celery import app

    district = factories.district("R1", "红片区")
    manager = factories.manager(district)
    specialist = factories.specialist(district)
    shop = factories.retailer(district)
    day = dt.date.today() + dt.timedelta(days=1)
    task = make_task(shop, day)
    queue = f"dispatch-faults-{uuid.uuid4().hex[:6]}"
    routes = app.conf.task_routes
    app.conf.task_routes = {"dispatch.*": {"queue": queue}}
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
    settings.DISPATCH_QUEUED_GRACE_SECONDS = 0
    worker = None
    try:
        redis_stop()
        # Pages, logins and the API keep answering without the cache and the broker.
        web = Client()
        assert web.post("/login/", {"username": manager.username,
                                    "password": factories.PASSWORD}).status_code == 302
        assert web.get("/dashboard/").status_code == 200
        api = APIClient()
        token = api.post("/api/v1/auth/token/", {"username": specialist.user.username,
                                                 "password": factories.PASSWORD},
                         format="json")
        assert token.status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
        assert api.get("/api/v1/specialist/day/").status_code == 200
        assert cache.get("anything") is None  # the cache reads as empty, it does not fail
        # Work asked for now is accepted and kept: the run row waits, nothing is lost.
        manager_api = APIClient()
        manager_api.force_authenticate(manager)
        started = time.monotonic()
        response = manager_api.post("/api/v1/dispatch/runs/",
                                    {"date": day.isoformat(), "seconds": 2}, format="json")
        assert response.status_code == 202, response.content
        assert time.monotonic() - started < 10  # the send gives up quickly
        run = DispatchRun.objects.get(pk=response.json()["id"])
        assert run.status == "queued"

        redis_start()
        worker = spawn_worker(queue, tmp_path / "worker.log", DISPATCH_QUEUE=queue)
        from dispatch.services.runs import runs_recover

        assert run.pk in runs_recover()  # what beat does every minute
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in ("succeeded", "failed"):
                break
            time.sleep(0.3)
        assert run.status == "succeeded", (run.error, (tmp_path / "worker.log").read_text()[-2000:])
        assert run.attempts == 1
        assert ServiceTask.objects.get(pk=task.pk).status == "assigned"
    finally:
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        if worker is not None:
            stop_worker(worker)


def test_a_job_asked_for_while_the_broker_is_down_is_sent_later(real_redis, settings):
    require_real_broker()
    from profiling.services import profiles_recompute_request
    from zhifu.core.models import JobRun
    from zhifu.core.services import jobs_resend_stale

    try:
        redis_stop()
        job = profiles_recompute_request()
        job.refresh_from_db()
        assert job.status == JobRun.Status.QUEUED and job.params["task"]
        assert jobs_resend_stale(older_than_seconds=0) == []  # still down: nothing sent
    finally:
        redis_start()
    assert jobs_resend_stale(older_than_seconds=0) == [job.pk]
