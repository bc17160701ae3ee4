"""The independent checker rejects each kind of violation with a specific reason."""

from dataclasses import replace

import numpy as np
import pytest

from dispatch.solver import Problem, Specialist, Task, check


def _problem(**overrides):
    # 3 tasks on a line, 2 specialists at the origin; travel = 10 min between neighbours
    tasks = [
        Task(
            id="A",
            service=5,
            tw_start=0,
            tw_end=100,
            mandatory=True,
            skills={"display": 2},
            demand=3,
        ),
        Task(id="B", service=5, tw_start=0, tw_end=22, mandatory=True, demand=3),
        Task(id="C", service=5, tw_start=0, tw_end=500, pinned_to="S2", demand=3),
    ]
    specs = [
        Specialist(id="S1", shift_start=0, shift_end=200, skills={"display": 2}, capacity=10),
        Specialist(id="S2", shift_start=0, shift_end=200, skills={"display": 1}, capacity=10),
    ]
    for key, val in overrides.items():
        if key == "tasks":
            tasks = val
        elif key == "specs":
            specs = val
    pos = [10, 20, 30] + [0, 0] + [0, 0]
    T = np.abs(np.subtract.outer(pos, pos)).astype(float)
    return Problem.from_matrix(tasks, specs, T)


def test_valid_plan_passes():
    rep = check(_problem(), {"S1": ["B", "A"], "S2": ["C"]}, {})
    assert rep.ok, rep.violations


@pytest.mark.parametrize(
    "routes,unserved,kind,fragment",
    [
        ({"S1": ["B"], "S2": ["A", "C"]}, {}, "skill", "lacks skill display level 2"),
        ({"S1": ["A", "B", "C"]}, {}, "pinned", "pinned to S2"),
        ({"S1": ["A", "B"], "S2": ["C"]}, {}, "window", "mandatory task B"),
        ({"S1": ["B", "A", "A"], "S2": ["C"]}, {}, "duplicate", "served twice"),
        ({"S1": ["B", "A", "Z"], "S2": ["C"]}, {}, "unknown_task", "unknown task 'Z'"),
        ({"S1": ["B", "A"]}, {}, "missing", "task C neither served"),
        ({"S1": ["B", "A"]}, {"C": ""}, "unserved_without_reason", "without a reason"),
        ({"S1": ["B", "A"], "S2": ["C"]}, {"A": "x"}, "duplicate", "both served and unserved"),
        ({"S1": ["B", "A"], "S9": ["C"]}, {}, "unknown_specialist", "unknown specialist"),
    ],
)
def test_checker_rejects(routes, unserved, kind, fragment):
    rep = check(_problem(), routes, unserved)
    assert not rep.ok
    msgs = [v.message for v in rep.violations if v.kind == kind]
    assert msgs, rep.violations
    assert any(fragment in m for m in msgs), msgs


def test_checker_rejects_shift_end():
    p = _problem()
    specs = [replace(p.specialists[0], shift_end=40), p.specialists[1]]
    rep = check(_problem(specs=specs), {"S1": ["B", "A"], "S2": ["C"]}, {})
    assert rep.kinds() == {"shift_end"}
    assert "after shift end 40.00" in rep.violations[0].message


def test_checker_rejects_capacity():
    p = _problem()
    specs = [replace(p.specialists[0], capacity=5), p.specialists[1]]
    rep = check(_problem(specs=specs), {"S1": ["B", "A"], "S2": ["C"]}, {})
    assert rep.kinds() == {"capacity"}
    assert "load 6 exceeds capacity 5" in rep.violations[0].message


def test_checker_rejects_radius():
    base = (23.35, 116.68)
    far = (23.45, 116.68)  # ~11 km north
    tasks = [Task(id="A", location=far, service=5)]
    specs = [Specialist(id="S1", start=base, shift_start=0, shift_end=10000, radius_km=5.0)]
    p = Problem.from_coordinates(tasks, specs)
    rep = check(p, {"S1": ["A"]}, {})
    assert rep.kinds() == {"radius"}
    assert "radius 5.0 km" in rep.violations[0].message
    # allowed when cross-district help is on
    assert check(p, {"S1": ["A"]}, {}, allow_cross_district=True).ok


def test_soft_window_lateness_is_not_a_violation():
    tasks = [Task(id="A", service=5, tw_start=0, tw_end=1, mandatory=False)]
    specs = [Specialist(id="S1", shift_start=0, shift_end=100)]
    p = Problem.from_matrix(tasks, specs, np.full((3, 3), 10.0))
    assert check(p, {"S1": ["A"]}, {}).ok
    hard = [Task(id="A", service=5, tw_start=0, tw_end=1, mandatory=True)]
    p2 = Problem.from_matrix(hard, specs, np.full((3, 3), 10.0))
    assert check(p2, {"S1": ["A"]}, {}).kinds() == {"window"}
