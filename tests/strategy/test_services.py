"""Generation, versioning, feedback (策略回灌) and planned visits, on the database."""

import datetime as dt

import pytest
from django.utils import timezone

from dispatch.models import ServiceTask
from dispatch.services.generation import tasks_generate
from strategy import services
from strategy.choices import Outcome
from strategy.models import PlannedVisit, RecommendationFeedback, RetailerStrategy, StrategyRule
from tests import factories
from tests.strategy.conftest import snapshot


def _codes(strategy):
    return [r["item"] for r in strategy.recommendations]


def test_first_generation_follows_profile_and_band(shops):
    low, mid, top = shops
    snapshot(low, weak=["non_tobacco_operations"], churn=True)
    snapshot(mid, weak=["data_operations"])
    snapshot(top, segment="value")
    result = services.strategies_generate()
    assert result == {"retailers": 3, "new_versions": 3, "unchanged": 0}
    s_low = RetailerStrategy.objects.get(retailer=low)
    assert _codes(s_low)[:2] == ["consultation_complaint", "order_tracking"]  # churn (80) leads
    assert "shop_management" in _codes(s_low)
    assert s_low.visit_cycle_days == 5  # churn warning: weekly instead of monthly
    assert s_low.changes == {"first": True} and "churn-warning" in s_low.inputs["fired"]
    s_mid = RetailerStrategy.objects.get(retailer=mid)
    assert set(_codes(s_mid)) >= {"information_collection", "digital_tools"}
    assert s_mid.visit_cycle_days == 10
    s_top = RetailerStrategy.objects.get(retailer=top)
    assert "cigar_business" not in _codes(s_top)  # business format not eligible for cigars
    assert "digital_tools" in _codes(s_top) and s_top.visit_cycle_days == 5
    assert RecommendationFeedback.objects.filter(outcome=Outcome.OFFERED).count() == sum(
        len(s.recommendations) for s in RetailerStrategy.objects.all())


def test_a_new_version_only_when_something_changed(shops):
    low = shops[0]
    snapshot(low, weak=["non_tobacco_operations"])
    services.strategies_generate()
    assert services.strategies_generate()["new_versions"] == 0
    snapshot(low, period=dt.date(2026, 11, 1), weak=[], churn=True, total=58.0)
    services.strategies_generate()
    versions = list(RetailerStrategy.objects.filter(retailer=low).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert [v.is_current for v in versions] == [False, True]
    changes = versions[1].changes
    assert {a["item"] for a in changes["added"]} >= {"order_tracking"}
    assert {r["item"] for r in changes["removed"]} == {"shop_management"}
    assert changes["cadence"] == {"from": 20, "to": 5}
    assert versions[1].inputs["fired"] == ["churn-warning", "segment-basic"]
    # A fall of 5 points or more also fires the trend rule, which brings shop management back.
    snapshot(low, period=dt.date(2026, 12, 1), weak=[], churn=True, total=53.0)
    services.strategies_generate()
    third = RetailerStrategy.objects.get(retailer=low, is_current=True)
    assert third.version == 3 and "falling-trend" in third.inputs["fired"]
    assert third.changes["added"] == [{"item": "shop_management",
                                       "reasons": ["画像总分较上期下降 5 分以上"]}]


def test_declined_twice_is_no_longer_offered(shops):
    low = shops[0]
    snapshot(low, weak=["non_tobacco_operations"])
    services.strategies_generate()
    services.recommendation_decline(retailer=low, item_code="shop_management", actor=low.user)
    snapshot(low, weak=["non_tobacco_operations"], churn=True)
    services.strategies_generate()  # a new version (churn warning)
    services.recommendation_decline(retailer=low, item_code="shop_management", actor=low.user)
    snapshot(low, weak=["non_tobacco_operations"])
    services.strategies_generate()
    current = RetailerStrategy.objects.get(retailer=low, is_current=True)
    assert "shop_management" not in _codes(current)
    from zhifu.core.errors import NotFound

    with pytest.raises(NotFound):
        services.recommendation_decline(retailer=low, item_code="not-offered", actor=low.user)


def test_feedback_moves_rule_priorities(shops, monkeypatch):
    from demands import services as demand_services
    from demands.models import CatalogueItem

    district = shops[0].district
    manager = factories.manager(district)
    worker = factories.specialist(district)
    monkeypatch.setattr(services.feedback, "MIN_EVIDENCE", 2)
    many = [factories.retailer(district, grade=5) for _ in range(4)]
    for shop in many:
        snapshot(shop, weak=["non_tobacco_operations", "retail_terminal"],
                 scores={"non_tobacco_operations": 40.0, "retail_terminal": 40.0})
    services.strategies_generate()
    item = CatalogueItem.objects.get(code="shop_management")
    for shop in many:  # every shop orders shop management, and it is done
        demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                              segment="basic")
        demand_services.demand_accept(demand=demand, actor=manager)
        demand_services.demand_transition(demand=demand, actor=None, action="schedule",
                                          specialist=worker)
        demand_services.demand_start(demand=demand, actor=None)
        demand_services.demand_complete(demand=demand, actor=None)
        snapshot(shop, period=dt.date(2026, 11, 1), weak=["retail_terminal"],
                 scores={"non_tobacco_operations": 55.0, "retail_terminal": 40.0})
        services.recommendation_decline(retailer=shop, item_code="terminal_maintenance",
                                        actor=shop.user)
    services.feedback_collect()
    helped = StrategyRule.objects.get(code="weak-non-tobacco")
    ignored = StrategyRule.objects.get(code="weak-terminal")
    assert helped.effect["completed"] == 4 and helped.effect["mean_lift"] == 15.0
    assert helped.learned_adjustment > 0 > ignored.learned_adjustment
    assert ignored.effect["declined"] == 4
    # Collecting again records nothing twice.
    before = RecommendationFeedback.objects.count()
    services.feedback_collect()
    assert RecommendationFeedback.objects.count() == before


def test_visits_are_planned_at_the_cadence_and_level_per_specialist(db):
    district = factories.district("V1", "一片区", 23.37, 116.70)
    specialists = [factories.specialist(district) for _ in range(2)]
    shops = [factories.retailer(district, grade=grade, latitude=23.37 + 0.001 * i,
                                longitude=116.70 + 0.001 * i)
             for i, grade in enumerate([26] * 6 + [15] * 10 + [5] * 20)]
    monday = dt.date(2026, 11, 30)
    result = services.visits_plan(start=monday, weeks=4)
    assert result["days"] == 20
    per_shop = {s.pk: PlannedVisit.objects.filter(retailer=s).count() for s in shops}
    assert [per_shop[s.pk] for s in shops] == [4] * 6 + [2] * 10 + [1] * 20
    for specialist in specialists:
        loads = [PlannedVisit.objects.filter(specialist=specialist, day=d).count()
                 for d in sorted(set(PlannedVisit.objects.values_list("day", flat=True)))]
        assert max(loads) - min(loads) <= 1
    assert {v.day.weekday() for v in PlannedVisit.objects.all()} <= {0, 1, 2, 3, 4}
    # Planning again replaces, never duplicates.
    assert services.visits_plan(start=monday, weeks=4) == result
    assert PlannedVisit.objects.count() == result["visits"]


def test_dispatch_takes_the_planned_visits(db):
    district = factories.district("V2", "二片区", 23.37, 116.70)
    factories.specialist(district)
    shop = factories.retailer(district, grade=5)
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    PlannedVisit.objects.create(retailer=shop, day=monday, priority=77, minutes=35,
                                reason="每周拜访")
    PlannedVisit.objects.create(retailer=shop, day=monday + dt.timedelta(days=14))
    tasks_generate(day=monday, district_ids=[district.id])
    task = ServiceTask.objects.get(retailer=shop, service_date=monday)
    assert task.priority == 77 and task.service_minutes == 35 and "每周拜访" in task.title
    # Another day of a planned district gets no baseline visits.
    tasks_generate(day=monday + dt.timedelta(days=1), district_ids=[district.id])
    assert ServiceTask.objects.count() == 1
