"""Platform tasks: a health probe that proves a worker executes work end to end."""

from celery import shared_task

from . import retention, services
from .jobs import job_task


@job_task("core.health_probe")
def health_probe(job) -> dict:
    return {"pong": True}


@shared_task(name="core.resend_stale_jobs")
def resend_stale_jobs() -> list[int]:
    """Beat, every minute: jobs whose message never reached a worker are sent again."""
    return services.jobs_resend_stale()


@shared_task(name="core.personal_data_purge")
def personal_data_purge() -> dict:
    """Beat, nightly: the retention purge (zhifu/core/retention.py)."""
    return retention.personal_data_purge()
