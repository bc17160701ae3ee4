"""Runs: plans applied with explanations, pinned work kept, safe redelivery, no half writes."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from demands import services as demand_services
from demands.models import CatalogueItem, DemandEvent, Holiday
from dispatch.choices import RunStatus, RunTrigger, TaskStatus
from dispatch.models import DispatchRun, ServiceTask
from dispatch.services import runs
from dispatch.tasks import execute_run
from tests import factories
from tests.dispatch.conftest import make_task
from zhifu.accounts.models import Specialist
from zhifu.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.usefixtures("eager_celery")


def test_a_run_assigns_every_task_with_its_reasons(city, start):
    tasks = [make_task(shop, city.day) for shop in city.shops]
    run = start()
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The grade-band cadence may add planned visits for the day: count what is there.
    day_tasks = ServiceTask.objects.filter(service_date=city.day)
    assert run.result["served"] == day_tasks.count() and run.result["unserved"] == 0
    for task in ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]):
        assert task.status == TaskStatus.ASSIGNED
        assert task.specialist_id in (city.trainer.pk, city.plain.pk)
        assert task.planned_start and task.planned_end > task.planned_start
        assert task.explanation["status"] == "served"
        assert "skills" in task.explanation["checks"]
    # Each specialist's route is numbered 1..n in time order.
    for specialist in (city.trainer, city.plain):
        route = list(ServiceTask.objects.filter(specialist=specialist).order_by("sequence"))
        assert [t.sequence for t in route] == list(range(1, len(route) + 1))
        assert [t.planned_start for t in route] == sorted(t.planned_start for t in route)


def test_skills_are_never_violated_and_impossible_work_says_why(city, start):
    training = make_task(city.shops[0], city.day,
                         required_skills=[{"code": "training", "level": 3}])
    impossible = make_task(city.shops[1], city.day,
                           required_skills=[{"code": "cigar", "level": 1}])
    run = start()
    training.refresh_from_db()
    impossible.refresh_from_db()
    assert training.specialist_id == city.trainer.pk
    assert impossible.status == TaskStatus.OPEN and impossible.specialist_id is None
    # Why, in the platform's language, naming the skill as people know it.
    reason = impossible.unserved_reason
    assert reason.startswith("本片区没有") and "雪茄经营" in reason
    assert run.result["unserved"] == 1


def test_accepted_work_stays_with_its_specialist(city, start):
    pinned = make_task(city.shops[5], city.day, status=TaskStatus.ACCEPTED,
                       specialist=city.plain)
    for shop in city.shops[:5]:
        make_task(shop, city.day)
    start(seed=11)
    pinned.refresh_from_db()
    assert pinned.specialist_id == city.plain.pk and pinned.status == TaskStatus.ACCEPTED


def test_started_work_is_never_moved_by_a_replan(city, commit):
    started = make_task(city.shops[0], city.day, status=TaskStatus.IN_PROGRESS,
                        specialist=city.trainer,
                        checked_in_at=timezone.make_aware(dt.datetime.combine(city.day,
                                                                               dt.time(9))))
    for shop in city.shops[1:]:
        make_task(shop, city.day)
    as_of = timezone.make_aware(dt.datetime.combine(city.day, dt.time(9, 10)))
    with commit():
        run = runs.run_start(actor=None, day=city.day, seconds=1, trigger=RunTrigger.REPLAN,
                             now=as_of)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    started.refresh_from_db()
    assert started.status == TaskStatus.IN_PROGRESS and started.specialist_id == city.trainer.pk
    # New work for the busy specialist starts after the started task ends.
    later = ServiceTask.objects.filter(specialist=city.trainer, status=TaskStatus.ASSIGNED)
    for task in later:
        assert task.planned_start >= started.checked_in_at + dt.timedelta(minutes=30)


def test_a_second_delivery_does_nothing(city, start):
    for shop in city.shops:
        make_task(shop, city.day)
    run = start()
    before = list(ServiceTask.objects.order_by("pk").values_list("pk", "specialist_id",
                                                                  "sequence", "planned_start"))
    assert execute_run.delay(run.pk).get() == "nothing-to-do"
    run.refresh_from_db()
    assert run.attempts == 1
    after = list(ServiceTask.objects.order_by("pk").values_list("pk", "specialist_id",
                                                                 "sequence", "planned_start"))
    assert after == before


def test_a_run_whose_worker_died_is_retried_then_given_up(city):
    make_task(city.shops[0], city.day)
    with mock.patch("dispatch.tasks.execute_run.delay"):
        run = runs.run_start(actor=city.manager, day=city.day, seconds=1)
    # A worker claimed it and died: RUNNING with a lease long expired.
    DispatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, attempts=1,
        started_at=timezone.now() - dt.timedelta(hours=1))
    execute_run.delay(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.attempts == 2
    # A run that keeps dying is failed with its reason after the last attempt.
    with mock.patch("dispatch.tasks.execute_run.delay"):
        doomed = runs.run_start(actor=city.manager, day=city.day, seconds=1)
    DispatchRun.objects.filter(pk=doomed.pk).update(
        status=RunStatus.RUNNING, attempts=runs.MAX_ATTEMPTS,
        started_at=timezone.now() - dt.timedelta(hours=1))
    assert execute_run.delay(doomed.pk).get() == "nothing-to-do"
    doomed.refresh_from_db()
    assert doomed.status == RunStatus.FAILED and str(runs.MAX_ATTEMPTS) in doomed.error


def test_a_live_run_is_not_taken_twice(city):
    make_task(city.shops[0], city.day)
    with mock.patch("dispatch.tasks.execute_run.delay"):
        run = runs.run_start(actor=city.manager, day=city.day, seconds=1)
    DispatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, attempts=1,
                                                 started_at=timezone.now())
    assert runs.run_claim(run_id=run.pk) is None


def test_plans_are_applied_all_or_nothing(city, start):
    tasks = [make_task(shop, city.day) for shop in city.shops]
    with mock.patch("dispatch.services.runs._notify_changes"), \
            mock.patch("dispatch.models.ServiceTask.objects.bulk_update",
                       side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            start()
    for task in ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]):
        assert task.status == TaskStatus.OPEN and task.specialist_id is None
    assert DispatchRun.objects.get().status == RunStatus.RUNNING  # redelivery will retry


def test_seed_reproduces_the_plan(city, start):
    for shop in city.shops:
        make_task(shop, city.day)
    start(seed=5)
    first = list(ServiceTask.objects.order_by("pk").values_list("specialist_id", "sequence"))
    ServiceTask.objects.update(status=TaskStatus.OPEN, specialist=None, sequence=None)
    start(seed=5)
    assert list(ServiceTask.objects.order_by("pk").values_list("specialist_id",
                                                               "sequence")) == first


def test_run_start_refuses_bad_requests(city):
    other = factories.district("D9", "九片区")
    with pytest.raises(PermissionDenied):
        runs.run_start(actor=city.manager, day=city.day, district_ids=[other.id])
    with pytest.raises(DomainError) as past:
        runs.run_start(actor=city.manager, day=city.day - dt.timedelta(days=3))
    assert past.value.code == "day_in_past"
    with pytest.raises(DomainError):
        runs.run_start(actor=city.manager, day=city.day, seconds=0)
    with pytest.raises(PermissionDenied):
        runs.run_start(actor=city.trainer.user, day=city.day)
    assert not DispatchRun.objects.exists()


def test_grab_mode_offers_instead_of_assigning(city, start):
    tasks = [make_task(shop, city.day) for shop in city.shops[:3]]
    run = start(mode="grab")
    assert run.status == RunStatus.SUCCEEDED
    for task in ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]):
        assert task.status == TaskStatus.OFFERED and task.specialist_id is None


def test_dispatch_plan_command(city, capsys, commit):
    task = make_task(city.shops[0], city.day)
    with commit():
        call_command("dispatch_plan", "--date", city.day.isoformat(), "--district", "D1",
                     "--seconds", "1")
    assert "run #" in capsys.readouterr().out
    run = DispatchRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert run.result["served"] == ServiceTask.objects.filter(service_date=city.day).count()
    assert ServiceTask.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("dispatch_plan", "--date", city.day.isoformat(), "--district", "NOPE")


def test_an_accept_that_lands_while_a_run_solves_wins(city, start):
    """A specialist accepts while the solver works on the old state; the merge keeps the
    task with the one who accepted it and says so, whatever the plan proposed."""
    from dispatch import adapter
    from dispatch.services import field

    tasks = [make_task(shop, city.day, status=TaskStatus.ASSIGNED, specialist=city.plain)
             for shop in city.shops[:4]]
    accepted = tasks[0]
    real_solve = adapter.solve_plan

    def solve_while_the_specialist_accepts(**kwargs):
        plan = real_solve(**kwargs)
        field.task_accept(user=city.plain.user, task_id=accepted.pk)
        # Whatever the solver chose, make the plan move the accepted task elsewhere.
        for route in plan["routes"]:
            route["visits"] = [v for v in route["visits"] if v["task"] != str(accepted.pk)]
        plan["unserved"] = [u for u in plan["unserved"] if u["task"] != str(accepted.pk)]
        target = next((r for r in plan["routes"] if int(r["specialist"]) == city.trainer.pk),
                      None)
        if target is None:
            target = {"specialist": str(city.trainer.pk), "visits": [], "travel": 0.0}
            plan["routes"].append(target)
        target["visits"].append({"task": str(accepted.pk), "start": 600, "end": 630})
        return plan

    with mock.patch("dispatch.adapter.solve_plan", side_effect=solve_while_the_specialist_accepts):
        run = start(seed=5)
    assert run.status == RunStatus.SUCCEEDED
    accepted.refresh_from_db()
    assert accepted.status == TaskStatus.ACCEPTED and accepted.specialist_id == city.plain.pk
    assert run.result["kept_accepted"] == [accepted.pk]


def test_a_run_for_today_plans_nothing_before_the_moment_of_planning(city, commit):
    today = timezone.localdate()
    for shop in city.shops:
        make_task(shop, today)
    eleven = timezone.make_aware(dt.datetime.combine(today, dt.time(11)))
    with mock.patch("django.utils.timezone.now", return_value=eleven), commit():
        run = runs.run_start(actor=city.manager, day=today, seconds=1, seed=2)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.result["served"] > 0
    planned = ServiceTask.objects.filter(service_date=today, planned_start__isnull=False)
    assert planned.exists()
    assert all(t.planned_start >= eleven for t in planned)


def test_a_replan_leaves_the_grab_pool_alone_unless_work_is_mandatory(city, commit):
    pool = make_task(city.shops[0], city.day, status=TaskStatus.OFFERED, mode="grab")
    due = make_task(city.shops[1], city.day, status=TaskStatus.OFFERED, mode="grab",
                    mandatory=True)
    with commit():
        runs.run_start(actor=None, day=city.day, seconds=1, trigger=RunTrigger.REPLAN)
    pool.refresh_from_db()
    due.refresh_from_db()
    assert (pool.status, pool.specialist_id) == (TaskStatus.OFFERED, None)
    assert due.status == TaskStatus.ASSIGNED and due.specialist_id is not None


@pytest.mark.parametrize(("today", "holidays", "make_up", "planned"), [
    (dt.date(2026, 10, 9), [], [dt.date(2026, 10, 10)], dt.date(2026, 10, 10)),  # 调休 Sat
    (dt.date(2026, 9, 30), [dt.date(2026, 10, 1), dt.date(2026, 10, 2)], [],
     dt.date(2026, 10, 5)),  # the holiday and the weekend skipped
    (dt.date(2026, 11, 20), [], [], dt.date(2026, 11, 23)),  # an ordinary Friday
])
def test_the_nightly_run_plans_the_next_working_day_of_the_calendar(
        city, commit, today, holidays, make_up, planned):
    for day in holidays:
        Holiday.objects.create(date=day, name="国庆")
    for day in make_up:
        Holiday.objects.create(date=day, name="调休", is_workday=True)
    with mock.patch.object(runs.timezone, "localdate", return_value=today), commit():
        run = runs.nightly_run_start(seconds=1)
    assert run.service_date == planned and run.trigger == RunTrigger.SCHEDULE


def test_a_plan_keeps_each_specialists_daily_limits(city, start):
    Specialist.objects.filter(pk=city.trainer.pk).update(daily_task_limit=2)
    Specialist.objects.filter(pk=city.plain.pk).update(daily_minutes_limit=60)
    tasks = [make_task(shop, city.day, service_minutes=20) for shop in city.shops]
    run = start()
    by_specialist = {}
    for task in ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]):
        by_specialist.setdefault(task.specialist_id, []).append(task)
    assert len(by_specialist.get(city.trainer.pk, [])) <= 2
    plain = sorted(by_specialist.get(city.plain.pk, []), key=lambda t: t.planned_start)
    assert plain
    shift_start = timezone.make_aware(dt.datetime.combine(city.day, dt.time(8, 30)))
    assert plain[-1].planned_end <= shift_start + dt.timedelta(minutes=60)
    # What no one had room for is left open, saying so.
    left = by_specialist.get(None, [])
    assert run.result["unserved"] == len(left) >= 6 - 2 - 2
    assert all("排满" in t.unserved_reason or "任务已满" in t.unserved_reason for t in left)


def test_a_replan_that_leaves_a_demand_where_it_was_tells_the_retailer_nothing(city, start):
    item, _ = CatalogueItem.objects.get_or_create(
        code="test-once", defaults={"tier": "basic", "name_zh": "陈列", "name_en": "Display",
                                    "service_minutes": 30})
    shop = city.shops[0]
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    demand_services.demand_accept(demand=demand, actor=city.manager)
    start()
    start(seed=3)  # the same plan again
    schedules = DemandEvent.objects.filter(demand=demand, action="schedule").count()
    assert schedules == 1
