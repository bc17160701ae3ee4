"""The embedded default (``make run`` without a broker): background work on a thread of the
server, never in the request; beat's schedule in the same process."""

import datetime as dt
import threading

import pytest
from celery.schedules import crontab
from django.test import Client
from django.utils import timezone

from dispatch.choices import RunStatus
from dispatch.models import DispatchRun
from dispatch.services import runs
from tests import factories
from tests.dispatch.conftest import make_task
from zhifu.core import embedded


def test_only_the_serving_process_runs_beat():
    assert embedded.serving(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    assert embedded.serving(["manage.py", "runserver", "--noreload"], {})
    assert not embedded.serving(["manage.py", "runserver"], {})  # the reloader's watcher
    assert not embedded.serving(["manage.py", "seed_demo"], {"RUN_MAIN": "true"})
    assert not embedded.serving(["celery", "worker"], {})


@pytest.mark.django_db(transaction=True)
def test_a_run_started_from_the_board_answers_before_the_solve(settings, monkeypatch):
    """The request returns while the district is still being solved; the run finishes on
    the worker thread afterwards."""
    settings.EMBEDDED_WORKER = True
    day = timezone.localdate() + dt.timedelta(days=1)
    district = factories.district("D1", "一片区", 23.37, 116.70)
    manager = factories.manager(district)
    factories.specialist(district, skills={"consultation": 2})
    make_task(factories.retailer(district, latitude=23.37, longitude=116.70), day)
    release, solving = threading.Event(), threading.Event()
    solve = runs.district_solve

    def held_solve(**kwargs):
        solving.set()
        assert release.wait(30), "the test never released the solve"
        return solve(**kwargs)

    monkeypatch.setattr(runs, "district_solve", held_solve)
    client = Client()
    client.force_login(manager)
    response = client.post("/dashboard/dispatch/runs/new/", {
        "date": day.isoformat(), "districts": [str(district.pk)], "mode": "command",
        "seconds": "1"})
    assert response.status_code == 302 and "district=D1" in response["Location"]
    assert solving.wait(30)  # the worker thread has the run, and the request is over
    assert DispatchRun.objects.get().status == RunStatus.RUNNING
    release.set()
    assert embedded.wait_idle(60)
    assert DispatchRun.objects.get().status == RunStatus.SUCCEEDED


def test_beat_sends_interval_work_at_start_and_crontab_work_on_time(settings, monkeypatch):
    settings.CELERY_BEAT_SCHEDULE = {
        "sweep": {"task": "demands.sla_sweep", "schedule": 300.0},
        "nightly": {"task": "dispatch.plan_tomorrow",
                    "schedule": crontab(hour=(embedded.current_app.now().hour + 12) % 24,
                                        minute=0)},
    }
    sent, stop = [], threading.Event()

    def record(task, *args):
        sent.append(task.name)
        stop.set()

    monkeypatch.setattr(embedded, "submit", record)
    embedded._beat_loop(stop)
    assert sent == ["demands.sla_sweep"]


def test_inline_work_runs_in_the_caller(settings):
    settings.EMBEDDED_WORKER = True
    assert embedded.active()
    with embedded.inline():
        assert not embedded.active()
    assert embedded.active()
