"""The demo city gets indicator values and monthly profiles that make sense."""

import datetime as dt
import io

from django.core.management import call_command

from profiling.models import ProfileSnapshot, RawValue


def _run():
    call_command("seed_demo", stdout=io.StringIO(), today=dt.date(2026, 11, 20), retailers=200,
                 specialists=7, days=75, seed=3)


def test_demo_profiles_for_each_month_rise_with_grade_and_reseed_is_stable(db):
    _run()
    periods = sorted(set(ProfileSnapshot.objects.values_list("period", flat=True)))
    assert periods == [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    latest = ProfileSnapshot.objects.filter(period=periods[-1]).select_related("retailer")
    assert latest.count() == 200
    high = [s.total for s in latest if s.retailer.grade >= 24]
    low = [s.total for s in latest if s.retailer.grade <= 12]
    assert sum(high) / len(high) > sum(low) / len(low) + 10
    assert {"strength", "weakness"} <= {v for s in latest for v in s.verdicts.values()}
    counts = (RawValue.objects.count(), ProfileSnapshot.objects.count())
    totals = sorted(latest.values_list("retailer__licence_no", "total"))
    _run()
    assert (RawValue.objects.count(), ProfileSnapshot.objects.count()) == counts
    assert sorted(ProfileSnapshot.objects.filter(period=periods[-1]).values_list(
        "retailer__licence_no", "total")) == totals
