"""The task lifecycle table: what the phone is offered is what the services accept."""

import datetime as dt
from unittest import mock

import pytest

from demands.choices import DemandStatus
from dispatch.choices import DispatchMode, TaskStatus
from dispatch.lifecycle import TASK_ACTIONS
from tests.conftest import login_api
from tests.demands.conftest import make_demand
from tests.dispatch.conftest import local, make_task

ACTION_URLS = {
    "accept": ("/api/v1/specialist/tasks/{pk}/accept/", {}),
    "start": ("/api/v1/specialist/tasks/{pk}/start/", {"latitude": 23.37, "longitude": 116.70}),
    "exception": ("/api/v1/specialist/tasks/{pk}/exception/", {"kind": "shop_closed"}),
}


@pytest.fixture
def frozen_day(city):
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 10)):
        yield


def _mine(city, status):
    start = local(city.day, 11)
    return make_task(city.shops[0], city.day, specialist=city.trainer, sequence=1,
                     status=status, planned_start=start,
                     planned_end=start + dt.timedelta(minutes=30))


def test_every_table_state_is_a_task_status():
    for action in TASK_ACTIONS.values():
        assert set(action.sources) <= set(TaskStatus.values)


@pytest.mark.parametrize("status", [TaskStatus.ASSIGNED, TaskStatus.ACCEPTED,
                                    TaskStatus.IN_PROGRESS, TaskStatus.DONE])
def test_the_phone_is_offered_exactly_what_the_table_allows(city, api, frozen_day, status):
    task = _mine(city, status)
    login_api(api, city.trainer.user)
    offered = api.get(f"/api/v1/specialist/tasks/{task.pk}/").json()["allowed_actions"]
    expected = [name for name, a in TASK_ACTIONS.items()
                if status in a.sources and "specialist" in a.roles and name != "claim"]
    assert offered == expected
    # Every action the table refuses from this state is refused by its URL with a 409.
    for name, (url, body) in ACTION_URLS.items():
        if name in offered or (name == "accept" and status == TaskStatus.ACCEPTED):
            continue  # a second accept is a double tap: it answers 200 and changes nothing
        response = api.post(url.format(pk=task.pk), body, format="json")
        assert response.status_code == 409, (name, response.content)
        assert response.json()["error"]["code"] == "wrong_state"


def test_an_offered_action_succeeds_through_its_url(city, api, frozen_day):
    task = _mine(city, TaskStatus.ASSIGNED)
    login_api(api, city.trainer.user)
    assert api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/").status_code == 200
    body = api.get(f"/api/v1/specialist/tasks/{task.pk}/").json()
    assert body["status"] == TaskStatus.ACCEPTED
    assert "accept" not in body["allowed_actions"] and "start" in body["allowed_actions"]


def test_a_pool_task_offers_a_claim_and_nothing_else(city, api):
    make_task(city.shops[1], city.day, status=TaskStatus.OFFERED, mode=DispatchMode.GRAB)
    login_api(api, city.plain.user)
    pool = api.get(f"/api/v1/specialist/pool/?date={city.day}").json()
    assert [t["allowed_actions"] for t in pool] == [["claim"]]


def test_compliance_points_are_confirmed_at_the_shop_after_check_in(city, api, frozen_day):
    demand = make_demand(city.shops[0], status=DemandStatus.SCHEDULED, assignee=city.trainer,
                         checklist=["价格公示检查"])
    task = _mine(city, TaskStatus.ASSIGNED)
    task.demand = demand
    task.checklist = ["价格公示检查"]
    task.save()
    login_api(api, city.trainer.user)
    url = f"/api/v1/demands/{demand.pk}/checklist/"
    early = api.post(url, {"point": "价格公示检查"}, format="json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "check_in_first"
    assert api.post(f"/api/v1/specialist/tasks/{task.pk}/start/",
                    {"latitude": 23.37, "longitude": 116.70}, format="json").status_code == 200
    assert api.post(url, {"point": "价格公示检查"}, format="json").status_code == 200
