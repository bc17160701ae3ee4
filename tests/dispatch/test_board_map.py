"""The board's city map and the day's spread of work: scoped, numbered, borrowed marked."""

import json
import re

from django.test import Client

from dispatch import selectors
from dispatch.choices import TaskStatus
from tests import factories
from tests.dispatch.conftest import local, make_task


def _map_data(user, query: str) -> dict:
    client = Client()
    client.force_login(user)
    page = client.get(f"/dashboard/dispatch/?{query}").content.decode()
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', page,
                      re.S)
    return json.loads(found.group(1))


def test_map_shows_only_the_managed_districts_stops_numbered_by_sequence(city):
    for sequence, shop in ((3, city.shops[2]), (1, city.shops[0]), (2, city.shops[1])):
        make_task(shop, city.day, status=TaskStatus.ASSIGNED, specialist=city.trainer,
                  sequence=sequence, title=f"第{sequence}站",
                  planned_start=local(city.day, 8 + sequence),
                  planned_end=local(city.day, 9 + sequence))
    make_task(city.shops[3], city.day, title="待派")
    other = factories.district("D2", "二片区", 23.30, 116.60)
    make_task(factories.retailer(other), city.day, title="别区的任务")

    data = _map_data(city.manager, f"date={city.day}")
    (route,) = data["routes"]
    assert [s["title"] for s in route["stops"]] == ["第1站", "第2站", "第3站"]
    assert [s["number"] for s in route["stops"]] == [1, 2, 3]
    assert route["base"] == [city.trainer.base_lng, city.trainer.base_lat]
    assert [u["title"] for u in data["unplanned"]] == ["待派"]
    assert "别区的任务" not in json.dumps(data, ensure_ascii=False)
    assert data["borrowed"] == []


def test_a_specialist_serving_another_district_is_marked_borrowed(city):
    other = factories.district("D2", "二片区", 23.30, 116.60)
    lead = factories.manager(city.district, other)
    make_task(factories.retailer(other), city.day, status=TaskStatus.ASSIGNED,
              specialist=city.trainer, sequence=1, title="增援")
    data = _map_data(lead, f"date={city.day}&district=D2")
    assert data["borrowed"] == [city.trainer.user.display_name]
    assert data["routes"][0]["stops"][0]["borrowed"] is True


def test_spread_of_a_hand_made_day(city):
    third = factories.specialist(city.district)
    # trainer: 60 + 90 minutes in two tasks; plain: 30 minutes and a cancelled task;
    # third: nothing.
    make_task(city.shops[0], city.day, status=TaskStatus.ASSIGNED, specialist=city.trainer,
              sequence=1, planned_start=local(city.day, 9), planned_end=local(city.day, 10))
    make_task(city.shops[1], city.day, status=TaskStatus.DONE, specialist=city.trainer,
              sequence=2, planned_start=local(city.day, 10, 30),
              planned_end=local(city.day, 12))
    make_task(city.shops[2], city.day, status=TaskStatus.ASSIGNED, specialist=city.plain,
              sequence=1, planned_start=local(city.day, 9), planned_end=local(city.day, 9, 30))
    make_task(city.shops[3], city.day, status=TaskStatus.CANCELLED, specialist=city.plain,
              sequence=2, planned_start=local(city.day, 10), planned_end=local(city.day, 15))
    tasks = list(selectors.board_tasks(user=city.manager, day=city.day))
    specialists = [city.trainer, city.plain, third]
    (row,) = selectors.board_spread(tasks=tasks, specialists=specialists)
    assert row["district"] == city.district and row["specialists"] == 3
    assert row["minutes"] == {"min": 0, "median": 30, "max": 150}
    assert row["tasks"] == {"min": 0, "median": 1, "max": 2}

    client = Client()
    client.force_login(city.manager)
    page = client.get(f"/dashboard/dispatch/?date={city.day}").content.decode()
    assert "0 / 30 / 150" in page and "0 / 1 / 2" in page
