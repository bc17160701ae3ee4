"""The recompute runs in a real Celery worker (PostgreSQL + Redis runs only)."""

import datetime as dt
import time

import pytest

from profiling.models import ProfileSnapshot
from profiling.tasks import recompute_profiles
from zhifu.core.models import JobRun
from zhifu.core.services import job_create

from .helpers import ensure_indicators, raw


@pytest.mark.celery_worker
def test_real_worker_recomputes_and_records_progress(celery_worker_process, org):
    ensure_indicators()
    raw(org.retailer_north, "data_collection_method", "pos")
    job = job_create(kind="profiles.recompute", params={"period": "2026-06-01",
                                                        "today": "2026-06-30"})
    recompute_profiles.apply_async(args=[job.id], queue=celery_worker_process.queue)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and JobRun.objects.get(pk=job.id).status not in (
            JobRun.Status.SUCCEEDED, JobRun.Status.FAILED):
        time.sleep(0.2)
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, celery_worker_process.log.read_text()[-3000:]
    assert job.progress == 1.0 and job.result["retailers"] == 3
    snap = ProfileSnapshot.objects.get(retailer=org.retailer_north, period=dt.date(2026, 6, 1))
    assert snap.scores["data_operations"] == 30
