"""Planned visits for the coming weeks: each shop given to a specialist of its district by
territory, at its cadence, levelled so each day's load is even."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from demands import selectors as demand_selectors
from dispatch.solver.travel import haversine_km
from zhifu.accounts.choices import RetailerStatus, band_of
from zhifu.accounts.models import Retailer, Specialist
from zhifu.core.errors import DomainError

from .. import engine
from ..models import GradeBandTemplate, PlannedVisit, RetailerStrategy


def _territories(shops: list, specialists: list[Specialist]) -> dict[int, int]:
    """Each shop's specialist: the nearest base, with a cap so no one carries far more
    than the district's average."""
    if not specialists:
        return {}
    cap = math.ceil(len(shops) / len(specialists) * 1.15)
    load = defaultdict(int)
    owner = {}
    ranked = []
    km = haversine_km(np.array([[shop.latitude] for shop in shops], dtype=float),
                      np.array([[shop.longitude] for shop in shops], dtype=float),
                      np.array([[s.base_lat for s in specialists]], dtype=float),
                      np.array([[s.base_lng for s in specialists]], dtype=float))
    for shop, row in zip(shops, km.tolist(), strict=True):
        distances = sorted(zip(row, (s.pk for s in specialists), strict=True))
        ranked.append((distances[0][0], shop.pk, distances))
    for _nearest, shop_id, distances in sorted(ranked):
        for _d, specialist_id in distances:
            if load[specialist_id] < cap:
                owner[shop_id] = specialist_id
                load[specialist_id] += 1
                break
    return owner


def visits_plan(*, start: dt.date, weeks: int = 4, district_ids: list[int] | None = None
                ) -> dict[str, int]:
    """Plan the visits of the coming weeks from each retailer's current cadence, levelled
    so each specialist's daily load is even. Replaces earlier plans from ``start`` on."""
    if not 1 <= weeks <= 12:
        raise DomainError(_("Plan between 1 and 12 weeks."), code="bad_weeks")
    # Weeks of the working calendar: holidays are skipped, make-up days count.
    days = demand_selectors.work_calendar().working_days(start, weeks * 5)
    strategies = {s.retailer_id: s for s in RetailerStrategy.objects.filter(is_current=True)}
    templates = {t.band: t for t in GradeBandTemplate.objects.all()}
    shops = Retailer.objects.filter(status=RetailerStatus.ACTIVE).only(
        "id", "grade", "latitude", "longitude", "district_id")
    specialists = Specialist.objects.filter(active=True)
    if district_ids is not None:
        shops, specialists = (shops.filter(district_id__in=district_ids),
                              specialists.filter(home_district_id__in=district_ids))
    by_district = defaultdict(list)
    for shop in shops:
        by_district[shop.district_id].append(shop)
    staff = defaultdict(list)
    for specialist in specialists:
        staff[specialist.home_district_id].append(specialist)
    rows = []
    for district_id, district_shops in by_district.items():
        owner = _territories(district_shops, staff.get(district_id, []))
        per_specialist = defaultdict(list)
        for shop in district_shops:
            per_specialist[owner.get(shop.pk)].append(shop)
        for specialist_id, own in per_specialist.items():
            series = []
            for shop in sorted(own, key=lambda s: s.pk):
                strategy = strategies.get(shop.pk)
                template = templates[strategy.band if strategy else band_of(shop.grade)]
                cycle = strategy.visit_cycle_days if strategy else template.visit_cycle_days
                priority = strategy.visit_priority if strategy else template.visit_priority
                series.append((shop, cycle, priority, strategy, template.visit_minutes))
            offsets = engine.level_offsets([entry[1] for entry in series], len(days))
            for (shop, cycle, priority, strategy, minutes), offset in zip(series, offsets,
                                                                         strict=True):
                reason = _("Visit every %(n)s working days") % {"n": cycle}
                for index in range(offset, len(days), cycle):
                    rows.append(PlannedVisit(
                        retailer_id=shop.pk, specialist_id=specialist_id, day=days[index],
                        priority=priority, minutes=minutes, reason=reason,
                        strategy=strategy))
    with transaction.atomic():
        stale = PlannedVisit.objects.filter(day__gte=start, day__lte=days[-1])
        if district_ids is not None:
            stale = stale.filter(retailer__district_id__in=district_ids)
        stale.delete()
        PlannedVisit.objects.bulk_create(rows, batch_size=5000)
    return {"visits": len(rows), "days": len(days)}
