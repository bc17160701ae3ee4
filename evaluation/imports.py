"""The monthly work-quality import: the rates the company's other systems measure.

Same guarantees as every import here: a preview lists each bad row with its line and
reason; committing writes all good rows or nothing; keyed by (employee number, month),
so the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from zhifu.access import WriteScope
from zhifu.accounts.models import Specialist
from zhifu.accounts.tabular import Column, ImportReport, RowParser, classify_changes, read_table
from zhifu.core.months import month_from_cell

from .models import WorkQualityRecord

COLUMNS = [
    Column("employee_no", "工号", "Employee number", required=True),
    Column("month", "月份", "Month", required=True),
    Column("order_fulfilment", "订单满足率", "Order fulfilment rate", required=True),
    Column("e_settlement", "电子结算成功率", "E-settlement success rate", required=True),
    Column("active_payment", "主动支付成功率", "Active payment success rate", required=True),
    Column("terminal_running", "零售终端运行率", "Retail terminal running rate", required=True),
]
RATES = ["order_fulfilment", "e_settlement", "active_payment", "terminal_running"]


def _month(row: RowParser) -> dt.date | None:
    raw = row.text("month")
    month = month_from_cell(raw)
    if month is None:
        row.fail("month", _("“%(value)s” is not a month (use YYYY-MM).") % {"value": raw})
    return month


def _rate(row: RowParser, name: str) -> float | None:
    raw = row.text(name).rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        row.fail(name, _("“%(value)s” is not a number.") % {"value": row.text(name)})
        return None
    if value > 1:  # written as a percentage
        value /= 100
    if not 0 <= value <= 1:
        row.fail(name, _("A rate is between 0 and 1 (or 0% and 100%)."))
        return None
    return round(value, 4)


def work_quality_import(*, content: bytes, filename: str, commit: bool,
                        actor) -> ImportReport:
    """Preview or write a month's work-quality rates on ``actor``'s behalf (only for the
    specialists it may change)."""
    rows = read_table(content=content, filename=filename, columns=COLUMNS)
    report = ImportReport(total=len(rows))
    specialists = Specialist.objects.in_bulk([c.get("employee_no", "") for _l, c in rows],
                                             field_name="employee_no")
    changeable = WriteScope(Specialist, actor).changeable(s.pk for s in specialists.values())
    parsed: dict[tuple[int, dt.date], WorkQualityRecord] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        row = RowParser(line, cells, report)
        key = (row.text("employee_no"), row.text("month"))
        if key in seen:
            row.fail("employee_no", _("Duplicate of line %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = line
        specialist = specialists.get(row.text("employee_no"))
        if specialist is None:
            row.fail("employee_no", _("Unknown employee number “%(value)s”.")
                     % {"value": row.text("employee_no")})
        elif specialist.pk not in changeable:
            row.fail("employee_no", _("This specialist is outside your districts."))
            continue
        month = _month(row)
        rates = {name: _rate(row, name) for name in RATES}
        if row.ok:
            parsed[(specialist.pk, month)] = WorkQualityRecord(
                specialist=specialist, period=month, **rates)
    existing = {(r.specialist_id, r.period): r for r in WorkQualityRecord.objects.filter(
        specialist_id__in={k[0] for k in parsed}, period__in={k[1] for k in parsed})}
    to_create, to_update = classify_changes(
        [(existing.get(key), record) for key, record in parsed.items()], RATES, report)
    if commit:
        with transaction.atomic():
            WorkQualityRecord.objects.bulk_create(to_create)
            WorkQualityRecord.objects.bulk_update(to_update, RATES)
        report.committed = True
    return report
