"""Periodic work of the demands app (the beat schedule calls these; safe to run twice)."""

from celery import shared_task

from zhifu.core import services as jobs

from .sla import demands_sla_sweep


@shared_task(name="demands.sla_sweep")
def sla_sweep(job_id: int | None = None) -> dict:
    """Mark demands at risk or breached and escalate them; records a JobRun when given one."""
    if job_id is not None and jobs.job_start(job_id=job_id) is None:
        return {"skipped": "already-done"}
    try:
        result = demands_sla_sweep()
    except Exception as exc:
        if job_id is not None:
            jobs.job_finish(job_id=job_id, error=str(exc))
        raise
    if job_id is not None:
        jobs.job_finish(job_id=job_id, result=result)
    return result
