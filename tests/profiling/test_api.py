"""The specialist API: who may see which profile, and information collection."""

import pytest

from profiling.models import RawValue
from profiling.services import profiles_recompute
from tests.conftest import login_api

from .helpers import PERIOD, TODAY, raw

pytestmark = pytest.mark.django_db


def url(retailer, what="profile"):
    return f"/api/v1/retailers/{retailer.pk}/{what}/"


@pytest.fixture(autouse=True)
def north_specialist_has_work_at_north_shop(org):
    """A specialist reads the shops behind its work (docs/architecture.md): give it some."""
    from django.utils import timezone

    from tests.dispatch.conftest import make_task

    make_task(org.retailer_north, timezone.localdate(), specialist=org.specialist_north)


def test_specialist_sees_the_profile_of_a_retailer_it_works_for(org, api):
    raw(org.retailer_north, "data_collection_method", "pos")
    profiles_recompute(period=PERIOD, today=TODAY)
    login_api(api, org.specialist_north.user)
    response = api.get(url(org.retailer_north))
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2026-06"
    assert [d["code"] for d in body["dimensions"]][:2] == ["basic_operations", "data_operations"]
    data = next(d for d in body["dimensions"] if d["code"] == "data_operations")
    assert data["score"] == 30 and data["verdict"] == "weakness"
    assert "data_operations" in body["weaknesses"]
    assert len(body["radar"]["values"]) == 6 and len(body["radar"]["indicators"]) == 6
    assert body["segment"]["code"] == "basic" and body["trend"][0]["period"] == "2026-06"


def test_profile_before_any_recompute_is_empty_not_an_error(org, api):
    login_api(api, org.manager_north)
    body = api.get(url(org.retailer_north)).json()
    assert body["period"] is None and body["segment"] is None
    assert all(d["score"] is None for d in body["dimensions"])


@pytest.mark.parametrize("who", ["specialist_south", "manager_south"])
def test_a_retailer_outside_the_scope_is_not_found(org, api, who):
    user = getattr(org, who)
    login_api(api, getattr(user, "user", user))
    response = api.get(url(org.retailer_north))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = api.post(url(org.retailer_north, "collections"), {"values": {"tasting_area": "yes"}},
                        format="json")
    assert response.status_code == 404
    assert not RawValue.objects.exists()


def test_anonymous_is_refused(org, api):
    assert api.get(url(org.retailer_north)).status_code == 401


def test_retailer_login_cannot_use_the_api(org, api):
    api.force_authenticate(org.retailer_north.user)
    assert api.get(url(org.retailer_north)).status_code == 403


def test_collection_stores_values_for_the_month(org, api):
    login_api(api, org.specialist_north.user)
    response = api.post(url(org.retailer_north, "collections"), {
        "period": "2026-06", "values": {"tasting_area": "有", "daily_opening_hours": 14,
                                        "law_abiding": "clean"}}, format="json")
    assert response.status_code == 201, response.content
    assert {v["indicator"] for v in response.json()} == {
        "tasting_area", "daily_opening_hours", "law_abiding"}
    stored = RawValue.objects.get(indicator__code="tasting_area")
    assert (stored.value_text, stored.period, stored.source) == ("yes", PERIOD, "collection")
    assert stored.collected_by == org.specialist_north.user
    # Collecting again the same month replaces the value.
    api.post(url(org.retailer_north, "collections"),
             {"period": "2026-06", "values": {"daily_opening_hours": 10}}, format="json")
    assert RawValue.objects.get(indicator__code="daily_opening_hours").value_number == 10
    assert RawValue.objects.count() == 3


@pytest.mark.parametrize(("payload", "field"), [
    ({"values": {"nonsense": 1}}, "nonsense"),
    ({"values": {"grade": 30}}, "grade"),                     # master data is not collected
    ({"values": {"tasting_area": "maybe"}}, "tasting_area"),
    ({"values": {"daily_opening_hours": "long"}}, "daily_opening_hours"),
    ({"values": {"daily_opening_hours": -1}}, "daily_opening_hours"),
    ({"values": {"daily_opening_hours": True}}, "daily_opening_hours"),
    ({"values": {"tasting_area": "yes", "promotion_space": [1]}}, "promotion_space"),
    ({"values": {}}, "values"),
    ({"values": "pos"}, "values"),
    ({"period": "2026-13", "values": {"tasting_area": "yes"}}, "period"),
    ({"period": "2999-01", "values": {"tasting_area": "yes"}}, "period"),
])
def test_bad_collections_are_refused_and_save_nothing(org, api, payload, field):
    login_api(api, org.specialist_north.user)
    response = api.post(url(org.retailer_north, "collections"), payload, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not RawValue.objects.exists()


def test_indicator_list_tells_the_client_what_to_collect(org, api):
    login_api(api, org.specialist_north.user)
    body = api.get("/api/v1/profile-indicators/").json()
    assert len(body) == 34
    method = next(i for i in body if i["code"] == "data_collection_method")
    assert method["answers"]["pos"] == "POS机" and method["collectable"] is True
    assert next(i for i in body if i["code"] == "grade")["collectable"] is False


def test_specialist_sees_profiles_behind_its_tasks_in_other_districts(org, api):
    import datetime as dt

    from dispatch.models import ServiceTask
    from tests.conftest import login_api

    far = org.retailer_south
    login_api(api, org.specialist_north.user)
    assert api.get(f"/api/v1/retailers/{far.pk}/profile/").status_code == 404
    ServiceTask.objects.create(
        source="visit", retailer=far, district=far.district, title="跨片区支援",
        service_date=dt.date(2026, 11, 24), window_start=dt.time(9), window_end=dt.time(17),
        service_minutes=20, status="assigned", specialist=org.specialist_north)
    assert api.get(f"/api/v1/retailers/{far.pk}/profile/").status_code == 200
    # Someone else's task opens nothing for this specialist.
    other = org.retailer_north2
    ServiceTask.objects.filter(retailer=far).update(specialist=org.specialist_south)
    assert api.get(f"/api/v1/retailers/{far.pk}/profile/").status_code == 404
    assert api.get(f"/api/v1/retailers/{other.pk}/profile/").status_code == 404
    assert api.get(f"/api/v1/retailers/{org.retailer_north.pk}/profile/").status_code == 200
