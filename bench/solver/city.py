"""Synthetic city scenario around Shantou (~23.35N 116.68E).

3,000 shop visits, 100 specialists in 6 districts, skills with levels,
windows (some tight), priorities 1-5, ~15% mandatory, ~5% pinned. The day
is deliberately slightly over-subscribed so that *which* optional visits
are served (priority) matters, as it does in real dispatch.
Generated from a fixed numpy seed: the same arguments give the same city.
"""

from __future__ import annotations

import numpy as np

from dispatch.solver import CoordinateTravel, Problem, Specialist, Task

CENTER = (23.35, 116.68)
SKILLS = ("display", "audit", "promo")


def make_city(
    n_tasks: int = 3000,
    n_specialists: int = 100,
    n_districts: int = 6,
    seed: int = 7,
    radius_km: float = 9.0,
) -> Problem:
    rng = np.random.default_rng(seed)
    km_lat = 1 / 111.0
    km_lon = 1 / (111.0 * np.cos(np.radians(CENTER[0])))
    # districts on a 3 x 2 grid, ~9 km apart
    cols = 3
    centers = []
    for d in range(n_districts):
        r, c = divmod(d, cols)
        centers.append((CENTER[0] + (r - 0.5) * 9 * km_lat, CENTER[1] + (c - 1) * 9 * km_lon))
    specs = []
    per = np.array_split(np.arange(n_specialists), n_districts)
    for d, ids in enumerate(per):
        for k in ids:
            la = centers[d][0] + rng.normal(0, 1.5) * km_lat
            lo = centers[d][1] + rng.normal(0, 1.5) * km_lon
            skills = {"display": int(rng.integers(1, 4)), "audit": int(rng.integers(0, 3))}
            if rng.random() < 0.5:
                skills["promo"] = 1
            skills = {k2: v for k2, v in skills.items() if v > 0}
            specs.append(
                Specialist(
                    id=f"S{k:03d}",
                    start=(la, lo),
                    end=(la, lo),
                    shift_start=480,
                    shift_end=1020,
                    skills=skills,
                    radius_km=radius_km,
                    district=f"D{d + 1}",
                )
            )
    tasks = []
    pin_pool = {
        f"D{d + 1}": [s for s in specs if s.district == f"D{d + 1}"] for d in range(n_districts)
    }
    for i in range(n_tasks):
        d = int(rng.integers(0, n_districts))
        la = centers[d][0] + rng.normal(0, 2.2) * km_lat
        lo = centers[d][1] + rng.normal(0, 2.2) * km_lon
        u = rng.random()
        if u < 0.55:
            need = {}
        elif u < 0.8:
            need = {"display": int(rng.integers(1, 4))}
        elif u < 0.93:
            need = {"audit": int(rng.integers(1, 3))}
        else:
            need = {"promo": 1}
        if rng.random() < 0.6:
            a, b = 480.0, 1000.0
        else:
            a = float(rng.integers(480, 900))
            b = a + float(rng.choice([60, 120, 180]))
        mandatory = rng.random() < 0.15
        pinned = None
        if rng.random() < 0.05:
            ok = [s for s in pin_pool[f"D{d + 1}"] if all(s.level(k) >= v for k, v in need.items())]
            if ok:
                pinned = ok[int(rng.integers(0, len(ok)))].id
        tasks.append(
            Task(
                id=f"T{i:04d}",
                location=(la, lo),
                service=float(rng.integers(8, 16)),
                tw_start=a,
                tw_end=b,
                priority=float(rng.integers(1, 6)),
                skills=need,
                mandatory=bool(mandatory),
                pinned_to=pinned,
                district=f"D{d + 1}",
            )
        )
    return Problem.from_coordinates(
        tasks, specs, CoordinateTravel(road_factor=1.3, speed_kmh=25.0), name="shantou-city"
    )
