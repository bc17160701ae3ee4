"""Branch and bound for the best order of a few tasks on one specialist.

Problem: visit every task once between start and end, start each task
inside [E_i, L_i] (waiting allowed), return by the end's latest time;
minimise total travel. This is a TSP with time windows on <= ~10 nodes.

Why our own B&B rather than CP-SAT: it is called thousands of times per
solve on 3-10 nodes; building a CP-SAT model costs milliseconds each
time, while this search usually finishes in tens of microseconds to a few
milliseconds. Pruning:
  * bound: cost so far + sum over unvisited nodes of their cheapest
    incoming arc + cheapest arc into the end (valid for any completion);
  * feasibility: extending to a node whose window is already closed;
  * dominance: a partial path (same visited set, same last node) that is
    both cheaper and earlier than another makes the other useless.
The optimum is proven when the search tree is exhausted.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SequenceResult:
    cost: float
    order: tuple
    nodes_explored: int


def _route_cost(T, start, end, order, E, L, S, t0, t_end_max):
    t = t0
    prev = start
    cost = 0.0
    for i in order:
        d = T[prev][i]
        cost += d
        a = t + d
        if a < E[i]:
            a = E[i]
        if a > L[i] + 1e-9:
            return None
        t = a + S[i]
        prev = i
    d = T[prev][end]
    cost += d
    if t + d > t_end_max + 1e-9:
        return None
    return cost


def brute_force_sequence(
    T, start: int, end: int, tasks: Sequence[int], E, L, S, t0: float, t_end_max: float
) -> SequenceResult | None:
    """Reference enumeration of all orders (for tests)."""
    best = None
    for perm in itertools.permutations(tasks):
        c = _route_cost(T, start, end, perm, E, L, S, t0, t_end_max)
        if c is not None and (best is None or c < best.cost - 1e-12):
            best = SequenceResult(c, tuple(perm), 0)
    return best


def best_sequence(
    T,
    start: int,
    end: int,
    tasks: Sequence[int],
    E,
    L,
    S,
    t0: float,
    t_end_max: float,
    upper_bound: float = float("inf"),
    node_limit: int = 200000,
) -> SequenceResult | None:
    """Optimal order (cost < upper_bound) or None if none exists/improves.

    ``E``, ``L``, ``S`` are indexable by node id (earliest start, latest
    start, service). If ``node_limit`` is hit the best order found so far
    is returned (not proven); callers use small routes so it never is in
    practice.
    """
    tasks = list(tasks)
    k = len(tasks)
    if k == 0:
        c = T[start][end]
        return SequenceResult(c, (), 1) if c < upper_bound and t0 + c <= t_end_max + 1e-9 else None
    nodes = [start] + tasks
    min_in = [min(T[a][b] for a in nodes if a != b) for b in tasks]
    min_end = min(T[a][end] for a in tasks)
    best_cost = [upper_bound]
    best_order = [None]
    explored = [0]
    dom: dict = {}
    full = (1 << k) - 1
    path = []

    def dfs(last, mask, t, cost, rest_lb):
        explored[0] += 1
        if explored[0] > node_limit:
            return
        if mask == full:
            d = T[last][end]
            if t + d <= t_end_max + 1e-9 and cost + d < best_cost[0] - 1e-9:
                best_cost[0] = cost + d
                best_order[0] = tuple(path)
            return
        if cost + rest_lb + min_end >= best_cost[0] - 1e-9:
            return
        key = (mask, last)
        lst = dom.get(key)
        if lst is not None:
            for c2, t2 in lst:
                if c2 <= cost + 1e-12 and t2 <= t + 1e-12:
                    return
            lst[:] = [(c2, t2) for c2, t2 in lst if not (cost <= c2 and t <= t2)]
            lst.append((cost, t))
        else:
            dom[key] = [(cost, t)]
        row = T[last]
        cand = sorted((row[tasks[j]], j) for j in range(k) if not mask & (1 << j))
        for d, j in cand:
            i = tasks[j]
            a = t + d
            if a < E[i]:
                a = E[i]
            if a > L[i] + 1e-9:
                continue
            path.append(i)
            dfs(i, mask | (1 << j), a + S[i], cost + d, rest_lb - min_in[j])
            path.pop()

    dfs(start, 0, t0, 0.0, sum(min_in))
    if best_order[0] is None:
        return None
    return SequenceResult(best_cost[0], best_order[0], explored[0])
