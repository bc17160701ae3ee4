"""Profile the solver on one instance: python -m bench.solver.profile PATH [--generations 30]."""

from __future__ import annotations

import argparse
import cProfile
import pstats

from dispatch.solver import MaxGenerations, Params, solve

from .run import load_instance


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.solver.profile")
    ap.add_argument("instance")
    ap.add_argument("--generations", type=int, default=30)
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args(argv)
    problem = load_instance(__import__("pathlib").Path(a.instance))[0]
    prof = cProfile.Profile()
    prof.enable()
    res = solve(
        problem, stop=MaxGenerations(a.generations), seed=1, params=Params(workers=1, refine=False)
    )
    prof.disable()
    print(
        f"cost={res.cost.total:.2f} feasible={res.feasible} generations={res.stats['generations']}"
    )
    pstats.Stats(prof).sort_stats("tottime").print_stats(a.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
