"""Periodic work of the demands app (the beat schedule calls these; safe to run twice)."""

from celery import shared_task

from zhifu.core.services import job_run

from .sla import demands_sla_sweep


@shared_task(name="demands.sla_sweep")
def sla_sweep(job_id: int | None = None) -> dict | str:
    """Mark demands at risk or breached and escalate them. The beat calls it bare; given a
    job row (a sweep someone asked for), it runs as that job, once."""
    if job_id is None:
        return demands_sla_sweep()
    return job_run(job_id=job_id, work=lambda _job: demands_sla_sweep())
