"""Celery tasks of the strategy app: thin wrappers that take ids and call services."""

from celery import shared_task

from zhifu.core.jobs import job_task

from . import services


@job_task(services.GENERATE_TASK)
def generate_strategies(job) -> dict:
    return services.strategies_generate()


@shared_task(name="strategy.collect_feedback")
def collect_feedback() -> dict:
    """Beat, nightly: what became of recommendations, and the rules re-weighted by it."""
    return services.feedback_collect()


@shared_task(name="strategy.generate_nightly")
def generate_nightly() -> int:
    """Beat, nightly: regenerate strategies (new versions only where profiles moved)."""
    job = services.strategies_generate_request()
    return job.pk
