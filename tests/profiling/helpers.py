"""Builders for profiling tests: orders on given days, raw values, a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from profiling.models import Indicator, OrderRecord, RawValue

TODAY = dt.date(2026, 6, 30)
PERIOD = dt.date(2026, 6, 1)


def orders(retailer, *pairs: tuple[dt.date, float], skus: int = 20) -> None:
    OrderRecord.objects.bulk_create([
        OrderRecord(retailer=retailer, ordered_on=day, cigarette_amount=Decimal(str(amount)),
                    cigarette_skus=skus, non_tobacco_amount=Decimal("0"))
        for day, amount in pairs])


def weekly(end: dt.date, weeks: int, amount: float, *, start_offset: int = 0):
    """``weeks`` orders, one every 7 days, the last ``start_offset`` days before ``end``."""
    return [(end - dt.timedelta(days=start_offset + 7 * i), amount) for i in range(weeks)]


def raw(retailer, code: str, value, period=PERIOD) -> RawValue:
    indicator = Indicator.objects.get(code=code)
    number = None if indicator.rule_kind == "category" else float(value)
    text = value if indicator.rule_kind == "category" else ""
    return RawValue.objects.create(retailer=retailer, indicator=indicator, period=period,
                                   value_number=number, value_text=text, source="import")


def ensure_indicators() -> None:
    """Transactional tests (live server, browser) flush the rows the data migration loaded:
    load them again through the migration's own function."""
    import importlib

    from django.apps import apps

    importlib.import_module("profiling.migrations.0003_sw_indicators").load(apps, None)
