"""The manager's dispatch board: scoped, starts runs, moves tasks, draws its charts."""

import pytest
from django.test import Client
from selenium.webdriver.common.by import By

from dispatch.choices import TaskStatus
from dispatch.models import DispatchRun, ServiceTask
from tests import factories
from tests.dispatch.conftest import local, make_task


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_board_shows_the_day_of_managed_districts_only(city):
    make_task(city.shops[0], city.day, status=TaskStatus.ASSIGNED, specialist=city.trainer,
              sequence=1, planned_start=local(city.day, 9), planned_end=local(city.day, 10))
    make_task(city.shops[1], city.day, unserved_reason="needs skill cigar level 1")
    page = _client(city.manager).get(f"/dashboard/dispatch/?date={city.day}").content.decode()
    assert city.trainer.user.display_name in page
    assert "needs skill cigar level 1" in page
    outsider = factories.manager(factories.district("D5", "五片区"))
    other = _client(outsider).get(f"/dashboard/dispatch/?date={city.day}&district=D1")
    assert "needs skill cigar level 1" not in other.content.decode()


@pytest.mark.parametrize("who", ["trainer", "shop"])
def test_board_refuses_other_roles(city, who):
    user = city.trainer.user if who == "trainer" else city.shops[0].user
    assert _client(user).get("/dashboard/dispatch/").status_code == 403
    assert _client(user).post("/dashboard/dispatch/runs/new/", {}).status_code == 403


def test_start_a_run_from_the_board(city, eager_celery, django_capture_on_commit_callbacks):
    make_task(city.shops[0], city.day)
    client = _client(city.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/dispatch/runs/new/", {
            "date": city.day.isoformat(), "districts": [str(city.district.id)],
            "mode": "command", "seconds": "1"})
    assert response.status_code == 302
    assert DispatchRun.objects.get().status == "succeeded"
    bad = client.post("/dashboard/dispatch/runs/new/", {"date": "2001-01-01", "mode": "x",
                                                        "seconds": "-3"}, follow=True)
    assert bad.status_code == 200 and DispatchRun.objects.count() == 1


def test_manual_move_is_checked_and_reported(city):
    task = make_task(city.shops[0], city.day, required_skills=[{"code": "training",
                                                                "level": 3}])
    client = _client(city.manager)
    refused = client.post(f"/dashboard/dispatch/tasks/{task.pk}/reassign/",
                          {"specialist": city.plain.pk}, follow=True,
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot take the task" in refused.content.decode()
    assert ServiceTask.objects.get(pk=task.pk).specialist_id is None
    client.post(f"/dashboard/dispatch/tasks/{task.pk}/reassign/",
                {"specialist": city.trainer.pk})
    assert ServiceTask.objects.get(pk=task.pk).specialist_id == city.trainer.pk
    garbage = client.post(f"/dashboard/dispatch/tasks/{task.pk}/reassign/",
                          {"specialist": "abc"})
    assert garbage.status_code == 302
    assert client.post("/dashboard/dispatch/tasks/999999/reassign/",
                       {"specialist": city.trainer.pk}).status_code == 404


@pytest.mark.browser
def test_board_draws_gantt_and_city_map(browser, city):
    for n, shop in enumerate(city.shops[:4], start=1):
        make_task(shop, city.day, status=TaskStatus.ASSIGNED,
                  specialist=city.trainer if n % 2 else city.plain, sequence=n,
                  planned_start=local(city.day, 8 + n), planned_end=local(city.day, 9 + n))
    browser.login(city.manager)
    browser.get(f"/dashboard/dispatch/?date={city.day}")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#gantt canvas")
    canvas = browser.driver.find_element(By.CSS_SELECTOR, "#city-map canvas")
    assert canvas.size["width"] > 0 and canvas.size["height"] > 0
    browser.screenshot("dispatch-board")


def test_the_operator_reads_dispatch_in_the_admin_and_cannot_edit_it(city):
    task = make_task(city.shops[0], city.day)
    operator = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    operator.force_login(factories.admin())
    for url in ("/admin/dispatch/servicetask/", "/admin/dispatch/servicetask/?q=拜访",
                f"/admin/dispatch/servicetask/{task.pk}/change/", "/admin/dispatch/dispatchrun/",
                "/admin/dispatch/specialistabsence/"):
        assert operator.get(url).status_code == 200, url
    operator.post(f"/admin/dispatch/servicetask/{task.pk}/change/", {"title": "改了"})
    task.refresh_from_db()
    assert task.title == "拜访"
    assert operator.get("/admin/dispatch/servicetask/add/").status_code == 403
