"""Writes to job rows. A task calls ``job_start``/``job_finish`` so that a second
delivery of the same message sees the job already done and does nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import JobRun


def job_create(*, kind: str, params: dict | None = None, requested_by=None) -> JobRun:
    return JobRun.objects.create(kind=kind, params=params or {}, requested_by=requested_by)


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
