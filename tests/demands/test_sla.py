"""The SLA clock on the working calendar, the pause while waiting for the customer, and
the escalation chain specialist → district lead → city department (time passed explicitly)."""

import datetime as dt

import pytest

from demands import services
from demands.choices import DemandStatus, SlaState
from demands.models import Demand, DemandEscalation, DemandEvent, Holiday
from demands.sla import demands_sla_sweep
from demands.tasks import sla_sweep
from tests.demands.conftest import MONDAY_9, catalogue_item, make_demand
from zhifu.core.models import JobRun
from zhifu.core.services import job_create
from zhifu.notifications.models import Notification

H = dt.timedelta(hours=1)


@pytest.fixture
def running(people):
    """A scheduled 7-working-hour job: due Tuesday 09:00 (6.5 h Monday + 0.5 h Tuesday)."""
    item = catalogue_item("sla-item", response_hours=2, resolution_hours=7)
    return make_demand(people.retailer_north, item=item, status=DemandStatus.SCHEDULED,
                       assignee=people.specialist_north, responded_at=MONDAY_9)


def test_deadline_on_the_working_calendar(running):
    assert running.resolution_due_at == MONDAY_9 + dt.timedelta(hours=24)


def test_holidays_push_the_deadline(people):
    Holiday.objects.create(date=dt.date(2026, 11, 17), name="测试假日")
    demand = make_demand(people.retailer_north,
                         item=catalogue_item("sla-item", response_hours=2, resolution_hours=7))
    assert demand.resolution_due_at == MONDAY_9 + dt.timedelta(hours=48)  # Wednesday 09:00


def test_at_risk_then_breached_then_city(people, running):
    spec, lead, city = people.specialist_north.user, people.manager_north, people.city
    # Monday 16:00: 5 of 7 working hours used (71%): not due, not even looked at
    assert demands_sla_sweep(now=MONDAY_9 + 7 * H) == {
        "checked": 0, "at_risk": 0, "breached": 0, "escalations": 0}
    assert running.sla_check_at == MONDAY_9 + dt.timedelta(hours=7, minutes=36)  # 80% of 7 h
    # Monday 17:00: 6/7 = 86% → at risk, the specialist is told
    result = demands_sla_sweep(now=MONDAY_9 + 8 * H)
    running.refresh_from_db()
    assert running.sla_state == SlaState.AT_RISK and running.escalation_level == 1
    assert result["at_risk"] == 1 and result["escalations"] == 1
    warned = Notification.objects.get(recipient=spec, kind="demand.escalation.1")
    assert warned.link == f"/s/demands/{running.pk}/"
    # The district lead's inbox hears of it too, with a link to the dashboard page.
    assert Notification.objects.get(recipient=lead, kind="demand.escalation.1").link == (
        f"/dashboard/demands/{running.pk}/")
    # Tuesday 09:30: breached → status escalated, the district lead is told
    demands_sla_sweep(now=MONDAY_9 + 24.5 * H)
    running.refresh_from_db()
    assert running.sla_state == SlaState.BREACHED and running.status == DemandStatus.ESCALATED
    assert running.escalation_level == 2
    escalated = Notification.objects.get(recipient=lead, kind="demand.escalation.2")
    assert escalated.link == f"/dashboard/demands/{running.pk}/"
    assert not Notification.objects.filter(recipient=city).exists()
    assert DemandEvent.objects.filter(demand=running, action="escalate",
                                      actor_role="system").count() == 1
    # Tuesday 15:00: 11 working hours used (157%) → the city department
    demands_sla_sweep(now=MONDAY_9 + 30 * H)
    running.refresh_from_db()
    assert running.escalation_level == 3
    assert Notification.objects.filter(recipient=city, kind="demand.escalation.3").count() == 1
    assert list(DemandEscalation.objects.filter(demand=running)
                .values_list("level", flat=True)) == [1, 2, 3]


def test_sweeping_twice_escalates_once(people, running):
    later = MONDAY_9 + 30 * H
    demands_sla_sweep(now=later)
    counts = (Notification.objects.count(), DemandEvent.objects.count(),
              DemandEscalation.objects.count())
    again = demands_sla_sweep(now=later)
    assert again["escalations"] == 0
    assert (Notification.objects.count(), DemandEvent.objects.count(),
            DemandEscalation.objects.count()) == counts == (counts[0], counts[1], 3)


def test_a_late_first_sweep_walks_the_whole_chain_at_once(people, running):
    demands_sla_sweep(now=MONDAY_9 + 72 * H)
    assert sorted(DemandEscalation.objects.values_list("level", flat=True)) == [1, 2, 3]
    recipients = set(Notification.objects.filter(kind__startswith="demand.escalation")
                     .values_list("recipient", flat=True))
    assert recipients == {people.specialist_north.user.pk, people.manager_north.pk,
                          people.city.pk}
    # the other district's lead hears nothing
    assert not Notification.objects.filter(recipient=people.manager_south).exists()


def test_waiting_for_the_customer_pauses_the_clock(people, running):
    spec = people.specialist_north.user
    services.demand_start(demand=running, actor=spec, now=MONDAY_9 + H)
    services.demand_wait_customer(demand=running, actor=spec, reason="等客户提供发票",
                                  now=MONDAY_9 + 2 * H)  # Monday 11:00, 2 h used
    # Paused for days: no at-risk, no breach
    assert demands_sla_sweep(now=MONDAY_9 + 50 * H)["checked"] == 0
    running.refresh_from_db()
    assert running.sla_state == SlaState.PAUSED and running.escalation_level == 0
    # Resumed Wednesday 09:00: the 12 working hours of Mon 11:00 → Wed 09:00 are not counted
    resumed = services.demand_resume(demand=running, actor=people.retailer_north.user,
                                     now=MONDAY_9 + 48 * H)
    assert resumed.status == DemandStatus.IN_PROGRESS
    assert resumed.paused_seconds == 12 * 3600  # 4.5 h Monday, 7 h Tuesday, 0.5 h Wednesday
    # 5 hours remain from Wednesday 09:00 → 12:00, then 14:00 → 16:00
    assert resumed.resolution_due_at == MONDAY_9 + 48 * H + 7 * H
    demands_sla_sweep(now=MONDAY_9 + 48 * H + H)
    resumed.refresh_from_db()
    assert resumed.sla_state == SlaState.ON_TRACK and resumed.escalation_level == 0


def test_finished_demands_are_left_alone(people, running):
    running.status = DemandStatus.COMPLETED
    running.save()
    assert demands_sla_sweep(now=MONDAY_9 + 100 * H)["checked"] == 0
    assert not Notification.objects.exists()


def test_unresponded_demand_uses_the_response_promise(people):
    item = catalogue_item("sla-item", response_hours=2, resolution_hours=7)
    demand = make_demand(people.retailer_north, item=item)
    demands_sla_sweep(now=MONDAY_9 + dt.timedelta(hours=1, minutes=40))  # 83% of 2 h
    demand.refresh_from_db()
    assert demand.sla_state == SlaState.AT_RISK
    # unassigned: the district lead is the first rung
    assert Notification.objects.filter(recipient=people.manager_north,
                                       kind="demand.escalation.1").exists()


def test_the_task_records_a_job_and_is_safe_to_deliver_twice(people, running, eager_celery):
    job = job_create(kind="demands.sla_sweep")
    sla_sweep.delay(job.pk)
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED and job.result["checked"] == 1
    assert sla_sweep.delay(job.pk).get() == "already-done"
    assert Demand.objects.count() == 1
