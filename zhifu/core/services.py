"""Writes to job rows: asking for a job (``job_queue``) and running one (``job_run``:
claim, work, record the result or the error), so that a second delivery of the same
message sees the job already done and does nothing. Every app's background job goes
through these; the Celery side is ``zhifu.core.jobs.job_task``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .choices import JobStatus
from .models import JobRow, JobRun
from .queue import enqueue_on_commit, task_named

ERROR_CHARS = 2000


def job_create(*, kind: str, params: dict | None = None, requested_by=None) -> JobRun:
    return JobRun.objects.create(kind=kind, params=params or {}, requested_by=requested_by)


def job_queue(*, kind: str, task: str, params: dict | None = None,
              requested_by=None) -> JobRun:
    """Write a job row and send the task named ``task`` after commit. Services name the
    task instead of importing it, so no service depends on a tasks module. The row
    remembers the task, so if the broker is down the sweeper can send it again later: no
    work is lost."""
    job = JobRun.objects.create(kind=kind, params={**(params or {}), "task": task},
                                requested_by=requested_by)
    enqueue_on_commit(task_named(task), job.pk)
    return job


def job_run(*, job_id: int, work: Callable[[JobRun], dict | None]) -> str:
    """Run a job once: claim it, do ``work(job)``, record its result, or its error and
    raise again (so the worker logs it and Celery's own retry rules apply)."""
    job = job_start(job_id=job_id)
    if job is None:
        return "already-done"
    try:
        result = work(job)
    except Exception as exc:
        job_finish(job_id=job_id, error=str(exc)[:ERROR_CHARS])
        raise
    job_finish(job_id=job_id, result=result or {})
    return "done"


def jobs_resend_stale(*, older_than_seconds: int = 300) -> list[int]:
    """Send again the jobs still queued after a while (their message never arrived:
    the broker was down, or lost it). A second delivery of one that did arrive is a
    no-op, because ``job_start`` claims a job only once."""
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
        if job is None or job.ended:
            return None
        job_row_mark_running(job)
        return job


def job_progress(*, job_id: int, progress: float) -> None:
    JobRun.objects.filter(pk=job_id).update(progress=max(0.0, min(1.0, progress)))


def job_finish(*, job_id: int, result: dict[str, Any] | None = None, error: str = "") -> None:
    job = JobRun.objects.filter(pk=job_id).first()
    if job is not None:
        job_row_finish(job, result=result, error=error)


# Any job row (a ``JobRow``: a background job, a dispatch run): the two writes every kind
# of work makes the same way, whatever decides when to make them.

def job_row_mark_running(row: JobRow, *, now: dt.datetime | None = None,
                         fields: tuple[str, ...] = ()) -> None:
    """The row is being worked on (its first start time is kept across retries)."""
    row.status = JobStatus.RUNNING
    row.started_at = row.started_at or now or timezone.now()
    row.save(update_fields=["status", "started_at", *fields])


def job_row_finish(row: JobRow, *, result: dict[str, Any] | None = None, error: str = "",
                   progress: float = 1.0) -> None:
    """The work ended: succeeded with ``result``, or failed with ``error``."""
    row.status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
    row.progress = progress
    row.result = result or {}
    row.error = error[:ERROR_CHARS * 2]
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "progress", "result", "error", "finished_at"])
