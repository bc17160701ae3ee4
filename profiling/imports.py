"""Imports of the data profiles are computed from (CSV / Excel), with the same guarantees
as the retailer import: a preview lists every bad row with its line and reason; committing
writes all the good rows in one transaction or nothing; importing the same file twice
changes nothing the second time.

* orders: one row per retailer and order day, keyed by (licence number, date) — a month's
  file of cigarette and non-tobacco orders and SKUs;
* raw values: one row per retailer and month, one column per indicator (terminal data,
  trade-area data, margins…), keyed by (licence number, indicator, month).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.access import WriteScope
from zhifu.accounts.imports import retailer_import
from zhifu.accounts.models import Retailer
from zhifu.accounts.tabular import Column, ImportReport, RowParser, classify_changes, read_table
from zhifu.core.months import month_from_cell

from .bulk import insert_rows
from .choices import ValueSource
from .models import OrderRecord, RawValue
from .services import collectable_indicators, raw_value_parse

ORDER_COLUMNS = [
    Column("licence_no", "许可证号", "Licence number", required=True),
    Column("ordered_on", "订购日期", "Order date", required=True),
    Column("cigarette_amount", "卷烟订购金额", "Cigarette amount", required=True),
    Column("cigarette_skus", "卷烟规格数", "Cigarette SKUs"),
    Column("non_tobacco_amount", "非烟订购金额", "Non-tobacco amount"),
    Column("non_tobacco_skus", "非烟SKU数", "Non-tobacco SKUs"),
]
ORDER_FIELDS = ["cigarette_amount", "cigarette_skus", "non_tobacco_amount", "non_tobacco_skus"]
MAX_AMOUNT = Decimal("9999999999.99")
RAW_VALUE_COLUMNS = ["retailer_id", "indicator_id", "period", "value_number", "value_text",
                     "source", "collected_by_id", "updated_at"]


def _rows(rows, report: ImportReport, key_column: str, actor):
    """Each row as a ``RowParser`` with its retailer checked (it must be one ``actor`` may
    change), skipping (and reporting) a row that repeats the licence number and
    ``key_column`` of an earlier one."""
    licences = _licences(rows)
    changeable = WriteScope(Retailer, actor).changeable(licences.values())
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        row = RowParser(line, cells, report)
        key = (row.text("licence_no"), row.text(key_column))
        if key in seen:
            row.fail(key_column, _("Duplicate of line %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = line
        retailer_id = _retailer_id(row, licences)
        if retailer_id is not None and retailer_id not in changeable:
            row.fail("licence_no", _("This shop is outside your districts."))
            continue
        yield row, retailer_id


def _licences(rows) -> dict[str, int]:
    wanted = {cells.get("licence_no", "") for _line, cells in rows}
    return dict(Retailer.objects.filter(licence_no__in=wanted).values_list("licence_no", "id"))


def _retailer_id(row: RowParser, licences: dict[str, int]) -> int | None:
    licence = row.text("licence_no")
    retailer_id = licences.get(licence)
    if retailer_id is None:
        row.fail("licence_no", _("No retailer has licence number “%(value)s”.")
                 % {"value": licence})
    return retailer_id


def _amount(row: RowParser, name: str, required: bool) -> Decimal | None:
    number = row.number(name, required=required)
    if number is None:
        return None if required or not row.ok else Decimal("0")
    if number < 0 or number > MAX_AMOUNT:
        row.fail(name, _("Enter an amount from 0 to 9,999,999,999.99."))
        return None
    return Decimal(str(round(number, 2))).quantize(Decimal("0.01"))


def _count(row: RowParser, name: str) -> int:
    number = row.number(name, int, required=False)
    if number is not None and number < 0:
        row.fail(name, _("Enter a whole number of at least 0."))
    return number or 0


def order_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview (``commit=False``) or write (``commit=True``) a file of orders."""
    rows = read_table(content=content, filename=filename, columns=ORDER_COLUMNS)
    report = ImportReport(total=len(rows))
    parsed: dict[tuple[int, dt.date], OrderRecord] = {}
    for row, retailer_id in _rows(rows, report, "ordered_on", actor):
        day = row.date("ordered_on")
        if day is None and "ordered_on" not in row.failed:
            row.fail("ordered_on", _("This value is required."))
        order = OrderRecord(
            retailer_id=retailer_id, ordered_on=day,
            cigarette_amount=_amount(row, "cigarette_amount", True),
            cigarette_skus=_count(row, "cigarette_skus"),
            non_tobacco_amount=_amount(row, "non_tobacco_amount", False),
            non_tobacco_skus=_count(row, "non_tobacco_skus"))
        if row.ok:
            parsed[(retailer_id, day)] = order
    if parsed:
        days = [day for _rid, day in parsed]
        existing = {(o.retailer_id, o.ordered_on): o for o in OrderRecord.objects.filter(
            ordered_on__gte=min(days), ordered_on__lte=max(days),
            retailer_id__in={rid for rid, _day in parsed})}
    else:
        existing = {}
    to_create, to_update = classify_changes(
        [(existing.get(key), order) for key, order in parsed.items()], ORDER_FIELDS, report)
    if commit:
        with transaction.atomic():
            OrderRecord.objects.bulk_create(to_create, batch_size=2000)
            OrderRecord.objects.bulk_update(to_update, ORDER_FIELDS, batch_size=2000)
        report.committed = True
    return report


def raw_value_columns(indicators=None) -> list[Column]:
    indicators = indicators if indicators is not None else collectable_indicators()
    return [
        Column("licence_no", "许可证号", "Licence number", required=True),
        Column("period", "月份", "Month", required=True),
        *[Column(i.code, i.name, i.name_en) for i in indicators.values()],
    ]


def _month(row: RowParser) -> dt.date | None:
    raw = row.text("period")
    month = month_from_cell(raw)
    if month is None:
        row.fail("period", _("“%(value)s” is not a month (use YYYY-MM).") % {"value": raw})
    return month


def raw_value_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview or write a file of indicator values (terminal data, trade-area data, …)."""
    indicators = collectable_indicators()
    rows = read_table(content=content, filename=filename,
                      columns=raw_value_columns(indicators))
    report = ImportReport(total=len(rows))
    parsed: dict[int, list[tuple[tuple[int, int, dt.date], float | None, str]]] = {}
    for row, retailer_id in _rows(rows, report, "period", actor):
        period = _month(row)
        values = []
        for code, indicator in indicators.items():
            cell = row.text(code)
            if not cell:
                continue
            try:
                number, text = raw_value_parse(indicator=indicator, value=cell)
            except ValueError as exc:
                row.fail(code, str(exc))
                continue
            values.append(((retailer_id, indicator.id, period), number, text))
        if row.ok and not values:
            row.fail("", _("The row has no indicator value."))
        if row.ok:
            parsed[row.line] = values
    keys = [key for values in parsed.values() for key, _n, _t in values]
    existing = {}
    if keys:
        periods = {p for _r, _i, p in keys}
        existing = {(v.retailer_id, v.indicator_id, v.period): v for v in RawValue.objects.filter(
            period__in=periods, retailer_id__in={r for r, _i, _p in keys})}
    to_create, to_update = [], []
    for values in parsed.values():
        changed = created = False
        for key, number, text in values:
            current = existing.get(key)
            if current is None:
                created = True
                to_create.append((key, number, text))
            elif (current.value_number, current.value_text) != (number, text):
                changed = True
                current.value_number, current.value_text = number, text
                current.source, current.collected_by = ValueSource.IMPORT, None
                to_update.append(current)
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    if commit:
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        months = {p: ops.adapt_datefield_value(p) for p in {key[2] for key, _n, _t in to_create}}
        with transaction.atomic():
            insert_rows(model=RawValue, columns=RAW_VALUE_COLUMNS, rows=[
                (rid, iid, months[period], number, text, ValueSource.IMPORT.value, None, now)
                for (rid, iid, period), number, text in to_create])
            for current in to_update:
                current.updated_at = timezone.now()
            RawValue.objects.bulk_update(
                to_update, ["value_number", "value_text", "source", "collected_by",
                            "updated_at"], batch_size=2000)
        report.committed = True
    return report


# The kinds of file the dashboard's import page accepts.
IMPORTERS = {
    "retailers": retailer_import,
    "orders": order_import,
    "raw_values": raw_value_import,
}
