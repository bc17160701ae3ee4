"""Stopping criteria, callbacks and parameter validation."""

import time

import pytest

from dispatch.solver import MaxGenerations, MaxSeconds, NoImprovement, Params, SearchState, solve

from .helpers import FAST, small_problem


def test_max_generations_exact():
    p = small_problem(n=12, m=2, seed=1)
    res = solve(p, stop=MaxGenerations(7), seed=0, params=FAST)
    assert res.stats["generations"] == 7


def test_max_seconds():
    p = small_problem(n=30, m=3, seed=2)
    t = time.monotonic()
    res = solve(p, stop=MaxSeconds(1.0), seed=0, params=FAST)
    el = time.monotonic() - t
    assert 0.5 <= el < 3.0
    assert res.feasible


def test_no_improvement_stops_early():
    p = small_problem(n=10, m=2, seed=3)
    res = solve(p, stop=NoImprovement(5) | MaxGenerations(10000), seed=0, params=FAST)
    gens = res.stats["generations"]
    last_improvement = res.stats["history"][-1][0]
    assert gens == last_improvement + 5


def test_composition_logic():
    s = SearchState(generation=10, best_cost=1.0, elapsed=0.5, generations_without_improvement=3)
    assert (MaxGenerations(10) | MaxSeconds(5)).should_stop(s)
    assert not (MaxGenerations(10) & MaxSeconds(5)).should_stop(s)
    assert (MaxGenerations(10) & NoImprovement(3)).should_stop(s)
    assert (MaxGenerations(50) | MaxSeconds(5)).time_limit() == 5
    assert not MaxSeconds(5).is_deterministic() and MaxGenerations(3).is_deterministic()


def test_callbacks_receive_progress_and_can_cancel():
    p = small_problem(n=12, m=2, seed=4)
    seen = []

    def cb(gen, best, elapsed):
        seen.append((gen, best, elapsed))

    solve(p, stop=MaxGenerations(6), seed=0, params=FAST, callbacks=[cb])
    assert [g for g, _, _ in seen] == list(range(7))
    assert all(b2 <= b1 for (_, b1, _), (_, b2, _) in zip(seen, seen[1:], strict=False))
    assert all(e2 >= e1 for (_, _, e1), (_, _, e2) in zip(seen, seen[1:], strict=False))

    res = solve(
        p, stop=MaxGenerations(1000), seed=0, params=FAST, callbacks=[lambda g, b, e: g >= 3]
    )
    assert res.stats["generations"] == 3


@pytest.mark.parametrize(
    "kw,fragment",
    [
        ({"population_size": 1}, "population_size"),
        ({"unserved_weight": -1}, "unserved_weight"),
        ({"lateness_weight": float("nan")}, "lateness_weight"),
        ({"mutation_rate": 1.5}, "mutation_rate"),
        ({"workers": 0}, "workers"),
        ({"bnb_max_tasks": 12}, "bnb_max_tasks"),
        ({"granular_k": 2.5}, "granular_k"),
        ({"allow_cross_district": "yes"}, "allow_cross_district"),
    ],
)
def test_invalid_params_raise(kw, fragment):
    with pytest.raises(ValueError, match=fragment):
        Params(**kw)


def test_invalid_stop_and_replace_raise():
    with pytest.raises(ValueError):
        MaxSeconds(0)
    with pytest.raises(ValueError):
        MaxGenerations(-1)
    with pytest.raises(ValueError):
        NoImprovement(0)
    with pytest.raises(ValueError, match="unknown Params field"):
        Params().replace(popsize=3)
