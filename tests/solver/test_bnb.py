"""Branch and bound returns the proven optimum (checked against brute force)."""

import numpy as np
import pytest

from dispatch.solver.bnb import best_sequence, brute_force_sequence


def _instance(seed, k, tight):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 100, size=(k + 2, 2))
    T = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(axis=2)).tolist()
    E = [0.0] * (k + 2)
    L = [1e9] * (k + 2)
    S = [0.0] * (k + 2)
    for i in range(k):
        if tight:
            E[i] = float(rng.uniform(0, 300))
            L[i] = E[i] + float(rng.uniform(30, 150))
        S[i] = float(rng.uniform(0, 20))
    return T, list(range(k)), k, k + 1, E, L, S


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k,tight", [(6, False), (7, False), (6, True), (7, True)])
def test_bnb_matches_brute_force(seed, k, tight):
    T, tasks, start, end, E, L, S = _instance(seed, k, tight)
    t_end = 1e9 if not tight else 600.0
    bf = brute_force_sequence(T, start, end, tasks, E, L, S, 0.0, t_end)
    bb = best_sequence(T, start, end, tasks, E, L, S, 0.0, t_end)
    if bf is None:
        assert bb is None
    else:
        assert bb is not None
        assert bb.cost == pytest.approx(bf.cost, abs=1e-9)
        assert sorted(bb.order) == sorted(tasks)


def test_bnb_upper_bound_means_strictly_better_or_none():
    T, tasks, start, end, E, L, S = _instance(3, 6, False)
    bf = brute_force_sequence(T, start, end, tasks, E, L, S, 0.0, 1e9)
    assert (
        best_sequence(T, start, end, tasks, E, L, S, 0.0, 1e9, upper_bound=bf.cost - 1e-6) is None
    )
    assert best_sequence(
        T, start, end, tasks, E, L, S, 0.0, 1e9, upper_bound=bf.cost + 1
    ).cost == pytest.approx(bf.cost)


def test_bnb_prunes():
    T, tasks, start, end, E, L, S = _instance(5, 8, False)
    bb = best_sequence(T, start, end, tasks, E, L, S, 0.0, 1e9)
    assert bb.nodes_explored < 109601  # total nodes of the full 8-task enumeration tree
