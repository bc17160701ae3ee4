"""The genetic algorithm: one island (population, penalties, RNG).

DEAP provides the individual/fitness types (``creator``), the toolbox
that wires our operators, tournament selection (``tools.selTournament``)
and the hall of fame (``tools.HallOfFame``) holding the best feasible plan
by exact cost. A *generation* is one offspring: select two parents, cross,
maybe mutate, educate (local search + exact B&B resequencing of short
routes), insert, and trim the population by cost-and-diversity rank when
it grows past population_size + generation_size (HGS-style survivors).

All randomness flows from one ``random.Random`` owned by the island; the
global ``random`` module (used inside DEAP's selection) is re-seeded from
it before each use, so a seed reproduces a run exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np
from deap import base, creator, tools

from ..bnb import best_sequence
from ..params import Params
from .construct import construct, insert_all
from .local_search import LocalSearch
from .model import SearchModel, exact_cost
from .operators import crossover, ruin, ruin_region

if not hasattr(creator, "DispatchFitness"):
    creator.create("DispatchFitness", base.Fitness, weights=(-1.0,))
if not hasattr(creator, "DispatchPlan"):
    creator.create("DispatchPlan", list, fitness=creator.DispatchFitness)


def _plan(routes, unserved, pen, feasible, exact, exact_ok):
    ind = creator.DispatchPlan([list(r) for r in routes])
    ind.unserved = list(unserved)
    ind.fitness.values = (pen,)
    ind.feasible = feasible
    ind.exact = exact
    ind.exact_ok = exact_ok
    return ind


class Island:
    def __init__(self, model: SearchModel, params: Params, seed: int, inactive: list):
        self.model = model
        self.p = params
        self.rng = random.Random(seed)
        self.local_search = LocalSearch(model)
        self.inactive = list(inactive)
        maxd = max((max(row) for row in model.T), default=1.0) or 1.0
        maxq = max(model.demand, default=0.0)
        opt = sorted(model.penalty[i] for i in model.active if model.optional[i])
        # a minute of time warp must not be cheaper than dropping a typical optional task
        self.tw_pen = max(5.0, opt[len(opt) // 2] / 10.0) if opt else 5.0
        self.cap_pen = max(1.0, maxd / maxq) if maxq > 0 else 1.0
        self.hist_tw: list = []
        self.hist_cap: list = []
        self.pop: list = []
        self.hof = tools.HallOfFame(1)
        self.generation = 0
        self.bnb_cache: dict = {}
        self.toolbox = base.Toolbox()
        self.toolbox.register("select", tools.selTournament, tournsize=2)
        self.toolbox.register("mate", crossover, self.model)
        self.toolbox.register("mutate", ruin, self.model)
        self.toolbox.register("educate", self.educate)
        self.best_history: list = []
        # Solomon-sized instances keep the search they were tuned with; above the threshold
        # construction, recreate and partial education pay for themselves
        self.large = len(model.active) > params.ruin_recreate_above
        self.deadline = float("inf")  # educations stop here (set by initialise / run)

    # ----------------------------------------------------------- education
    def _bnb(self, routes) -> None:
        """Replace each short feasible route by its proven-optimal order."""
        model, lim = self.model, self.p.bnb_max_tasks
        if lim < 2:
            return
        T = model.T
        earliest, latest, service_times = self._bnb_arrays()
        n, m = model.n, model.m
        for k, r in enumerate(routes):
            if not 2 <= len(r) <= lim:
                continue
            key = (k, tuple(sorted(r)))
            hit = self.bnb_cache.get(key)
            if hit is None:
                cur = 0.0
                prev = n + k
                for i in r:
                    cur += T[prev][i]
                    prev = i
                cur += T[prev][n + m + k]
                res = best_sequence(
                    T,
                    n + k,
                    n + m + k,
                    r,
                    earliest,
                    latest,
                    service_times,
                    model.shift_start[k],
                    model.shift_end[k],
                    upper_bound=cur - 1e-7,
                )
                hit = res.order if res is not None else tuple(r)
                if len(self.bnb_cache) > 200000:
                    self.bnb_cache.clear()
                self.bnb_cache[key] = hit
            # cached order is optimal among feasible ones; only use it if the current is not better
            if list(hit) != r:
                routes[k] = list(hit)

    def _bnb_arrays(self):
        if not hasattr(self, "_bnb_ar"):
            model = self.model
            earliest = model.tw_start + [0.0] * (2 * model.m)
            latest = [model.seg[i][4] for i in range(model.n)] + [1e18] * (2 * model.m)
            service_times = model.service + [0.0] * (2 * model.m)
            self._bnb_ar = (earliest, latest, service_times)
        return self._bnb_ar

    def _route_ok(self, k, r) -> bool:
        model = self.model
        T = model.T
        n, m = model.n, model.m
        t = model.shift_start[k]
        prev = n + k
        load = 0.0
        for i in r:
            a = t + T[prev][i]
            if a < model.tw_start[i]:
                a = model.tw_start[i]
            if a > model.seg[i][4] + 1e-9:
                return False
            t = a + model.service[i]
            load += model.demand[i]
            prev = i
        return t + T[prev][n + m + k] <= model.shift_end[k] + 1e-9 and load <= model.cap[k] + 1e-9

    def educate(self, routes, unserved, tw_pen=None, cap_pen=None, changed=None):
        tw_pen = self.tw_pen if tw_pen is None else tw_pen
        cap_pen = self.cap_pen if cap_pen is None else cap_pen
        routes, unserved = self.local_search.run(
            routes, unserved, tw_pen, cap_pen, self.rng, changed=changed, deadline=self.deadline
        )
        search = self.local_search
        feas_tw = all(search.pref[k][-1][2] <= 1e-9 for k in range(self.model.m))
        feas_cap = all(
            search.pref[k][-1][5] <= self.model.cap[k] + 1e-9 for k in range(self.model.m)
        )
        if feas_tw and feas_cap:
            # B&B only reorders feasible short routes (cost = travel only, windows hard)
            before = [list(r) for r in routes]
            self._bnb(routes)
            for k in range(self.model.m):
                if routes[k] != before[k] and not self._route_ok(k, routes[k]):
                    routes[k] = before[k]
        pen = sum(search.cost) + sum(self.model.penalty[i] for i in unserved)
        ls_routes = [nodes[1:-1] for nodes in search.nodes]
        if routes != ls_routes:
            pen2 = self._pen_of(routes, unserved, tw_pen, cap_pen)
            if pen2 <= pen + 1e-9:
                pen = pen2
            else:  # B&B optimises travel only; keep the LS order if the full cost says so
                routes = ls_routes
        ex, ok = exact_cost(self.model, routes, unserved + self.inactive)
        return _plan(routes, unserved, pen, feas_tw and feas_cap, ex, ok), feas_tw, feas_cap

    def _pen_of(self, routes, unserved, tw_pen, cap_pen):
        self.local_search.set_penalties(tw_pen, cap_pen)
        self.local_search._load(routes, unserved)
        return sum(self.local_search.cost) + sum(self.model.penalty[i] for i in unserved)

    # ----------------------------------------------------------- population
    def _succ(self, ind) -> np.ndarray:
        s = np.full(self.model.n, -2, dtype=np.int64)
        for r in ind:
            for a, b in zip(r, r[1:] + [-1], strict=False):
                s[a] = b
        return s

    def _add(self, ind) -> None:
        ind.succ = self._succ(ind)
        self.pop.append(ind)
        if ind.exact_ok:
            cand = creator.DispatchPlan([list(r) for r in ind])
            cand.unserved = list(ind.unserved)
            cand.fitness.values = (ind.exact,)
            cand.exact = ind.exact
            self.hof.update([cand])
        if len(self.pop) >= self.p.population_size + self.p.generation_size:
            self._survivors()

    def _survivors(self) -> None:
        mu = self.p.population_size
        while len(self.pop) > mu:
            P = len(self.pop)
            S = np.stack([ind.succ for ind in self.pop])
            D = (S[:, None, :] != S[None, :, :]).mean(axis=2)
            np.fill_diagonal(D, np.inf)
            # clones go first
            clone = np.where(D.min(axis=1) == 0)[0]
            if len(clone):
                worst_clone = max(clone, key=lambda i: (self.pop[i].fitness.values[0], i))
                del self.pop[worst_clone]
                continue
            nc = min(self.p.n_close, P - 1)
            div = np.sort(D, axis=1)[:, :nc].mean(axis=1)
            fit = np.array([ind.fitness.values[0] for ind in self.pop])
            rf = np.argsort(np.argsort(fit, kind="stable"), kind="stable")
            rd = np.argsort(np.argsort(-div, kind="stable"), kind="stable")
            w = 1.0 - min(self.p.n_elite, P) / P
            biased = rf / max(1, P - 1) + w * rd / max(1, P - 1)
            del self.pop[int(np.argmax(biased))]

    def _adapt(self, feas_tw: bool, feas_cap: bool) -> None:
        self.hist_tw.append(feas_tw)
        self.hist_cap.append(feas_cap)
        if len(self.hist_tw) >= 25:
            tgt = self.p.target_feasible
            for attr, hist in (("tw_pen", self.hist_tw), ("cap_pen", self.hist_cap)):
                frac = sum(hist) / len(hist)
                v = getattr(self, attr)
                if frac < tgt - 0.05:
                    v = min(1e5, v * 1.3)
                elif frac > tgt + 0.05:
                    v = max(0.1, v * 0.85)
                setattr(self, attr, v)
            self.hist_tw, self.hist_cap = [], []

    # ----------------------------------------------------------- run
    def initialise(self, deadline: float = float("inf")) -> None:
        """Build and educate the first population (stops early at the deadline, keeping >= 2)."""
        model = self.model
        # the initial population may take at most a third of the budget: on a large
        # instance the generations after it are what improves the plan
        now = time.monotonic()
        init_deadline = now + (deadline - now) / 3.0 if deadline != float("inf") else deadline
        self.deadline = deadline
        for _ in range(self.p.population_size):
            if len(self.pop) >= 2 and time.monotonic() >= init_deadline:
                break
            if self.large:
                # a complete feasible plan by cheapest insertion over every eligible
                # specialist (noisy order for diversity), then education
                routes, un = construct(model, self.rng)
            else:
                # small: pinned tasks start on their specialist, education inserts the rest
                # in a random order (cheap, and the most diverse start)
                routes = [[] for _ in range(model.m)]
                for i in model.active:
                    if model.pin[i] >= 0:
                        routes[model.pin[i]].append(i)
                un = [i for i in model.active if model.pin[i] < 0]
                self.rng.shuffle(un)
            ind, ft, fc = self.educate(routes, un)
            self._adapt(ft, fc)
            self._add(ind)
            if not ind.feasible and self.rng.random() < 0.5:
                rep, ft2, fc2 = self.educate(
                    [list(r) for r in ind], list(ind.unserved), self.tw_pen * 10, self.cap_pen * 10
                )
                if rep.feasible:
                    self._add(rep)

    def best_cost(self) -> float:
        return self.hof[0].exact if len(self.hof) else float("inf")

    def step(self) -> None:
        """One generation = one educated offspring."""
        random.seed(self.rng.getrandbits(64))
        p1, p2 = self.toolbox.select(self.pop, 2)
        if self.large and self.rng.random() < self.p.ruin_recreate_share:
            # large instance: half the offspring are one parent with a small region ruined;
            # it is recreated and re-educated only where it changed, so it costs a fraction
            # of a crossover child and the search keeps moving within a short budget
            size = self.rng.randint(4, max(5, min(25, len(self.model.active) // 15)))
            routes, un = ruin_region(
                self.model, [list(r) for r in p1], list(p1.unserved), self.rng, size
            )
        else:
            routes, un = self.toolbox.mate(p1, p2, self.rng)
            if self.rng.random() < self.p.mutation_rate:
                routes, un = self.toolbox.mutate(routes, un, self.rng)
        changed = None
        if self.large:
            # recreate: left-out tasks go to their cheapest feasible slot on any eligible
            # specialist (the granular insertion only looks near neighbours), and education
            # re-examines only what differs from the first parent
            routes, un = insert_all(self.model, routes, un, self.rng)
            changed = [routes[r] != p1[r] for r in range(self.model.m)]
        ind, ft, fc = self.toolbox.educate(routes, un, changed=changed)
        self._adapt(ft, fc)
        self._add(ind)
        if not ind.feasible and self.rng.random() < 0.5:
            rep, _, _ = self.toolbox.educate(
                [list(r) for r in ind], list(ind.unserved), self.tw_pen * 10, self.cap_pen * 10
            )
            if rep.feasible:
                self._add(rep)
        self.generation += 1

    def run(
        self,
        n_generations: float,
        deadline: float,
        on_generation: Callable[[int, float], bool] | None = None,
    ) -> None:
        """Run until n_generations more generations or the monotonic deadline."""
        target = self.generation + n_generations
        self.deadline = deadline
        while self.generation < target and time.monotonic() < deadline:
            self.step()
            if on_generation is not None and on_generation(self.generation, self.best_cost()):
                break

    def inject(self, routes, unserved) -> None:
        """Migration: add a foreign plan (re-evaluated under this island's penalties)."""
        routes, unserved = [list(r) for r in routes], list(unserved)
        if self.large:
            # the migrant is already locally optimal: on a large instance a full education
            # would cost the receiving island several of its few generations; score it only
            pen = self._pen_of(routes, unserved, self.tw_pen, self.cap_pen)
            ex, ok = exact_cost(self.model, routes, unserved + self.inactive)
            self._add(_plan(routes, unserved, pen, ok, ex, ok))
            return
        ind, _, _ = self.educate(routes, unserved)
        self._add(ind)

    def best_plan(self):
        if len(self.hof):
            h = self.hof[0]
            return [list(r) for r in h], list(h.unserved), h.exact, True
        ind = min(self.pop, key=lambda x: x.fitness.values[0])
        return [list(r) for r in ind], list(ind.unserved), ind.exact, False
