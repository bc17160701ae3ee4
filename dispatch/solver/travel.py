"""Travel-time models: coordinates -> minutes, or an explicit matrix.

Kept separate so the platform can swap in a road-network matrix later
without touching the search code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars or broadcastable arrays."""
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def haversine_matrix_km(coords: np.ndarray) -> np.ndarray:
    """Pairwise haversine distances (km) for an (N, 2) array of (lat, lon)."""
    lat = coords[:, 0]
    lon = coords[:, 1]
    return haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])


@dataclass(frozen=True)
class CoordinateTravel:
    """Travel minutes = haversine km x road_factor / speed_kmh x 60.

    road_factor corrects straight-line distance for the street network
    (1.3 is a common urban value); both are configurable per city.
    """

    road_factor: float = 1.3
    speed_kmh: float = 25.0

    def __post_init__(self) -> None:
        if not (self.road_factor >= 1.0):
            raise ValueError(f"road_factor must be >= 1.0, got {self.road_factor!r}")
        if not (self.speed_kmh > 0):
            raise ValueError(f"speed_kmh must be > 0, got {self.speed_kmh!r}")

    def matrix(self, coords: np.ndarray) -> np.ndarray:
        km = haversine_matrix_km(np.asarray(coords, dtype=float))
        return km * self.road_factor / self.speed_kmh * 60.0
