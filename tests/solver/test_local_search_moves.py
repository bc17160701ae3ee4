"""The local search's O(1) move evaluation against a from-scratch simulation.

For random plans and random penalty weights, every inter-route move the search
examines is checked both ways: a move it makes must lower the penalised cost as a
plain forward simulation (time warp, Vidal et al. 2013) computes it, and a move it
turns down must not lower it (its screens are lower bounds, so nothing improving may
be skipped). The same holds for the driver loop's own screens: one education must
end in a plan no single such move improves.
"""

from __future__ import annotations

import random

import pytest

from dispatch.solver.eligibility import compute_eligibility
from dispatch.solver.ga.local_search import LocalSearch
from dispatch.solver.ga.model import build_model

from .helpers import FAST, small_problem

TOL = 1e-6


def _model(seed):
    problem = small_problem(n=24, m=4, seed=seed)
    model = build_model(problem, FAST, compute_eligibility(problem, FAST))
    assert model.xcost is None and model.work_weight == 0.0
    return model


def _simulated(model, nodes, k, tw_pen, cap_pen):
    """Penalised cost of one route by forward simulation (independent of segments.py)."""
    T, seg = model.T, model.seg
    t = seg[nodes[0]][3]
    dist = warp = load = 0.0
    for a, b in zip(nodes, nodes[1:], strict=False):
        dist += T[a][b]
        t += seg[a][1] + T[a][b]
        if t < seg[b][3]:
            t = seg[b][3]
        if t > seg[b][4]:
            warp += t - seg[b][4]
            t = seg[b][4]
        load += seg[b][5]
    return model.travel_weight * dist + tw_pen * warp + cap_pen * max(0.0, load - model.cap[k])


def _total(model, routes, tw_pen, cap_pen):
    return sum(_simulated(model, routes[k], k, tw_pen, cap_pen) for k in range(model.m))


def _random_plan(model, rng):
    routes = [[] for _ in range(model.m)]
    for i in model.active:
        routes[rng.choice(model.allowed_routes[i])].append(i)
    for r in routes:
        rng.shuffle(r)
    return routes


# what each move does to a copy of the node lists (the brute-force side)
def _do_relocate(nodes, u, ru, pu, rv, pv):
    del nodes[ru][pu]
    nodes[rv].insert(pv + 1, u)


def _do_oropt(nodes, u, ru, pu, rv, pv):
    x = nodes[ru][pu + 1]
    del nodes[ru][pu : pu + 2]
    nodes[rv][pv + 1 : pv + 1] = [u, x]


def _do_swap(nodes, u, ru, pu, v, rv, pv):
    nodes[ru][pu], nodes[rv][pv] = v, u


def _do_two_opt_star(nodes, ru, pu, rv, pv):
    nu, nv = nodes[ru], nodes[rv]
    nodes[ru] = nu[: pu + 1] + nv[pv + 1 : -1] + [nu[-1]]
    nodes[rv] = nv[: pv + 1] + nu[pu + 1 : -1] + [nv[-1]]


def _check(model, search, before_nodes, made, brute, tw_pen, cap_pen, legal=True):
    before = _total(model, before_nodes, tw_pen, cap_pen)
    if made:
        after = _total(model, search.nodes, tw_pen, cap_pen)
        assert after < before - 1e-9
        assert sum(search.cost) == pytest.approx(after, abs=TOL)
    else:
        assert search.nodes == before_nodes
        if legal:
            trial = [list(r) for r in before_nodes]
            move, args = brute
            move(trial, *args)
            assert _total(model, trial, tw_pen, cap_pen) >= before - TOL


@pytest.mark.parametrize("seed", range(6))
def test_move_evaluation_matches_a_full_simulation(seed):
    rng = random.Random(seed)
    model = _model(seed)
    search = LocalSearch(model)
    allowed = model.allowed
    checked = 0
    for _ in range(40):
        tw_pen = rng.choice([0.2, 1.0, 5.0, 50.0])
        cap_pen = rng.choice([1.0, 10.0])
        search.set_penalties(tw_pen, cap_pen)
        search._load(_random_plan(model, rng), [])
        assert sum(search.cost) == pytest.approx(
            _total(model, search.nodes, tw_pen, cap_pen), abs=TOL
        )
        for _ in range(30):
            u, v = rng.sample(model.active, 2)
            ru, pu = search.where[u]
            rv, pv = search.where[v]
            if ru == rv:
                continue
            before = [list(r) for r in search.nodes]
            kind = rng.randrange(5)
            if kind == 0 and allowed[rv][u]:
                made = search._relocate(u, ru, pu, rv, pv)
                brute = (_do_relocate, (u, ru, pu, rv, pv))
                _check(model, search, before, made, brute, tw_pen, cap_pen)
            elif kind == 1 and allowed[rv][u]:
                made = search._relocate(u, ru, pu, rv, pv - 1)
                brute = (_do_relocate, (u, ru, pu, rv, pv - 1))
                _check(model, search, before, made, brute, tw_pen, cap_pen)
            elif kind == 2 and allowed[rv][u]:
                x_ok = pu + 2 < len(before[ru]) and allowed[rv][before[ru][pu + 1]]
                made = search._oropt(u, ru, pu, rv, pv)
                brute = (_do_oropt, (u, ru, pu, rv, pv))
                _check(model, search, before, made, brute, tw_pen, cap_pen, legal=x_ok)
            elif kind == 3 and allowed[rv][u] and allowed[ru][v]:
                made = search._swap(u, ru, pu, v, rv, pv)
                brute = (_do_swap, (u, ru, pu, v, rv, pv))
                _check(model, search, before, made, brute, tw_pen, cap_pen)
            elif kind == 4:
                tail_ok = all(allowed[ru][i] for i in before[rv][pv + 1 : -1]) and all(
                    allowed[rv][i] for i in before[ru][pu + 1 : -1]
                )
                made = search._two_opt_star(ru, pu, rv, pv)
                brute = (_do_two_opt_star, (ru, pu, rv, pv))
                _check(model, search, before, made, brute, tw_pen, cap_pen, legal=tail_ok)
            else:
                continue
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("seed", range(4))
def test_education_ends_where_no_granular_move_improves(seed):
    """The driver loop's screens skip nothing: after run(), no relocate, swap or 2-opt*
    between a task and one of its granular neighbours lowers the simulated cost."""
    rng = random.Random(seed)
    model = _model(seed)
    search = LocalSearch(model)
    tw_pen, cap_pen = 5.0, 10.0
    routes, _ = search.run(_random_plan(model, rng), [], tw_pen, cap_pen, rng)
    nodes = [[model.n + k] + routes[k] + [model.n + model.m + k] for k in range(model.m)]
    base = _total(model, nodes, tw_pen, cap_pen)
    where = {i: (k, p) for k, r in enumerate(nodes) for p, i in enumerate(r[1:-1], 1)}
    for u in model.active:
        for v in model.neigh[u]:
            if u not in where or v not in where:
                continue
            (ru, pu), (rv, pv) = where[u], where[v]
            if ru == rv:
                continue
            trials = []
            if model.allowed[rv][u]:
                trials.append((_do_relocate, (u, ru, pu, rv, pv)))
                trials.append((_do_relocate, (u, ru, pu, rv, pv - 1)))
                if model.allowed[ru][v]:
                    trials.append((_do_swap, (u, ru, pu, v, rv, pv)))
            for a, b in ((pu, pv), (pu - 1, pv - 1)):
                if all(model.allowed[ru][i] for i in nodes[rv][b + 1 : -1]) and all(
                    model.allowed[rv][i] for i in nodes[ru][a + 1 : -1]
                ):
                    trials.append((_do_two_opt_star, (ru, a, rv, b)))
            for move, args in trials:
                trial = [list(r) for r in nodes]
                move(trial, *args)
                assert _total(model, trial, tw_pen, cap_pen) >= base - TOL
