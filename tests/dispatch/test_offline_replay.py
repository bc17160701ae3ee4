"""A phone's offline queue: each write carries an Idempotency-Key, so a replay gets the
first answer back and does nothing twice; each step keeps the time it happened."""

import datetime as dt
from unittest import mock

import pytest
from django.test import Client

from demands.choices import DemandStatus
from demands.models import DemandEvent
from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask, TaskEvent
from tests.conftest import login_api
from tests.demands.conftest import make_demand
from tests.dispatch.conftest import local, make_task
from zhifu.core.idempotency import idempotency_purge
from zhifu.core.models import IdempotentRequest


@pytest.fixture
def day_at_ten(city):
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 10)):
        yield


@pytest.fixture
def task(city):
    start = local(city.day, 11)
    return make_task(city.shops[0], city.day, specialist=city.trainer, sequence=1,
                     status=TaskStatus.ASSIGNED, planned_start=start,
                     planned_end=start + dt.timedelta(minutes=30))


def test_a_replayed_check_in_and_completion_change_nothing_twice(city, api, day_at_ten, task):
    login_api(api, city.trainer.user)
    checked_in = local(city.day, 9, 40)
    start = {"latitude": 23.37, "longitude": 116.70, "occurred_at": checked_in.isoformat()}
    first = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/", start, format="json",
                     HTTP_IDEMPOTENCY_KEY="phone-1-start-0001")
    again = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/", start, format="json",
                     HTTP_IDEMPOTENCY_KEY="phone-1-start-0001")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    done = {"notes": "已完成", "occurred_at": local(city.day, 9, 58).isoformat()}
    for _ in range(3):
        response = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/", done,
                            format="json", HTTP_IDEMPOTENCY_KEY="phone-1-done-0001")
        assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    # The times are those of the phone, not of the replay.
    assert task.checked_in_at == checked_in and task.completed_at == local(city.day, 9, 58)
    assert TaskEvent.objects.filter(task=task, action="started").count() == 1
    assert TaskEvent.objects.filter(task=task, action="completed").count() == 1


def test_a_key_reused_for_another_write_is_refused(city, api, day_at_ten, task):
    login_api(api, city.trainer.user)
    url = f"/api/v1/specialist/tasks/{task.pk}/"
    assert api.post(url + "accept/", HTTP_IDEMPOTENCY_KEY="phone-1-k-000001").status_code == 200
    reused = api.post(url + "start/", {"latitude": 23.37, "longitude": 116.70}, format="json",
                      HTTP_IDEMPOTENCY_KEY="phone-1-k-000001")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert ServiceTask.objects.get(pk=task.pk).status == TaskStatus.ACCEPTED
    bad = api.post(url + "start/", {"latitude": 23.37, "longitude": 116.70}, format="json",
                   HTTP_IDEMPOTENCY_KEY="no spaces allowed")
    assert bad.status_code == 400


def test_keys_are_each_users_own_and_expire(city, api, day_at_ten, task):
    login_api(api, city.trainer.user)
    api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="shared-key-1")
    login_api(api, city.plain.user)
    other = api.post(f"/api/v1/specialist/tasks/{task.pk}/accept/",
                     HTTP_IDEMPOTENCY_KEY="shared-key-1")
    assert other.status_code == 404 and "Idempotent-Replayed" not in other
    assert IdempotentRequest.objects.count() == 2
    assert idempotency_purge(now=local(city.day, 10) + dt.timedelta(hours=25)) == 2


def test_an_implausible_time_is_refused_and_nothing_changes(city, api, day_at_ten, task):
    login_api(api, city.trainer.user)
    for when in (local(city.day, 10) + dt.timedelta(hours=1),
                 local(city.day, 10) - dt.timedelta(days=3)):
        response = api.post(f"/api/v1/specialist/tasks/{task.pk}/start/", {
            "latitude": 23.37, "longitude": 116.70, "occurred_at": when.isoformat()},
            format="json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_occurred_at"
    assert ServiceTask.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED


def test_on_my_way_tells_the_retailer_when_to_expect_the_specialist(city, api, day_at_ten):
    demand = make_demand(city.shops[0], status=DemandStatus.SCHEDULED, assignee=city.trainer)
    start = local(city.day, 11)
    task = make_task(city.shops[0], city.day, specialist=city.trainer, sequence=1,
                     status=TaskStatus.ACCEPTED, demand=demand, planned_start=start,
                     planned_end=start + dt.timedelta(minutes=30))
    visit = make_task(city.shops[1], city.day, specialist=city.trainer, sequence=2,
                      status=TaskStatus.ASSIGNED, planned_start=start,
                      planned_end=start + dt.timedelta(minutes=30))
    login_api(api, city.trainer.user)
    offered = api.get(f"/api/v1/specialist/tasks/{task.pk}/").json()["allowed_actions"]
    assert "on_the_way" in offered
    sent = api.post(f"/api/v1/specialist/tasks/{task.pk}/on-the-way/", {"eta_minutes": 25},
                    format="json")
    assert sent.status_code == 200 and sent.json()["status"] == TaskStatus.ACCEPTED
    event = DemandEvent.objects.get(demand=demand, action="on_the_way")
    assert event.data["eta"].startswith(f"{city.day}T")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(city.shops[0].user)
    assert "预计 10:25 到达" in client.get(f"/m/demands/{demand.pk}/").content.decode()
    # A planned visit has no timeline: its shop gets a message instead.
    assert api.post(f"/api/v1/specialist/tasks/{visit.pk}/on-the-way/", {"eta_minutes": 40},
                    format="json").status_code == 200
    assert city.shops[1].user.notifications.filter(kind="visit.on_the_way").exists()
    assert api.post(f"/api/v1/specialist/tasks/{visit.pk}/on-the-way/", {"eta_minutes": 0},
                    format="json").status_code == 400
