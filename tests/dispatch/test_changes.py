"""Cancelled work, urgent work and a specialist dropping out re-plan the rest of the day."""
import datetime as dt

import pytest
from django.utils import translation

from dispatch import adapter
from dispatch.choices import TaskSource, TaskStatus
from dispatch.models import DispatchRun, ServiceTask, SpecialistAbsence
from dispatch.services import changes, generation
from tests import factories
from tests.dispatch.conftest import local, make_task
from zhifu.accounts.models import Skill, Specialist
from zhifu.core.errors import DomainError, NotFound

pytestmark = pytest.mark.usefixtures("eager_celery")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _assigned(city, shop, specialist, n, **fields):
    return make_task(shop, city.day, status=fields.pop("status", TaskStatus.ASSIGNED),
                     specialist=specialist, sequence=n, planned_start=local(city.day, 9 + n),
                     planned_end=local(city.day, 10 + n), **fields)


def test_specialist_drop_out_frees_unstarted_work_and_replans(city, commit):
    started = _assigned(city, city.shops[0], city.plain, 1, status=TaskStatus.IN_PROGRESS,
                        checked_in_at=local(city.day, 9))
    waiting = _assigned(city, city.shops[1], city.plain, 2)
    accepted = _assigned(city, city.shops[2], city.plain, 3, status=TaskStatus.ACCEPTED)
    with commit():
        freed = changes.specialist_drop_out(actor=city.manager, specialist=city.plain,
                                            day=city.day, reason="病假",
                                            now=local(city.day, 9, 30))
    assert freed == 2
    assert SpecialistAbsence.objects.filter(specialist=city.plain, day=city.day).exists()
    started.refresh_from_db()
    assert started.specialist_id == city.plain.pk and started.status == TaskStatus.IN_PROGRESS
    for task in (waiting, accepted):
        task.refresh_from_db()
        assert task.specialist_id != city.plain.pk  # re-planned to someone else, or open
    run = DispatchRun.objects.get()
    assert run.trigger == "replan" and run.status == "succeeded"
    # The absent specialist keeps only the work already started.
    assert list(ServiceTask.objects.filter(specialist=city.plain)) == [started]
    assert ServiceTask.objects.filter(pk__in=[waiting.pk, accepted.pk],
                                      specialist=city.trainer).count() == 2


def test_urgent_work_is_mandatory_and_planned(city, commit):
    with commit():
        task = changes.task_add_urgent(actor=city.manager, retailer=city.shops[3],
                                       title="紧急：终端故障", service_minutes=20,
                                       now=local(city.day, 9))
    task.refresh_from_db()
    assert task.mandatory and task.priority == 100.0
    assert task.status == TaskStatus.ASSIGNED and task.specialist_id is not None


def test_urgent_work_at_a_shop_with_a_planned_visit_is_added_beside_it(city, commit):
    visit = make_task(city.shops[3], city.day)  # the shop's planned visit of the day
    with commit():
        task = changes.task_add_urgent(actor=city.manager, retailer=city.shops[3],
                                       title="紧急：价签错误", now=local(city.day, 9))
    visit.refresh_from_db()
    assert task.pk != visit.pk and task.source == TaskSource.URGENT
    assert visit.source == TaskSource.VISIT and visit.status != TaskStatus.CANCELLED


def test_cancelling_work_replans(city, commit):
    task = _assigned(city, city.shops[0], city.trainer, 1)
    with commit():
        changes.task_cancel(actor=city.manager, task_id=task.pk, reason="客户改期",
                            now=local(city.day, 8))
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert DispatchRun.objects.get().trigger == "replan"
    with pytest.raises(DomainError):
        changes.task_cancel(actor=city.manager, task_id=task.pk, reason="again")


def test_withdrawn_demands_lose_their_tasks_at_the_next_plan(city):
    from demands import services as demand_services
    from demands.models import CatalogueItem

    item, _ = CatalogueItem.objects.get_or_create(
        code="test-brand", defaults={"tier": "inclusive", "name_zh": "品牌培育",
                                     "name_en": "Brand"})
    shop = city.shops[0]
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    demand_services.demand_accept(demand=demand, actor=city.manager)
    task = make_task(shop, city.day, demand=demand, source="demand")
    # The withdrawal reaches the task at once; a later plan finds nothing left to withdraw.
    demand_services.demand_cancel(demand=demand, actor=shop.user, reason="不需要了")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert generation.tasks_withdraw_cancelled(day=city.day, district_ids=[city.district.id]) == 0


def test_cancelling_a_demand_withdraws_its_task_tells_the_specialist_and_replans(
        city, commit):
    """Mid-day: the phone must not keep listing work the retailer has cancelled."""
    from django.utils import timezone

    from demands import services as demand_services
    from demands.models import CatalogueItem
    from zhifu.notifications.models import Notification

    item = CatalogueItem.objects.filter(active=True, is_personalised=False).first()
    shop = city.shops[1]
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    demand_services.demand_accept(demand=demand, actor=city.manager)
    today = timezone.localdate()
    task = make_task(shop, today, demand=demand, source="demand",
                     status=TaskStatus.ACCEPTED, specialist=city.plain)
    runs_before = DispatchRun.objects.count()
    with commit():
        demand_services.demand_cancel(demand=demand, actor=shop.user, reason="不需要了")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    told = Notification.objects.filter(recipient=city.plain.user, kind="dispatch_changed")
    assert told.count() == 1
    assert DispatchRun.objects.count() == runs_before + 1  # today's plan is redone


def test_changes_are_for_managers_of_the_district(city):
    outsider = factories.manager(factories.district("D8", "八片区"))
    task = _assigned(city, city.shops[0], city.trainer, 1)
    with pytest.raises(NotFound):
        changes.task_cancel(actor=outsider, task_id=task.pk, reason="x")
    with pytest.raises(NotFound):
        changes.specialist_drop_out(actor=outsider, specialist=city.trainer, day=city.day,
                                    reason="x")
    with pytest.raises(DomainError):
        changes.specialist_drop_out(actor=city.manager, specialist=city.trainer,
                                    day=city.day, reason="  ")
    with pytest.raises(DomainError):
        changes.task_add_urgent(actor=city.manager, retailer=city.shops[0], title="",
                                now=local(city.day, 9))
    assert not DispatchRun.objects.exists()


def test_who_may_serve_is_the_solvers_eligibility_in_words(city):
    far = factories.retailer(city.district, latitude=city.district.center_lat + 1.0,
                             longitude=city.district.center_lng)
    training = make_task(city.shops[0], city.day,
                         required_skills=[{"code": "training", "level": 3}])
    distant = make_task(far, city.day)
    too_long = make_task(city.shops[1], city.day, service_minutes=15 * 60)
    fine = make_task(city.shops[2], city.day)
    plain, trainer = (Specialist.objects.select_related("home_district").get(pk=s.pk)
                      for s in (city.plain, city.trainer))
    with translation.override("zh-hans"):
        refusals = adapter.eligibility_refusals(
            tasks=[training, distant, too_long, fine], specialist=plain)
    # The skill by the name people know it by, never its code.
    training_name = Skill.objects.get(code="training").name
    assert training_name in refusals[0] and "3" in refusals[0]
    assert "training" not in refusals[0]
    assert "公里" in refusals[1]
    assert "工作时间" in refusals[2] and refusals[3] is None
    assert adapter.eligibility_refusal(task=training, specialist=trainer) is None


def test_a_specialist_in_late_or_gone_home_is_planned_within_the_hours_left(city, commit):
    # More work than one of them can do in the hours left: both must take some.
    tasks = [make_task(city.shops[i % 6], city.day, service_minutes=45,
                       source=TaskSource.URGENT) for i in range(10)]
    with commit():
        changes.specialist_drop_out(actor=city.manager, specialist=city.trainer, day=city.day,
                                    reason="送孩子就医，十一点到岗",
                                    available_from=dt.time(11, 0), now=local(city.day, 8))
        changes.specialist_drop_out(actor=city.manager, specialist=city.plain, day=city.day,
                                    reason="下午外出培训", available_until=dt.time(10, 30),
                                    now=local(city.day, 8))
    trainer = ServiceTask.objects.filter(pk__in=[t.pk for t in tasks], specialist=city.trainer)
    plain = ServiceTask.objects.filter(pk__in=[t.pk for t in tasks], specialist=city.plain)
    assert trainer.exists() and plain.exists()
    assert all(t.planned_start >= local(city.day, 11) for t in trainer)
    assert all(t.planned_end <= local(city.day, 10, 30) for t in plain)
    # Still there for the day: neither is an absence for the whole of it.
    assert SpecialistAbsence.objects.get(specialist=city.trainer).whole_day is False
    with pytest.raises(DomainError):
        changes.specialist_drop_out(actor=city.manager, specialist=city.plain, day=city.day,
                                    reason="x", available_from=dt.time(15, 0),
                                    available_until=dt.time(9, 0), now=local(city.day, 8))
