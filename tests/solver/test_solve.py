"""End-to-end behaviour of solve(): determinism, pins, skills, unserved reasons, explanations."""

import json

import pytest

from dispatch.solver import MaxGenerations, Problem, Task, check, solve

from .helpers import FAST, small_problem


def _plan(res):
    return [(r.specialist_id, r.task_ids) for r in res.routes], [
        (u.task_id, u.reason) for u in res.unserved
    ]


def test_same_seed_same_result():
    p = small_problem(n=18, m=3, seed=1)
    a = solve(p, stop=MaxGenerations(15), seed=42, params=FAST)
    b = solve(p, stop=MaxGenerations(15), seed=42, params=FAST)
    assert _plan(a) == _plan(b)
    assert a.cost == b.cost
    assert a.feasible and b.feasible


def test_same_seed_same_result_two_islands():
    p = small_problem(n=18, m=3, seed=2)
    params = FAST.replace(workers=2, migration_interval=5)
    a = solve(p, stop=MaxGenerations(12), seed=7, params=params)
    b = solve(p, stop=MaxGenerations(12), seed=7, params=params)
    assert a.stats["islands"] == 2
    assert _plan(a) == _plan(b)
    assert a.feasible


def test_different_seeds_both_feasible():
    p = small_problem(n=18, m=3, seed=3)
    a = solve(p, stop=MaxGenerations(10), seed=1, params=FAST)
    b = solve(p, stop=MaxGenerations(10), seed=2, params=FAST)
    assert a.feasible and b.feasible  # they may differ; both must be valid


def _pinned_problem():
    p = small_problem(n=16, m=3, seed=4)
    tasks = list(p.tasks)
    # pin two tasks to S2 although S0 sits closer to everything
    from dataclasses import replace

    tasks[1] = replace(tasks[1], pinned_to="S2")
    tasks[5] = replace(tasks[5], pinned_to="S2")
    return Problem.from_coordinates(tasks, p.specialists)


def test_pinned_tasks_never_move():
    p = _pinned_problem()
    res = solve(p, stop=MaxGenerations(20), seed=3, params=FAST)
    assert res.feasible
    asg = res.assignment()
    assert asg["T1"] == "S2" and asg["T5"] == "S2"


def test_skills_never_violated():
    p = small_problem(n=20, m=3, seed=5)
    # T0, T3, ... need display 1; make some need display 3 (only S2 has it)
    from dataclasses import replace

    tasks = [replace(t, skills={"display": 3}) if i % 5 == 0 else t for i, t in enumerate(p.tasks)]
    p = Problem.from_coordinates(tasks, p.specialists)
    res = solve(p, stop=MaxGenerations(20), seed=1, params=FAST)
    levels = {s.id: dict(s.skills) for s in p.specialists}
    for r in res.routes:
        for tid in r.task_ids:
            t = next(t for t in p.tasks if t.id == tid)
            for name, lvl in t.skills:
                assert levels[r.specialist_id].get(name, -1) >= lvl
    assert res.feasible


def test_unservable_tasks_come_back_with_reasons():
    base = small_problem(n=8, m=2, seed=6)
    extra = [
        Task(
            id="NOSKILL",
            location=base.tasks[0].location,
            service=5,
            tw_start=480,
            tw_end=900,
            skills={"repair": 2},
            mandatory=True,
        ),
        Task(id="FAR", location=(24.5, 117.9), service=5, tw_start=480, tw_end=900, mandatory=True),
        Task(
            id="LATE",
            location=base.tasks[1].location,
            service=5,
            tw_start=1100,
            tw_end=1200,
            mandatory=True,
        ),
    ]
    p = Problem.from_coordinates(list(base.tasks) + extra, base.specialists)
    res = solve(p, stop=MaxGenerations(5), seed=0, params=FAST)
    reasons = {u.task_id: u.reason for u in res.unserved}
    assert "no specialist has skill repair level 2" in reasons["NOSKILL"]
    assert "outside every radius" in reasons["FAR"]
    assert "window cannot be met" in reasons["LATE"]
    assert res.feasible
    assert res.explanations["FAR"]["status"] == "unserved"
    assert len(res.routes) == 2
    served = {t for r in res.routes for t in r.task_ids}
    assert served | set(reasons) == {t.id for t in p.tasks}  # nothing dropped silently


def test_result_is_json_and_explains_assignments():
    p = small_problem(n=10, m=2, seed=8)
    res = solve(p, stop=MaxGenerations(5), seed=0, params=FAST)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["feasible"] is True
    served = [t for r in res.routes for t in r.task_ids]
    assert served
    e = res.explanations[served[0]]
    assert (
        e["status"] == "served"
        and "travel_in" in e["cost_terms"]
        and e["checks"]["shift_end"].startswith("ok")
    )
    # the cost breakdown adds up
    c = res.cost
    assert c.total == pytest.approx(
        c.travel + c.lateness + c.unserved_penalty + c.imbalance + c.cross_district
    )
    # and the independent checker agrees with the flag
    rep = check(
        p,
        {r.specialist_id: list(r.task_ids) for r in res.routes},
        {u.task_id: u.reason for u in res.unserved},
    )
    assert rep.ok


def test_refine_with_ortools_keeps_feasibility():
    p = small_problem(n=14, m=3, seed=9)
    res = solve(p, stop=MaxGenerations(5), seed=0, params=FAST.replace(refine=True))
    assert res.feasible
    assert res.cost.total <= res.stats["ga_cost"] + 1e-6


def test_baselines_feasible_on_same_problem():
    from dispatch.solver import finalize
    from dispatch.solver.baselines import solve_greedy, solve_ortools

    p = small_problem(n=14, m=3, seed=10)
    for routes, un in (solve_greedy(p, FAST), solve_ortools(p, FAST, seconds=1.0)):
        res = finalize(p, FAST, routes, un, {})
        assert res.feasible, res.violations


def test_decomposed_path_is_feasible_and_complete():
    from dataclasses import replace

    p = small_problem(n=40, m=4, seed=11)
    tasks = list(p.tasks)
    tasks[3] = replace(tasks[3], pinned_to="S1")
    p = Problem.from_coordinates(tasks, p.specialists)
    params = FAST.replace(decompose_above=10, allow_cross_district=True)
    res = solve(p, stop=MaxGenerations(5), seed=0, params=params)
    assert res.stats["method"] == "ga-decomposed" and res.stats["parts"] >= 2
    assert res.feasible, res.violations
    assert res.assignment()["T3"] == "S1"
    served = {t for r in res.routes for t in r.task_ids}
    assert served | {u.task_id for u in res.unserved} == {t.id for t in p.tasks}
    again = solve(p, stop=MaxGenerations(5), seed=0, params=params)
    assert _plan(again) == _plan(res)
