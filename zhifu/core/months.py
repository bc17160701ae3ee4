"""Months and days as the platform reads them from people: one parser, one set of helpers.

A month is the date of its first day. Every month or day typed into a page, an API
parameter or a file is parsed here, so a bad one is a 400 in the user's language,
never a 500 from ``datetime`` (year 0, year 9999 + 1 month…).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

# Nothing in the platform describes a month outside these years.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(period: dt.date) -> dt.date:
    """The last day of ``period``'s month."""
    return add_months(period, 1) - dt.timedelta(days=1)


def month_of(moment: dt.date | dt.datetime) -> dt.date:
    """The month of a day, or of a moment as the local calendar reads it."""
    day = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


def this_month() -> dt.date:
    return month_of(timezone.localdate())


def month_range(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as a half-open span of local moments [its first midnight, the next's)."""
    start = timezone.make_aware(dt.datetime.combine(period, dt.time()))
    return start, timezone.make_aware(dt.datetime.combine(add_months(period, 1), dt.time()))


# How people write a month in a spreadsheet cell; a full date names its month.
FILE_MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y%m", "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")


def month_from_cell(raw: str) -> dt.date | None:
    """A month read from an imported file, in any of ``FILE_MONTH_FORMATS`` and within the
    platform's years; ``None`` when it is not one (the importer says so on the row)."""
    text = (raw or "").strip()
    for pattern in FILE_MONTH_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            return parsed.replace(day=1)
        return None
    return None


def _bad(field: str, message: str) -> DomainError:
    return DomainError(message, code="bad_" + field if field in ("period", "date") else
                       "bad_parameter", fields={field: [message]})


def parse_month(text: str, *, field: str = "period") -> dt.date:
    """``YYYY-MM`` → the month's first day, within the platform's years."""
    raw = (text or "").strip()
    try:
        parsed = dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise _bad(field, _("Give the month as YYYY-MM.")) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise _bad(field, _("Give a month between %(first)s and %(last)s.")
                   % {"first": EARLIEST_YEAR, "last": LATEST_YEAR})
    return parsed


def parse_month_range(first: str | None, last: str | None) -> tuple[dt.date | None,
                                                                     dt.date | None]:
    """Two optional months, the first not after the last."""
    start = parse_month(first, field="from") if first else None
    end = parse_month(last, field="to") if last else None
    if start and end and start > end:
        raise _bad("to", _("The last month comes before the first."))
    return start, end


def parse_day(text: str, *, field: str = "date") -> dt.date:
    """``YYYY-MM-DD`` → a date within the platform's years."""
    try:
        parsed = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise _bad(field, _("Give the day as YYYY-MM-DD.")) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise _bad(field, _("Give a day between %(first)s and %(last)s.")
                   % {"first": EARLIEST_YEAR, "last": LATEST_YEAR})
    return parsed
