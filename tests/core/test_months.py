"""The one months module: a month is its first day, whatever way it came in."""

import datetime as dt

import pytest
from django.utils import timezone

from zhifu.core.errors import DomainError
from zhifu.core.months import (
    add_months,
    month_end,
    month_from_cell,
    month_of,
    month_range,
    parse_month,
)


@pytest.mark.parametrize(("raw", "month"), [
    ("2026-03", dt.date(2026, 3, 1)), ("2026/3", dt.date(2026, 3, 1)),
    ("202603", dt.date(2026, 3, 1)), ("2026-03-31", dt.date(2026, 3, 1)),
    ("2026/03/15", dt.date(2026, 3, 1)), ("2026-03-31 00:00:00", dt.date(2026, 3, 1)),
    (" 2026-12 ", dt.date(2026, 12, 1)),
    ("", None), ("三月", None), ("2026-13", None), ("1899-01", None), ("0001-01", None),
])
def test_a_cell_is_a_month_or_none(raw, month):
    assert month_from_cell(raw) == month


def test_month_arithmetic_across_years():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)


def test_a_month_is_a_span_of_local_time():
    start, end = month_range(dt.date(2026, 12, 1))
    assert timezone.localtime(start).date() == dt.date(2026, 12, 1)
    assert timezone.localtime(end).date() == dt.date(2027, 1, 1)
    # Just before local midnight of the 1st is still the previous month, read locally.
    assert month_of(end - dt.timedelta(seconds=1)) == dt.date(2026, 12, 1)
    assert month_of(end) == dt.date(2027, 1, 1)


def test_a_typed_month_outside_the_years_is_refused_in_words():
    with pytest.raises(DomainError) as refused:
        parse_month("9999-12")
    assert refused.value.code == "bad_period"
