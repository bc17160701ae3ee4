"""Solomon / Gehring–Homberger-style VRPTW instances of any size, deterministic from a seed.

Written from the published description of those sets, not from their generator:
customers are clustered (C), uniform (R) or half and half (RC); type 1 has a short
horizon, tight windows and small vehicles (many short routes), type 2 a long horizon,
wide windows and large vehicles (few long routes). A quarter of the customers have
no window of their own (only the depot's horizon), as in the original sets. Area,
horizon and service times scale with the number of customers so the density of a
200- or 600-customer instance matches a 100-customer one.

Instances are written as VRPLIB files (integer coordinates, ``CVRPTW``) so that our
reader and PyVRP read the same numbers (distances truncated to one decimal, the
DIMACS convention of the Solomon best-known solutions).

    python -m bench.solver.generate --out DIR --sizes 200,400,600
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

CLASSES = ("C1", "R1", "RC1", "C2", "R2", "RC2")
# horizon of a 100-customer instance of each class (Solomon's depot windows)
_HORIZON = {"C1": 1236, "R1": 230, "RC1": 240, "C2": 3390, "R2": 1000, "RC2": 960}
_SERVICE = {"C": 90, "R": 10, "RC": 10}
_CAPACITY = {"C1": 200, "R1": 200, "RC1": 200, "C2": 700, "R2": 1000, "RC2": 1000}


def instance_name(cls: str, n: int, seed: int) -> str:
    return f"G{cls}_{n}_{seed}"


def generate(cls: str, n: int, seed: int) -> dict:
    """One instance as plain data: coords (depot first), demand, windows, service, capacity."""
    if cls not in CLASSES:
        raise ValueError(f"class must be one of {CLASSES}")
    # the seed mixes class and size in, so every (class, n, seed) is its own instance
    rng = np.random.default_rng([seed, n, CLASSES.index(cls)])
    kind, typ = cls[:-1], int(cls[-1])
    scale = math.sqrt(n / 100.0)
    side = 100.0 * scale
    depot = np.array([side / 2, side / 2])
    n_clustered = n if kind == "C" else (n // 2 if kind == "RC" else 0)
    pts = []
    if n_clustered:
        k = max(2, n_clustered // 10)
        centers = rng.uniform(0.1 * side, 0.9 * side, size=(k, 2))
        lab = rng.integers(0, k, size=n_clustered)
        pts.append(centers[lab] + rng.normal(0, side / 40, size=(n_clustered, 2)))
    if n - n_clustered:
        pts.append(rng.uniform(0, side, size=(n - n_clustered, 2)))
    xy = np.clip(np.rint(np.vstack(pts)), 0, math.ceil(side))
    xy = xy[rng.permutation(n)]
    coords = np.vstack([np.rint(depot), xy])
    service = _SERVICE[kind]
    horizon = float(round(_HORIZON[cls] * scale))
    d0 = np.floor(np.sqrt(((coords[1:] - coords[0]) ** 2).sum(axis=1)) * 10) / 10
    # customers the depot's horizon cannot reach at all are moved next to the depot
    far = d0 * 2 + service > horizon
    if far.any():
        coords[1:][far] = coords[0] + rng.integers(-5, 6, size=(int(far.sum()), 2))
        d0 = np.floor(np.sqrt(((coords[1:] - coords[0]) ** 2).sum(axis=1)) * 10) / 10
    if kind == "C":
        demand = rng.choice([10, 20, 30, 40], size=n)
    else:
        demand = rng.integers(1, 51, size=n)
    tw = np.zeros((n, 2))
    open_ = rng.random(n) < 0.25
    for i in range(n):
        lo = math.ceil(d0[i])
        hi = math.floor(horizon - service - d0[i])
        if open_[i] or hi <= lo:
            tw[i] = (0, horizon)
            continue
        centre = rng.uniform(lo, hi)
        frac = rng.uniform(0.02, 0.10) if typ == 1 else rng.uniform(0.10, 0.40)
        half = max(5.0, frac * horizon / 2)
        a = max(0.0, math.floor(centre - half))
        b = min(hi, math.ceil(centre + half))
        tw[i] = (a, max(b, a + 1))
    return {
        "name": instance_name(cls, n, seed),
        "coords": coords.astype(int).tolist(),
        "demand": [0] + demand.astype(int).tolist(),
        "tw": [[0, int(horizon)]] + tw.astype(int).tolist(),
        "service": service,
        "capacity": _CAPACITY[cls],
        "vehicles": max(10, n // 4),
    }


def to_vrplib(inst: dict) -> str:
    n1 = len(inst["coords"])
    lines = [
        f"NAME : {inst['name']}",
        "TYPE : CVRPTW",
        f"DIMENSION : {n1}",
        f"VEHICLES : {inst['vehicles']}",
        f"CAPACITY : {inst['capacity']}",
        "EDGE_WEIGHT_TYPE : EUC_2D",
        "NODE_COORD_SECTION",
    ]
    lines += [f"{i + 1} {x} {y}" for i, (x, y) in enumerate(inst["coords"])]
    lines.append("DEMAND_SECTION")
    lines += [f"{i + 1} {q}" for i, q in enumerate(inst["demand"])]
    lines.append("TIME_WINDOW_SECTION")
    lines += [f"{i + 1} {a} {b}" for i, (a, b) in enumerate(inst["tw"])]
    lines.append("SERVICE_TIME_SECTION")
    lines += [f"{i + 1} {0 if i == 0 else inst['service']}" for i in range(n1)]
    lines += ["DEPOT_SECTION", "1", "-1", "EOF", ""]
    return "\n".join(lines)


def write_suite(out: Path, sizes, classes=CLASSES, seed: int = 1) -> list:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in sizes:
        for cls in classes:
            inst = generate(cls, n, seed)
            p = out / f"{inst['name']}.vrp"
            p.write_text(to_vrplib(inst))
            paths.append(p)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.solver.generate")
    ap.add_argument("--out", required=True, help="directory for the .vrp files")
    ap.add_argument("--sizes", default="200,400,600")
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",")]
    for p in write_suite(Path(a.out), sizes, a.classes.split(","), a.seed):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
