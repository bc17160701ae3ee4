"""Two concurrent transitions on one demand: exactly one wins (row lock on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from demands import services
from demands.choices import DemandStatus
from demands.models import Demand, DemandEvent
from tests import factories
from tests.demands.conftest import catalogue_item, make_demand, office_hours
from zhifu.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole "
                    "database, so there is no race to test")
    office_hours()


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except DomainError as exc:
            outcomes[index] = ("refused", exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_two_managers_accepting_at_once(attempt):
    north = factories.district("N1")
    retailer = factories.retailer(north)
    first, second = factories.manager(north), factories.manager(north)
    demand = make_demand(retailer, item=catalogue_item())
    outcomes = _race(lambda: services.demand_accept(demand=demand.pk, actor=first),
                     lambda: services.demand_accept(demand=demand.pk, actor=second))
    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    assert [o[1] for o in outcomes if o[0] == "refused"] == ["wrong_state"]
    assert DemandEvent.objects.filter(demand=demand, action="accept").count() == 1
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED


def test_cancel_racing_start(transactional_db):
    north = factories.district("N1")
    retailer = factories.retailer(north)
    specialist = factories.specialist(north)
    demand = make_demand(retailer, item=catalogue_item(), status=DemandStatus.SCHEDULED,
                         assignee=specialist)
    outcomes = _race(lambda: services.demand_cancel(demand=demand.pk, actor=retailer.user),
                     lambda: services.demand_start(demand=demand.pk, actor=specialist.user))
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    final = Demand.objects.get(pk=demand.pk).status
    assert final in (DemandStatus.CANCELLED, DemandStatus.IN_PROGRESS)
    assert DemandEvent.objects.filter(demand=demand).count() == 1


def test_double_submit_race_creates_one_demand():
    north = factories.district("N1")
    retailer = factories.retailer(north)
    item = catalogue_item()

    def submit():
        return services.demand_order(retailer=retailer, item=item, actor=retailer.user,
                                     segment="basic", client_token="same-token")

    outcomes = _race(submit, submit)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert Demand.objects.filter(retailer=retailer).count() == 1
