import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dispatch.choices import TaskSource
from dispatch.models import ServiceTask
from dispatch.services.runs import run_start
from tests import factories


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_task(retailer, day, **fields) -> ServiceTask:
    values = dict(source=TaskSource.VISIT, retailer=retailer, district=retailer.district,
                  title="拜访", service_date=day, window_start=dt.time(8, 30),
                  window_end=dt.time(17, 30), service_minutes=30, priority=30.0)
    values.update(fields)
    return ServiceTask.objects.create(**values)


@pytest.fixture
def day():
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def city(db, day):
    """One district, a manager, two specialists with different skills, six shops nearby."""
    district = factories.district("D1", "一片区", 23.37, 116.70)
    manager = factories.manager(district)
    trainer = factories.specialist(district, skills={"training": 3, "consultation": 2})
    plain = factories.specialist(district, skills={"consultation": 2})
    shops = [factories.retailer(district, latitude=23.37 + 0.004 * i, longitude=116.70 + 0.003 * i)
             for i in range(6)]
    return SimpleNamespace(district=district, manager=manager, trainer=trainer, plain=plain,
                           shops=shops, day=day)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit work (the queued run) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def start(city, commit):
    def _start(**kwargs):
        options = {"actor": city.manager, "day": city.day, "seconds": 1, "seed": 3}
        options.update(kwargs)
        with commit():
            run = run_start(**options)
        run.refresh_from_db()
        return run

    return _start
