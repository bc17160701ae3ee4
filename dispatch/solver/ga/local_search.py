"""Education: granular local search with O(1) move evaluation.

Moves (inter-route): relocate u after/before v, or-opt (u and its
successor), swap u<->v, 2-opt* (exchange route tails). Intra-route:
relocate, swap, 2-opt (reversal). Plus insertion of unserved tasks and
removal of optional ones when their penalty is cheaper than serving them.

Every move is first screened with a distance-only lower bound (a few list
lookups) and only then evaluated exactly on time-warp segment summaries
(``segments.cat``). Pairs (u, v) whose routes did not change since u was
last examined are skipped, which makes later passes almost free. This is
the hot loop of the solver; see docs/solver.model for the profile.
"""

from __future__ import annotations

import math
import time

from .model import SearchModel
from .segments import cat, fold

EPS = 1e-7
# the driver's copy of the moves' first screen lets through what falls within this much
# of their bound, so floating-point rounding can never make it refuse a move they accept
SCREEN_SLACK = -EPS + 1e-6


class LocalSearch:
    def __init__(self, model: SearchModel):
        self.model = model
        n, m = model.n, model.m
        self.n, self.m = n, m
        T = model.T
        self.symmetric = all(T[i][j] == T[j][i] for i in range(min(len(T), 60)) for j in range(i))
        # u's cheapest round trip on a day of its own (any eligible specialist)
        self.min_round_trip = [
            min((T[n + k][u] + T[u][n + m + k] for k in model.allowed_routes[u]), default=math.inf)
            for u in range(n)
        ]

    # ------------------------------------------------------------------ state
    def _load(self, routes, unserved):
        n, m = self.n, self.m
        self.nodes = [[n + k] + list(routes[k]) + [n + m + k] for k in range(m)]
        self.where = [None] * n
        self.served = [False] * n
        self.pref = [None] * m
        self.suf = [None] * m
        self.sufx = [None] * m
        self.cost = [0.0] * m
        self.screen = [0.0] * m
        self.xsum = [0.0] * m
        self.svc = [0.0] * m
        self.mod = [0] * m
        self.clock = 1
        self.tested = [0] * n
        self.rem_at = [-1] * n
        self._empty_at = -1
        self._empty = []
        self.rem_c = [0.0] * n
        for k in range(m):
            for i in routes[k]:
                self.served[i] = True
            self._update(k)

    def _pen(self, s, k):
        c = self.travel_weight * s[0] + self.time_warp_penalty * s[2] + self.work_weight * s[1]
        if s[5] > self.model.cap[k]:
            c += self.capacity_penalty * (s[5] - self.model.cap[k])
        return c

    def _update(self, r):
        model = self.model
        seg, T = model.seg, model.T
        nodes = self.nodes[r]
        L = len(nodes)
        pref = [None] * L
        s = seg[nodes[0]]
        pref[0] = s
        for p in range(1, L):
            s = cat(s, seg[nodes[p]], T)
            pref[p] = s
        suf = [None] * L
        sufx = [None] * L
        s = seg[nodes[L - 1]]
        suf[L - 1] = s
        sx = None
        for p in range(L - 2, 0, -1):
            x = seg[nodes[p]]
            s = cat(x, s, T)
            suf[p] = s
            sx = x if sx is None else cat(x, sx, T)
            sufx[p] = sx
        suf[0] = cat(seg[nodes[0]], suf[1], T) if L > 1 else s
        self.pref[r], self.suf[r], self.sufx[r] = pref, suf, sufx
        where = self.where
        for p in range(1, L - 1):
            where[nodes[p]] = (r, p)
        xs = 0.0
        if model.xcost is not None:
            xr = model.xcost[r]
            for p in range(1, L - 1):
                xs += xr[nodes[p]]
        self.xsum[r] = xs
        self.cost[r] = self._pen(pref[L - 1], r) + xs
        sv = 0.0
        svc = self.model.service
        for p in range(1, L - 1):
            sv += svc[nodes[p]]
        self.svc[r] = sv
        # what the route's cost would be on distance and service alone, minus its cost
        # (<= 0): a move between routes a and b can only pay if the distance it saves,
        # weighted, beats -(screen[a] + screen[b]) -- the driver's first screen
        self.screen[r] = (
            self.minute_weight * pref[L - 1][0] + self.work_weight * sv + xs - self.cost[r]
        )
        self.mod[r] = self.clock
        self.clock += 1

    def _x(self, k, i):
        xc = self.model.xcost
        return 0.0 if xc is None else xc[k][i]

    # ------------------------------------------------------------------ moves
    def _relocate(self, u, ru, pu, rv, pv):
        """Move u (route ru, position pu) to just after position pv of route rv (rv != ru)."""
        model = self.model
        T = model.T
        nu, nv = self.nodes[ru], self.nodes[rv]
        a, b = nv[pv], nv[pv + 1]
        pu_, nu_ = nu[pu - 1], nu[pu + 1]
        dd = T[pu_][nu_] - T[pu_][u] - T[u][nu_] + T[a][u] + T[u][b] - T[a][b]
        old = self.cost[ru] + self.cost[rv]
        xd = 0.0
        if model.xcost is not None:
            xd = model.xcost[rv][u] - model.xcost[ru][u]
        if (
            self.minute_weight * (self.pref[ru][-1][0] + self.pref[rv][-1][0] + dd)
            + self.work_weight * (self.svc[ru] + self.svc[rv])
        ) + self.xsum[ru] + self.xsum[rv] + xd >= old - EPS:
            return False
        # the removal cost of u is shared by every insertion point tried: cache per route version
        if self.rem_at[u] == self.mod[ru]:
            c1 = self.rem_c[u]
        else:
            c1 = self._pen(cat(self.pref[ru][pu - 1], self.suf[ru][pu + 1], T), ru)
            self.rem_c[u] = c1
            self.rem_at[u] = self.mod[ru]
        base = self.xsum[ru] + self.xsum[rv] + xd - old
        # staged bound: exact removal cost + distance-only insertion cost
        lb2 = self.minute_weight * (
            self.pref[rv][-1][0] + T[a][u] + T[u][b] - T[a][b]
        ) + self.work_weight * (self.svc[rv] + model.service[u])
        if c1 + lb2 + base >= -EPS:
            return False
        p = cat(self.pref[rv][pv], model.seg[u], T)
        if c1 + lb2 + self.time_warp_penalty * p[2] + base >= -EPS:
            return False
        s2 = cat(p, self.suf[rv][pv + 1], T)
        delta = c1 + self._pen(s2, rv) + base
        if delta > -EPS:
            return False
        del nu[pu]
        nv.insert(pv + 1, u)
        self._update(ru)
        self._update(rv)
        return True

    def _oropt(self, u, ru, pu, rv, pv):
        """Move u and its successor x together after position pv of route rv."""
        model = self.model
        T = model.T
        nu, nv = self.nodes[ru], self.nodes[rv]
        if pu + 2 >= len(nu):
            return False
        x = nu[pu + 1]
        if not model.allowed[rv][x]:
            return False
        a, b = nv[pv], nv[pv + 1]
        p_, n_ = nu[pu - 1], nu[pu + 2]
        dd = T[p_][n_] - T[p_][u] - T[x][n_] + T[a][u] + T[x][b] - T[a][b]
        old = self.cost[ru] + self.cost[rv]
        xd = 0.0
        if model.xcost is not None:
            xd = model.xcost[rv][u] - model.xcost[ru][u] + model.xcost[rv][x] - model.xcost[ru][x]
        if (
            self.minute_weight * (self.pref[ru][-1][0] + self.pref[rv][-1][0] + dd)
            + self.work_weight * (self.svc[ru] + self.svc[rv])
        ) + self.xsum[ru] + self.xsum[rv] + xd >= old - EPS:
            return False
        s1 = cat(self.pref[ru][pu - 1], self.suf[ru][pu + 2], T)
        s2 = cat(
            cat(cat(self.pref[rv][pv], model.seg[u], T), model.seg[x], T), self.suf[rv][pv + 1], T
        )
        delta = self._pen(s1, ru) + self._pen(s2, rv) + self.xsum[ru] + self.xsum[rv] + xd - old
        if delta > -EPS:
            return False
        del nu[pu : pu + 2]
        nv[pv + 1 : pv + 1] = [u, x]
        self._update(ru)
        self._update(rv)
        return True

    def _swap(self, u, ru, pu, v, rv, pv):
        model = self.model
        T = model.T
        nu, nv = self.nodes[ru], self.nodes[rv]
        a, b = nu[pu - 1], nu[pu + 1]
        c, d = nv[pv - 1], nv[pv + 1]
        dd = T[a][v] + T[v][b] - T[a][u] - T[u][b] + T[c][u] + T[u][d] - T[c][v] - T[v][d]
        old = self.cost[ru] + self.cost[rv]
        xd = 0.0
        if model.xcost is not None:
            xd = model.xcost[rv][u] - model.xcost[ru][u] + model.xcost[ru][v] - model.xcost[rv][v]
        if (
            self.minute_weight * (self.pref[ru][-1][0] + self.pref[rv][-1][0] + dd)
            + self.work_weight * (self.svc[ru] + self.svc[rv])
        ) + self.xsum[ru] + self.xsum[rv] + xd >= old - EPS:
            return False
        s1 = cat(cat(self.pref[ru][pu - 1], model.seg[v], T), self.suf[ru][pu + 1], T)
        s2 = cat(cat(self.pref[rv][pv - 1], model.seg[u], T), self.suf[rv][pv + 1], T)
        delta = self._pen(s1, ru) + self._pen(s2, rv) + self.xsum[ru] + self.xsum[rv] + xd - old
        if delta > -EPS:
            return False
        nu[pu] = v
        nv[pv] = u
        self._update(ru)
        self._update(rv)
        return True

    def _two_opt_star(self, ru, pu, rv, pv):
        """Keep nodes[0..pu] of ru and nodes[0..pv] of rv, exchange the tails."""
        model = self.model
        T, seg = model.T, model.seg
        nu, nv = self.nodes[ru], self.nodes[rv]
        Lu, Lv = len(nu), len(nv)
        if pu + 1 == Lu - 1 and pv + 1 == Lv - 1:
            return False
        eu, ev = nu[-1], nv[-1]
        hu = nv[pv + 1] if pv + 1 < Lv - 1 else eu
        hv = nu[pu + 1] if pu + 1 < Lu - 1 else ev
        # distance of tails
        dd = T[nu[pu]][hu] + T[nv[pv]][hv] - T[nu[pu]][nu[pu + 1]] - T[nv[pv]][nv[pv + 1]]
        if pv + 1 < Lv - 1:
            dd += T[nv[-2]][eu] - T[nv[-2]][ev]
        if pu + 1 < Lu - 1:
            dd += T[nu[-2]][ev] - T[nu[-2]][eu]
        old = self.cost[ru] + self.cost[rv]
        xd = 0.0
        if model.xcost is not None:
            xu, xv = model.xcost[ru], model.xcost[rv]
            xd = sum(xu[i] - xv[i] for i in nv[pv + 1 : Lv - 1]) + sum(
                xv[i] - xu[i] for i in nu[pu + 1 : Lu - 1]
            )
        base = self.xsum[ru] + self.xsum[rv] + xd - old
        if (
            self.minute_weight * (self.pref[ru][-1][0] + self.pref[rv][-1][0] + dd)
            + self.work_weight * (self.svc[ru] + self.svc[rv])
            + base
            >= -EPS
        ):
            return False
        sx = self.sufx[rv][pv + 1] if pv + 1 < Lv - 1 else None
        s1 = (
            cat(self.pref[ru][pu], seg[eu], T)
            if sx is None
            else cat(self.pref[ru][pu], cat(sx, seg[eu], T), T)
        )
        c1 = self._pen(s1, ru)
        # staged bound: exact first route + distance-only second route
        if (
            c1
            + self.minute_weight * (self.pref[ru][-1][0] + self.pref[rv][-1][0] + dd - s1[0])
            + self.work_weight * (self.svc[ru] + self.svc[rv] - (s1[1] - s1[0]))
            + base
            >= -EPS
        ):
            return False
        sx = self.sufx[ru][pu + 1] if pu + 1 < Lu - 1 else None
        s2 = (
            cat(self.pref[rv][pv], seg[ev], T)
            if sx is None
            else cat(self.pref[rv][pv], cat(sx, seg[ev], T), T)
        )
        delta = c1 + self._pen(s2, rv) + base
        if delta > -EPS:
            return False
        tailu, tailv = nu[pu + 1 : Lu - 1], nv[pv + 1 : Lv - 1]
        if delta > -EPS:
            return False
        al = model.allowed
        au, av = al[ru], al[rv]
        for i in tailv:
            if not au[i]:
                return False
        for i in tailu:
            if not av[i]:
                return False
        self.nodes[ru] = nu[: pu + 1] + tailv + [eu]
        self.nodes[rv] = nv[: pv + 1] + tailu + [ev]
        self._update(ru)
        self._update(rv)
        return True

    def _intra(self, u, v, r, pu, pv):
        """Relocate / swap / 2-opt inside one route, evaluated by folding the route (O(len))."""
        model = self.model
        T, seg = model.T, model.seg
        nodes = self.nodes[r]
        old = self.cost[r]
        base_d = self.pref[r][-1][0]
        xs = self.xsum[r]
        cands = []
        # relocate u after v
        if pu != pv + 1:
            a, b = nodes[pu - 1], nodes[pu + 1]
            c, d = nodes[pv], nodes[pv + 1]
            dd = T[a][b] - T[a][u] - T[u][b] + T[c][u] + T[u][d] - T[c][d]
            if self.minute_weight * (base_d + dd) + self.work_weight * self.svc[r] + xs < old - EPS:
                new = nodes[:]
                del new[pu]
                new.insert(pv + (1 if pv < pu else 0), u)
                cands.append(new)
        # 2-opt: reverse the part between u and v
        i, j = (pu, pv) if pu < pv else (pv, pu)
        if j - i >= 1:
            if self.symmetric:
                a, b, c, d = nodes[i - 1], nodes[i], nodes[j], nodes[j + 1]
                ok = (
                    self.minute_weight * (base_d + T[a][c] + T[b][d] - T[a][b] - T[c][d])
                    + self.work_weight * self.svc[r]
                    + xs
                    < old - EPS
                )
            else:
                ok = True
            if ok:
                new = nodes[:i] + nodes[i : j + 1][::-1] + nodes[j + 1 :]
                cands.append(new)
        # swap (distance bound first; non-adjacent positions)
        if abs(pu - pv) > 1 and (
            not self.symmetric
            or self.minute_weight
            * (
                base_d
                + T[nodes[pu - 1]][v]
                + T[v][nodes[pu + 1]]
                - T[nodes[pu - 1]][u]
                - T[u][nodes[pu + 1]]
                + T[nodes[pv - 1]][u]
                + T[u][nodes[pv + 1]]
                - T[nodes[pv - 1]][v]
                - T[v][nodes[pv + 1]]
            )
            + self.work_weight * self.svc[r]
            + xs
            < old - EPS
        ):
            new = nodes[:]
            new[pu], new[pv] = v, u
            cands.append(new)
        best, bestd = None, -EPS
        for new in cands:
            s = fold(new, seg, T)
            d = self._pen(s, r) + xs - old
            if d < bestd:
                best, bestd = new, d
        if best is None:
            return False
        self.nodes[r] = best
        self._update(r)
        return True

    def _empty_routes(self, u):
        if self._empty_at != self.clock:
            self._empty = [r for r in range(self.m) if len(self.nodes[r]) == 2]
            self._empty_at = self.clock
        seen = set()
        out = []
        cls = self.model.spec_class
        al = self.model.allowed
        for r in self._empty:
            if al[r][u] and cls[r] not in seen:
                seen.add(cls[r])
                out.append(r)
        return out

    def _to_empty(self, u, ru, pu):
        model = self.model
        T, seg = model.T, model.seg
        nodes = self.nodes[ru]
        # when u's day breaks no rule and only travel is priced, leaving it saves at most
        # the detour through u: a new day costs at least its own round trip
        plain = (
            model.xcost is None
            and self.work_weight == 0.0
            and self.pref[ru][-1][2] <= 0.0
            and self.pref[ru][-1][5] <= model.cap[ru]
        )
        gain = T[nodes[pu - 1]][u] + T[u][nodes[pu + 1]] - T[nodes[pu - 1]][nodes[pu + 1]]
        if plain and self.min_round_trip[u] >= gain - EPS:
            return False  # no day of its own can pay: skip listing the empty days
        s1 = None
        for r in self._empty_routes(u):
            if r == ru:
                continue
            if plain and T[self.nodes[r][0]][u] + T[u][self.nodes[r][1]] >= gain - EPS:
                continue
            if s1 is None:
                s1 = cat(self.pref[ru][pu - 1], self.suf[ru][pu + 1], T)
            s2 = cat(cat(seg[self.nodes[r][0]], seg[u], T), seg[self.nodes[r][1]], T)
            xd = self._x(r, u) - self._x(ru, u)
            delta = self._pen(s1, ru) + self._pen(s2, r) + self.xsum[ru] + xd - self.cost[ru]
            if delta < -EPS:
                del self.nodes[ru][pu]
                self.nodes[r].insert(1, u)
                self._update(ru)
                self._update(r)
                return True
        return False

    def _insert(self, u, full: bool = False) -> bool:
        """Insert unserved u at its best granular position if that beats its penalty."""
        model = self.model
        T, seg = model.T, model.seg
        best = (-EPS, None, None)
        pen_u = model.penalty[u]
        al = model.allowed
        if full:
            cands = [(r, p) for r in model.allowed_routes[u] for p in range(len(self.nodes[r]) - 1)]
        else:
            cands = []
            for v in model.neigh[u]:
                if self.served[v]:
                    rv, pv = self.where[v]
                    if al[rv][u]:
                        cands.append((rv, pv))
                        cands.append((rv, pv - 1))
            for r in self._empty_routes(u):
                cands.append((r, 0))
        for r, p in cands:
            s = cat(cat(self.pref[r][p], seg[u], T), self.suf[r][p + 1], T)
            d = self._pen(s, r) + self._x(r, u) - (self.cost[r] - self.xsum[r]) - pen_u
            if d < best[0]:
                best = (d, r, p)
        if best[1] is None:
            if not full and not model.optional[u]:
                return self._insert(u, full=True)
            return False
        _, r, p = best
        self.nodes[r].insert(p + 1, u)
        self.served[u] = True
        self._update(r)
        return True

    def _remove(self, u, ru, pu) -> bool:
        model = self.model
        s = cat(self.pref[ru][pu - 1], self.suf[ru][pu + 1], model.T)
        d = self._pen(s, ru) + self.xsum[ru] - self._x(ru, u) - self.cost[ru] + model.penalty[u]
        if d < -EPS:
            del self.nodes[ru][pu]
            self.served[u] = False
            self.where[u] = None
            self._update(ru)
            return True
        return False

    # ------------------------------------------------------------------ driver
    def set_penalties(self, tw_penalty: float, cap_penalty: float) -> None:
        """Weights of one education: the objective's own, and this island's penalties."""
        self.travel_weight = self.model.travel_weight
        self.work_weight = self.model.work_weight
        # per minute of route duration (a lower bound used to screen moves)
        self.minute_weight = self.travel_weight + self.work_weight
        self.time_warp_penalty = tw_penalty
        self.capacity_penalty = cap_penalty

    def run(
        self,
        routes,
        unserved,
        tw_penalty: float,
        cap_penalty: float,
        rng,
        max_passes: int = 1000,
        changed=None,
        deadline: float = math.inf,
    ):
        """Educate (routes, unserved) in place of a copy; returns new (routes, unserved).

        ``changed`` (one bool per route), when given, says which routes differ from a
        plan that was already locally optimal: pairs of tasks both on unchanged routes
        are not re-examined in the first pass, so educating a child that differs from
        its parent in a few routes costs in proportion to those routes.
        """
        model = self.model
        self.set_penalties(tw_penalty, cap_penalty)
        self._load(routes, unserved)
        if changed is not None:
            c = self.clock
            self.clock += 1
            self.mod = [c if ch else 0 for ch in changed]
            self.tested = [c] * self.n
        order = list(model.active)
        al = model.allowed
        T = model.T
        served, where, mod, nodes, screen = (
            self.served,
            self.where,
            self.mod,
            self.nodes,
            self.screen,
        )
        mw = self.minute_weight
        # cross-district costs add a term per task moved: those models use the moves' own screens
        plain = model.xcost is None
        optional = model.optional
        timed = deadline != math.inf
        for _ in range(max_passes):
            rng.shuffle(order)
            improved = False
            for step, u in enumerate(order):
                # on a large instance one education can outlast the budget: stop at the
                # deadline with the plan as it stands (every state is a valid plan)
                if timed and step % 64 == 0 and time.monotonic() > deadline:
                    return self.export()
                if not self.served[u]:
                    if self._insert(u):
                        improved = True
                    continue
                last = self.tested[u]
                self.tested[u] = self.clock
                for v in model.neigh[u]:
                    if not served[v] or not served[u]:
                        continue
                    ru, pu = where[u]
                    rv, pv = where[v]
                    if mod[ru] < last and mod[rv] < last:
                        continue
                    if ru != rv:
                        if plain:
                            # the moves' own first screen (distance-only lower bound),
                            # computed here once per pair instead of inside each move
                            # call; a hair looser, so it never refuses what they accept
                            limit = SCREEN_SLACK - screen[ru] - screen[rv]
                            nu, nv = nodes[ru], nodes[rv]
                            up, un = nu[pu - 1], nu[pu + 1]
                            vp, vn = nv[pv - 1], nv[pv + 1]
                            Tu, Tv = T[u], T[v]
                            if al[rv][u]:
                                rem = T[up][un] - T[up][u] - Tu[un]
                                if (
                                    mw * (rem + Tv[u] + Tu[vn] - Tv[vn]) < limit
                                    and self._relocate(u, ru, pu, rv, pv)
                                ) or (
                                    mw * (rem + T[vp][u] + Tu[v] - T[vp][v]) < limit
                                    and self._relocate(u, ru, pu, rv, pv - 1)
                                ):
                                    improved = True
                                    continue
                                if pu + 2 < len(nu):
                                    x, xn = un, nu[pu + 2]
                                    dd = T[up][xn] - T[up][u] - T[x][xn] + Tv[u] + T[x][vn] - Tv[vn]
                                    if mw * dd < limit and self._oropt(u, ru, pu, rv, pv):
                                        improved = True
                                        continue
                                if al[ru][v]:
                                    dd = (
                                        T[up][v] + Tv[un] - T[up][u] - Tu[un]
                                        + T[vp][u] + Tu[vn] - T[vp][v] - Tv[vn]
                                    )  # fmt: skip
                                    if mw * dd < limit and self._swap(u, ru, pu, v, rv, pv):
                                        improved = True
                                        continue
                            # 2-opt*: tails after u and v, then after their predecessors
                            eu, ev = nu[-1], nv[-1]
                            du, dv = len(nu) - 1, len(nv) - 1
                            cu, cv = nu[-2], nv[-2]
                            a, b = pu, pv
                            for hd_u, nx_u, hd_v, nx_v in ((u, un, v, vn), (up, u, vp, v)):
                                if a + 1 < du or b + 1 < dv:  # else: nothing to exchange
                                    dd = (
                                        T[hd_u][nx_v if b + 1 < dv else eu]
                                        + T[hd_v][nx_u if a + 1 < du else ev]
                                        - T[hd_u][nx_u] - T[hd_v][nx_v]
                                    )  # fmt: skip
                                    if b + 1 < dv:
                                        dd += T[cv][eu] - T[cv][ev]
                                    if a + 1 < du:
                                        dd += T[cu][ev] - T[cu][eu]
                                    if mw * dd < limit and self._two_opt_star(ru, a, rv, b):
                                        improved = True
                                        break
                                a, b = pu - 1, pv - 1
                            continue
                        if al[rv][u]:
                            if self._relocate(u, ru, pu, rv, pv) or self._relocate(
                                u, ru, pu, rv, pv - 1
                            ):
                                improved = True
                                continue
                            if self._oropt(u, ru, pu, rv, pv):
                                improved = True
                                continue
                            if al[ru][v] and self._swap(u, ru, pu, v, rv, pv):
                                improved = True
                                continue
                        if self._two_opt_star(ru, pu, rv, pv) or self._two_opt_star(
                            ru, pu - 1, rv, pv - 1
                        ):
                            improved = True
                            continue
                    else:
                        if self._intra(u, v, ru, pu, pv):
                            improved = True
                            continue
                if self.served[u]:
                    ru, pu = self.where[u]
                    if self._to_empty(u, ru, pu):
                        improved = True
                        continue
                    if optional[u]:
                        ru, pu = self.where[u]
                        if self._remove(u, ru, pu):
                            improved = True
            if not improved:
                break
        return self.export()

    def export(self):
        routes = [nodes[1:-1] for nodes in self.nodes]
        unserved = [i for i in self.model.active if not self.served[i]]
        return routes, unserved

    def route_feasible(self, r) -> bool:
        s = self.pref[r][-1]
        return s[2] <= 1e-9 and s[5] <= self.model.cap[r] + 1e-9
