"""Profile the solver on one instance or one city district.

python -m bench.solver.profile PATH [--generations 30]
python -m bench.solver.profile --city 600 --seconds 20      # make_city, one district
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from dispatch.solver import MaxGenerations, MaxSeconds, Params, solve

from .run import load_instance


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.solver.profile")
    ap.add_argument("instance", nargs="?")
    ap.add_argument("--city", type=int, default=0, help="tasks of a one-district make_city")
    ap.add_argument("--specialists", type=int, default=0, help="default: tasks / 30")
    ap.add_argument("--generations", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=0.0, help="time limit instead of generations")
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args(argv)
    params = Params(workers=1, refine=False)
    if a.city:
        from .city import make_city

        problem = make_city(
            n_tasks=a.city, n_specialists=a.specialists or max(1, a.city // 30), n_districts=1
        )
        params = params.replace(lateness_weight=2.0, imbalance_weight=0.1)
    elif a.instance:
        problem = load_instance(Path(a.instance))[0]
    else:
        ap.error("give an instance path or --city N")
    stop = MaxSeconds(a.seconds) if a.seconds else MaxGenerations(a.generations)
    prof = cProfile.Profile()
    prof.enable()
    res = solve(problem, stop=stop, seed=1, params=params)
    prof.disable()
    print(
        f"cost={res.cost.total:.2f} feasible={res.feasible} served={res.cost.n_served}/"
        f"{problem.n_tasks} generations={res.stats['generations']} (1 core, cProfile on)"
    )
    pstats.Stats(prof).sort_stats("tottime").print_stats(a.top)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(a.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
