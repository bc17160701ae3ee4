"""Celery tasks of the dispatch app: thin wrappers that take ids and call services.

Runs (``execute_run``, ``solve_district``) travel on their own ``dispatch`` queue and
worker (``CELERY_TASK_ROUTES``) so long solves never hold up short jobs; the nightly plan
and the sweeper of dead runs are short and go to ``default``.
"""

from celery import shared_task

from zhifu.core.queue import enqueue

from .services import runs


@shared_task(name="dispatch.execute_run", acks_late=True,
             reject_on_worker_lost=True)
def execute_run(run_id: int) -> str:
    run = runs.run_claim(run_id=run_id)
    if run is None:
        return "nothing-to-do"
    # One task per district: with several workers they are solved in parallel.
    for solve_id in run.district_solves.values_list("id", flat=True):
        enqueue(solve_district, solve_id)
    return "queued"


@shared_task(name="dispatch.solve_district", acks_late=True,
             reject_on_worker_lost=True)
def solve_district(solve_id: int) -> str:
    runs.district_solve(solve_id=solve_id)
    return "done"


@shared_task(name="dispatch.plan_tomorrow")
def plan_tomorrow(seconds: float = 60.0) -> int:
    """The nightly run (beat): plan the next working day for every district."""
    return runs.nightly_run_start(seconds=seconds).pk


@shared_task(name="dispatch.recover_runs")
def recover_runs() -> list[int]:
    """Beat, every minute: re-send runs whose worker died or whose message was lost."""
    return runs.runs_recover()
