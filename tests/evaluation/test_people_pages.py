"""The dashboard's page on one retailer and on one specialist, through the real URLs: what
they show, that the lists link to them, and that another district's id is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from demands.choices import DemandStatus
from dispatch.models import ServiceTask
from evaluation.models import PointsEntry, ServiceRating
from evaluation.services import capability_compute
from strategy.models import PlannedVisit
from tests import factories
from tests.demands.conftest import make_demand
from zhifu.core.months import this_month


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task(shop, specialist, *, sequence, title, minutes=30, day=None, status="assigned"):
    return ServiceTask.objects.create(
        source="visit", retailer=shop, district=shop.district, title=title,
        service_date=day or timezone.localdate(), window_start=dt.time(9),
        window_end=dt.time(17), service_minutes=minutes, status=status,
        specialist=specialist, sequence=sequence)


@pytest.fixture
def shop_world(org):
    shop = org.retailer_north
    demand = make_demand(shop, title="冰柜维修", status=DemandStatus.RATED,
                         assignee=org.specialist_north)
    now = timezone.now()
    ServiceRating.objects.create(
        demand=demand, retailer=shop, specialist=org.specialist_north, attitude=5,
        professionalism=4, timeliness=5, result=4, overall=4.5, comment="师傅很专业",
        period=this_month(), created_at=now, updated_at=now)
    task(shop, org.specialist_north, sequence=1, title="季度拜访")
    PlannedVisit.objects.create(retailer=shop, specialist=org.specialist_north,
                                day=timezone.localdate() + dt.timedelta(days=3),
                                reason="档位回访")
    return shop


def test_a_retailers_page_gathers_its_loop(org, shop_world):
    client = login(org.manager_north)
    response = client.get(f"/dashboard/retailers/{shop_world.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (shop_world.shop_name, "冰柜维修", "季度拜访", "档位回访", "师傅很专业",
                 'id="retailer-strategy"', 'id="profile-data"'):
        assert text in body, text
    assert shop_world.phone not in body  # masked like every page
    assert f"/dashboard/specialists/{org.specialist_north.pk}/" in body
    # The retailer list links here.
    listing = client.get("/dashboard/retailers/").content.decode()
    assert f"/dashboard/retailers/{shop_world.pk}/" in listing


def test_another_districts_retailer_or_specialist_is_a_404(org, shop_world):
    client = login(org.manager_south)
    assert client.get(f"/dashboard/retailers/{shop_world.pk}/").status_code == 404
    assert client.get(f"/dashboard/specialists/{org.specialist_north.pk}/").status_code == 404
    assert client.get("/dashboard/retailers/987654/").status_code == 404
    assert login(org.specialist_north.user).get(
        f"/dashboard/retailers/{shop_world.pk}/").status_code == 403


def test_a_specialists_page_shows_the_day_in_route_order_load_capability_and_points(org):
    ace = org.specialist_north
    task(org.retailer_north2, ace, sequence=2, title="第二站", minutes=60)
    task(org.retailer_north, ace, sequence=1, title="第一站", minutes=45, status="done")
    task(org.retailer_north, ace, sequence=1, title="明天的活", day=timezone.localdate()
         + dt.timedelta(days=1))
    capability_compute(period=this_month())
    PointsEntry.objects.create(specialist=ace, kind="sla_met", points=3, reason="按时办结",
                               source_type="demand", source_id=1, period=this_month())
    client = login(org.manager_north)
    response = client.get(f"/dashboard/specialists/{ace.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("第一站") < body.index("第二站") and "明天的活" not in body
    load = response.context["load"]
    assert load["tasks"] == 2 and load["minutes"] == 105 and load["done"] == 1
    assert load["shift_minutes"] == 9 * 60
    for part in ("最高学历", "订单满足率", "普惠性服务"):  # tables 4, 5 and 6
        assert part in body, part
    assert "按时办结" in body and response.context["points"]["total"] == 3
    # The specialist list links here.
    assert f"/dashboard/specialists/{ace.pk}/" in client.get(
        "/dashboard/specialists/").content.decode()


def test_the_pages_queries_do_not_grow_with_the_rows(org, shop_world,
                                                     django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(org.manager_north)
    urls = (f"/dashboard/retailers/{shop_world.pk}/",
            f"/dashboard/specialists/{org.specialist_north.pk}/")
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    for n in range(8):
        make_demand(shop_world, assignee=org.specialist_north)
        task(shop_world, org.specialist_north, sequence=1, title=f"旧拜访{n}",
             day=timezone.localdate() - dt.timedelta(days=n + 1))
        task(factories.retailer(org.north), org.specialist_north, sequence=n + 2,
             title=f"第{n}站")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
