"""The manager's day at the desk (1440 px): the inbox, triage, a complaint accepted and
scheduled, a dispatch run that answers at once and shows its progress, a task moved on the
board, a finished service reviewed, the ranking and the month's stars, and the exports."""

from __future__ import annotations

import io

import pytest
import requests
from django.utils import timezone
from openpyxl import load_workbook
from selenium.webdriver.support.ui import Select

from demands import services as demand_services
from demands.choices import SERVED_STATUSES, DemandKind, DemandStatus
from demands.models import CatalogueItem, Demand
from demands.selectors import work_calendar
from dispatch.choices import RunStatus, TaskStatus
from dispatch.models import DispatchRun, ServiceTask
from evaluation.models import ManagerReview
from zhifu.accounts.models import Retailer
from zhifu.core import embedded

pytestmark = pytest.mark.browser


def _download(walk, path: str) -> bytes:
    """Fetch a file the page links to with the browser's own session."""
    cookies = {c["name"]: c["value"] for c in walk.driver.get_cookies()}
    response = requests.get(walk.browser.base_url + path, cookies=cookies, timeout=60)
    assert response.status_code == 200, (path, response.status_code)
    return response.content


def _headers(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [str(c) for c in next(sheet.iter_rows(values_only=True))]


def test_a_manager_walks_the_day_at_the_desk(browser, demo, walk, settings):
    settings.EMBEDDED_WORKER = True  # as under make run: runs go to the worker thread
    walk.driver.set_window_size(1440, 900)
    other = Retailer.objects.filter(district=demo.retailer.district).exclude(
        pk=demo.retailer.pk).first()
    need = demand_services.demand_submit_need(retailer=demo.retailer,
                                              actor=demo.retailer.user, text="想申请陈列柜")
    complaint = demand_services.demand_submit_need(
        retailer=other, actor=other.user, kind=DemandKind.COMPLAINT, text="送货延迟两天")

    walk.login(demo.manager)
    assert "/dashboard/" in walk.driver.current_url
    badge = walk.find("[data-unread-badge]")
    assert int(badge.text) > 0
    walk.submit(walk.find("a[data-inbox]"))
    walk.submit(walk.find('.n-item button[data-action="view"]'))
    assert "/notifications/" not in walk.driver.current_url  # it opened what it is about

    # Triage the need: match it to a catalogue service.
    walk.open("/dashboard/demands/triage/")
    row = walk.find(f'form[action$="/dashboard/demands/{need.pk}/triage/"]')
    item = CatalogueItem.objects.filter(active=True, is_personalised=False).order_by("pk")[0]
    Select(row.find_element("css selector", "select[name=item]")).select_by_value(str(item.pk))
    walk.submit(row.find_element("css selector", "button[type=submit]"))
    need.refresh_from_db()
    assert need.item == item

    # The complaint: accept with a designated handler, then schedule a specialist.
    walk.open(f"/dashboard/demands/{complaint.pk}/")
    accept = walk.find('form.d-act input[name=action][value="accept"]').find_element(
        "xpath", "..")
    assert accept.find_elements("css selector", "select[name=handler]")
    walk.submit(accept.find_element("css selector", "button[type=submit]"))
    complaint.refresh_from_db()
    assert complaint.status == DemandStatus.ACCEPTED and complaint.handler_id
    schedule = walk.find('form.d-act input[name=action][value="schedule"]').find_element(
        "xpath", "..")
    walk.submit(schedule.find_element("css selector", "button[type=submit]"))
    complaint.refresh_from_db()
    assert complaint.status == DemandStatus.SCHEDULED and complaint.assignee_id

    # A dispatch run from the board: the page answers at once and shows the run's progress.
    # At the desk late in the afternoon the manager plans the next working day (today's
    # plan starts from now, and after the shift there is nothing left of today to plan).
    district = demo.retailer.district
    tomorrow = work_calendar().next_working_day(timezone.localdate())
    walk.open(f"/dashboard/dispatch/?date={tomorrow.isoformat()}&district={district.code}")
    walk.tap(walk.find("details.run-start summary"))
    # The run's day is filled in (an empty date field once stopped every run here).
    assert walk.find(".run-form input[name=date]").get_attribute("value")
    for box in walk.all("input[name=districts]"):
        if box.get_attribute("value") == str(district.pk):
            walk.tap(box)
    seconds = walk.find("input[name=seconds]")
    seconds.clear()
    seconds.send_keys("1")
    before = DispatchRun.objects.count()
    walk.submit(walk.find('form[action$="/dashboard/dispatch/runs/new/"] button'))
    assert f"district={district.code}" in walk.driver.current_url
    assert DispatchRun.objects.count() == before + 1
    run = DispatchRun.objects.latest("pk")
    assert run.service_date == tomorrow
    assert walk.all(f'[data-run="{run.pk}"]'), "the new run is not on the board"
    assert embedded.wait_idle(120)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The page polls the runs table: the row turns to succeeded without a reload.
    walk.wait.until(lambda d: d.find_element("css selector", f'[data-run="{run.pk}"]')
                    .get_attribute("data-status") == RunStatus.SUCCEEDED)

    # Move a task back to the open list, then give it back by hand from "Not planned".
    walk.open(f"/dashboard/dispatch/?date={run.service_date}&district={district.code}")
    # The planned day is drawn on the city's district map, beside the day's spread.
    canvas = walk.find("#city-map canvas")
    assert canvas.size["width"] > 0 and canvas.size["height"] > 0
    assert walk.all("#spread tbody tr")
    form = walk.find("#day-tasks form.reassign")
    task = ServiceTask.objects.get(pk=form.find_element("xpath", "../..")
                                   .get_attribute("data-task"))
    owner = task.specialist_id
    Select(form.find_element("css selector", "select[name=specialist]")).select_by_value("")
    form.find_element("css selector", "input[name=reason]").send_keys("客户临时有事")
    walk.submit(form.find_element("css selector", "button"))
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.specialist_id is None
    back = walk.find(f'form[action$="/dashboard/dispatch/tasks/{task.pk}/reassign/"]')
    Select(back.find_element("css selector", "select[name=specialist]")).select_by_value(
        str(owner))
    walk.submit(back.find_element("css selector", "button"))
    task.refresh_from_db()
    assert task.specialist_id == owner and task.status == TaskStatus.ASSIGNED

    # Review a finished service on its page.
    finished = (Demand.objects.filter(status__in=SERVED_STATUSES, review__isnull=True,
                                      district=district).order_by("-completed_at").first())
    walk.open(f"/dashboard/demands/{finished.pk}/")
    review = walk.find("form.review-form")
    Select(review.find_element("css selector", "select[name=quality]")).select_by_value("5")
    walk.submit(review.find_element("css selector", "button"))
    assert ManagerReview.objects.get(demand=finished).quality == 5

    # The ranking and the month's service stars; the exports open as sheets in Chinese.
    walk.open("/dashboard/kpis/")
    assert walk.all("#awards a"), "the month's service stars are not on the page"
    assert walk.all('a[href*="/dashboard/specialists/"]')
    for path in ("/dashboard/kpis/?export=kpis", "/dashboard/kpis/?export=specialists",
                 "/dashboard/demands/?export=xlsx"):
        headers = _headers(_download(walk, path))
        assert headers and all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), (
            path, headers)
