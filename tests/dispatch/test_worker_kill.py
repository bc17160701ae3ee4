"""A worker killed in the middle of a run: nothing half-written, the run is finished by
another worker once its lease expires (the beat sweeper re-sends it)."""

import os
import signal
import time
import uuid

import pytest

from dispatch.choices import RunStatus, TaskStatus
from dispatch.models import DispatchRun, DistrictSolve, ServiceTask
from dispatch.services import runs
from tests.conftest import require_real_broker, spawn_worker, stop_worker
from tests.dispatch.conftest import make_task


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_no_half_written_plan_and_the_run_completes(city, tmp_path,
                                                                        settings):
    require_real_broker()
    from zhifu.celery import app

    queue = f"dispatch-test-{uuid.uuid4().hex[:8]}"
    routes = app.conf.task_routes
    app.conf.task_routes = {"dispatch.*": {"queue": queue}}
    # Celery prepares its routes and router once and caches both: rebuild them.
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
    settings.DISPATCH_LEASE_MARGIN_SECONDS = 20
    env = {"DISPATCH_QUEUE": queue, "DISPATCH_LEASE_MARGIN_SECONDS": "20"}
    log = tmp_path / "workers.log"
    tasks = [make_task(shop, city.day) for shop in city.shops]
    first = spawn_worker(queue, log, **env)
    second = None
    try:
        run = runs.run_start(actor=city.manager, day=city.day, seconds=6, seed=2)
        solving = _wait(lambda: DistrictSolve.objects.filter(
            run=run, status=RunStatus.RUNNING).exists(), timeout=60)
        assert solving, log.read_text()[-3000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING
        # Never half-written: no task carries a plan from the dead worker.
        assert not ServiceTask.objects.filter(pk__in=[t.pk for t in tasks],
                                              specialist__isnull=False).exists()
        # While the lease holds, the sweeper leaves the run alone.
        assert run.pk not in runs.runs_recover()
        assert _wait(lambda: runs._lease_expired(DispatchRun.objects.get(pk=run.pk)), 90)
        second = spawn_worker(queue, log, **env)
        assert run.pk in runs.runs_recover()  # what beat does every minute
        done = _wait(lambda: DispatchRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED,
                     timeout=90)
        assert done, log.read_text()[-4000:]
        run.refresh_from_db()
        assert run.attempts == 2
        assigned = ServiceTask.objects.filter(pk__in=[t.pk for t in tasks],
                                              status=TaskStatus.ASSIGNED)
        assert assigned.count() == len(tasks)
    finally:
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        if first.poll() is None:
            stop_worker(first)
        if second is not None:
            stop_worker(second)
