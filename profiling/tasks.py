"""Background work of the profiling app: thin wrappers that call a service."""

from celery import shared_task

from . import services


@shared_task(name="profiling.recompute_profiles")
def recompute_profiles(job_id: int) -> str:
    return services.profiles_recompute_run(job_id=job_id)
