"""Each score formula against the source tables (3–9)."""

import pytest

from evaluation import scoring


def test_basic_information_is_four_times_25():
    top, parts = scoring.basic_information(education="master", years=12, certificates=2,
                                           title="senior")
    assert top == 100 and set(parts.values()) == {25}
    low, _ = scoring.basic_information(education="secondary", years=0, certificates=0,
                                       title="none")
    assert low == 10 + 5 + 5 + 5


@pytest.mark.parametrize("years,points", [(0, 5), (1, 10), (2, 10), (3, 15), (5, 15), (6, 20),
                                          (10, 20), (11, 25)])
def test_years_in_post_bands(years, points):
    assert scoring.years_points(years) == points


def test_work_quality_maxima_follow_table_5():
    assert sum(scoring.WORK_QUALITY_MAX.values()) == 100
    full, parts = scoring.work_quality({name: 1.0 for name in scoring.WORK_QUALITY_MAX})
    assert full == 100 and parts["information_collection"] == 10
    half, _ = scoring.work_quality({name: 0.5 for name in scoring.WORK_QUALITY_MAX})
    assert half == 50


def test_work_quality_rescales_over_what_is_known():
    score, parts = scoring.work_quality({"visit_completion": 0.9, "information_collection": 0.5})
    # (0.9·20 + 0.5·10) / 30 · 100
    assert score == pytest.approx(76.67, abs=0.01)
    assert parts["order_fulfilment"] is None
    assert scoring.work_quality({}) == (None, {k: None for k in scoring.WORK_QUALITY_MAX})


def test_catalogue_score_weights_tiers_50_30_20():
    delivered = {"a": ("inclusive", 20, 1.0), "b": ("value_added", 15, 0.5),
                 "c": ("contemporary", 10, 0.0)}
    score, tiers = scoring.catalogue_score(delivered)
    assert tiers == {"inclusive": 100.0, "value_added": 50.0, "contemporary": 0.0}
    assert score == pytest.approx(0.5 * 100 + 0.3 * 50 + 0.2 * 0)
    # Only the tiers delivered count, their weights rescaled.
    only, _ = scoring.catalogue_score({"a": ("inclusive", 20, 0.8),
                                       "b": ("value_added", 15, 0.4)})
    assert only == pytest.approx((0.5 * 80 + 0.3 * 40) / 0.8)
    assert scoring.catalogue_score({}) == (None, {})


def test_items_inside_a_tier_weigh_by_their_points():
    score, tiers = scoring.catalogue_score({"x": ("inclusive", 20, 1.0),
                                            "y": ("inclusive", 15, 0.0)})
    assert tiers["inclusive"] == pytest.approx(20 / 35 * 100, abs=0.01)


def test_service_evaluation_blend():
    assert scoring.service_evaluation(rating_mean=4.5, catalogue=80, rating_weight=0.5) == 85
    assert scoring.service_evaluation(rating_mean=4.5, catalogue=None, rating_weight=0.5) == 90
    assert scoring.service_evaluation(rating_mean=None, catalogue=70, rating_weight=0.7) == 70
    assert scoring.service_evaluation(rating_mean=None, catalogue=None, rating_weight=0.5) is None


@pytest.mark.parametrize("overall,points", [(5, 10), (4.6, 10), (4.4, 6), (4, 6), (3, 2),
                                            (2.4, -5), (1, -5)])
def test_rating_points(overall, points):
    assert scoring.rating_points(overall, 10) == points
