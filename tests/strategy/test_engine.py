"""The pure engine: rule masks, conflicts, the cap, suppression, eligibility, cadence."""

import pandas as pd

from strategy import engine


def _frame(**columns):
    base = {"grade": [5], "market_type": ["urban"], "business_format": ["grocery"],
            "segment": ["basic"], "churn_warning": [False], "total": [60.0],
            "previous_total": [60.0]}
    base.update(columns)
    return pd.DataFrame(base, index=[1])


def _rule(code, condition, items, priority=50, cycle=None, **params):
    return engine.RuleSpec(id=hash(code) % 1000, code=code, condition=condition, params=params,
                           items=tuple(items), reason=f"because {code}",
                           talking_point=f"say {code}",
                           visit_cycle_days=cycle, priority=priority)


TEMPLATES = {band: engine.TemplateSpec(band=band, visit_cycle_days=cycle, visit_priority=20,
                                       items=(), talking_points=("hello",))
             for band, cycle in (("24-30", 5), ("13-23", 10), ("1-12", 20))}
ITEMS = {code: code for code in "abcdefgh"}


def always(item, shop, segment):
    return True


def test_each_condition_kind_fires_on_its_data():
    frame = _frame(**{"verdict__trade_area": ["weakness"], "verdict__data_operations":
                      ["strength"]}, churn_warning=[True], segment=["value"], market_type=["rural"],
                   total=[50.0], previous_total=[57.0])
    cases = [
        _rule("w", "weak_dimension", "a", dimension="trade_area"),
        _rule("s", "strong_dimension", "b", dimension="data_operations"),
        _rule("c", "churn_warning", "c"),
        _rule("t", "segment", "d", segment="value"),
        _rule("m", "market_type", "e", market_type="rural"),
        _rule("f", "falling_trend", "f", drop=5),
    ]
    for rule in cases:
        assert engine.rule_mask(frame, rule).tolist() == [True], rule.code
    quiet = _frame(**{"verdict__trade_area": ["neutral"]}, total=[56.0], previous_total=[60.0])
    for rule in cases:
        assert engine.rule_mask(quiet, rule).tolist() == [False], rule.code


def test_falling_trend_boundary_is_inclusive():
    rule = _rule("f", "falling_trend", "f", drop=5)
    assert engine.rule_mask(_frame(total=[55.0], previous_total=[60.0]), rule).tolist() == [True]
    assert engine.rule_mask(_frame(total=[55.1], previous_total=[60.0]), rule).tolist() == [False]
    # No previous profile: no trend.
    assert engine.rule_mask(_frame(previous_total=[float("nan")]), rule).tolist() == [False]


def test_conflicting_rules_keep_the_stronger_and_both_reasons():
    frame = _frame(churn_warning=[True], segment=["value"])
    rules = [_rule("low", "segment", "a", priority=30, segment="value"),
             _rule("high", "churn_warning", "ab", priority=80)]
    plan = engine.compose(frame, rules, TEMPLATES, ITEMS, set(), always)[1]
    by_item = {r["item"]: r for r in plan.recommendations}
    assert by_item["a"]["rule"] == "high" and by_item["a"]["priority"] == 80
    assert by_item["a"]["reasons"] == ["because high", "because low"]
    assert [r["item"] for r in plan.recommendations] == ["a", "b"]


def test_at_most_five_recommendations_by_priority():
    frame = _frame(churn_warning=[True])
    rules = [_rule(f"r{i}", "churn_warning", [code], priority=10 * i)
             for i, code in enumerate("abcdefg", start=1)]
    plan = engine.compose(frame, rules, TEMPLATES, ITEMS, set(), always)[1]
    assert [r["item"] for r in plan.recommendations] == ["g", "f", "e", "d", "c"]


def test_suppressed_and_ineligible_items_are_left_out():
    frame = _frame(churn_warning=[True])
    rules = [_rule("r", "churn_warning", "abc")]
    plan = engine.compose(frame, rules, TEMPLATES, ITEMS, {(1, "a")},
                          lambda item, shop, segment: item != "b")[1]
    assert [r["item"] for r in plan.recommendations] == ["c"]


def test_cadence_follows_the_band_and_rules_only_shorten_it():
    frame = pd.concat([_frame(grade=[26]), _frame(grade=[5], churn_warning=[True])])
    frame.index = [1, 2]
    rules = [_rule("c", "churn_warning", "a", priority=80, cycle=5),
             _rule("slow", "segment", "b", cycle=30, segment="basic")]
    plans = engine.compose(frame, rules, TEMPLATES, ITEMS, set(), always)
    assert plans[1].visit_cycle_days == 5 and plans[1].band == "24-30"
    assert plans[2].visit_cycle_days == 5 and plans[2].visit_priority == 80
    assert "say c" in plans[2].talking_points and "hello" in plans[2].talking_points


def test_diff_says_what_changed():
    plan = engine.Composed(band="1-12", visit_cycle_days=5, visit_priority=20,
                           recommendations=[{"item": "a", "reasons": ["x"]}])
    assert engine.diff(None, plan) == {"first": True}
    same = {"recommendations": [{"item": "a", "reasons": ["x"]}], "visit_cycle_days": 5}
    assert engine.diff(same, plan) == {}
    before = {"recommendations": [{"item": "b", "reasons": ["y"]}], "visit_cycle_days": 20}
    assert engine.diff(before, plan) == {
        "added": [{"item": "a", "reasons": ["x"]}], "removed": [{"item": "b", "was": ["y"]}],
        "cadence": {"from": 20, "to": 5}}


def test_level_offsets_spread_visits_evenly():
    cycles = [5] * 7 + [10] * 23 + [20] * 40
    offsets = engine.level_offsets(cycles, horizon=20)
    load = [0] * 20
    for cycle, offset in zip(cycles, offsets, strict=True):
        for day in range(offset, 20, cycle):
            load[day] += 1
    assert max(load) - min(load) <= 1
    assert sum(load) == 7 * 4 + 23 * 2 + 40
