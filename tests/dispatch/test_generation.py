"""Tasks from the grade-band visit cadence and from accepted demands; safe to repeat."""

import datetime as dt

from demands.models import Holiday
from demands.selectors import work_calendar
from dispatch.choices import TaskSource
from dispatch.models import ServiceTask
from dispatch.services.generation import tasks_generate, visit_due
from strategy.models import GradeBandTemplate
from tests import factories


def _cycle(band: str) -> int:
    return GradeBandTemplate.objects.get(band=band).visit_cycle_days


def test_cadence_by_grade_band_over_a_cycle(db):
    calendar = work_calendar()
    days = calendar.working_days(dt.date(2026, 11, 23), 20)  # four working weeks
    for band, visits in (("24-30", 4), ("13-23", 2), ("1-12", 1)):  # table 2's cadence
        cycle = _cycle(band)
        for retailer_id in range(1, 41):
            due = [d for d in days if visit_due(retailer_id=retailer_id, cycle_days=cycle,
                                                day_number=calendar.working_day_number(d))]
            assert len(due) == visits, (band, retailer_id)


def test_cadence_spreads_load_evenly(db):
    calendar = work_calendar()
    days = calendar.working_days(dt.date(2026, 11, 23), 5)
    cycle = _cycle("1-12")
    per_day = [sum(visit_due(retailer_id=i, cycle_days=cycle,
                             day_number=calendar.working_day_number(day))
                   for i in range(1, 2001)) for day in days]
    assert max(per_day) - min(per_day) <= 1


def test_the_cadence_is_the_templates_and_skips_holidays(city):
    for shop in city.shops:
        shop.grade = 26
        shop.save()
    GradeBandTemplate.objects.filter(band="24-30").update(visit_cycle_days=1, visit_minutes=35,
                                                         visit_priority=77)
    day = work_calendar().next_working_day(city.day)
    Holiday.objects.create(date=day, name="节日")
    assert tasks_generate(day=day, district_ids=[city.district.id])["visits"] == 0
    after = work_calendar().next_working_day(day)
    assert tasks_generate(day=after, district_ids=[city.district.id])["visits"] == len(
        city.shops)
    visit = ServiceTask.objects.filter(service_date=after, source=TaskSource.VISIT).first()
    assert (visit.service_minutes, visit.priority) == (35, 77)


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
