"""The specialist's phone pages: today in route order, a task with the shop's profile and
strategy, the plan of another day, and the month's scores."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dispatch.choices import TaskStatus
from tests import factories
from tests.dispatch.conftest import local, make_task


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def today_route(city):
    today = timezone.localdate()
    tasks = []
    for sequence, shop in zip((2, 1), city.shops[:2], strict=True):
        start = local(today, 9 + sequence)
        tasks.append(make_task(shop, today, specialist=city.trainer, sequence=sequence,
                               status=TaskStatus.ASSIGNED, planned_start=start,
                               planned_end=start + dt.timedelta(minutes=30),
                               title=f"拜访{sequence}"))
    return tasks


def test_today_lists_the_route_in_order_with_the_month(city, today_route):
    page = _client(city.trainer.user).get("/s/")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("拜访1") < body.index("拜访2")
    assert "本月" in body and "积分" in body and "城市排名" in body
    for task in today_route:
        assert f"/s/tasks/{task.pk}/" in body


def test_a_task_shows_the_shop_profile_and_strategy_to_its_specialist_only(city, today_route):
    task = today_route[0]
    page = _client(city.trainer.user).get(f"/s/tasks/{task.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert task.retailer.shop_name in body and "策略" in body and "profile-data" in body
    assert task.retailer.phone not in body  # masked
    assert _client(city.plain.user).get(f"/s/tasks/{task.pk}/").status_code == 404


def test_the_plan_steps_through_days(city, today_route):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = _client(city.trainer.user).get(f"/s/plan/?date={tomorrow}")
    assert page.status_code == 200 and "拜访1" not in page.content.decode()
    assert f"?date={timezone.localdate()}" in page.content.decode()


def test_scores_show_points_rank_and_capability(city):
    page = _client(city.trainer.user).get("/s/scores/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "城市排名" in body and city.trainer.user.display_name in body
    assert _client(city.trainer.user).get("/s/scores/?month=1999-13").status_code == 400


@pytest.mark.parametrize("who", ["manager", "retailer"])
def test_other_roles_are_refused(city, who):
    user = city.manager if who == "manager" else factories.retailer(city.district).user
    for url in ("/s/", "/s/plan/", "/s/scores/"):
        assert _client(user).get(url).status_code == 403, url
