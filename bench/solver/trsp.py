"""Reader for the Pillac et al. (2013) TRSP instances (crew25 set).

Mapping to our model: technicians are specialists starting and ending at
their home with shift [TWS, TWE]; each required skill id becomes skill
"s<id>" at level 1 (the technician needs all of them); requests are
mandatory tasks with hard windows. Travel time = exact Euclidean distance.

Known relaxation (documented in docs/benchmarks.md, "Dispatch solver"): tools and
spare parts are NOT modelled (in the original, a technician may detour
via the central depot to pick them up). Gaps to the BKS are therefore
measured on a relaxed model and are optimistic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dispatch.solver import Problem, Specialist, Task


@dataclass
class TrspInstance:
    name: str
    problem: Problem


def _ids(tok: str) -> list:
    tok = tok.strip("[] \t")
    return [int(x) for x in tok.split(",") if x.strip()] if tok else []


def read_trsp(path) -> TrspInstance:
    path = Path(path)
    lines = path.read_text().splitlines()
    name = lines[0].strip() or path.stem
    rows = []
    for line in lines:
        m = re.match(
            r"^\s*(\d+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\[[^\]]*\])\s*(\[[^\]]*\])\s*(\[[^\]]*\])",
            line,
        )
        if m:
            rows.append(m.groups())
    crew = None
    for i, line in enumerate(lines):
        if line.strip().upper().startswith("CREW COUNT"):
            crew = int(lines[i + 1].split()[0])
    if crew is None:
        raise ValueError(f"{path}: no CREW COUNT")
    techs = rows[1 : 1 + crew]
    reqs = rows[1 + crew :]
    coords = []
    tasks = []
    for r in reqs:
        rid, x, y, a, b, s, sk, _tools, _parts = r
        tasks.append(
            Task(
                id=rid,
                service=float(s),
                tw_start=float(a),
                tw_end=float(b),
                mandatory=True,
                skills={f"s{k}": 1 for k in _ids(sk)},
            )
        )
        coords.append((float(x), float(y)))
    specs = []
    homes = []
    for r in techs:
        tid, x, y, a, b, _s, sk, _tools, _parts = r
        specs.append(
            Specialist(
                id=f"t{tid}",
                shift_start=float(a),
                shift_end=float(b),
                skills={f"s{k}": 1 for k in _ids(sk)},
            )
        )
        homes.append((float(x), float(y)))
    pts = np.array(coords + homes + homes)
    D = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
    return TrspInstance(name, Problem.from_matrix(tasks, specs, D, name=name))
