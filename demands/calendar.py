"""The company's working calendar: working time for SLA clocks, working days for visit
cadences, dispatch generation and nightly planning. Pure Python: no Django, no clock reads.

A ``WorkCalendar`` knows the working periods of each weekday (e.g. 08:30–12:00 and
14:00–17:30, Monday to Friday), the holidays, and the make-up working days
(调休) that follow Monday's periods. ``WallClock`` has the same interface and
counts every second, for promises made in plain hours ("answered within 24 hours").

Every function takes aware datetimes and returns aware datetimes in the
calendar's time zone; callers pass ``now`` explicitly so tests freeze time by
argument instead of patching the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Period = tuple[dt.time, dt.time]
MAX_DAYS = 3700  # about ten years: a calendar with no working time fails fast, not forever
# Working days are numbered from this Monday, so a cadence slot ("every 10th working day,
# shop 7's turn") stays put from one run to the next.
DAY_ZERO = dt.date(2024, 1, 1)

DEFAULT_PERIODS: dict[int, tuple[Period, ...]] = {
    weekday: ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
    for weekday in range(5)
}


@dataclass(frozen=True)
class WorkCalendar:
    tz: dt.tzinfo
    periods: Mapping[int, tuple[Period, ...]] = field(default_factory=lambda: DEFAULT_PERIODS)
    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        for weekday, spans in self.periods.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday {weekday} is outside 0-6")
            for start, end in spans:
                if end <= start:
                    raise ValueError(f"period {start}-{end} ends before it starts")
        if not any(self.periods.values()):
            raise ValueError("a working calendar needs at least one working period")

    def periods_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working periods of one date, as aware datetimes."""
        if day in self.holidays:
            return []
        weekday = 0 if day in self.extra_workdays else day.weekday()
        spans = self.periods.get(weekday, ())
        return [
            (dt.datetime.combine(day, start, self.tz), dt.datetime.combine(day, end, self.tz))
            for start, end in sorted(spans)
        ]

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The moment ``seconds`` of working time after ``start``."""
        start = start.astimezone(self.tz)
        remaining = max(0.0, float(seconds))
        day = start.date()
        for _ in range(MAX_DAYS):
            for begin, end in self.periods_on(day):
                if end <= start:
                    continue
                begin = max(begin, start)
                available = (end - begin).total_seconds()
                if remaining <= available:
                    return begin + dt.timedelta(seconds=remaining)
                remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("no working time found within ten years")

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working seconds from ``start`` to ``end`` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        start, end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = 0.0
        day = start.date()
        while day <= end.date():
            for begin, finish in self.periods_on(day):
                lo, hi = max(begin, start), min(finish, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def is_working(self, moment: dt.datetime) -> bool:
        moment = moment.astimezone(self.tz)
        return any(b <= moment < e for b, e in self.periods_on(moment.date()))

    # --- whole days -------------------------------------------------------------------

    def _weekday_works(self, weekday: int) -> bool:
        return bool(self.periods.get(weekday))

    def is_working_day(self, day: dt.date) -> bool:
        """A day with working time: not a holiday, and a working weekday or a make-up day."""
        if day in self.holidays:
            return False
        return self._weekday_works(0 if day in self.extra_workdays else day.weekday())

    def day_span(self, day: dt.date) -> Period:
        """From the first working moment of ``day`` to its last (a task's default window);
        on a day off, the span of an ordinary Monday."""
        spans = self.periods_on(day)
        if spans:
            return spans[0][0].time(), spans[-1][1].time()
        monday = sorted(self.periods.get(0) or DEFAULT_PERIODS[0])
        return monday[0][0], monday[-1][1]

    def working_days(self, start: dt.date, count: int) -> list[dt.date]:
        """The first ``count`` working days from ``start`` (included when it is one)."""
        days, day = [], start
        for _ in range(MAX_DAYS):
            if len(days) >= count:
                return days
            if self.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        raise ValueError("no working day found within ten years")

    def next_working_day(self, after: dt.date) -> dt.date:
        """The first working day after ``after``."""
        return self.working_days(after + dt.timedelta(days=1), 1)[0]

    def working_day_number(self, day: dt.date) -> int | None:
        """How many working days lie between ``DAY_ZERO`` and ``day`` (``None`` when
        ``day`` is not a working day): the slot a cadence counts in. Computed from the
        weekly pattern and the holidays and make-up days, not by walking every day."""
        if not self.is_working_day(day):
            return None
        weeks, rest = divmod((day - DAY_ZERO).days, 7)
        per_week = sum(self._weekday_works(weekday) for weekday in range(7))
        number = weeks * per_week + sum(self._weekday_works(weekday) for weekday in range(rest))
        for special in self.holidays | self.extra_workdays:
            correction = int(self.is_working_day(special)) - int(
                self._weekday_works(special.weekday()))
            if DAY_ZERO <= special < day:
                number += correction
            elif day <= special < DAY_ZERO:
                number -= correction
        return number


@dataclass(frozen=True)
class WallClock:
    """Every second counts: for promises made in plain hours."""

    tz: dt.tzinfo = dt.UTC

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        return start.astimezone(self.tz) + dt.timedelta(seconds=max(0.0, float(seconds)))

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        return max(0.0, (end - start).total_seconds())

    def is_working(self, moment: dt.datetime) -> bool:
        return True


def periods_from_rows(
    rows: Iterable[tuple[int, dt.time, dt.time]],
) -> dict[int, tuple[Period, ...]]:
    """Group (weekday, start, end) rows into the ``periods`` mapping."""
    grouped: dict[int, list[Period]] = {}
    for weekday, start, end in rows:
        grouped.setdefault(weekday, []).append((start, end))
    return {weekday: tuple(sorted(spans)) for weekday, spans in grouped.items()}


@dataclass(frozen=True)
class SlaClock:
    """One demand's clock: a budget of working seconds, minus the time spent paused."""

    started_at: dt.datetime
    budget_seconds: float
    paused_seconds: float = 0.0
    paused_at: dt.datetime | None = None

    def deadline(self, calendar) -> dt.datetime:
        return calendar.add(self.started_at, self.budget_seconds + self.paused_seconds)

    def used_seconds(self, calendar, now: dt.datetime) -> float:
        """Working time consumed up to ``now``; a running pause does not count."""
        until = self.paused_at if self.paused_at is not None and self.paused_at < now else now
        return max(0.0, calendar.between(self.started_at, until) - self.paused_seconds)

    def used_fraction(self, calendar, now: dt.datetime) -> float:
        if self.budget_seconds <= 0:
            return 1.0
        return self.used_seconds(calendar, now) / self.budget_seconds
