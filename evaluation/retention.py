"""The evaluation app's part of the retention purge (see ``zhifu.core.retention``)."""

from __future__ import annotations

from .models import CoCreationRating, ServiceRating


def redact_shop_history(*, retailer_ids: list[int]) -> None:
    """Ratings keep their stars (the scores need them); comments and notes go."""
    ServiceRating.objects.filter(retailer_id__in=retailer_ids).update(comment="")
    CoCreationRating.objects.filter(retailer_id__in=retailer_ids).update(note="")
