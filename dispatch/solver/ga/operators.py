"""Variation operators on route lists (one route per specialist).

Crossover is route based (in the spirit of SREX): the child keeps a random
subset of parent A's routes on their specialists and fills the others with
parent B's routes minus the tasks already placed; a B route whose
specialist is taken moves to an identical free specialist if one exists.
Tasks left out become "unserved" and education re-inserts them, so repair
and improvement are one step. Mutation is a small ruin: a task and its
nearest neighbours are removed and left to education to re-insert.
"""

from __future__ import annotations

from .model import SearchModel


def crossover(model: SearchModel, p1: list, p2: list, rng) -> tuple[list, list]:
    m = model.m
    ne1 = [r for r in range(m) if p1[r]]
    ne2 = [r for r in range(m) if p2[r]]
    child = [[] for _ in range(m)]
    used = set()
    taken = set()
    if ne1:
        k = rng.randint(1, max(1, len(ne1) - 1)) if len(ne1) > 1 else 1
        for r in rng.sample(ne1, k):
            child[r] = list(p1[r])
            used.update(p1[r])
            taken.add(r)
    rng.shuffle(ne2)
    cls = model.spec_class
    for r in ne2:
        rest = [i for i in p2[r] if i not in used]
        if not rest:
            continue
        target = r
        if r in taken:
            target = -1
            for q in range(m):
                if q not in taken and cls[q] == cls[r]:
                    target = q
                    break
            if target < 0:
                continue
        child[target] = rest
        taken.add(target)
        used.update(rest)
    unserved = [i for i in model.active if i not in used]
    return child, unserved


def ruin(
    model: SearchModel, routes: list, unserved: list, rng, fraction: float = 0.1
) -> tuple[list, list]:
    served = [i for r in routes for i in r]
    if not served:
        return routes, unserved
    s = rng.choice(served)
    size = max(2, int(len(model.active) * fraction))
    drop = {s}
    for v in model.neigh[s]:
        if len(drop) >= size:
            break
        drop.add(v)
    new_routes = [[i for i in r if i not in drop] for r in routes]
    still = set(unserved)
    new_un = list(unserved) + [i for i in served if i in drop and i not in still]
    return new_routes, new_un


def ruin_region(
    model: SearchModel, routes: list, unserved: list, rng, size: int
) -> tuple[list, list]:
    """Remove ``size`` served tasks around a random one: its granular neighbours and,
    through them, short strings of their routes (so a few routes open up in one area)."""
    served = [i for r in routes for i in r]
    if not served:
        return routes, unserved
    pos = {}
    for k, r in enumerate(routes):
        for p, i in enumerate(r):
            pos[i] = (k, p)
    seed = rng.choice(served)
    drop = {seed}
    for v in [seed] + list(model.neigh[seed]):
        if len(drop) >= size:
            break
        if v not in pos:
            continue
        k, p = pos[v]
        r = routes[k]
        length = rng.randint(1, 3)
        start = max(0, p - rng.randint(0, length - 1))
        for i in r[start : start + length]:
            if len(drop) < size:
                drop.add(i)
    new_routes = [[i for i in r if i not in drop] for r in routes]
    still = set(unserved)
    return new_routes, list(unserved) + [i for i in served if i in drop and i not in still]
