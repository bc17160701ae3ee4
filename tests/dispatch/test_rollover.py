"""The end of a field day: every task left undone gets a fate, and a closed shop is not
sent straight back to the specialist who found it closed."""

import datetime as dt
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demands import services as demand_services
from demands.models import CatalogueItem
from demands.selectors import work_calendar
from dispatch.choices import DispatchMode, TaskFate, TaskSource, TaskStatus
from dispatch.models import TaskEvent
from dispatch.services.rollover import days_close
from tests.conftest import login_api
from tests.dispatch.conftest import local, make_task
from zhifu.notifications.models import Notification

# Runs are solved in the test process (with a real broker they would go to a worker).
pytestmark = pytest.mark.usefixtures("eager_celery")


def _fates(task) -> list[str]:
    return list(TaskEvent.objects.filter(task=task, action__in=TaskFate.values)
                .order_by("id").values_list("action", flat=True))


def _demand_task(city, shop, *, due: dt.datetime, kind_item="test-visit"):
    item, _ = CatalogueItem.objects.get_or_create(
        code=kind_item, defaults={"tier": "basic", "name_zh": "上门服务", "name_en": "Visit",
                                  "service_minutes": 30})
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    demand_services.demand_accept(demand=demand, actor=city.manager)
    demand.refresh_from_db()
    demand.resolution_due_at = due
    demand.save(update_fields=["resolution_due_at"])
    return make_task(shop, city.day, source=TaskSource.DEMAND, demand=demand,
                     title=demand.title[:120], priority=40.0)


def test_undone_work_rolls_to_the_next_working_day_more_urgent(city):
    next_day = work_calendar().next_working_day(city.day)
    evening = local(city.day, 20)
    open_visit = make_task(city.shops[0], city.day)
    assigned = make_task(city.shops[1], city.day, status=TaskStatus.ASSIGNED,
                         specialist=city.plain, sequence=1,
                         planned_start=local(city.day, 9), planned_end=local(city.day, 10))
    accepted = make_task(city.shops[2], city.day, status=TaskStatus.ACCEPTED,
                         specialist=city.trainer, sequence=1)
    done = make_task(city.shops[3], city.day, status=TaskStatus.DONE, specialist=city.plain)
    started = make_task(city.shops[4], city.day, status=TaskStatus.IN_PROGRESS,
                        specialist=city.trainer)

    counts = days_close(through=city.day, now=evening)

    assert counts[TaskFate.ROLLED_OVER] == 3
    for task in (open_visit, assigned, accepted):
        task.refresh_from_db()
        assert task.service_date == next_day
        assert task.priority == pytest.approx(50.0)  # 30 + one step of 20
        assert task.sequence is None and task.planned_start is None
        assert _fates(task) == [TaskFate.ROLLED_OVER]
        event = TaskEvent.objects.get(task=task, action=TaskFate.ROLLED_OVER)
        assert event.data["from"] == city.day.isoformat()
        assert event.data["to"] == next_day.isoformat()
    assert assigned.status == TaskStatus.OPEN and assigned.specialist_id is None
    # An accepted task keeps its specialist: the promise holds.
    assert accepted.status == TaskStatus.ACCEPTED and accepted.specialist_id == city.trainer.pk
    for untouched in (done, started):
        untouched.refresh_from_db()
        assert untouched.service_date == city.day and not _fates(untouched)

    # Closing the same day again finds nothing left on it.
    again = days_close(through=city.day, now=evening)
    assert sum(again.values()) == 0


def test_a_demand_becomes_mandatory_when_due_and_is_escalated_when_overdue(city):
    next_day = work_calendar().next_working_day(city.day)
    evening = local(city.day, 20)
    due_tomorrow = _demand_task(city, city.shops[0], due=local(next_day, 12))
    overdue = _demand_task(city, city.shops[1], due=local(city.day, 11))
    relaxed = _demand_task(city, city.shops[2], due=local(next_day, 12) + dt.timedelta(days=9))

    days_close(through=city.day, now=evening)

    for task in (due_tomorrow, overdue, relaxed):
        task.refresh_from_db()
        assert task.service_date == next_day
    assert due_tomorrow.mandatory and overdue.mandatory and not relaxed.mandatory
    assert _fates(overdue) == [TaskFate.ROLLED_OVER, TaskFate.ESCALATED]
    assert _fates(relaxed) == [TaskFate.ROLLED_OVER]
    # The district lead is told, in Chinese, why and where the work went.
    notice = Notification.objects.get(recipient=city.manager, kind="dispatch.escalated")
    assert city.shops[1].shop_name in notice.title
    assert "超过办结时限" in notice.body and next_day.isoformat() in notice.body
    assert notice.link.startswith(reverse("dispatch:board"))


@override_settings(DISPATCH_ESCALATE_AFTER_ROLLOVERS=2, DISPATCH_VISIT_MAX_ROLLOVERS=2)
def test_repeated_rollovers_escalate_demands_and_give_up_visits(city):
    calendar = work_calendar()
    day = city.day
    far = local(day, 12) + dt.timedelta(days=30)
    demand_task = _demand_task(city, city.shops[0], due=far)
    visit = make_task(city.shops[1], day)
    for _round in range(3):
        days_close(through=day, now=local(day, 20))
        day = calendar.next_working_day(day)
    assert _fates(demand_task) == [TaskFate.ROLLED_OVER, TaskFate.ROLLED_OVER,
                                   TaskFate.ESCALATED, TaskFate.ROLLED_OVER,
                                   TaskFate.ESCALATED]
    visit.refresh_from_db()
    # A planned visit is carried twice, then the next cycle's visit replaces it.
    assert _fates(visit) == [TaskFate.ROLLED_OVER, TaskFate.ROLLED_OVER, TaskFate.CANCELLED]
    assert visit.status == TaskStatus.CANCELLED and "下一周期" in visit.unserved_reason


def test_a_visit_is_not_doubled_and_ended_demands_are_cancelled(city):
    next_day = work_calendar().next_working_day(city.day)
    missed = make_task(city.shops[0], city.day)
    make_task(city.shops[0], next_day)  # the shop's visit of the next day, already there
    ended = _demand_task(city, city.shops[1], due=local(next_day, 12))
    demand_services.demand_cancel(demand=ended.demand, actor=city.shops[1].user,
                                  reason="不需要了")
    ended.refresh_from_db()
    ended.status = TaskStatus.OPEN  # as if its withdrawal had not reached it
    ended.save()
    days_close(through=city.day, now=local(city.day, 20))
    missed.refresh_from_db()
    ended.refresh_from_db()
    assert missed.status == TaskStatus.CANCELLED and _fates(missed) == [TaskFate.CANCELLED]
    assert "当天已有拜访" in missed.unserved_reason
    assert ended.status == TaskStatus.CANCELLED and _fates(ended) == [TaskFate.CANCELLED]


def test_a_grab_task_rolls_into_the_next_days_pool(city):
    next_day = work_calendar().next_working_day(city.day)
    pooled = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED,
                       mode=DispatchMode.GRAB)
    days_close(through=city.day, now=local(city.day, 20))
    pooled.refresh_from_db()
    assert pooled.service_date == next_day and pooled.status == TaskStatus.OFFERED


def test_a_run_first_gives_a_fate_to_work_of_days_nobody_closed(city, start):
    stale_day = city.day - dt.timedelta(days=7)
    stale = make_task(city.shops[0], stale_day, status=TaskStatus.ASSIGNED,
                      specialist=city.plain)
    start()
    stale.refresh_from_db()
    assert stale.service_date >= timezone.localdate()
    assert stale.service_date == work_calendar().next_working_day(
        timezone.localdate() - dt.timedelta(days=1))
    assert _fates(stale) == [TaskFate.ROLLED_OVER]


@pytest.fixture
def ten_oclock(city):
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 10)):
        yield


def _report_closed(api, city, task):
    login_api(api, city.plain.user)
    response = api.post(f"/api/v1/specialist/tasks/{task.pk}/exception/",
                        {"kind": "shop_closed", "note": "卷帘门关着"}, format="json")
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    return task


def test_a_closed_shop_is_tried_again_later_in_the_day_not_next(city, api, ten_oclock):
    task = make_task(city.shops[0], city.day, status=TaskStatus.ACCEPTED, specialist=city.plain,
                     sequence=1, planned_start=local(city.day, 10),
                     planned_end=local(city.day, 10, 30))
    task = _report_closed(api, city, task)
    assert task.service_date == city.day
    # Two hours later at the earliest: it cannot be the reporter's very next stop.
    assert task.window_start >= dt.time(12, 0)
    assert task.status == TaskStatus.OPEN


def test_a_closed_shop_late_in_the_day_goes_to_the_next_working_day(city, api):
    task = make_task(city.shops[0], city.day, status=TaskStatus.ACCEPTED, specialist=city.plain,
                     sequence=1, window_end=dt.time(17, 30))
    with mock.patch("django.utils.timezone.now", return_value=local(city.day, 16)):
        task = _report_closed(api, city, task)
    assert task.service_date == work_calendar().next_working_day(city.day)
    assert _fates(task) == [TaskFate.ROLLED_OVER]
    assert TaskEvent.objects.get(task=task, action=TaskFate.ROLLED_OVER).data["reason"] == \
        "shop_closed"
