"""Builders for demand tests: catalogue items (get_or_create, so transactional tests that
flushed the data migration still work) and demands put straight into a given state."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from demands import clock
from demands.choices import DemandKind, DemandStatus
from demands.models import CatalogueItem, Demand, WorkingPeriod

TZ = ZoneInfo("Asia/Shanghai")
# A Monday morning, inside working hours.
MONDAY_9 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=TZ)
_seq = itertools.count(1)


def catalogue_item(code: str = "terminal_maintenance", **fields) -> CatalogueItem:
    defaults = {"tier": "inclusive", "name_zh": code, "name_en": code, "response_hours": 8,
                "resolution_hours": 24, "service_minutes": 60}
    defaults.update(fields)
    item, created = CatalogueItem.objects.get_or_create(code=code, defaults=defaults)
    if not created and fields:
        for key, value in fields.items():
            setattr(item, key, value)
        item.save()
    return item


def office_hours() -> None:
    if not WorkingPeriod.objects.exists():
        WorkingPeriod.objects.bulk_create([
            WorkingPeriod(weekday=d, start=s, end=e) for d in range(5)
            for s, e in ((dt.time(8, 30), dt.time(12)), (dt.time(14), dt.time(17, 30)))])


def make_demand(retailer, *, status: str = DemandStatus.SUBMITTED, item=None,
                submitted_at: dt.datetime = MONDAY_9, **fields) -> Demand:
    item = item if item is not None else catalogue_item()
    values = {"kind": DemandKind.SERVICE, "title": f"需求{next(_seq)}",
              "response_hours": item.response_hours, "resolution_hours": item.resolution_hours}
    values.update(fields)
    demand = Demand(retailer=retailer, district_id=retailer.district_id, item=item,
                    status=status, submitted_at=submitted_at, **values)
    calendar = clock.work_calendar()
    clock.set_deadlines(demand, calendar)
    demand.sla_check_at = clock.next_check_at(demand, calendar)
    demand.save()
    return demand


@pytest.fixture
def people(org):
    """The org plus a city-department manager over both districts."""
    from tests import factories
    from zhifu.accounts.choices import ManagerLevel

    city = factories.manager(org.north, org.south, level=ManagerLevel.CITY_DEPARTMENT)
    return SimpleNamespace(**vars(org), city=city)
