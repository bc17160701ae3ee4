"""Background work of the profiling app: thin wrappers that call a service."""

from zhifu.core.jobs import job_task

from . import services


@job_task(services.RECOMPUTE_TASK)
def recompute_profiles(job) -> dict:
    return services.profiles_recompute_job(job)
