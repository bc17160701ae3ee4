"""Queries per page do not grow with the data: the same count for 2 and for 40 demands."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demands import services
from demands.choices import DemandStatus
from demands.models import CatalogueItem
from tests import factories
from tests.demands.conftest import make_demand
from tests.demands.test_pages import login


def _add_history(org, n):
    items = list(CatalogueItem.objects.filter(is_personalised=False)[:5])
    for i in range(n):
        demand = make_demand(org.retailer_north, item=items[i % len(items)],
                             status=DemandStatus.SCHEDULED, assignee=org.specialist_north,
                             handler=org.manager_north)
        services.demand_start(demand=demand, actor=org.specialist_north.user)
    for _ in range(n):  # other shops' data must not matter either
        factories.retailer(org.north)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["/m/services/", "/m/demands/?show=all", "detail",
                                  "/dashboard/demands/", "/dashboard/demands/triage/"])
def test_queries_do_not_grow(org, page, django_assert_max_num_queries):
    user = org.manager_north if page.startswith("/dashboard") else org.retailer_north.user
    client = login(user)
    _add_history(org, 2)
    url = page
    if page == "detail":
        url = f"/m/demands/{org.retailer_north.demands.first().pk}/"
    small = _count(client, url)
    _add_history(org, 38)
    if page == "detail":
        demand = org.retailer_north.demands.first()
        for _ in range(10):
            services.demand_wait_customer(demand=demand, actor=org.specialist_north.user,
                                          reason="等待")
            services.demand_resume(demand=demand, actor=org.retailer_north.user)
    with django_assert_max_num_queries(small):
        client.get(url)
    assert small <= 15


def test_api_list_queries_do_not_grow(org, api, django_assert_max_num_queries):
    from tests.conftest import login_api

    _add_history(org, 2)
    login_api(api, org.specialist_north.user)
    small = _count(api, "/api/v1/demands/")
    _add_history(org, 30)
    with django_assert_max_num_queries(small):
        assert api.get("/api/v1/demands/").json()["count"] == 32
