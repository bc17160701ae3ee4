"""The working calendar and the SLA clock: pure arithmetic, time passed in explicitly."""

import datetime as dt
import random

import pytest

from demands.calendar import DAY_ZERO, SlaClock, WallClock, WorkCalendar
from tests.demands.conftest import TZ

CAL = WorkCalendar(tz=TZ)
H = 3600


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def test_adding_inside_one_period():
    assert CAL.add(at(16, 9), 2 * H) == at(16, 11)


def test_lunch_break_is_skipped():
    # 11:00 + 2h: one hour until 12:00, lunch, one hour from 14:00
    assert CAL.add(at(16, 11), 2 * H) == at(16, 15)


def test_evening_and_weekend_are_skipped():
    # Friday 20 Nov 17:00 + 1h → 30 min Friday, then Monday 08:30 + 30 min
    assert CAL.add(at(20, 17), H) == at(23, 9)


def test_start_outside_hours_begins_at_next_opening():
    assert CAL.add(at(21, 10), 30 * 60) == at(23, 9)  # Saturday
    assert CAL.add(at(16, 7), 0) == at(16, 8, 30)
    assert CAL.add(at(16, 12, 30), 60) == at(16, 14, 1)


def test_a_working_day_is_seven_hours():
    assert CAL.between(at(16, 0), at(17, 0)) == 7 * H
    assert CAL.add(at(16, 8, 30), 7 * H) == at(16, 17, 30)
    assert CAL.add(at(16, 8, 30), 7 * H + 1) == at(17, 8, 30, ) + dt.timedelta(seconds=1)


def test_holiday_and_make_up_day():
    cal = WorkCalendar(tz=TZ, holidays=frozenset({dt.date(2026, 11, 17)}),
                       extra_workdays=frozenset({dt.date(2026, 11, 21)}))
    # Monday 17:00 + 1h: 30 min Monday, Tuesday is a holiday, Wednesday 09:00
    assert cal.add(at(16, 17), H) == at(18, 9)
    # Friday 17:00 + 1h: Saturday 21st is a make-up working day with Monday's hours
    assert cal.add(at(20, 17), H) == at(21, 9)
    assert cal.between(at(17, 0), at(18, 0)) == 0


def test_between_counts_only_working_time():
    assert CAL.between(at(16, 11), at(16, 15)) == 2 * H
    assert CAL.between(at(20, 17), at(23, 9)) == H
    assert CAL.between(at(16, 15), at(16, 11)) == 0


def test_add_and_between_agree():
    start = at(16, 10, 17)
    for minutes in (0, 1, 59, 200, 421, 3000, 10_000):
        end = CAL.add(start, minutes * 60)
        assert CAL.between(start, end) == minutes * 60


def test_time_zones_are_respected():
    utc_start = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    assert CAL.add(utc_start, H) == at(16, 10)


def test_bad_calendars_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar(tz=TZ, periods={0: ((dt.time(12), dt.time(8)),)})
    with pytest.raises(ValueError):
        WorkCalendar(tz=TZ, periods={})


def test_wall_clock_counts_every_second():
    wall = WallClock(tz=TZ)
    assert wall.add(at(20, 17), 24 * H) == at(21, 17)
    assert wall.between(at(20, 17), at(21, 17)) == 24 * H


def test_sla_clock_deadline_moves_with_pauses():
    clock = SlaClock(started_at=at(16, 9), budget_seconds=8 * H)
    assert clock.deadline(CAL) == at(17, 10)
    paused = SlaClock(started_at=at(16, 9), budget_seconds=8 * H, paused_seconds=2 * H)
    assert paused.deadline(CAL) == at(17, 12)  # 6.5 h Monday, 3.5 h Tuesday morning


def test_sla_clock_used_fraction_freezes_while_paused():
    clock = SlaClock(started_at=at(16, 9), budget_seconds=10 * H, paused_at=at(16, 11))
    assert clock.used_fraction(CAL, at(16, 11)) == pytest.approx(0.2)
    assert clock.used_fraction(CAL, at(18, 16)) == pytest.approx(0.2)  # still paused
    resumed = SlaClock(started_at=at(16, 9), budget_seconds=10 * H, paused_seconds=7 * H)
    assert resumed.used_fraction(CAL, at(17, 11)) == pytest.approx(0.2)


# --- whole working days: cadences, generation and the nightly plan count these ---------------

def _walked_number(calendar: WorkCalendar, day: dt.date) -> int:
    """The number by brute force: working days from DAY_ZERO up to ``day``."""
    step = 1 if day >= DAY_ZERO else -1
    count, cursor = 0, DAY_ZERO
    while cursor != day:
        if step == 1:
            count += calendar.is_working_day(cursor)
            cursor += dt.timedelta(days=1)
        else:
            cursor -= dt.timedelta(days=1)
            count -= calendar.is_working_day(cursor)
    return count


@pytest.mark.parametrize("seed", range(6))
def test_working_day_numbers_match_a_walk_over_any_calendar(seed):
    rng = random.Random(seed)
    weekdays = rng.sample(range(7), rng.randint(1, 6))
    periods = {w: ((dt.time(9), dt.time(17)),) for w in weekdays}
    span = [DAY_ZERO + dt.timedelta(days=rng.randint(-400, 1200)) for _ in range(30)]
    calendar = WorkCalendar(tz=TZ, periods=periods, holidays=frozenset(span[:15]),
                            extra_workdays=frozenset(span[15:]) - frozenset(span[:15]))
    for _ in range(60):
        day = DAY_ZERO + dt.timedelta(days=rng.randint(-400, 1200))
        expected = _walked_number(calendar, day) if calendar.is_working_day(day) else None
        assert calendar.working_day_number(day) == expected, (seed, day)


def test_holidays_and_make_up_days_shape_the_working_days():
    national_day = dt.date(2026, 10, 1)  # Thursday
    make_up = dt.date(2026, 10, 10)  # Saturday worked instead
    calendar = WorkCalendar(tz=TZ, holidays=frozenset({national_day}),
                            extra_workdays=frozenset({make_up}))
    assert not calendar.is_working_day(national_day)
    assert calendar.is_working_day(make_up)
    assert calendar.next_working_day(dt.date(2026, 9, 30)) == dt.date(2026, 10, 2)
    assert calendar.next_working_day(dt.date(2026, 10, 9)) == make_up
    assert calendar.working_days(dt.date(2026, 9, 30), 3) == [
        dt.date(2026, 9, 30), dt.date(2026, 10, 2), dt.date(2026, 10, 5)]
    # Consecutive working days have consecutive numbers, across the holiday.
    assert (calendar.working_day_number(dt.date(2026, 10, 2))
            == calendar.working_day_number(dt.date(2026, 9, 30)) + 1)
    assert calendar.day_span(make_up) == (dt.time(8, 30), dt.time(17, 30))
