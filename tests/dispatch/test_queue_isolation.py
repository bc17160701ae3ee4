"""A long solve does not delay the SLA sweep: with the production shape's two workers
(one on the dispatch queue, one on the default queue), the sweep sent while a solve is
running finishes within seconds, before the solve does."""

import time
import uuid

import pytest
from django.conf import settings

from dispatch.choices import RunStatus
from dispatch.models import DistrictSolve
from dispatch.services import runs
from tests.conftest import require_real_broker, spawn_worker, stop_worker
from tests.dispatch.conftest import make_task
from zhifu.core.models import JobRun
from zhifu.core.services import job_create

SOLVE_SECONDS = 12


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_sla_sweep_runs_while_a_solve_holds_the_dispatch_worker(city, tmp_path):
    require_real_broker()
    from demands.tasks import sla_sweep
    from zhifu.celery import app

    # The production routes, with queue names of this test's own so nothing else on the
    # broker takes its messages.
    suffix = uuid.uuid4().hex[:8]
    dispatch_queue, default_queue = f"dispatch-iso-{suffix}", f"default-iso-{suffix}"
    routes = app.conf.task_routes
    app.conf.task_routes = {
        name: {"queue": dispatch_queue if route["queue"] == settings.DISPATCH_QUEUE
               else default_queue}
        for name, route in settings.CELERY_TASK_ROUTES.items()}
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
    log = tmp_path / "workers.log"
    for shop in city.shops:
        make_task(shop, city.day)
    # One process each, as tight as it gets: the dispatch worker is fully taken by a solve.
    dispatch_worker = spawn_worker(dispatch_queue, log, DISPATCH_QUEUE=dispatch_queue)
    default_worker = spawn_worker(default_queue, log)
    try:
        run = runs.run_start(actor=city.manager, day=city.day, seconds=SOLVE_SECONDS, seed=3)
        solving = _wait(lambda: DistrictSolve.objects.filter(
            run=run, status=RunStatus.RUNNING).exists(), timeout=60)
        assert solving, log.read_text()[-3000:]
        sent = time.monotonic()
        job = job_create(kind="sla_sweep")
        sla_sweep.delay(job.id)
        swept = _wait(lambda: JobRun.objects.get(pk=job.id).status == JobRun.Status.SUCCEEDED,
                      timeout=SOLVE_SECONDS * 3)
        waited = time.monotonic() - sent
        assert swept, log.read_text()[-3000:]
        # The solve is still going: the sweep did not wait for it.
        assert DistrictSolve.objects.filter(run=run, status=RunStatus.RUNNING).exists()
        assert waited < SOLVE_SECONDS / 2, f"the sweep waited {waited:.1f} s"
        print(f"SLA sweep finished {waited:.2f} s after it was sent, during a "
              f"{SOLVE_SECONDS} s solve")
    finally:
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        stop_worker(dispatch_worker)
        stop_worker(default_worker)
