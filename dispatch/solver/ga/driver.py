"""Runs the GA on one core or as islands on several cores.

With ``workers >= 2`` each island lives in its own process (fork) and
keeps its population there; the parent only sends "run N generations
(or until this deadline)" and "take this migrant" messages. Islands
synchronise after every ``migration_interval`` generations and exchange
their best plan in a ring. With a generation-based stop every island runs
exactly the same number of generations between synchronisations, so the
result depends only on the seed (not on process scheduling).
"""

from __future__ import annotations

import math
import multiprocessing as mp
import time
import traceback
from collections.abc import Callable, Sequence

from ..params import Params
from ..stop import SearchState, StopCriterion
from .engine import Island
from .model import SearchModel


def _island_worker(conn, model, params, seed, inactive):
    try:
        isl = Island(model, params, seed, inactive)
        while True:
            msg = conn.recv()
            cmd = msg[0]
            if cmd == "init":
                isl.initialise(msg[1])
                conn.send(("ok", isl.generation, isl.best_cost()))
            elif cmd == "run":
                isl.run(msg[1], msg[2])
                conn.send(("ok", isl.generation, isl.best_cost()))
            elif cmd == "best":
                conn.send(("ok", isl.best_plan()))
            elif cmd == "inject":
                isl.inject(msg[1], msg[2])
                conn.send(("ok",))
            elif cmd == "stop":
                conn.send(("ok",))
                return
    except Exception:  # pragma: no cover - surfaced in the parent
        conn.send(("error", traceback.format_exc()))


def _ask(conns, msgs):
    for c, m in zip(conns, msgs, strict=True):
        c.send(m)
    out = []
    for c in conns:
        r = c.recv()
        if r[0] == "error":
            raise RuntimeError("island worker failed:\n" + r[1])
        out.append(r)
    return out


def run_ga(
    model: SearchModel,
    params: Params,
    seed: int,
    stop: StopCriterion,
    inactive: list,
    t0: float,
    ga_deadline: float,
    callbacks: Sequence[Callable] = (),
) -> tuple:
    """Returns (routes, unserved, stats)."""
    history = []
    best = math.inf
    best_gen = 0

    def report(gen, cost):
        nonlocal best, best_gen
        el = time.monotonic() - t0
        if cost < best - 1e-9:
            best, best_gen = cost, gen
            history.append((gen, cost, round(el, 3)))
        st = SearchState(gen, best, el, gen - best_gen)
        halt = False
        for cb in callbacks:
            if cb(gen, best, el):
                halt = True
        return halt or stop.should_stop(st) or time.monotonic() >= ga_deadline

    gen_limit = stop.generation_limit()
    if params.workers <= 1:
        isl = Island(model, params, seed, inactive)
        isl.initialise(ga_deadline)
        if not report(0, isl.best_cost()):
            isl.run(math.inf if math.isinf(gen_limit) else gen_limit, ga_deadline, report)
        routes, unserved, cost, _ = isl.best_plan()
        return routes, unserved, {"generations": isl.generation, "islands": 1, "history": history}

    ctx = mp.get_context("fork")
    conns, procs = [], []
    try:
        for w in range(params.workers):
            a, b = ctx.Pipe()
            p = ctx.Process(
                target=_island_worker,
                args=(b, model, params, seed * 1009 + w, inactive),
                daemon=True,
            )
            p.start()
            conns.append(a)
            procs.append(p)
        res = _ask(conns, [("init", ga_deadline)] * len(conns))
        gen = 0
        halted = report(0, min(r[2] for r in res))
        while not halted:
            n = params.migration_interval
            if not math.isinf(gen_limit):
                n = int(min(n, gen_limit - gen))
                if n <= 0:
                    break
            res = _ask(conns, [("run", n, ga_deadline)] * len(conns))
            gen = min(r[1] for r in res)
            halted = report(gen, min(r[2] for r in res))
            if halted:
                break
            plans = [r[1] for r in _ask(conns, [("best",)] * len(conns))]
            W = len(conns)
            _ask(
                conns, [("inject", plans[(w - 1) % W][0], plans[(w - 1) % W][1]) for w in range(W)]
            )
        plans = [r[1] for r in _ask(conns, [("best",)] * len(conns))]
        gens = gen
        _ask(conns, [("stop",)] * len(conns))
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
    routes, unserved, cost, _ = min(plans, key=lambda x: (not x[3], x[2]))
    return routes, unserved, {"generations": gens, "islands": params.workers, "history": history}
