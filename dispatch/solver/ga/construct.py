"""Construction and filling by cheapest feasible insertion over every eligible specialist.

Why: with many specialists and skills, the granular insertion inside the local search
only looks next to a task's nearest neighbours; on a 500-task district it left tens of
tasks unserved that fitted somewhere (the plan had room: each one had a feasible slot in
some eligible specialist's day). Here each task is offered to *every* eligible
specialist at every position, evaluated in O(1) per position on time-warp segment
summaries, and only hard-feasible insertions are taken (no time warp, capacity kept),
so the plan built or filled this way is always valid.

Order: mandatory and pinned tasks first, then the tasks with the fewest eligible
specialists (the specialists' scarce skills are spent on the tasks that need them),
then tight windows and high priority; a little noise from ``rng`` gives diverse
starting plans for the population.
"""

from __future__ import annotations

from .model import SearchModel
from .segments import cat

EPS = 1e-9


class _Routes:
    """Routes with prefix/suffix segment summaries (rebuilt per route on change)."""

    def __init__(self, model: SearchModel, routes: list):
        self.model = model
        n, m = model.n, model.m
        self.nodes = [[n + k] + list(routes[k]) + [n + m + k] for k in range(m)]
        self.pref = [None] * m
        self.suf = [None] * m
        for k in range(m):
            self.update(k)

    def update(self, k: int) -> None:
        model = self.model
        seg, T = model.seg, model.T
        nodes = self.nodes[k]
        L = len(nodes)
        pref = [None] * L
        s = seg[nodes[0]]
        pref[0] = s
        for p in range(1, L):
            s = cat(s, seg[nodes[p]], T)
            pref[p] = s
        suf = [None] * L
        s = seg[nodes[-1]]
        suf[-1] = s
        for p in range(L - 2, -1, -1):
            s = cat(seg[nodes[p]], s, T)
            suf[p] = s
        self.pref[k], self.suf[k] = pref, suf

    def best_insertion(self, u: int, routes_to_try) -> tuple:
        """(added weighted cost, route, position) of the cheapest feasible slot, or None."""
        model = self.model
        T, seg = model.T, model.seg
        su = seg[u]
        tw, ww = model.travel_weight, model.work_weight
        xc = model.xcost
        best = None
        for k in routes_to_try:
            nodes = self.nodes[k]
            pref, suf = self.pref[k], self.suf[k]
            cap = model.cap[k]
            if pref[-1][5] + su[5] > cap + EPS:
                continue
            base_d, base_dur = pref[-1][0], pref[-1][1]
            x = xc[k][u] if xc is not None else 0.0
            for p in range(len(nodes) - 1):
                a, b = nodes[p], nodes[p + 1]
                dd = T[a][u] + T[u][b] - T[a][b]
                if best is not None and tw * dd + x >= best[0]:
                    continue
                s1 = cat(pref[p], su, T)
                if s1[2] > EPS:
                    continue
                s = cat(s1, suf[p + 1], T)
                if s[2] > EPS:
                    continue
                c = tw * (s[0] - base_d) + ww * (s[1] - base_dur) + x
                if best is None or c < best[0]:
                    best = (c, k, p)
        return best

    def insert(self, u: int, k: int, p: int) -> None:
        self.nodes[k].insert(p + 1, u)
        self.update(k)

    def routes(self) -> list:
        return [nodes[1:-1] for nodes in self.nodes]


def _order(model: SearchModel, tasks, rng) -> list:
    def key(i):
        noise = rng.random() if rng is not None else 0.0
        width = model.seg[i][4] - model.seg[i][3]
        return (
            0 if model.mandatory[i] else 1,
            len(model.allowed_routes[i]) * (1.0 + 0.3 * noise),
            width * (1.0 + 0.3 * noise),
            -model.priority[i],
        )

    return sorted(tasks, key=key)


def insert_all(
    model: SearchModel, routes: list, unserved, rng=None, chains: bool = False
) -> tuple[list, list]:
    """Insert each unserved task at its cheapest feasible slot if it beats its penalty.

    Mandatory (and pinned) tasks are inserted wherever they fit, whatever it costs; one
    that fits nowhere makes room (see ``_make_room``). With ``chains`` every task left
    over gets that chance too (costlier: used on final plans, not on every offspring).
    Returns (routes, still unserved). Routes given must be hard-feasible for the
    result to be.
    """
    st = _Routes(model, routes)
    left = []
    for u in _order(model, unserved, rng):
        cands = [model.pin[u]] if model.pin[u] >= 0 else model.allowed_routes[u]
        best = st.best_insertion(u, cands)
        if best is not None and (model.mandatory[u] or best[0] < model.penalty[u]):
            st.insert(u, best[1], best[2])
        else:
            left.append(u)
    if left and (chains or any(model.mandatory[u] for u in left)):
        left = _make_room(model, st, left, chains)
    return st.routes(), left


def _removal_slots(model: SearchModel, st: _Routes, u: int, k: int):
    """(added travel, q, p) for every way to put u on day k in place of one task at q."""
    T, seg = model.T, model.seg
    nodes = st.nodes[k]
    pref = st.pref[k]
    cap = model.cap[k]
    out = []
    for q in range(1, len(nodes) - 1):
        trial = nodes[:q] + nodes[q + 1 :]
        pre = pref[:q]
        for x in trial[q:]:
            pre.append(cat(pre[-1], seg[x], T))
        sf = [None] * len(trial)
        sf[-1] = seg[trial[-1]]
        for p in range(len(trial) - 2, 0, -1):
            sf[p] = cat(seg[trial[p]], sf[p + 1], T)
        best = None
        for p in range(len(trial) - 1):
            s1 = cat(pre[p], seg[u], T)
            if s1[2] > EPS or s1[5] > cap + EPS:
                continue
            s2 = cat(s1, sf[p + 1], T)
            if s2[2] > EPS or s2[5] > cap + EPS:
                continue
            d = model.travel_weight * (s2[0] - pref[-1][0])
            if best is None or d < best[0]:
                best = (d, q, p)
        if best is not None:
            out.append(best)
    return out


def _make_room(model: SearchModel, st: _Routes, left: list, chains: bool) -> list:
    """Serve a task that fits nowhere by moving or dropping one task of an eligible day.

    For each eligible specialist and each task v on that day, try the day with the
    leftover u in v's stead; the cheapest tries come first. If v then fits on another
    day (a depth-one ejection chain), both are served. Otherwise v is dropped only if
    it is optional and worth less than u (always, when u is mandatory and v is not).
    """
    still = []
    todo = [u for u in left if model.mandatory[u]]
    if chains:
        todo += sorted((u for u in left if not model.mandatory[u]), key=lambda u: -model.penalty[u])
    else:
        still = [u for u in left if not model.mandatory[u]]
    for u in todo:
        cands = [model.pin[u]] if model.pin[u] >= 0 else model.allowed_routes[u]
        tries = []
        for k in cands:
            for d, q, p in _removal_slots(model, st, u, k):
                tries.append((d, k, q, p))
        tries.sort()
        done = False
        for d, k, q, p in tries[: 40 if chains else 12]:
            v = st.nodes[k][q]
            vc = [model.pin[v]] if model.pin[v] >= 0 else model.allowed_routes[v]
            saved = (list(st.nodes[k]), st.pref[k], st.suf[k])
            del st.nodes[k][q]
            st.nodes[k].insert(p + 1, u)
            st.update(k)
            again = st.best_insertion(v, vc)
            if again is not None and (model.mandatory[v] or d + again[0] < model.penalty[u]):
                st.insert(v, again[1], again[2])
                done = True
                break
            st.nodes[k], st.pref[k], st.suf[k] = saved
        if done:
            continue
        # no chain: drop the cheapest optional task whose place u can take
        drops = [
            (model.penalty[st.nodes[k][q]] + d, k, q, p)
            for d, k, q, p in tries
            if not model.mandatory[st.nodes[k][q]]
            and (model.mandatory[u] or model.penalty[st.nodes[k][q]] + d < model.penalty[u])
        ]
        if not drops:
            still.append(u)
            continue
        _, k, q, p = min(drops)
        v = st.nodes[k][q]
        del st.nodes[k][q]
        st.nodes[k].insert(p + 1, u)
        st.update(k)
        still.append(v)
    return still


def construct(model: SearchModel, rng=None) -> tuple[list, list]:
    """A complete hard-feasible plan from scratch (pinned tasks on their specialist first)."""
    return insert_all(model, [[] for _ in range(model.m)], list(model.active), rng)
