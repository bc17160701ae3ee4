"""The one way to declare a background job's Celery task.

``@job_task("app.name")`` over a function that takes the job row and returns its result
registers a task that claims the row once, runs the function, and records the result or
the error (``zhifu.core.services.job_run``). Services ask for the job by the task's name
(``job_queue(kind=…, task="app.name")``), so they never import a tasks module.
"""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task

from .models import JobRun
from .services import job_run


def job_task(name: str, **options) -> Callable:
    def register(work: Callable[[JobRun], dict | None]):
        def run(job_id: int) -> str:
            return job_run(job_id=job_id, work=work)

        run.__name__ = run.__qualname__ = work.__name__
        run.__doc__ = work.__doc__
        return shared_task(name=name, **options)(run)

    return register
