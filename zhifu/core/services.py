"""Writes to job rows. A task calls ``job_start``/``job_finish`` so that a second
delivery of the same message sees the job already done and does nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import JobRun


def job_create(*, kind: str, params: dict | None = None, requested_by=None) -> JobRun:
    return JobRun.objects.create(kind=kind, params=params or {}, requested_by=requested_by)


def job_queue(*, kind: str, task, params: dict | None = None, requested_by=None) -> JobRun:
    """Write a job row and send its task after commit. The row remembers the task, so
    if the broker is down the sweeper can send it again later: no work is lost."""
    job = JobRun.objects.create(kind=kind, params={**(params or {}), "task": task.name},
                                requested_by=requested_by)
    from .queue import enqueue_on_commit

    enqueue_on_commit(task, job.pk)
    return job


def jobs_resend_stale(*, older_than_seconds: int = 300) -> list[int]:
    """Send again the jobs still queued after a while (their message never arrived:
    the broker was down, or lost it). A second delivery of one that did arrive is a
    no-op, because ``job_start`` claims a job only once."""
    from celery import current_app
    from kombu.exceptions import OperationalError

    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    stale = JobRun.objects.filter(status=JobRun.Status.QUEUED, created_at__lt=cutoff)
    sent = []
    for job in stale:
        name = job.params.get("task")
        if not name:
            continue
        try:
            current_app.send_task(name, args=[job.pk])
        except OperationalError:
            break  # still down: try again at the next sweep
        sent.append(job.pk)
    return sent


def job_start(*, job_id: int) -> JobRun | None:
    """Claim a queued job; ``None`` when it is already running or done (a redelivery)."""
    with transaction.atomic():
        job = JobRun.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobRun.Status.SUCCEEDED, JobRun.Status.FAILED):
            return None
        job.status = JobRun.Status.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job


def job_progress(*, job_id: int, progress: float) -> None:
    JobRun.objects.filter(pk=job_id).update(progress=max(0.0, min(1.0, progress)))


def job_finish(*, job_id: int, result: dict[str, Any] | None = None, error: str = "") -> None:
    JobRun.objects.filter(pk=job_id).update(
        status=JobRun.Status.FAILED if error else JobRun.Status.SUCCEEDED,
        progress=1.0,
        result=result or {},
        error=error,
        finished_at=timezone.now(),
    )
