"""Writes of the evaluation app, by concern: the three ratings, the points ledger, the
month's capability snapshots and awards. Callers use the names below
(``from evaluation import services``)."""

from .ledger import points_adjust, points_sync
from .monthly import awards_grant, capability_compute, month_close
from .ratings import (
    ASPECTS,
    co_creation_submit,
    rating_refusal,
    rating_submit,
    review_refusal,
    review_submit,
)

__all__ = [
    "ASPECTS", "awards_grant", "capability_compute", "co_creation_submit", "month_close",
    "points_adjust", "points_sync", "rating_refusal", "rating_submit", "review_refusal",
    "review_submit",
]
