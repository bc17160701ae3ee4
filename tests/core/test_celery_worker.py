"""A real Celery worker process against Redis sees a task through to the end."""

import time

import pytest

from zhifu.core.models import JobRun
from zhifu.core.services import job_create
from zhifu.core.tasks import health_probe


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_worker
def test_real_worker_finishes_a_task(celery_worker_process):
    job = job_create(kind="health_probe")
    health_probe.apply_async(args=[job.id], queue=celery_worker_process.queue)
    finished = _wait_for(lambda: JobRun.objects.get(pk=job.id).status == JobRun.Status.SUCCEEDED)
    assert finished, celery_worker_process.log.read_text()[-3000:]
    job.refresh_from_db()
    assert job.result == {"pong": True} and job.finished_at is not None
    # A second delivery of the same message does nothing.
    health_probe.apply_async(args=[job.id], queue=celery_worker_process.queue)
    time.sleep(1.0)
    job.refresh_from_db()
    assert job.result == {"pong": True}
    assert "succeeded" in celery_worker_process.log.read_text()


def test_eager_mode_runs_tasks_in_process_when_no_broker(db, settings):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("this run has a real broker")
    job = job_create(kind="health_probe")
    assert health_probe.delay(job.id).get() == "done"
    assert health_probe.delay(job.id).get() == "already-done"
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED
