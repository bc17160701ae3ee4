"""Construction, filling, making room for mandatory work and the ruin of a region."""

from __future__ import annotations

import random

import numpy as np

from dispatch.solver import MaxGenerations, Params, Problem, Specialist, Task, check, solve
from dispatch.solver.eligibility import compute_eligibility
from dispatch.solver.ga.construct import construct, insert_all
from dispatch.solver.ga.local_search import LocalSearch
from dispatch.solver.ga.model import build_model, exact_cost
from dispatch.solver.ga.operators import ruin_region

from .helpers import FAST, small_problem


def _model(problem, params=FAST):
    elig = compute_eligibility(problem, params)
    return build_model(problem, params, elig), elig


def _full_day_problem():
    """One specialist, room for three 100-minute visits: three optional ones and a mandatory."""
    tasks = [Task(id=f"o{i}", service=100, tw_end=1000, priority=1) for i in range(3)]
    tasks.append(Task(id="m", service=100, tw_end=400, mandatory=True))
    M = np.ones((6, 6))
    np.fill_diagonal(M, 0)
    return Problem.from_matrix(tasks, [Specialist(id="s", shift_end=310)], M)


def test_construct_is_hard_feasible_and_respects_eligibility():
    problem = small_problem(n=30, m=4, seed=3)
    md, elig = _model(problem)
    routes, left = construct(md, random.Random(1))
    cost, ok = exact_cost(md, routes, left + sorted(elig.reasons))
    assert ok
    for k, r in enumerate(routes):
        assert all(elig.allowed[k, i] for i in r)
    served = [i for r in routes for i in r]
    assert len(served) == len(set(served))
    assert sorted(served + left) == sorted(md.active)


def test_mandatory_task_takes_the_place_of_an_optional_one():
    problem = _full_day_problem()
    md, _ = _model(problem)
    routes, left = insert_all(md, [[0, 1, 2]], [3])
    assert 3 in routes[0]
    assert left and all(not md.mandatory[i] for i in left)
    assert exact_cost(md, routes, left)[1]


def test_solve_never_leaves_out_a_mandatory_task_that_fits():
    problem = _full_day_problem()
    res = solve(problem, stop=MaxGenerations(3), seed=1, params=FAST)
    assert res.feasible
    assert "m" in res.routes[0].task_ids
    assert not any(u.mandatory for u in res.unserved)


def test_ruin_region_keeps_every_task_exactly_once():
    problem = small_problem(n=40, m=4, seed=5)
    md, _ = _model(problem)
    routes, left = construct(md, random.Random(2))
    rng = random.Random(3)
    for size in (1, 4, 12):
        new, un = ruin_region(md, [list(r) for r in routes], list(left), rng, size)
        served = [i for r in new for i in r]
        assert len(served) == len(set(served))
        assert sorted(served + un) == sorted(md.active)
        assert len(un) - len(left) <= size


def test_local_search_from_a_partly_changed_plan_stays_consistent():
    problem = small_problem(n=30, m=4, seed=7)
    md, elig = _model(problem)
    routes, left = construct(md, random.Random(1))
    ls = LocalSearch(md)
    r1, u1 = ls.run([list(r) for r in routes], list(left), 50.0, 10.0, random.Random(1))
    changed = [k == 0 for k in range(md.m)]
    r2, u2 = ls.run(r1, u1, 50.0, 10.0, random.Random(1), changed=changed)
    assert sorted([i for r in r2 for i in r] + u2) == sorted(md.active)
    c1 = exact_cost(md, r1, u1 + sorted(elig.reasons))[0]
    c2 = exact_cost(md, r2, u2 + sorted(elig.reasons))[0]
    assert c2 <= c1 + 1e-6


def test_large_instance_path_with_ruin_and_recreate_is_checked_feasible():
    problem = small_problem(n=40, m=4, seed=11)
    params = FAST.replace(ruin_recreate_above=10)
    res = solve(problem, stop=MaxGenerations(12), seed=2, params=params)
    assert res.feasible
    plan = {r.specialist_id: list(r.task_ids) for r in res.routes}
    reasons = {u.task_id: u.reason for u in res.unserved}
    assert check(problem, plan, reasons).ok
    assert not [u for u in res.unserved if u.mandatory and "could not be fitted" in u.reason]


def test_params_reject_negative_ruin_threshold():
    try:
        Params(ruin_recreate_above=-1)
    except ValueError:
        return
    raise AssertionError("expected ValueError")


def test_ejection_chain_moves_a_task_to_make_room_for_a_specialists_only_task():
    """s1 alone has the skill u needs but its day is full with v, which s2 may also do."""
    tasks = [
        Task(id="v", service=100, tw_end=1000, priority=1),
        Task(id="u", service=100, tw_end=1000, priority=1, skills={"audit": 1}),
    ]
    specs = [
        Specialist(id="s1", shift_end=105, skills={"audit": 1}),
        Specialist(id="s2", shift_end=105),
    ]
    M = np.ones((6, 6))
    np.fill_diagonal(M, 0)
    problem = Problem.from_matrix(tasks, specs, M)
    md, _ = _model(problem)
    routes, left = insert_all(md, [[0], []], [1])
    assert left == [1]  # plain insertion finds no slot
    routes, left = insert_all(md, [[0], []], [1], chains=True)
    assert routes == [[1], [0]] and left == []
    assert exact_cost(md, routes, left)[1]


def test_two_islands_on_the_large_path_migrate_and_stay_feasible():
    problem = small_problem(n=40, m=4, seed=13)
    params = FAST.replace(ruin_recreate_above=10, workers=2, migration_interval=2)
    a = solve(problem, stop=MaxGenerations(6), seed=4, params=params)
    b = solve(problem, stop=MaxGenerations(6), seed=4, params=params)
    assert a.feasible and a.stats["islands"] == 2
    assert [r.task_ids for r in a.routes] == [r.task_ids for r in b.routes]


def test_local_search_returns_a_whole_plan_when_its_deadline_has_passed():
    problem = small_problem(n=30, m=4, seed=17)
    md, _ = _model(problem)
    routes, left = construct(md, random.Random(1))
    r, u = LocalSearch(md).run(routes, left, 50.0, 10.0, random.Random(1), deadline=0.0)
    assert sorted([i for x in r for i in x] + u) == sorted(md.active)
