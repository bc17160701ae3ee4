"""Reads, always scoped to what the asking user may see.

A retailer sees its own shop; a specialist the districts it serves; a manager
the districts it manages; an admin everything. Nothing outside these querysets
is ever shown, so a foreign id is simply "not found".
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import District, Retailer, Specialist
from .policies import is_admin, is_manager, is_retailer, is_specialist


def district_list(*, user) -> QuerySet[District]:
    qs = District.objects.select_related("city")
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(managers=user)
    if is_specialist(user):
        own = user.specialist
        return qs.filter(Q(specialists=own) | Q(home_specialists=own)).distinct()
    if is_retailer(user):
        return qs.filter(retailers=user.retailer)
    return qs.none()


def retailer_list(*, user) -> QuerySet[Retailer]:
    qs = Retailer.objects.select_related("district", "grid")
    if is_admin(user):
        return qs
    if is_manager(user):
        return qs.filter(district__in=user.managed_districts.all())
    if is_specialist(user):
        specialist = user.specialist
        return qs.filter(
            Q(district__in=specialist.districts.all()) | Q(district=specialist.home_district_id)
        )
    if is_retailer(user):
        return qs.filter(pk=user.retailer.pk)
    return qs.none()


def retailer_get(*, user, retailer_id: int) -> Retailer | None:
    return retailer_list(user=user).filter(pk=retailer_id).first()


def specialist_list(*, user) -> QuerySet[Specialist]:
    qs = Specialist.objects.select_related("user", "home_district").prefetch_related(
        "districts", "skill_levels__skill"
    )
    if is_admin(user):
        return qs
    if is_manager(user):
        managed = user.managed_districts.all()
        return qs.filter(Q(home_district__in=managed) | Q(districts__in=managed)).distinct()
    if is_specialist(user):
        return qs.filter(pk=user.specialist.pk)
    return qs.none()


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
