"""Reads, always scoped to what the asking user may see.

What each role may see is decided by the door (``zhifu.access``); these are the
shapes the pages and the API ask for. Nothing outside these querysets is ever
shown, so a foreign id is simply "not found".
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from zhifu.access import VIEW, restrict

from .models import District, Retailer, Specialist


def district_list(*, user) -> QuerySet[District]:
    return restrict(District.objects.select_related("city"), user)


def retailer_list(*, user, action: str = VIEW) -> QuerySet[Retailer]:
    return restrict(Retailer.objects.select_related("district", "grid"), user, action)


def retailer_get(*, user, retailer_id: int) -> Retailer | None:
    return retailer_list(user=user).filter(pk=retailer_id).first()


def specialist_list(*, user, action: str = VIEW) -> QuerySet[Specialist]:
    qs = Specialist.objects.select_related("user", "home_district").prefetch_related(
        "districts", "skill_levels__skill"
    )
    return restrict(qs, user, action)


def district_overview(*, user) -> list[dict]:
    """Per visible district: retailers by grade band and market type, specialists."""
    districts = district_list(user=user).annotate(
        retailer_count=Count("retailers", distinct=True),
        band_top=Count("retailers", filter=Q(retailers__grade__gte=24), distinct=True),
        band_mid=Count("retailers", filter=Q(retailers__grade__range=(13, 23)), distinct=True),
        band_low=Count("retailers", filter=Q(retailers__grade__lte=12), distinct=True),
        rural=Count("retailers", filter=Q(retailers__market_type="rural"), distinct=True),
        specialist_count=Count("home_specialists", distinct=True),
    )
    return [
        {
            "id": d.id,
            "code": d.code,
            "name": d.name,
            "retailers": d.retailer_count,
            "bands": {"24-30": d.band_top, "13-23": d.band_mid, "1-12": d.band_low},
            "rural": d.rural,
            "specialists": d.specialist_count,
        }
        for d in districts
    ]
