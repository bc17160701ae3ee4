"""Reads about a retailer's business and segment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from .models import OrderRecord

# tables.json: retailer_tiers (yearly order amount, CNY)
VALUE_TIER_MIN = Decimal("100000")
POTENTIAL_TIER_MIN = Decimal("50000")


def tier_for_amount(yearly_amount: Decimal | float) -> str:
    """value ≥ 100k CNY a year, potential 50k–100k, basic < 50k."""
    amount = Decimal(str(yearly_amount))
    if amount >= VALUE_TIER_MIN:
        return "value"
    if amount >= POTENTIAL_TIER_MIN:
        return "potential"
    return "basic"


def retailer_tiers(*, retailer_ids, today: dt.date | None = None) -> dict[int, str]:
    """The value / potential / basic tier of each retailer, from its last 12 months of
    cigarette orders. Retailers with no orders are ``basic``."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=365)
    totals = dict(
        OrderRecord.objects.filter(retailer_id__in=retailer_ids, ordered_on__gt=since,
                                   ordered_on__lte=today)
        .values("retailer_id").annotate(total=Sum("cigarette_amount"))
        .values_list("retailer_id", "total")
    )
    return {rid: tier_for_amount(totals.get(rid) or 0) for rid in retailer_ids}


def retailer_tier(*, retailer, today: dt.date | None = None) -> str:
    return retailer_tiers(retailer_ids=[retailer.id], today=today)[retailer.id]
