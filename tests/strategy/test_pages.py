"""Recommended for you (phone) and the manager's strategy pages."""

from django.test import Client

from demands.models import Demand
from strategy import services
from strategy.models import RecommendationFeedback, StrategyRule
from tests import factories
from tests.strategy.conftest import snapshot


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_retailer_orders_and_declines_from_recommendations(shops):
    shop = shops[0]
    snapshot(shop, weak=["non_tobacco_operations"])
    services.strategies_generate()
    client = _client(shop.user)
    page = client.get("/m/recommended/").content.decode()
    assert "recommended/shop_management/order/" in page and "非烟经营为弱项" in page
    ordered = client.post("/m/recommended/shop_management/order/")
    demand = Demand.objects.get(retailer=shop)
    assert ordered.status_code == 302 and ordered["Location"].endswith(f"/m/demands/{demand.pk}/")
    again = client.post("/m/recommended/shop_management/order/", follow=True)
    assert Demand.objects.filter(retailer=shop).count() == 1  # no double order
    assert "already have an open demand" in again.content.decode()
    page = client.get("/m/recommended/").content.decode()
    assert "recommended/retailer_training/decline/" in page
    client.post("/m/recommended/retailer_training/decline/")
    assert RecommendationFeedback.objects.filter(outcome="declined").count() == 1
    # "We will not suggest it again": gone from the page at once (still in the catalogue).
    assert "recommended/retailer_training/" not in client.get("/m/recommended/").content.decode()
    foreign = client.post("/m/recommended/cigar_business/order/", follow=True)
    assert "does not exist" in foreign.content.decode()
    assert client.post("/m/recommended/shop_management/explode/").status_code == 302


def test_recommended_page_is_for_retailers_only(shops):
    district = shops[0].district
    assert _client(factories.manager(district)).get("/m/recommended/").status_code == 403
    assert _client(factories.specialist(district).user).get("/m/recommended/").status_code == 403


def test_city_department_edits_rules_district_leads_only_read(shops):
    district = shops[0].district
    lead = factories.manager(district)
    city = factories.manager(district, level="city_department")
    rule = StrategyRule.objects.get(code="weak-data")
    assert _client(lead).get("/dashboard/strategy/").status_code == 200
    refused = _client(lead).post(f"/dashboard/strategy/rules/{rule.pk}/", {
        "code": rule.code, "name": "x", "condition": "weak_dimension", "reason": "r",
        "priority": 99, "parameter": "data_operations", "active": "on"}, follow=True)
    assert "Only the city department" in refused.content.decode()
    assert StrategyRule.objects.get(pk=rule.pk).priority == 60
    bad = _client(city).post(f"/dashboard/strategy/rules/{rule.pk}/", {
        "code": rule.code, "name": "x", "condition": "weak_dimension", "reason": "r",
        "priority": 99, "parameter": "happiness", "active": "on"})
    assert bad.status_code == 200 and "Unknown dimension" in bad.content.decode()
    assert StrategyRule.objects.get(pk=rule.pk).priority == 60
    ok = _client(city).post(f"/dashboard/strategy/rules/{rule.pk}/", {
        "code": rule.code, "name": "数据弱", "condition": "weak_dimension", "reason": "r",
        "priority": 99, "parameter": "data_operations", "active": "on"})
    assert ok.status_code == 302
    assert StrategyRule.objects.get(pk=rule.pk).priority == 99
    out_of_range = _client(city).post(f"/dashboard/strategy/rules/{rule.pk}/", {
        "code": rule.code, "name": "x", "condition": "segment", "reason": "r", "priority": 500,
        "parameter": "value"})
    assert out_of_range.status_code == 200
    assert StrategyRule.objects.get(pk=rule.pk).priority == 99


def test_history_is_scoped_to_the_managers_districts(shops):
    snapshot(shops[0], churn=True)
    services.strategies_generate()
    own = factories.manager(shops[0].district)
    other = factories.manager(factories.district("Z9", "九片区"))
    assert _client(own).get(f"/dashboard/strategy/retailers/{shops[0].pk}/").status_code == 200
    assert _client(other).get(f"/dashboard/strategy/retailers/{shops[0].pk}/").status_code == 404


def test_specialist_task_shows_the_current_strategy(shops, api):
    import datetime as dt

    from django.utils import timezone

    from dispatch.models import ServiceTask
    from tests.conftest import login_api

    shop = shops[0]
    snapshot(shop, weak=["non_tobacco_operations"])
    services.strategies_generate()
    specialist = factories.specialist(shop.district)
    task = ServiceTask.objects.create(
        source="visit", retailer=shop, district=shop.district, title="拜访",
        service_date=timezone.localdate(), window_start=dt.time(8, 30),
        window_end=dt.time(17, 30), service_minutes=20, status="assigned",
        specialist=specialist)
    login_api(api, specialist.user)
    strategy = api.get(f"/api/v1/specialist/tasks/{task.pk}/").json()["strategy"]
    assert strategy["source"] == "strategy" and strategy["version"] == 1
    assert strategy["recommendations"][0]["name"]
    assert any("非烟" in point for point in strategy["talking_points"])


def test_template_edit_refuses_bad_values_and_changes_nothing(shops):
    from strategy.models import GradeBandTemplate

    city = factories.manager(shops[0].district, level="city_department")
    template = GradeBandTemplate.objects.get(band="1-12")
    for bad in ({"visit_cycle_days": 0, "visit_minutes": 20, "visit_priority": 20},
                {"visit_cycle_days": 20, "visit_minutes": 999, "visit_priority": 20},
                {"visit_cycle_days": "x", "visit_minutes": 20, "visit_priority": 20}):
        response = _client(city).post(f"/dashboard/strategy/templates/{template.pk}/", bad)
        assert response.status_code == 200 and response.context["form"].errors
    template.refresh_from_db()
    assert (template.visit_cycle_days, template.visit_minutes) == (20, 20)
