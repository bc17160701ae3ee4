"""Tasks from the grade-band visit cadence and from accepted demands; safe to repeat."""

import datetime as dt

from dispatch.choices import TaskSource
from dispatch.models import ServiceTask
from dispatch.services.generation import tasks_generate, visit_due, working_day_index
from tests import factories


def test_working_day_index_skips_weekends():
    monday = dt.date(2026, 11, 23)
    assert working_day_index(monday + dt.timedelta(days=5)) is None  # Saturday
    assert working_day_index(monday + dt.timedelta(days=7)) == working_day_index(monday) + 5


def test_cadence_by_grade_band_over_a_cycle():
    monday = dt.date(2026, 11, 23)
    weekdays = [monday + dt.timedelta(days=d) for d in range(28) if (monday.weekday() + d) % 7 < 5]
    for grade, visits in ((26, 4), (15, 2), (5, 1)):  # weekly, fortnightly, monthly over 4 weeks
        for retailer_id in range(1, 41):
            due = [d for d in weekdays if visit_due(retailer_id=retailer_id, grade=grade, day=d)[0]]
            assert len(due) == visits, (grade, retailer_id)


def test_cadence_spreads_load_evenly(db):
    monday = dt.date(2026, 11, 23)
    per_day = [sum(visit_due(retailer_id=i, grade=5, day=monday + dt.timedelta(days=d))[0]
                   for i in range(1, 2001)) for d in range(5)]
    assert max(per_day) - min(per_day) <= 1


def test_generation_is_idempotent_and_skips_inactive_shops(city):
    for shop in city.shops:
        shop.grade = 26  # weekly: due once in every five working days
        shop.save()
    closed = city.shops[0]
    closed.status = "closed"
    closed.save()
    counts = []
    day = city.day
    for _ in range(5):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        first = tasks_generate(day=day, district_ids=[city.district.id])
        again = tasks_generate(day=day, district_ids=[city.district.id])
        assert again == {"demands": 0, "visits": 0}
        counts.append(first["visits"])
        day += dt.timedelta(days=1)
    assert sum(counts) == 5  # each active weekly shop once in five working days
    assert not ServiceTask.objects.filter(retailer=closed).exists()


def test_demands_become_tasks_only_when_accepted_and_approved(city):
    from demands import services as demand_services
    from demands.models import CatalogueItem

    item, _ = CatalogueItem.objects.get_or_create(
        code="test-training", defaults={"tier": "value_added", "name_zh": "培训",
                                        "name_en": "Training", "service_minutes": 45,
                                        "approval_level": "district_lead",
                                        "checklist": ["签到表"]})
    shop = city.shops[1]
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          segment="basic")
    tasks_generate(day=city.day, district_ids=[city.district.id])
    assert not ServiceTask.objects.filter(demand=demand).exists()  # not accepted yet
    demand_services.demand_accept(demand=demand, actor=city.manager)
    tasks_generate(day=city.day, district_ids=[city.district.id])
    assert not ServiceTask.objects.filter(demand=demand).exists()  # approval missing
    demand_services.demand_approve(demand=demand, actor=city.manager)
    tasks_generate(day=city.day, district_ids=[city.district.id])
    task = ServiceTask.objects.get(demand=demand)
    assert task.source == TaskSource.DEMAND
    assert task.service_minutes == 45 and task.checklist == ["签到表"]
    tasks_generate(day=city.day, district_ids=[city.district.id])
    assert ServiceTask.objects.filter(demand=demand).count() == 1


def test_other_districts_are_left_alone(city):
    other = factories.district("D2", "二片区", 23.30, 116.60)
    shop = factories.retailer(other, grade=26)
    for offset in range(7):
        tasks_generate(day=city.day + dt.timedelta(days=offset), district_ids=[city.district.id])
    assert not ServiceTask.objects.filter(retailer=shop).exists()
