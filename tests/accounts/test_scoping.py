"""No retailer or specialist reads another's data; managers stay in their districts."""

import pytest

from tests.conftest import login_api


def _give_work(specialist, retailer):
    from django.utils import timezone

    from tests.dispatch.conftest import make_task

    return make_task(retailer, timezone.localdate(), specialist=specialist)


def test_specialist_lists_only_the_retailers_behind_its_work(org, api):
    """The design lets a specialist see the shops behind its tasks, not its whole district."""
    _give_work(org.specialist_north, org.retailer_north)
    login_api(api, org.specialist_north.user)
    response = api.get("/api/v1/retailers/")
    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {org.retailer_north.id}


def test_specialist_cannot_open_a_retailer_it_has_no_work_for(org, api):
    _give_work(org.specialist_north, org.retailer_north)
    login_api(api, org.specialist_north.user)
    assert api.get(f"/api/v1/retailers/{org.retailer_north.id}/").status_code == 200
    for other in (org.retailer_north2, org.retailer_south):
        response = api.get(f"/api/v1/retailers/{other.id}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_specialist_sees_only_itself_among_specialists(org, api):
    login_api(api, org.specialist_north.user)
    assert api.get("/api/v1/specialists/").status_code == 403
    assert api.get(f"/api/v1/specialists/{org.specialist_north.id}/").status_code == 200
    assert api.get(f"/api/v1/specialists/{org.specialist_south.id}/").status_code == 404


def test_manager_api_is_scoped_to_managed_districts(org, api):
    login_api(api, org.manager_south)
    ids = {r["id"] for r in api.get("/api/v1/retailers/").json()["results"]}
    assert ids == {org.retailer_south.id}
    specialists = {s["id"] for s in api.get("/api/v1/specialists/").json()["results"]}
    assert specialists == {org.specialist_south.id}
    assert api.get(f"/api/v1/retailers/{org.retailer_north.id}/").status_code == 404


def test_admin_sees_everything(org, api):
    login_api(api, org.admin)
    assert api.get("/api/v1/retailers/").json()["count"] == 3


@pytest.mark.parametrize("url", ["/api/v1/retailers/", "/api/v1/specialists/", "/api/v1/me/"])
def test_retailer_session_cannot_use_staff_endpoints(org, url):
    from django.test import Client

    client = Client()
    client.force_login(org.retailer_north.user)
    response = client.get(url)
    if url == "/api/v1/me/":
        assert response.status_code == 200
        assert response.json()["role"] == "retailer"
        assert response.json()["specialist"] is None
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/retailers/", "/api/v1/me/", "/api/v1/specialists/1/"])
def test_anonymous_api_calls_are_401(db, api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_filters_validate_their_input(org, api):
    login_api(api, org.manager_north)
    response = api.get("/api/v1/retailers/?grade_band=99-100", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "grade_band" in response.json()["error"]["fields"]
    ok = api.get("/api/v1/retailers/?grade_band=1-12")
    assert ok.status_code == 200 and ok.json()["count"] == 2
