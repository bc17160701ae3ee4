"""Reference solutions for the generated instances: one long PyVRP run each, cached as JSON.

    python -m bench.solver.references                # (re)compute every missing entry
    python -m bench.solver.references --force --sizes 200 --seconds 60

Each entry keeps the routes as well as the cost, so a reference can be re-checked by our
own checker; it is verified before it is written (every customer served, no violation).
The cost is total distance under the DIMACS rounding (as the bench reports it).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from dispatch.solver import Params, finalize

from .generate import CLASSES, write_suite
from .vrplib import read_vrplib

REFERENCES = Path(__file__).resolve().parent / "data" / "references.json"
DEFAULT_SECONDS = {200: 60.0, 400: 90.0, 600: 120.0}


def load_references() -> dict:
    if REFERENCES.exists():
        return json.loads(REFERENCES.read_text())
    return {}


def reference_cost(name: str) -> float | None:
    e = load_references().get(name)
    return None if e is None else float(e["cost"])


def _pyvrp_reference(path: Path, seconds: float, seed: int) -> tuple[list, dict]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    res = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False)
    routes = [[a.idx for a in r if a.is_client()] for r in res.best.routes()]
    return routes, {"pyvrp": version("pyvrp"), "seconds": seconds, "seed": seed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.solver.references")
    ap.add_argument("--sizes", default="200,400,600")
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--seed", type=int, default=1, help="instance seed")
    ap.add_argument("--seconds", type=float, default=None, help="default: 60/90/120 s by size")
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)
    refs = load_references()
    tmp = Path(tempfile.mkdtemp(prefix="zhifu-gen-"))
    sizes = [int(s) for s in a.sizes.split(",")]
    for p in write_suite(tmp, sizes, a.classes.split(","), a.seed):
        inst = read_vrplib(p)
        if inst.name in refs and not a.force:
            continue
        n = inst.problem.n_tasks
        secs = a.seconds or DEFAULT_SECONDS.get(n, 60.0)
        t = time.monotonic()
        routes, meta = _pyvrp_reference(p, secs, seed=1)
        padded = routes + [[] for _ in range(inst.problem.n_specialists - len(routes))]
        res = finalize(inst.problem, Params(), padded[: inst.problem.n_specialists], [], {})
        ok = res.feasible and res.cost.n_unserved == 0 and len(routes) <= inst.vehicles
        print(
            f"{inst.name:<16} cost={res.cost.travel_minutes:10.1f} routes={len(routes):>3} "
            f"feasible={ok} t={time.monotonic() - t:.1f}s",
            flush=True,
        )
        if not ok:
            continue
        refs[inst.name] = {
            "cost": round(res.cost.travel_minutes, 1),
            "vehicles": len(routes),
            **meta,
            "routes": routes,
        }
        REFERENCES.parent.mkdir(exist_ok=True)
        body = ",\n".join(f"{json.dumps(k)}: {json.dumps(refs[k])}" for k in sorted(refs))
        REFERENCES.write_text("{\n" + body + "\n}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
