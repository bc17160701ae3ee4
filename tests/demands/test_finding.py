"""Finding demands: one filterset behind the manager's list page and GET /api/v1/demands/
(search, status, kind, SLA, district by code or name, assignee, dates, sort), and the
export of exactly the filtered list."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pandas as pd
import pytest
from django.test import Client
from django.utils import timezone

from demands.choices import DemandKind, DemandStatus, SlaState
from tests import factories
from tests.conftest import login_api
from tests.demands.conftest import MONDAY_9, make_demand

API = "/api/v1/demands/"
PAGE = "/dashboard/demands/"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_ids(api, query: str = "") -> list[int]:
    response = api.get(f"{API}?{query}&page_size=200")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def page_ids(client, query: str = "") -> list[int]:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200, response.content
    return [d.pk for d in response.context["page"]]


@pytest.fixture
def city(db):
    """Two districts as the city names them (澄海区 CH, 龙湖区 LH), a lead for each, a city
    department manager over both, and demands of every kind of difference."""
    ch, lh = factories.district("CH", "澄海区"), factories.district("LH", "龙湖区")
    shop_ch = factories.retailer(ch, shop_name="莲下便利店", licence_no="440515000111")
    shop_lh = factories.retailer(lh, shop_name="金砂烟酒行", licence_no="440507000222")
    ace = factories.specialist(ch)
    demands = SimpleNamespace(
        fridge=make_demand(shop_ch, title="冰柜维修", description="冰柜不制冷",
                           assignee=ace, status=DemandStatus.SCHEDULED),
        sign=make_demand(shop_ch, title="门头招牌", kind=DemandKind.CONSULTATION,
                         submitted_at=MONDAY_9 - dt.timedelta(days=10),
                         sla_state=SlaState.BREACHED),
        other=make_demand(shop_lh, title="冰柜搬迁", description="新店开业",
                          submitted_at=MONDAY_9 - dt.timedelta(days=3)),
    )
    return SimpleNamespace(
        ch=ch, lh=lh, shop_ch=shop_ch, shop_lh=shop_lh, ace=ace, d=demands,
        lead_ch=factories.manager(ch), lead_lh=factories.manager(lh),
        both=factories.city_level(factories.manager(ch, lh)))


@pytest.mark.parametrize("value", ["澄海区", "CH", "ch"])
def test_the_district_by_name_or_code_finds_its_demands(city, api, value):
    login_api(api, city.both)
    assert sorted(api_ids(api, f"district={value}")) == sorted([city.d.fridge.pk, city.d.sign.pk])
    assert sorted(page_ids(login(city.both), f"district={value}")) == sorted(
        [city.d.fridge.pk, city.d.sign.pk])


def test_a_leads_search_never_returns_another_districts_demand(city, api):
    login_api(api, city.lead_ch)
    # "冰柜" is in both districts' titles; the lead of 澄海区 finds only its own.
    assert api_ids(api, "q=冰柜") == [city.d.fridge.pk]
    assert page_ids(login(city.lead_ch), "q=冰柜") == [city.d.fridge.pk]
    for query in ("q=金砂", "q=440507000222", "q=新店开业"):
        assert api_ids(api, query) == [], query
    # Naming the other district is an unknown value, exactly like a district that is nowhere.
    for value in ("龙湖区", "LH", "火星区"):
        response = api.get(f"{API}?district={value}")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_filter"
        assert "district" in response.json()["error"]["fields"]
        page = login(city.lead_ch).get(f"{PAGE}?district={value}")
        assert page.status_code == 400 and "district" in page.context["filterset"].errors


def test_search_reads_title_description_shop_and_licence(city, api):
    login_api(api, city.both)
    assert api_ids(api, "q=门头") == [city.d.sign.pk]
    assert api_ids(api, "q=不制冷") == [city.d.fridge.pk]
    assert api_ids(api, "q=金砂烟酒") == [city.d.other.pk]
    assert sorted(api_ids(api, "q=440515")) == sorted([city.d.fridge.pk, city.d.sign.pk])


def test_status_kind_sla_and_assignee(city, api):
    login_api(api, city.both)
    assert api_ids(api, "status=scheduled") == [city.d.fridge.pk]
    assert api_ids(api, "kind=consultation") == [city.d.sign.pk]
    # The SLA filter reads the state as of now: a stored breach, and every demand whose
    # deadline has passed meanwhile (these were submitted days ago), with no sweep needed.
    from demands.models import Demand

    Demand.objects.exclude(pk=city.d.sign.pk).update(
        response_due_at=timezone.now() + dt.timedelta(days=2),
        resolution_due_at=timezone.now() + dt.timedelta(days=3),
        sla_check_at=timezone.now() + dt.timedelta(days=1))
    assert api_ids(api, "sla_state=breached") == [city.d.sign.pk]
    assert api_ids(api, f"assignee={city.ace.pk}") == [city.d.fridge.pk]
    client = login(city.both)
    assert page_ids(client, f"assignee={city.ace.pk}&status=scheduled") == [city.d.fridge.pk]
    # A specialist of another district is not a choice for the lead of 龙湖区.
    login_api(api, city.lead_lh)
    response = api.get(f"{API}?assignee={city.ace.pk}")
    assert response.status_code == 400 and "assignee" in response.json()["error"]["fields"]


def test_a_specialist_still_sees_rated_as_completed(city, api):
    rated = make_demand(city.shop_ch, status=DemandStatus.RATED, assignee=city.ace)
    login_api(api, city.ace.user)
    assert api_ids(api, "status=completed") == [rated.pk]
    assert api_ids(api, "status=rated") == []


def test_submitted_dates_filter_and_are_validated(city, api):
    login_api(api, city.both)
    day = MONDAY_9.date()
    assert sorted(api_ids(api, f"submitted_from={day - dt.timedelta(days=5)}")) == sorted(
        [city.d.fridge.pk, city.d.other.pk])
    assert api_ids(api, f"submitted_to={day - dt.timedelta(days=5)}") == [city.d.sign.pk]
    assert api_ids(api, f"submitted_from={day}&submitted_to={day}") == [city.d.fridge.pk]
    client = login(city.both)
    for query, field in (("submitted_from=2026-13-45", "submitted_from"),
                         ("submitted_from=2026-11-20&submitted_to=2026-11-01", "submitted_to")):
        response = api.get(f"{API}?{query}")
        assert response.status_code == 400, query
        error = response.json()["error"]
        assert error["code"] == "bad_filter" and field in error["fields"]
        page = client.get(f"{PAGE}?{query}")
        assert page.status_code == 400 and field in page.context["filterset"].errors
        assert "field-error" in page.content.decode()


def test_sorting_is_whitelisted(city, api):
    city.d.sign.priority, city.d.other.priority, city.d.fridge.priority = 90, 60, 10
    for demand in vars(city.d).values():
        demand.save(update_fields=["priority"])
    login_api(api, city.both)
    assert api_ids(api, "sort=-priority") == [city.d.sign.pk, city.d.other.pk, city.d.fridge.pk]
    assert api_ids(api, "sort=submitted") == [city.d.sign.pk, city.d.other.pk, city.d.fridge.pk]
    assert page_ids(login(city.both), "sort=-submitted") == [
        city.d.fridge.pk, city.d.other.pk, city.d.sign.pk]
    for bad in ("retailer__owner_name", "-id;drop", "title"):
        response = api.get(f"{API}?sort={bad}")
        assert response.status_code == 400 and "sort" in response.json()["error"]["fields"]


def test_export_holds_exactly_the_filtered_rows(city):
    make_demand(city.shop_ch, title="=HYPERLINK(\"http://x\")")
    client = login(city.lead_ch)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{PAGE}?q=冰柜&export={fmt}")
        assert response.status_code == 200
        assert f'.{fmt}"' in response["Content-Disposition"]
        content = io.BytesIO(response.content)
        frame = (pd.read_csv(content, dtype=str, encoding="utf-8-sig") if fmt == "csv"
                 else pd.read_excel(content, dtype=str))
        assert "编号" in frame.columns and "店铺名称" in frame.columns and "状态" in frame.columns
        assert frame["编号"].astype(int).tolist() == [city.d.fridge.pk]
        assert frame["需求"].tolist() == ["冰柜维修"]
    # A title that looks like a formula stays text in the file.
    frame = pd.read_csv(io.BytesIO(client.get(f"{PAGE}?q=HYPERLINK&export=csv").content),
                        dtype=str, encoding="utf-8-sig")
    assert frame["需求"].tolist() == ["'=HYPERLINK(\"http://x\")"]
    # A list the filters refuse is not exported at all.
    assert client.get(f"{PAGE}?district=LH&export=csv").status_code == 400


def test_the_page_shows_the_filters_and_keeps_them_across_pages(city):
    client = login(city.both)
    response = client.get(f"{PAGE}?district=澄海区&sort=-priority")
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("q", "status", "kind", "sla_state", "district", "assignee", "submitted_from",
                 "submitted_to", "sort"):
        assert f'name="{name}"' in body, name
    assert "export=xlsx" in body and "sort=-priority" in body
    assert f"/dashboard/retailers/{city.shop_ch.pk}/" in body


def test_the_schema_documents_the_filters(city, api):
    login_api(api, city.both)
    schema = api.get("/api/schema/?format=json").json()
    names = {p["name"]: p for p in schema["paths"]["/api/v1/demands/"]["get"]["parameters"]}
    assert {"q", "status", "kind", "sla_state", "district", "assignee", "submitted_from",
            "submitted_to", "sort", "open", "page", "page_size"} <= set(names)
    assert names["district"]["schema"]["type"] == "string"
    assert "-priority" in names["sort"]["schema"]["items"]["enum"]
