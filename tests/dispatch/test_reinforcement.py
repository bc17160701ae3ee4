"""Cross-district reinforcement: urgent work a district cannot serve borrows a neighbour's
specialist with room; a lender keeps all of its own work; far districts do not lend."""

from types import SimpleNamespace

import pytest

from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask
from tests import factories
from tests.dispatch.conftest import local, make_task
from zhifu.notifications.models import Notification

# Runs are solved in the test process (with a real broker they would go to a worker).
pytestmark = pytest.mark.usefixtures("eager_celery")

TASTING = [{"code": "tasting", "level": 2}]


@pytest.fixture
def pair(city):
    """A neighbour district 6 km east with a taster, and an island district 80 km away
    with another."""
    east = factories.district("D2", "二片区", 23.37, 116.76)
    island = factories.district("D9", "海岛", 23.37, 117.48)
    east_lead = factories.manager(east)
    taster = factories.specialist(east, skills={"tasting": 3, "consultation": 2})
    far_taster = factories.specialist(island, skills={"tasting": 3})
    # The city's dispatcher plans several districts in one run.
    dispatcher = factories.manager(city.district, east, island)
    east_shops = [factories.retailer(east, latitude=23.37, longitude=116.76 + 0.003 * i)
                  for i in range(2)]
    return SimpleNamespace(east=east, island=island, east_lead=east_lead, taster=taster,
                           far_taster=far_taster, east_shops=east_shops,
                           dispatcher=dispatcher)


def _urgent(city, **fields):
    values = dict(required_skills=TASTING, mandatory=True, priority=90.0)
    values.update(fields)
    return make_task(city.shops[0], city.day, **values)


def test_a_neighbour_lends_a_specialist_for_work_nobody_here_can_do(city, pair, start):
    urgent = _urgent(city)
    own = make_task(pair.east_shops[0], city.day, required_skills=TASTING)
    run = start(actor=pair.dispatcher, district_ids=[city.district.pk, pair.east.pk])

    urgent.refresh_from_db()
    own.refresh_from_db()
    assert urgent.specialist_id == pair.taster.pk and urgent.status == TaskStatus.ASSIGNED
    assert own.specialist_id == pair.taster.pk  # the lender keeps its own work
    assert run.result["borrowed"] == [{"task": str(urgent.pk),
                                       "specialist": str(pair.taster.pk)}]
    assert run.result["unserved"] == 0
    # Both leads learn who was lent for what.
    for lead in (city.manager, pair.east_lead):
        notice = Notification.objects.get(recipient=lead, kind="dispatch.borrowed")
        assert "二片区" in notice.title and "一片区" in notice.title
    # The lender's route is one ordered day.
    route = list(ServiceTask.objects.filter(specialist=pair.taster, service_date=city.day)
                 .order_by("sequence"))
    assert [t.sequence for t in route] == [1, 2]
    assert route[0].planned_end <= route[1].planned_start


def test_the_neighbours_day_as_it_stands_when_it_is_not_in_the_run(city, pair, start):
    accepted = make_task(pair.east_shops[0], city.day, status=TaskStatus.ACCEPTED,
                         specialist=pair.taster, sequence=1,
                         planned_start=local(city.day, 9), planned_end=local(city.day, 9, 30))
    urgent = _urgent(city)
    run = start(district_ids=[city.district.pk])
    urgent.refresh_from_db()
    accepted.refresh_from_db()
    assert urgent.specialist_id == pair.taster.pk
    assert accepted.specialist_id == pair.taster.pk and accepted.status == TaskStatus.ACCEPTED
    assert {accepted.sequence, urgent.sequence} == {1, 2}
    assert run.result["borrowed"][0]["task"] == str(urgent.pk)


def test_no_borrowing_when_the_run_does_not_allow_it_or_the_work_can_wait(city, pair, start):
    urgent = _urgent(city)
    optional = make_task(city.shops[1], city.day, required_skills=TASTING, priority=20.0)
    both = [city.district.pk, pair.east.pk]
    run = start(actor=pair.dispatcher, district_ids=both, allow_cross_district=False)
    urgent.refresh_from_db()
    assert urgent.specialist_id is None and run.result["borrowed"] == []

    run = start(actor=pair.dispatcher, district_ids=[city.district.pk, pair.east.pk])
    urgent.refresh_from_db()
    optional.refresh_from_db()
    assert urgent.specialist_id == pair.taster.pk
    # Low-priority optional work waits for its own district.
    assert optional.specialist_id is None and optional.status == TaskStatus.OPEN


def test_a_far_district_does_not_lend(city, pair, start):
    pair.taster.active = False
    pair.taster.save()
    urgent = _urgent(city)
    run = start(actor=pair.dispatcher, district_ids=[city.district.pk, pair.island.pk])
    urgent.refresh_from_db()
    assert urgent.specialist_id is None and run.result["borrowed"] == []
    assert urgent.unserved_reason.startswith("本片区没有")
