"""A long solve never delays the SLA sweep: every task is routed explicitly, the solver's
tasks alone go to the ``dispatch`` queue, and in the production compose file the
``default`` and ``dispatch`` queues are served by two different workers, so a solve can
only ever occupy the dispatch worker's slots."""

from pathlib import Path

import yaml
from django.conf import settings

from zhifu.celery import app

ROOT = Path(settings.BASE_DIR)
SOLVER_TASKS = {"dispatch.execute_run", "dispatch.solve_district"}


def _our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_has_an_explicit_route():
    tasks = _our_tasks()
    assert "demands.sla_sweep" in tasks and SOLVER_TASKS <= tasks
    assert tasks == set(settings.CELERY_TASK_ROUTES), (
        "name every task in DEFAULT_QUEUE_TASKS or DISPATCH_QUEUE_TASKS (settings/base.py)")


def test_solves_go_to_dispatch_and_everything_else_to_default():
    for name in _our_tasks():
        expected = "dispatch" if name in SOLVER_TASKS else "default"
        assert _queue_of(name) == expected, name


def test_every_periodic_task_runs_on_the_default_queue():
    """The SLA sweep and the sweepers of lost messages and dead runs included: they must
    run while every dispatch slot is busy solving."""
    periodic = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"demands.sla_sweep", "core.resend_stale_jobs", "dispatch.recover_runs"} <= periodic
    assert {_queue_of(name) for name in periodic} == {"default"}


def _worker_queues() -> dict[str, set[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    workers = {}
    for name, service in services.items():
        command = service.get("command")
        if isinstance(command, list) and command[:4] == ["celery", "-A", "zhifu", "worker"]:
            queues = command[command.index("-Q") + 1]
            workers[name] = set(queues.split(","))
    return workers


def test_compose_workers_serve_disjoint_queues_covering_every_route():
    workers = _worker_queues()
    assert workers == {"worker-default": {"default"}, "worker-dispatch": {"dispatch"}}
    served = [queue for queues in workers.values() for queue in queues]
    assert len(served) == len(set(served)), "a queue is served by two workers"
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= set(served)
