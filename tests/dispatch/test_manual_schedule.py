"""A manager schedules a demand by hand, from the API or the demand page: the work becomes a
task in the specialist's day, checked like any move; and the demand page's other steps
exist in the API too."""

from unittest import mock

import pytest

from demands import services as demand_services
from demands.choices import DemandStatus
from demands.models import CatalogueItem, Demand
from dispatch.choices import TaskStatus
from dispatch.models import ServiceTask
from tests import factories
from tests.conftest import login_api
from tests.dispatch.conftest import local, make_task
from zhifu.accounts.models import Skill, Specialist

# Runs are solved in the test process (with a real broker they would go to a worker).
pytestmark = pytest.mark.usefixtures("eager_celery")


@pytest.fixture
def nine_oclock(city):
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 9)):
        yield


def _accepted(city, shop, *, skills=()):
    item, _ = CatalogueItem.objects.get_or_create(
        code="test-display", defaults={"tier": "basic", "name_zh": "陈列指导",
                                       "name_en": "Display advice", "service_minutes": 40})
    for code in skills:
        item.skills.add(Skill.objects.get_or_create(code=code, defaults={"name": code})[0])
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    demand_services.demand_accept(demand=demand, actor=city.manager)
    return demand


def _act(api, demand, body):
    return api.post(f"/api/v1/demands/{demand.pk}/actions/", body, format="json")


def test_scheduling_puts_the_work_in_the_specialists_day(city, api, nine_oclock):
    demand = _accepted(city, city.shops[0])
    login_api(api, city.manager)
    response = _act(api, demand, {"action": "schedule", "specialist": city.plain.pk,
                                  "planned_start": local(city.day, 14).isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == DemandStatus.SCHEDULED

    task = ServiceTask.objects.get(demand=demand)
    assert task.specialist_id == city.plain.pk and task.status == TaskStatus.ASSIGNED
    assert task.service_date == city.day and task.planned_start >= local(city.day, 14)
    # The specialist's phone shows it in the day.
    login_api(api, city.plain.user)
    day = api.get("/api/v1/specialist/day/", {"date": city.day.isoformat()}).json()
    assert [t["id"] for t in day] == [task.pk]


def test_a_specialist_without_the_skill_is_refused_and_nothing_is_written(city, api,
                                                                         nine_oclock):
    demand = _accepted(city, city.shops[0], skills=["training"])
    login_api(api, city.manager)
    refused = _act(api, demand, {"action": "schedule", "specialist": city.plain.pk})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "not_eligible"
    assert not ServiceTask.objects.filter(demand=demand).exists()
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED

    # The trainer has it: scheduled.
    assert _act(api, demand, {"action": "schedule",
                              "specialist": city.trainer.pk}).status_code == 200
    assert ServiceTask.objects.get(demand=demand).specialist_id == city.trainer.pk


def test_someone_outside_the_managers_districts_is_not_found(city, api, nine_oclock):
    other = factories.district("D7", "七片区", 23.5, 116.9)
    stranger = factories.specialist(other)
    demand = _accepted(city, city.shops[0])
    login_api(api, city.manager)
    response = _act(api, demand, {"action": "schedule", "specialist": stranger.pk})
    assert response.status_code == 404
    assert not ServiceTask.objects.filter(demand=demand).exists()


def test_the_demand_pages_other_steps_through_the_api(city, api, nine_oclock):
    login_api(api, city.manager)
    rejected = _accepted(city, city.shops[0])
    assert _act(api, rejected, {"action": "reject", "reason": "不在服务范围"}).json()[
        "status"] == DemandStatus.REJECTED
    cancelled = _accepted(city, city.shops[1])
    assert _act(api, cancelled, {"action": "cancel", "reason": "店主来电取消"}).json()[
        "status"] == DemandStatus.CANCELLED
    handled = _accepted(city, city.shops[2])
    response = _act(api, handled, {"action": "assign_handler", "handler": city.trainer.user.pk})
    assert response.status_code == 200, response.content
    assert Demand.objects.get(pk=handled.pk).handler_id == city.trainer.user.pk
    # A specialist may not take a manager's step.
    login_api(api, city.plain.user)
    assert _act(api, handled, {"action": "reject", "reason": "x"}).status_code in (403, 404)


def test_the_demand_page_schedules_through_the_task_too(city, client, nine_oclock):
    demand = _accepted(city, city.shops[0])
    client.force_login(city.manager)
    response = client.post(f"/dashboard/demands/{demand.pk}/act/",
                           {"action": "schedule", "specialist": city.trainer.pk,
                            "planned_start": local(city.day, 10).strftime("%Y-%m-%d %H:%M")})
    assert response.status_code == 302, response.content.decode()[:500]
    task = ServiceTask.objects.get(demand=demand)
    assert task.specialist_id == city.trainer.pk and task.status == TaskStatus.ASSIGNED
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SCHEDULED


def test_a_move_that_does_not_fit_says_why_in_words(city, api, nine_oclock):
    Specialist.objects.filter(pk=city.plain.pk).update(daily_task_limit=1)
    held = make_task(city.shops[0], city.day, status=TaskStatus.ASSIGNED,
                     specialist=city.plain, sequence=1)
    extra = make_task(city.shops[1], city.day)
    login_api(api, city.manager)
    response = api.post(f"/api/v1/dispatch/tasks/{extra.pk}/reassign/",
                        {"specialist": city.plain.pk, "reason": "顺路"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "does_not_fit" and "当天任务数已达上限" in error["message"]
    assert "capacity" not in error["message"] and "load" not in error["message"]
    held.refresh_from_db()
    extra.refresh_from_db()
    assert held.specialist_id == city.plain.pk and extra.specialist_id is None


def test_the_demand_trail_names_each_role_in_the_readers_language(city, client, nine_oclock):
    demand = _accepted(city, city.shops[0])
    client.force_login(city.manager)
    page = client.get(f"/dashboard/demands/{demand.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert '<span class="muted">零售客户</span>' in text  # who submitted it
    assert '<span class="muted">管理人员</span>' in text  # who accepted it
    assert '<span class="muted">retailer</span>' not in text
