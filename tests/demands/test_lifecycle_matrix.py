"""Every action, from every state, by every role: allowed moves happen and write one event;
forbidden ones are refused with a stable code and change nothing."""

import datetime as dt

import pytest

from demands.choices import DemandKind, DemandStatus
from demands.lifecycle import RESUME, SAME, TRANSITIONS
from demands.models import Demand, DemandEvent
from demands.services import demand_transition
from tests.demands.conftest import MONDAY_9, catalogue_item, make_demand
from zhifu.core.errors import DomainError

ROLES = ["retailer", "specialist", "manager", "admin", "system"]
STATUSES = list(DemandStatus.values)
NOW = MONDAY_9 + dt.timedelta(hours=1)


def _actor(people, role):
    return {
        "retailer": people.retailer_north.user,
        "specialist": people.specialist_north.user,
        "manager": people.manager_north,
        "admin": people.admin,
        "system": None,
    }[role]


def _setup(action, people):
    """Fields that make the action's own preconditions hold, and its parameters."""
    fields = {"assignee": people.specialist_north}
    params = {}
    if action == "answer":
        fields["kind"] = DemandKind.CONSULTATION
        params["answer"] = "可以，本周五前到货。"
    elif action == "follow_up":
        fields.update(kind=DemandKind.COMPLAINT, handler=people.manager_north)
    elif action == "schedule":
        params.update(specialist=people.specialist_north, planned_start=NOW)
    elif action == "triage":
        params["item"] = catalogue_item("shop_management")
    elif action == "merge":
        params["into"] = make_demand(people.retailer_north, item=catalogue_item("order_tracking"))
    elif action == "approve":
        fields["approval_level"] = "district_lead"
    elif action == "assign_handler":
        params["handler"] = people.manager_north
    elif action == "check":
        fields["checklist"] = ["资质已核验"]
        params["point"] = "资质已核验"
    elif action == "on_the_way":
        params["eta"] = NOW + dt.timedelta(minutes=20)
    return fields, params


@pytest.mark.parametrize("action", [a for a in TRANSITIONS if a != "submit"])
def test_transition_matrix(people, action):
    transition = TRANSITIONS[action]
    reason = "测试原因" if transition.reason_required else ""
    tried = allowed = 0
    for status in STATUSES:
        for role in ROLES:
            fields, params = _setup(action, people)
            if status == DemandStatus.WAITING_CUSTOMER:
                fields.update(resume_status=DemandStatus.ACCEPTED, paused_at=MONDAY_9)
            demand = make_demand(people.retailer_north, status=status, **fields)
            before = Demand.objects.filter(pk=demand.pk).values().get()
            events_before = DemandEvent.objects.count()
            ok = status in transition.sources and role in transition.roles
            tried += 1
            if ok:
                allowed += 1
                result = demand_transition(demand=demand, actor=_actor(people, role),
                                           action=action, reason=reason, now=NOW, **params)
                expected = {SAME: status, RESUME: DemandStatus.ACCEPTED}.get(
                    transition.target, transition.target)
                assert result.status == expected, (action, status, role)
                event = DemandEvent.objects.filter(demand=demand).latest("id")
                assert (event.action, event.from_status, event.to_status) == (
                    action, status, expected)
                assert event.actor_role == role and event.created_at == NOW
            else:
                with pytest.raises(DomainError) as refused:
                    demand_transition(demand=demand, actor=_actor(people, role),
                                      action=action, reason=reason, now=NOW, **params)
                expected_code = ("wrong_state" if role in transition.roles
                                 else "role_not_allowed")
                assert refused.value.code == expected_code, (action, status, role)
                assert Demand.objects.filter(pk=demand.pk).values().get() == before
                assert DemandEvent.objects.count() == events_before
    assert tried == len(STATUSES) * len(ROLES) and allowed > 0


@pytest.mark.parametrize("action", ["accept", "cancel", "start", "reject", "confirm"])
def test_someone_elses_demand_is_not_found(people, action):
    """Another shop, another district's manager, an unassigned specialist: 404, not 403."""
    mine = make_demand(people.retailer_north, status=DemandStatus.SCHEDULED,
                       assignee=people.specialist_north)
    for outsider in (people.retailer_north2.user, people.retailer_south.user,
                     people.manager_south, people.specialist_south.user):
        with pytest.raises(DomainError) as refused:
            demand_transition(demand=mine, actor=outsider, action=action, reason="x", now=NOW)
        assert refused.value.status_code == 404 and refused.value.code == "not_found"
    assert Demand.objects.get(pk=mine.pk).status == DemandStatus.SCHEDULED
    assert not DemandEvent.objects.filter(demand=mine).exists()


def test_the_happy_path_and_its_timeline(people):
    from demands import services

    item = catalogue_item("terminal_maintenance")
    demand = services.demand_order(retailer=people.retailer_north, item=item,
                                   actor=people.retailer_north.user, note="冰柜不制冷",
                                   segment="basic", now=MONDAY_9)
    services.demand_accept(demand=demand, actor=people.manager_north, now=NOW)
    services.demand_schedule(demand=demand, actor=None, specialist=people.specialist_north,
                             planned_start=NOW + dt.timedelta(hours=2), now=NOW)
    services.demand_start(demand=demand, actor=people.specialist_north.user, now=NOW)
    services.demand_complete(demand=demand, actor=people.specialist_north.user, now=NOW)
    services.demand_confirm(demand=demand, actor=people.retailer_north.user, now=NOW)
    services.demand_mark_rated(demand=demand, actor=people.retailer_north.user, now=NOW)
    demand = services.demand_close(demand=demand, actor=None, now=NOW)
    assert demand.status == DemandStatus.CLOSED and demand.sla_state == "met"
    assert list(demand.events.values_list("action", flat=True)) == [
        "submit", "accept", "schedule", "start", "complete", "confirm", "rate", "close"]


def test_unknown_action_and_missing_reason(people):
    demand = make_demand(people.retailer_north)
    for action, reason, code in (("fly", "", "unknown_action"), ("submit", "", "unknown_action"),
                                 ("reject", "  ", "reason_required"),
                                 ("reject", "x" * 1001, "reason_too_long")):
        with pytest.raises(DomainError) as refused:
            demand_transition(demand=demand, actor=people.manager_north, action=action,
                              reason=reason)
        assert refused.value.code == code
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED
