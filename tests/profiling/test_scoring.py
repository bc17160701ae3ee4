"""Every rule kind: edges of bands, clamping of linear, category maps, validation."""

import math

import pandas as pd
import pytest

from profiling.scoring import rule_validate, score_one, score_series
from zhifu.core.errors import DomainError

BANDS = {"thresholds": [1, 3, 5], "points": [0, 4, 8, 10]}


@pytest.mark.parametrize(("value", "points"), [
    (0.99, 0), (1, 4), (2.99, 4), (3, 8), (4.999, 8), (5, 10), (1e9, 10), (-5, 0),
])
def test_bands_lower_bound_is_inclusive(value, points):
    assert score_one(kind="bands", params=BANDS, max_points=10, value=value) == points


@pytest.mark.parametrize(("value", "points"), [
    (0, 0), (-10, 0), (50, 5), (100, 10), (250, 10), ("75", 7.5),
])
def test_linear_scales_between_bounds_and_clamps(value, points):
    params = {"lower": 0, "upper": 100}
    assert score_one(kind="linear", params=params, max_points=10, value=value) == points


def test_linear_with_reversed_bounds_rewards_smaller_values():
    params = {"lower": 10, "upper": 0}
    assert score_one(kind="linear", params=params, max_points=20, value=0) == 20
    assert score_one(kind="linear", params=params, max_points=20, value=10) == 0
    assert score_one(kind="linear", params=params, max_points=20, value=2.5) == 15


def test_category_maps_answers_case_insensitively_and_unknown_is_zero():
    params = {"map": {"pos": 30, "scanner": 18, "none": 0}}
    values = pd.Series(["pos", " Scanner ", "none", "abacus", None], dtype="object")
    assert list(score_series(kind="category", params=params, max_points=30,
                             values=values)) == [30, 18, 0, 0, 0]


@pytest.mark.parametrize("kind", ["bands", "linear"])
def test_missing_or_non_numeric_value_scores_zero(kind):
    params = BANDS if kind == "bands" else {"lower": 0, "upper": 1}
    values = pd.Series([None, math.nan, "abc"], dtype="object")
    assert list(score_series(kind=kind, params=params, max_points=10, values=values)) == [0, 0, 0]


def test_points_never_exceed_the_maximum():
    # A rule edited with generous points is clamped to the indicator's maximum.
    assert score_one(kind="linear", params={"lower": 0, "upper": 1}, max_points=5, value=9) == 5


@pytest.mark.parametrize(("kind", "params", "field"), [
    ("bands", {"thresholds": [3, 1], "points": [0, 1, 2]}, "thresholds"),
    ("bands", {"thresholds": [1, 1], "points": [0, 1, 2]}, "thresholds"),
    ("bands", {"thresholds": [1, 2], "points": [0, 1]}, "points"),
    ("bands", {"thresholds": [], "points": [0]}, "thresholds"),
    ("bands", {"thresholds": [1], "points": [0, 11]}, "points"),
    ("bands", {"thresholds": ["a"], "points": [0, 1]}, "thresholds"),
    ("linear", {"lower": 5, "upper": 5}, "upper"),
    ("linear", {"lower": "x", "upper": 5}, "lower"),
    ("linear", {"lower": 0, "upper": True}, "upper"),
    ("category", {"map": {}}, "map"),
    ("category", {"map": {"a": 12}}, "map"),
    ("category", {"map": {"a": "lots"}}, "map"),
    ("magic", {}, "rule_kind"),
])
def test_invalid_rules_are_refused_with_the_field(kind, params, field):
    with pytest.raises(DomainError) as caught:
        rule_validate(kind=kind, params=params, max_points=10)
    assert caught.value.code == "invalid_rule"
    assert field in caught.value.fields


def test_valid_rules_are_cleaned():
    assert rule_validate(kind="category", params={"map": {" POS ": 10}, "labels": {"pos": "P"}},
                         max_points=10) == {"map": {"pos": 10.0}, "labels": {"pos": "P"}}
    assert rule_validate(kind="linear", params={"lower": 0, "upper": 2},
                         max_points=10) == {"lower": 0.0, "upper": 2.0}
    with pytest.raises(DomainError):
        rule_validate(kind="linear", params=["not", "a", "dict"], max_points=10)
