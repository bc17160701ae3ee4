"""VRPLIB reader + distance convention: the shipped BKS routes cost exactly the BKS value."""

import csv

import pytest

from bench.solver.paths import default_data_dir
from bench.solver.vrplib import read_solution, read_vrplib
from dispatch.solver import Params, check
from dispatch.solver.cost import evaluate

SOLOMON = default_data_dir() / "solomon"
pytestmark = pytest.mark.skipif(
    not (SOLOMON / "bks.csv").exists(), reason="shared benchmark data not present"
)


def _bks():
    with open(SOLOMON / "bks.csv") as f:
        return {r["instance"]: float(r["distance"]) for r in csv.DictReader(f)}


def test_reader_parses_c101():
    inst = read_vrplib(SOLOMON / "C101.vrp")
    p = inst.problem
    assert inst.name == "C101" and inst.vehicles == 25
    assert p.n_tasks == 100 and p.n_specialists == 25
    assert p.specialists[0].capacity == 200 and p.specialists[0].shift_end == 1236
    t1 = p.tasks[0]
    assert (t1.id, t1.demand, t1.tw_start, t1.tw_end, t1.service) == ("1", 10, 912, 967, 90)
    # distance depot -> customer 1 = trunc(10 * sqrt(5^2 + 18^2)) / 10 = 18.6
    assert p.travel[p.start_loc(0), 0] == pytest.approx(18.6)


@pytest.mark.parametrize("name", ["C101", "C208", "R101", "R211", "RC105", "RC208"])
def test_bks_routes_recompute_to_bks(name):
    inst = read_vrplib(SOLOMON / f"{name}.vrp")
    p = inst.problem
    routes, cost_line = read_solution(SOLOMON / f"{name}.sol")
    tix = p.task_index()
    idx_routes = [[tix[str(c)] for c in r] for r in routes] + [
        [] for _ in range(p.n_specialists - len(routes))
    ]
    _, cb = evaluate(p, Params(), idx_routes, [])
    assert cb.travel_minutes == pytest.approx(_bks()[name], abs=0.1)
    assert cb.travel_minutes == pytest.approx(cost_line, abs=0.1)
    rep = check(p, {p.specialists[k].id: [str(c) for c in r] for k, r in enumerate(routes)}, {})
    assert rep.ok, rep.violations[:3]


def test_all_shipped_bks_recompute():
    bks = _bks()
    for name, val in bks.items():
        inst = read_vrplib(SOLOMON / f"{name}.vrp")
        p = inst.problem
        routes, _ = read_solution(SOLOMON / f"{name}.sol")
        tix = p.task_index()
        idx = [[tix[str(c)] for c in r] for r in routes] + [
            [] for _ in range(p.n_specialists - len(routes))
        ]
        _, cb = evaluate(p, Params(), idx, [])
        assert abs(cb.travel_minutes - val) <= 0.1, name
