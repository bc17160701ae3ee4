"""The bulk recompute: dimension scores, totals, verdicts, segments, RFM and churn edges."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from profiling.models import Dimension, Indicator, ProfileSnapshot
from profiling.recompute import _verdicts
from profiling.services import profiles_recompute, profiles_recompute_request
from tests import factories
from zhifu.core.errors import DomainError
from zhifu.core.models import JobRun

from .helpers import PERIOD, TODAY, orders, raw, weekly

pytestmark = pytest.mark.django_db


def snap(retailer, period=PERIOD):
    return ProfileSnapshot.objects.get(retailer=retailer, period=period)


def test_the_data_migration_loads_table_one():
    dims = list(Dimension.objects.order_by("position"))
    assert [d.code for d in dims] == [
        "basic_operations", "data_operations", "cigarette_operations",
        "non_tobacco_operations", "retail_terminal", "trade_area"]
    assert {d.weight for d in dims} == {1.0}
    assert Indicator.objects.count() == 34
    for d in dims:
        assert sum(d.indicators.values_list("max_points", flat=True)) == 100
    assert set(Indicator.objects.values_list("rule_kind", flat=True)) == {
        "bands", "linear", "category"}


def test_every_active_retailer_gets_six_scores_and_a_weighted_total(org):
    factories.retailer(org.north, status="closed")
    result = profiles_recompute(period=PERIOD, today=TODAY)
    assert result["retailers"] == 3
    s = snap(org.retailer_north)
    assert set(s.scores) == set(Dimension.objects.values_list("code", flat=True))
    assert all(0 <= v <= 100 for v in s.scores.values())
    assert s.total == pytest.approx(sum(s.scores.values()) / 6, abs=0.01)


def test_dimension_score_from_raw_values_and_master_data(org):
    r = org.retailer_north
    raw(r, "data_collection_method", "pos")
    raw(r, "data_collected_share", 50)
    raw(r, "three_complete_store", "partial")
    profiles_recompute(period=PERIOD, today=TODAY)
    # 30 + 15 + 20 out of 100
    assert snap(r).scores["data_operations"] == 65
    assert snap(org.retailer_south).scores["data_operations"] == 0
    # Master data: grade 10 → 15×9/29, opened 2015 (≥10 years) → 15, independent 5,
    # urban 10, convenience 8; the three collected indicators are missing → 0.
    assert snap(r).scores["basic_operations"] == pytest.approx(
        round(15 * 9 / 29 + 15 + 5 + 10 + 8, 2), abs=0.01)


def test_weights_change_the_total(org):
    raw(org.retailer_north, "data_collection_method", "pos")
    Dimension.objects.exclude(code="data_operations").update(weight=0)
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(org.retailer_north).total == 30


def test_latest_raw_value_up_to_the_month_wins_and_overrides_derived(org):
    r = org.retailer_north
    raw(r, "data_collected_share", 20, period=dt.date(2026, 3, 1))
    raw(r, "data_collected_share", 40, period=dt.date(2026, 5, 1))
    raw(r, "data_collected_share", 100, period=dt.date(2026, 7, 1))  # after June: ignored
    orders(r, (TODAY, 3000))
    raw(r, "monthly_cigarette_amount", 30000)  # overrides what orders say
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(r).scores["data_operations"] == 12
    assert snap(r).scores["cigarette_operations"] == pytest.approx(20 + 20 * 20 / 80)


def test_recompute_twice_replaces_the_month_and_keeps_other_months(org):
    profiles_recompute(period=dt.date(2026, 5, 1), today=TODAY)
    profiles_recompute(period=PERIOD, today=TODAY)
    first = list(ProfileSnapshot.objects.filter(period=PERIOD).values_list("retailer", "total"))
    profiles_recompute(period=PERIOD, today=TODAY)
    again = list(ProfileSnapshot.objects.filter(period=PERIOD).values_list("retailer", "total"))
    assert sorted(first) == sorted(again)
    assert ProfileSnapshot.objects.count() == 6


def test_future_month_is_refused(org):
    with pytest.raises(DomainError) as caught:
        profiles_recompute(period=dt.date(2026, 8, 1), today=TODAY)
    assert caught.value.code == "future_period"


# --- verdicts -----------------------------------------------------------------------------------

DIM = {"strength_threshold": 70, "weakness_threshold": 50, "peer_margin": 10}


@pytest.mark.parametrize(("score", "verdict"), [
    (70, 1), (69.99, 0), (50, 0), (49.99, -1), (100, 1), (0, -1),
])
def test_threshold_verdict_edges_without_peers(score, verdict):
    result = _verdicts(pd.Series([score]), pd.Series([np.nan]), DIM)
    assert list(result) == [verdict]


@pytest.mark.parametrize(("score", "peer", "verdict"), [
    (60, 50, 1),      # exactly mean + margin: strength
    (59.99, 50, 0),
    (60, 70, -1),     # exactly mean − margin: weakness
    (60.01, 70, 0),
    (75, 90, 0),      # above the strength threshold but 15 below peers: they cancel
    (45, 30, 0),      # below the weakness threshold but well above peers: they cancel
    (80, 60, 1),      # both agree
    (40, 55, -1),
])
def test_peer_verdict_edges_and_how_it_combines(score, peer, verdict):
    assert list(_verdicts(pd.Series([score]), pd.Series([peer]), DIM)) == [verdict]


def test_peer_group_is_district_and_grade_band_and_needs_four_others(org):
    peers = [factories.retailer(org.north, grade=12) for _ in range(5)]
    top = peers[0]
    for code, value in (("data_collection_method", "pos"), ("data_collected_share", 100),
                        ("three_complete_store", "yes")):
        raw(top, code, value)
    raw(peers[1], "data_collected_share", 50)  # 15 points
    # Another band in the same district, and the same band elsewhere, are not peers.
    factories.retailer(org.north, grade=20)
    profiles_recompute(period=PERIOD, today=TODAY)
    # org.retailer_north(2) also have grade 10 → band 1-12 → 7 shops in the group.
    s = snap(top)
    assert s.scores["data_operations"] == 100
    assert s.peer_means["data_operations"] == pytest.approx(15 / 6, abs=0.01)
    assert s.verdicts["data_operations"] == "strength"
    low = snap(peers[2])
    assert low.peer_means["data_operations"] == pytest.approx(115 / 6, abs=0.01)
    assert low.verdicts["data_operations"] == "weakness"
    # org.retailer_south is alone in its group: no peer mean.
    assert snap(org.retailer_south).peer_means["data_operations"] is None


# --- segments -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "segment"), [
    (100000, "value"), (99999.99, "potential"), (50000, "potential"), (49999.99, "basic"),
])
def test_segment_edges_by_yearly_amount(org, amount, segment):
    orders(org.retailer_north, (TODAY - dt.timedelta(days=364), amount))
    orders(org.retailer_south, (TODAY - dt.timedelta(days=365), amount))  # outside the year
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(org.retailer_north).segment == segment
    assert snap(org.retailer_south).segment == "basic"


def test_rfm_quintiles_within_the_city(org):
    shops = [factories.retailer(org.south) for _ in range(10)]
    for i, shop in enumerate(shops):
        # more recent, more frequent and larger as i grows
        orders(shop, *weekly(TODAY, i + 1, 100 * (i + 1), start_offset=10 - i))
    profiles_recompute(period=PERIOD, today=TODAY)
    m = [snap(s).rfm_m for s in shops]
    assert m == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [snap(s).rfm_f for s in shops] == m
    assert [snap(s).rfm_r for s in shops] == m
    assert snap(shops[9]).recency_days == 1 and snap(shops[9]).frequency == 10
    none = snap(org.retailer_north)
    assert (none.rfm_r, none.rfm_f, none.rfm_m, none.recency_days) == (1, 1, 1, None)


RECENT_END = TODAY
TRAILING_END = TODAY - dt.timedelta(days=28)


@pytest.mark.parametrize(("recent", "warns"), [
    ([175, 175, 175, 175], True),          # amount exactly 30 % down
    ([175, 175, 175, 175.01], False),      # 29.99 % down
    ([250, 250, 250, 250], False),         # steady
    ([500, 500], True),                    # 2 orders against 4: frequency 50 % down
    ([340, 340, 340], False),              # 3 against 4 (25 %), amount up
    ([], True),                            # stopped ordering
])
def test_churn_warning_at_the_30_percent_boundary(org, recent, warns):
    r = org.retailer_north
    orders(r, *weekly(TRAILING_END, 12, 250))                    # 4 orders, 1000 per 4 weeks
    orders(r, *[(RECENT_END - dt.timedelta(days=7 * i), a) for i, a in enumerate(recent)])
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(r).churn_warning is warns


def test_churn_frequency_exactly_30_percent_down_warns(org):
    a, b = org.retailer_north, org.retailer_north2
    for shop, recent_count in ((a, 7), (b, 8)):
        # 30 orders in the trailing 12 weeks: 10 per 4 weeks, at a steady 100 CNY each.
        orders(shop, *[(TRAILING_END - dt.timedelta(days=i * 2), 100) for i in range(30)])
        orders(shop, *[(RECENT_END - dt.timedelta(days=i), 1000) for i in range(recent_count)])
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(a).churn_warning is True
    assert snap(b).churn_warning is False


def test_no_history_no_churn_warning(org):
    orders(org.retailer_north, (TODAY, 100))
    profiles_recompute(period=PERIOD, today=TODAY)
    assert snap(org.retailer_north).churn_warning is False


# --- the job ------------------------------------------------------------------------------------

def test_command_records_a_job_run(org):
    call_command("recompute_profiles", "--period", "2026-06", "--today", "2026-06-30")
    job = JobRun.objects.get(kind="profiles.recompute")
    assert job.status == "succeeded" and job.progress == 1.0
    assert job.result["retailers"] == 3 and job.result["period"] == "2026-06-01"
    assert ProfileSnapshot.objects.filter(period=PERIOD).count() == 3


def test_task_runs_on_commit_and_a_second_delivery_does_nothing(org, eager_celery,
                                                               django_capture_on_commit_callbacks):
    from profiling.tasks import recompute_profiles

    with django_capture_on_commit_callbacks(execute=True):
        job = profiles_recompute_request(requested_by=factories.city_level(org.manager_north))
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert ProfileSnapshot.objects.count() == 3
    assert recompute_profiles.delay(job.id).get() == "already-done"


def test_latest_snapshot_per_retailer_for_other_apps(org):
    from profiling.selectors import profile_snapshots_latest

    profiles_recompute(period=dt.date(2026, 5, 1), today=TODAY)
    profiles_recompute(period=PERIOD, today=TODAY)
    latest = profile_snapshots_latest(retailer_ids=[org.retailer_north.pk, org.retailer_south.pk,
                                                    999999])
    assert set(latest) == {org.retailer_north.pk, org.retailer_south.pk}
    assert {s.period for s in latest.values()} == {PERIOD}


def test_recompute_with_no_retailers_writes_nothing_and_succeeds():
    result = profiles_recompute(period=PERIOD, today=TODAY)
    assert result["retailers"] == 0 and not ProfileSnapshot.objects.exists()
