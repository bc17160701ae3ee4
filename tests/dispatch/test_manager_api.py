"""The manager's day through the API: routes with coordinates and times, and the mid-day
changes (cancel, move by hand with a reason, urgent work, an absence)."""

import pytest
from django.utils import timezone

from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask, SpecialistAbsence, TaskEvent
from tests import factories
from tests.conftest import login_api
from tests.dispatch.conftest import make_task

pytestmark = pytest.mark.usefixtures("eager_celery")


@pytest.fixture
def today_city(city):
    city.today = timezone.localdate()
    return city


def test_the_day_lists_each_route_in_order_with_coordinates(today_city, api):
    city = today_city
    first = make_task(city.shops[0], city.today, status=TaskStatus.ASSIGNED,
                      specialist=city.plain, sequence=2)
    second = make_task(city.shops[1], city.today, status=TaskStatus.ASSIGNED,
                       specialist=city.plain, sequence=1)
    open_task = make_task(city.shops[2], city.today, unserved_reason="无人具备技能")
    login_api(api, city.manager)
    body = api.get("/api/v1/dispatch/day/").json()
    route = next(r for r in body["routes"] if r["specialist"] == city.plain.pk)
    assert [s["task"] for s in route["stops"]] == [second.pk, first.pk]
    assert route["stops"][0]["latitude"] == city.shops[1].latitude
    assert [t["id"] for t in body["unserved"]] == [open_task.pk]
    assert body["spread"]["maximum"] == route["minutes"]
    assert api.get("/api/v1/dispatch/day/?district=nowhere").status_code == 400
    assert api.get("/api/v1/dispatch/day/?date=9999-99-99").status_code == 400


def test_a_move_by_hand_records_its_reason(today_city, api):
    city = today_city
    task = make_task(city.shops[0], city.day, status=TaskStatus.ASSIGNED,
                     specialist=city.plain)
    login_api(api, city.manager)
    response = api.post(f"/api/v1/dispatch/tasks/{task.pk}/reassign/",
                        {"specialist": city.trainer.pk, "reason": "客户指定"}, format="json")
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert task.specialist_id == city.trainer.pk
    event = TaskEvent.objects.get(task=task, action="reassigned")
    assert event.data["reason"] == "客户指定"
    assert api.post(f"/api/v1/dispatch/tasks/{task.pk}/reassign/", {"specialist": None},
                    format="json").status_code == 400  # a reason is required


def test_cancel_urgent_and_absence_through_the_api(today_city, api):
    city = today_city
    task = make_task(city.shops[0], city.today, status=TaskStatus.ASSIGNED,
                     specialist=city.plain)
    login_api(api, city.manager)
    cancelled = api.post(f"/api/v1/dispatch/tasks/{task.pk}/cancel/", {"reason": "店铺装修"},
                         format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    urgent = api.post("/api/v1/dispatch/urgent/", {"retailer": city.shops[3].pk,
                                                   "title": "终端故障"}, format="json")
    assert urgent.status_code == 201 and urgent.json()["mandatory"] is True
    absent = api.post("/api/v1/dispatch/absences/", {"specialist": city.trainer.pk,
                                                     "reason": "病假"}, format="json")
    assert absent.status_code == 201
    assert SpecialistAbsence.objects.filter(specialist=city.trainer).exists()


def test_another_districts_work_is_not_found(today_city, api):
    city = today_city
    other = factories.district("O1", "别处")
    stranger = factories.manager(other)
    task = make_task(city.shops[0], city.today)
    login_api(api, stranger)
    assert api.post(f"/api/v1/dispatch/tasks/{task.pk}/cancel/", {"reason": "x"},
                    format="json").status_code == 404
    assert api.post("/api/v1/dispatch/urgent/", {"retailer": city.shops[0].pk, "title": "x"},
                    format="json").status_code == 404
    assert api.post("/api/v1/dispatch/absences/", {"specialist": city.plain.pk,
                                                   "reason": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/dispatch/day/").json()["routes"] == []
    assert ServiceTask.objects.get(pk=task.pk).status == TaskStatus.OPEN
