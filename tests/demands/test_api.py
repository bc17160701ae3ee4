"""The specialist's API: the demands behind their tasks, the checklist, lifecycle steps."""

import pytest

from demands.choices import DemandStatus
from demands.models import Demand, DemandEvent
from tests.conftest import login_api
from tests.demands.conftest import make_demand


@pytest.fixture
def assigned(org):
    return make_demand(org.retailer_north, status=DemandStatus.SCHEDULED,
                       assignee=org.specialist_north, checklist=["资质已核验", "客户已签字"])


def test_specialist_sees_only_assigned_demands(org, api, assigned):
    make_demand(org.retailer_north)  # same district, not assigned
    login_api(api, org.specialist_north.user)
    body = api.get("/api/v1/demands/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == assigned.pk and row["retailer"]["phone"].count("*") == 4
    assert row["checklist"] == [{"point": "资质已核验", "confirmed": False},
                                {"point": "客户已签字", "confirmed": False}]
    assert "start" in row["allowed_actions"] and row["assignee"]
    # Each allowed action says what it needs: escalating needs a reason, starting nothing.
    assert set(row["action_fields"]) == set(row["allowed_actions"])
    assert row["action_fields"]["start"] == []
    assert row["action_fields"]["escalate"] == ["reason"]
    detail = api.get(f"/api/v1/demands/{assigned.pk}/").json()
    assert detail["events"] == []
    assert api.get("/api/v1/demands/?status=closed").json()["count"] == 0


def test_work_a_demand_through_the_api(org, api, assigned):
    login_api(api, org.specialist_north.user)
    url = f"/api/v1/demands/{assigned.pk}/"
    assert api.post(url + "actions/", {"action": "start"}, format="json").json()[
        "status"] == "in_progress"
    early = api.post(url + "actions/", {"action": "complete"}, format="json",
                     HTTP_ACCEPT_LANGUAGE="en")
    assert early.status_code == 400
    assert early.json()["error"]["code"] == "checklist_incomplete"
    for point in ("资质已核验", "客户已签字"):
        response = api.post(url + "checklist/", {"point": point}, format="json")
        assert response.status_code == 200
    done = api.post(url + "actions/", {"action": "complete"}, format="json").json()
    assert done["status"] == "completed"
    assert [e["action"] for e in done["events"]] == ["start", "check", "check", "complete"]


@pytest.mark.parametrize("body,status,code", [
    ({"action": "close"}, 403, "role_not_allowed"),          # a manager's step
    ({"action": "fly"}, 400, "validation_error"),
    ({}, 400, "validation_error"),
    ({"action": "complete"}, 409, "wrong_state"),
    ({"action": "start", "expected_status": "accepted"}, 409, "stale_state"),
    ({"action": "wait_customer"}, 400, "reason_required"),
    ({"action": "accept"}, 409, "wrong_state"),
    ({"action": "check", "point": "x" * 300}, 400, "validation_error"),
])
def test_bad_actions_change_nothing(org, api, assigned, body, status, code):
    login_api(api, org.specialist_north.user)
    response = api.post(f"/api/v1/demands/{assigned.pk}/actions/", body, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert Demand.objects.get(pk=assigned.pk).status == DemandStatus.SCHEDULED
    assert not DemandEvent.objects.exists()


def test_garbage_bodies(org, api, assigned):
    login_api(api, org.specialist_north.user)
    url = f"/api/v1/demands/{assigned.pk}/actions/"
    for content_type, raw in (("application/json", "{oops"), ("application/json", "[]"),
                              ("text/plain", "start")):
        response = api.generic("POST", url, raw, content_type=content_type)
        assert 400 <= response.status_code < 500 and response.json()["error"]["code"]
    assert not DemandEvent.objects.exists()


def test_other_specialists_and_roles(org, api, assigned):
    login_api(api, org.specialist_south.user)
    assert api.get(f"/api/v1/demands/{assigned.pk}/").status_code == 404
    refused = api.post(f"/api/v1/demands/{assigned.pk}/actions/", {"action": "start"},
                       format="json")
    assert refused.status_code == 404
    api.credentials()
    login_api(api, org.manager_north)
    assert api.get("/api/v1/demands/").json()["count"] == 1
    assert api.post(f"/api/v1/demands/{assigned.pk}/actions/", {"action": "start"},
                    format="json").status_code == 403
    api.credentials()
    assert api.get("/api/v1/demands/").status_code == 401
    assert Demand.objects.get(pk=assigned.pk).status == DemandStatus.SCHEDULED


def test_catalogue_endpoint(org, api):
    login_api(api, org.specialist_north.user)
    items = api.get("/api/v1/catalogue/").json()
    assert len(items) == 20
    rural = next(i for i in items if i["code"] == "rural_network")
    assert rural["skills"] == ["rural_network"] and rural["market_types"] == ["rural"]


def test_schema_builds(org, api):
    login_api(api, org.manager_north)
    response = api.get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/demands/{id}/actions/" in response.content
