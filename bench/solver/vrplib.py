"""Minimal VRPLIB reader (CVRP / VRPTW) -> dispatch.solver.Problem.

Written from the format description (header ``KEY : VALUE`` lines, then
``*_SECTION`` blocks). Distances: ``rounding="trunc1"`` is the DIMACS
convention of the shipped Solomon BKS (trunc(10*euclid)/10), ``"nint"``
the TSPLIB EUC_2D rule, ``"exact"`` plain Euclidean. Travel time equals
distance; every vehicle starts and ends at the depot, shift = depot window.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dispatch.solver import Problem, Specialist, Task


@dataclass
class VrpInstance:
    name: str
    problem: Problem
    vehicles: int
    rounding: str


def _parse(path: Path) -> tuple[dict, dict]:
    header, sections = {}, {}
    cur = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "EOF":
            break
        if re.match(r"^[A-Z_]+_SECTION\b", line):
            cur = line.split()[0]
            sections[cur] = []
            rest = line[len(cur) :].strip(" :")
            if rest:
                sections[cur].append(rest.split())
            continue
        if ":" in line and cur is None or (":" in line and re.match(r"^[A-Z_]+\s*:", line)):
            k, v = line.split(":", 1)
            header[k.strip().upper()] = v.strip()
            cur = None
            continue
        if cur is not None:
            sections[cur].append(line.split())
    return header, sections


def _explicit(header, rows, dim) -> np.ndarray:
    vals = [float(x) for r in rows for x in r]
    fmt = header.get("EDGE_WEIGHT_FORMAT", "FULL_MATRIX").upper()
    M = np.zeros((dim, dim))
    it = iter(vals)
    if fmt == "FULL_MATRIX":
        M = np.array(vals[: dim * dim]).reshape(dim, dim)
    elif fmt in ("LOWER_ROW", "LOWER_DIAG_ROW", "UPPER_ROW", "UPPER_DIAG_ROW"):
        diag = "DIAG" in fmt
        for i in range(dim):
            if fmt.startswith("LOWER"):
                js = range(0, i + 1 if diag else i)
            else:
                js = range(i if diag else i + 1, dim)
            for j in js:
                M[i, j] = M[j, i] = next(it)
    else:
        raise ValueError(f"unsupported EDGE_WEIGHT_FORMAT {fmt}")
    return M


def distance_matrix(coords: np.ndarray, rounding: str) -> np.ndarray:
    d = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2))
    if rounding == "trunc1":
        return np.floor(d * 10.0 + 1e-9) / 10.0
    if rounding == "nint":
        return np.floor(d + 0.5)
    if rounding == "exact":
        return d
    raise ValueError(f"unknown rounding {rounding!r}")


def read_vrplib(path, rounding: str | None = None, vehicles: int | None = None) -> VrpInstance:
    path = Path(path)
    h, s = _parse(path)
    dim = int(h["DIMENSION"])
    name = h.get("NAME", path.stem)
    typ = h.get("TYPE", "CVRP").upper()
    if rounding is None:
        rounding = "trunc1" if "TW" in typ else "nint"
    depot = 0
    if "DEPOT_SECTION" in s:
        ids = [int(r[0]) for r in s["DEPOT_SECTION"] if int(r[0]) != -1]
        depot = ids[0] - 1 if ids else 0
    if "EDGE_WEIGHT_SECTION" in s:
        D = _explicit(h, s["EDGE_WEIGHT_SECTION"], dim)
    else:
        coords = np.zeros((dim, 2))
        for r in s["NODE_COORD_SECTION"]:
            coords[int(r[0]) - 1] = (float(r[1]), float(r[2]))
        D = distance_matrix(coords, rounding)
    demand = np.zeros(dim)
    for r in s.get("DEMAND_SECTION", []):
        demand[int(r[0]) - 1] = float(r[1])
    tw = np.zeros((dim, 2))
    tw[:, 1] = math.inf
    for r in s.get("TIME_WINDOW_SECTION", []):
        tw[int(r[0]) - 1] = (float(r[1]), float(r[2]))
    service = np.zeros(dim)
    if "SERVICE_TIME" in h:
        service[:] = float(h["SERVICE_TIME"])
    for r in s.get("SERVICE_TIME_SECTION", []):
        service[int(r[0]) - 1] = float(r[1])
    service[depot] = 0.0
    cap = float(h["CAPACITY"]) if "CAPACITY" in h else math.inf
    nveh = vehicles if vehicles is not None else int(h.get("VEHICLES", dim - 1))
    cust = [i for i in range(dim) if i != depot]
    tasks = [
        Task(
            id=str(i),
            service=float(service[i]),
            tw_start=float(tw[i, 0]),
            tw_end=float(tw[i, 1]),
            demand=float(demand[i]),
            mandatory=True,
        )
        for i in cust
    ]
    specs = [
        Specialist(
            id=f"v{k + 1}",
            shift_start=float(tw[depot, 0]),
            shift_end=float(tw[depot, 1]),
            capacity=cap,
        )
        for k in range(nveh)
    ]
    locs = cust + [depot] * (2 * nveh)
    M = D[np.ix_(locs, locs)]
    return VrpInstance(name, Problem.from_matrix(tasks, specs, M, name=name), nveh, rounding)


def read_solution(path) -> tuple[list, float | None]:
    """Routes as lists of VRPLIB customer numbers (1-based, depot excluded) and the Cost line."""
    routes, cost = [], None
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.lower().startswith("route"):
            routes.append([int(x) for x in line.split(":", 1)[1].split()])
        elif line.lower().startswith("cost"):
            cost = float(line.split()[1])
    return routes, cost


def solution_to_task_ids(inst: VrpInstance, routes: list) -> dict:
    """Map .sol customer numbers to task ids (node id = customer + 1, depot = node 1)."""
    out = {}
    for k, r in enumerate(routes):
        out[inst.problem.specialists[k].id] = [str(c) for c in r]
    return out
