"""The demands app's part of the retention purge (see ``zhifu.core.retention``)."""

from __future__ import annotations

from .models import Demand, DemandEvent


def redact_shop_history(*, retailer_ids: list[int]) -> None:
    """A closed shop's demands keep their states and times; their words and photos go."""
    demands = Demand.objects.filter(retailer_id__in=retailer_ids)
    for demand in demands.exclude(photo=""):
        demand.photo.delete(save=False)
    demands.update(description="", answer="", photo="")
    DemandEvent.objects.filter(demand__retailer_id__in=retailer_ids).update(reason="")
