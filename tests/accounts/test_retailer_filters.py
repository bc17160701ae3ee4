"""The retailer list (page and API) takes a district as people name it: 澄海区 or CH."""

import pytest
from django.test import Client

from tests import factories
from tests.conftest import login_api


@pytest.fixture
def shops(db):
    ch, lh = factories.district("CH", "澄海区"), factories.district("LH", "龙湖区")
    return {"ch": factories.retailer(ch), "lh": factories.retailer(lh),
            "lead": factories.manager(ch), "both": factories.manager(ch, lh)}


@pytest.mark.parametrize("value", ["澄海区", "CH", "ch"])
def test_district_by_name_or_code(shops, api, value):
    client = Client()
    client.force_login(shops["both"])
    page = client.get(f"/dashboard/retailers/?district={value}")
    assert page.status_code == 200
    assert [r.pk for r in page.context["page"]] == [shops["ch"].pk]
    login_api(api, shops["both"])
    body = api.get(f"/api/v1/retailers/?district={value}").json()
    assert [r["id"] for r in body["results"]] == [shops["ch"].pk]


def test_another_districts_name_is_an_error_not_its_shops(shops, api):
    client = Client()
    client.force_login(shops["lead"])
    page = client.get("/dashboard/retailers/?district=龙湖区")
    assert page.status_code == 400 and "district" in page.context["filterset"].errors
    assert client.get("/dashboard/retailers/?district=龙湖区&export=csv").status_code == 400
    login_api(api, shops["lead"])
    response = api.get("/api/v1/retailers/?district=LH")
    assert response.status_code == 400 and "district" in response.json()["error"]["fields"]
    assert response.json()["error"]["code"] == "bad_filter"  # as on the demand list
