import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import factories


def finished_demand(shop, specialist, manager, *, when, item_code="terminal_maintenance"):
    """A catalogue demand walked to completed, at ``when`` (aware)."""
    from demands import services as d
    from demands.models import CatalogueItem

    # get_or_create: transactional tests (the browser's) flush the migration's catalogue.
    item = CatalogueItem.objects.get_or_create(
        code=item_code, defaults={"tier": "inclusive", "name_zh": item_code,
                                  "name_en": item_code, "item_score": 15})[0]
    demand = d.demand_order(retailer=shop, item=item, actor=shop.user, segment="basic",
                            now=when - dt.timedelta(hours=3))
    d.demand_accept(demand=demand, actor=manager, now=when - dt.timedelta(hours=2))
    d.demand_schedule(demand=demand, actor=None, specialist=specialist,
                      now=when - dt.timedelta(hours=2))
    d.demand_start(demand=demand, actor=None, now=when - dt.timedelta(hours=1))
    return d.demand_complete(demand=demand, actor=None, now=when)


def local(y, m, d, hh=10, mm=0, ss=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm, ss))


@pytest.fixture
def team(db):
    district = factories.district("E1", "一片区", 23.37, 116.70)
    manager = factories.manager(district)
    ace = factories.specialist(district, education="master", years_in_post=12,
                               certificates=["营销师二级", "数据分析师"], title="senior")
    rookie = factories.specialist(district, education="college", years_in_post=0)
    shops = [factories.retailer(district) for _ in range(5)]
    return SimpleNamespace(district=district, manager=manager, ace=ace, rookie=rookie,
                           shops=shops)
