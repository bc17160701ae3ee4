"""Writes of the strategy app: generate strategies, take feedback, plan visits."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from demands import selectors as demand_selectors
from demands.choices import SERVED_STATUSES, UNSERVED_STATUSES
from demands.models import CatalogueItem, Demand
from demands.selectors import ineligibility_reasons
from dispatch.solver.travel import haversine_km
from profiling.choices import Tier as SegmentChoice
from profiling.models import Dimension, ProfileSnapshot
from zhifu.access.capabilities import Capability, require
from zhifu.accounts.choices import GradeBand, MarketType, RetailerStatus, band_of
from zhifu.accounts.models import Retailer, Specialist
from zhifu.core import services as jobs
from zhifu.core.errors import DomainError, NotFound

from . import engine
from .choices import Outcome
from .models import (
    GradeBandTemplate,
    PlannedVisit,
    RecommendationFeedback,
    RetailerStrategy,
    StrategyRule,
)

logger = logging.getLogger(__name__)

GENERATE_TASK = "strategy.generate_strategies"
DECLINES_TO_SUPPRESS = 2
DECLINE_MEMORY_DAYS = 180
# Feedback needs this many offers before it moves a rule's priority.
MIN_EVIDENCE = 10
MAX_ADJUSTMENT = 30.0


# --- loading ----------------------------------------------------------------------------------

def _retailer_frame(retailer_ids: list[int] | None) -> tuple[pd.DataFrame, dict, str | None]:
    """Retailers with their latest profile, the scores behind it, and its period."""

    shops = Retailer.objects.filter(status=RetailerStatus.ACTIVE)
    if retailer_ids is not None:
        shops = shops.filter(pk__in=retailer_ids)
    frame = pd.DataFrame.from_records(
        shops.values_list("id", "grade", "market_type", "business_format", "district_id"),
        columns=["id", "grade", "market_type", "business_format", "district_id"],
    ).set_index("id")
    if frame.empty:
        return frame, {}, None
    periods = list(ProfileSnapshot.objects.order_by("-period").values_list("period", flat=True)
                   .distinct()[:2])
    snapshots = ProfileSnapshot.objects.filter(period__in=periods)
    if retailer_ids is not None:
        snapshots = snapshots.filter(retailer_id__in=retailer_ids)
    rows = list(snapshots.values_list("retailer_id", "period", "total", "tier", "churn_warning",
                                      "verdicts", "scores"))
    latest = {r[0]: r for r in rows if periods and r[1] == periods[0]}
    previous = {r[0]: r[2] for r in rows if len(periods) > 1 and r[1] == periods[1]}
    frame["total"] = [latest[i][2] if i in latest else math.nan for i in frame.index]
    frame["previous_total"] = [previous.get(i, math.nan) for i in frame.index]
    frame["tier"] = [latest[i][3] if i in latest else "basic" for i in frame.index]
    frame["churn_warning"] = [bool(latest[i][4]) if i in latest else False for i in frame.index]
    verdicts = pd.DataFrame([latest[i][5] if i in latest else {} for i in frame.index],
                            index=frame.index)
    for column in verdicts.columns:
        frame[f"verdict__{column}"] = verdicts[column]
    # Kept apart from the frame: pandas deep-copies ``attrs`` on every row access.
    scores = {i: latest[i][6] for i in latest}
    return frame, scores, (periods[0].isoformat() if periods else None)


def _rules() -> list[engine.RuleSpec]:
    return [engine.RuleSpec(id=r.pk, code=r.code, condition=r.condition,
                            params=r.condition_params or {},
                            items=tuple(i.code for i in r.items.all()), reason=r.reason,
                            talking_point=r.talking_point, visit_cycle_days=r.visit_cycle_days,
                            priority=r.effective_priority)
            for r in StrategyRule.objects.filter(active=True).prefetch_related("items")]


def _templates() -> dict[str, engine.TemplateSpec]:
    templates = {t.band: engine.TemplateSpec(
        band=t.band, visit_cycle_days=t.visit_cycle_days, visit_priority=t.visit_priority,
        items=tuple(i.code for i in t.items.all()), talking_points=tuple(t.talking_points))
        for t in GradeBandTemplate.objects.prefetch_related("items")}
    missing = set(GradeBand.values) - set(templates)
    if missing:
        raise DomainError(_("A grade-band template is missing: %(bands)s")
                          % {"bands": ", ".join(sorted(missing))}, code="template_missing")
    return templates


def _suppressed(retailer_ids, now) -> set[tuple[int, str]]:
    since = now - dt.timedelta(days=DECLINE_MEMORY_DAYS)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = RecommendationFeedback.objects.filter(outcome=Outcome.DECLINED, created_at__gte=since)
    if retailer_ids is not None:
        rows = rows.filter(retailer_id__in=retailer_ids)
    for retailer_id, code in rows.values_list("retailer_id", "item__code"):
        counts[(retailer_id, code)] += 1
    return {key for key, n in counts.items() if n >= DECLINES_TO_SUPPRESS}


def _eligible(item, shop, tier) -> bool:

    return not ineligibility_reasons(item=item, retailer=shop, segment=tier)


# --- generation -------------------------------------------------------------------------------

def strategies_generate(*, retailer_ids: list[int] | None = None,
                        now: dt.datetime | None = None) -> dict[str, int]:
    """Generate the current strategy of every (or the given) active retailer.

    A new version is written only when the recommendations or the cadence changed;
    it records what changed and why.
    """

    now = now or timezone.now()
    frame, scores, period = _retailer_frame(retailer_ids)
    if frame.empty:
        return {"retailers": 0, "new_versions": 0, "unchanged": 0}
    items = {i.code: i for i in CatalogueItem.objects.filter(active=True)}
    composed = engine.compose(frame, _rules(), _templates(), items,
                              _suppressed(retailer_ids, now), _eligible)
    current = {s.retailer_id: s for s in RetailerStrategy.objects.filter(
        is_current=True, retailer_id__in=list(composed)).only(
        "id", "retailer_id", "version", "recommendations", "visit_cycle_days")}
    rows = frame[["tier", "churn_warning"]].to_dict("index")
    new_rows, retired = [], []
    for retailer_id, plan in composed.items():
        old = current.get(retailer_id)
        previous = None if old is None else {"recommendations": old.recommendations,
                                             "visit_cycle_days": old.visit_cycle_days}
        changes = engine.diff(previous, plan)
        if not changes:
            continue
        if old is not None:
            retired.append(old.pk)
        row = rows[retailer_id]
        new_rows.append(RetailerStrategy(
            retailer_id=retailer_id, version=(old.version + 1) if old else 1, is_current=True,
            generated_at=now, band=plan.band, visit_cycle_days=plan.visit_cycle_days,
            visit_priority=plan.visit_priority, recommendations=plan.recommendations,
            talking_points=plan.talking_points, changes=changes,
            inputs={"period": period, "tier": row["tier"], "fired": plan.fired,
                    "churn_warning": bool(row["churn_warning"]),
                    "scores": scores.get(retailer_id, {})},
        ))
    with transaction.atomic():
        RetailerStrategy.objects.filter(pk__in=retired).update(is_current=False)
        created = RetailerStrategy.objects.bulk_create(new_rows, batch_size=2000)
        offered = [RecommendationFeedback(
            retailer_id=s.retailer_id, rule_id=r.get("rule_id"), item=items[r["item"]],
            strategy=s, outcome=Outcome.OFFERED) for s in created for r in s.recommendations]
        RecommendationFeedback.objects.bulk_create(offered, batch_size=5000,
                                                   ignore_conflicts=True)
    return {"retailers": len(composed), "new_versions": len(new_rows),
            "unchanged": len(composed) - len(new_rows)}


def strategies_generate_request(*, requested_by=None):


    if requested_by is not None:
        require(requested_by, Capability.RUN_CITY_JOBS)

    return jobs.job_queue(kind="strategy.generate", task=GENERATE_TASK,
                          requested_by=requested_by)


# --- the retailer's answer and the feedback loop ------------------------------------------------

def recommendation_decline(*, retailer, item_code: str, actor) -> RecommendationFeedback:
    """The retailer is not interested; twice within half a year and it stops being offered."""
    strategy = RetailerStrategy.objects.filter(retailer=retailer, is_current=True).first()
    entry = next((r for r in (strategy.recommendations if strategy else [])
                  if r["item"] == item_code), None)
    if entry is None:
        raise NotFound(_("This recommendation does not exist."))

    feedback, _created = RecommendationFeedback.objects.get_or_create(
        strategy=strategy, item=CatalogueItem.objects.get(code=item_code),
        outcome=Outcome.DECLINED,
        defaults={"retailer": retailer, "rule_id": entry.get("rule_id"), "created_by": actor})
    return feedback


def feedback_collect(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Find what became of every offered recommendation, then re-weight the rules.

    Ordered: the retailer opened a demand for the item after the strategy was
    generated. Completed / failed: how that demand ended. The profile change is the
    rule's dimension score (or the total) now minus at generation.
    """

    now = now or timezone.now()
    offered = list(RecommendationFeedback.objects.filter(outcome=Outcome.OFFERED)
                   .select_related("strategy", "rule", "item"))
    existing = set(RecommendationFeedback.objects.exclude(outcome=Outcome.OFFERED)
                   .values_list("strategy_id", "item_id", "outcome"))
    demands = defaultdict(list)
    for d in Demand.objects.filter(retailer_id__in={o.retailer_id for o in offered},
                                   item_id__in={o.item_id for o in offered}).only(
            "id", "retailer_id", "item_id", "status", "submitted_at"):
        demands[(d.retailer_id, d.item_id)].append(d)
    latest_period = ProfileSnapshot.objects.aggregate(p=Max("period"))["p"]
    latest = {s.retailer_id: s for s in ProfileSnapshot.objects.filter(
        period=latest_period, retailer_id__in={o.retailer_id for o in offered})} if (
        latest_period) else {}
    new_rows = []
    for offer in offered:
        taken = [d for d in demands[(offer.retailer_id, offer.item_id)]
                 if d.submitted_at >= offer.strategy.generated_at]
        if not taken:
            continue
        demand = min(taken, key=lambda d: d.submitted_at)
        outcomes = [Outcome.ORDERED]
        if demand.status in SERVED_STATUSES:
            outcomes.append(Outcome.COMPLETED)
        elif demand.status in UNSERVED_STATUSES:
            outcomes.append(Outcome.FAILED)
        delta = None
        snapshot = latest.get(offer.retailer_id)
        if snapshot is not None and Outcome.COMPLETED in outcomes:
            dimension = (offer.rule.condition_params or {}).get("dimension") if offer.rule else None
            before = offer.strategy.inputs.get("scores", {})
            if dimension and dimension in before and dimension in snapshot.scores:
                delta = float(snapshot.scores[dimension]) - float(before[dimension])
        for outcome in outcomes:
            if (offer.strategy_id, offer.item_id, outcome) not in existing:
                new_rows.append(RecommendationFeedback(
                    retailer_id=offer.retailer_id, rule=offer.rule, item=offer.item,
                    strategy=offer.strategy, outcome=outcome, demand=demand,
                    profile_delta=delta if outcome == Outcome.COMPLETED else None))
    RecommendationFeedback.objects.bulk_create(new_rows, ignore_conflicts=True)
    rules_reweight()
    return {"recorded": len(new_rows)}


def rules_reweight() -> None:
    """Each rule's measured effect, and the priority it earns or loses by it.

    adjustment = 20·(completion rate − 0.2) + 2·(mean profile lift) − 25·(decline rate),
    within ±30, once a rule has at least ``MIN_EVIDENCE`` offers.
    """
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lifts: dict[int, list[float]] = defaultdict(list)
    for rule_id, outcome, delta in RecommendationFeedback.objects.filter(
            rule__isnull=False).values_list("rule_id", "outcome", "profile_delta"):
        counts[rule_id][outcome] += 1
        if delta is not None:
            lifts[rule_id].append(delta)
    for rule in StrategyRule.objects.all():
        c = counts.get(rule.pk, {})
        offered = c.get(Outcome.OFFERED, 0)
        effect = {
            "offered": offered,
            "ordered": c.get(Outcome.ORDERED, 0),
            "completed": c.get(Outcome.COMPLETED, 0),
            "declined": c.get(Outcome.DECLINED, 0),
            "failed": c.get(Outcome.FAILED, 0),
            "mean_lift": round(sum(lifts[rule.pk]) / len(lifts[rule.pk]), 2)
            if lifts.get(rule.pk) else None,
        }
        adjustment = 0.0
        if offered >= MIN_EVIDENCE:
            completion = effect["completed"] / offered
            decline = effect["declined"] / offered
            adjustment = 20 * (completion - 0.2) - 25 * decline + 2 * (effect["mean_lift"] or 0)
            adjustment = max(-MAX_ADJUSTMENT, min(MAX_ADJUSTMENT, adjustment))
        effect["adjustment"] = round(adjustment, 2)
        StrategyRule.objects.filter(pk=rule.pk).update(learned_adjustment=adjustment,
                                                       effect=effect)


# --- planned visits ---------------------------------------------------------------------------

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


# --- managers' edits --------------------------------------------------------------------------

def template_update(*, actor, template: GradeBandTemplate, visit_cycle_days: int,
                    visit_minutes: int, visit_priority: float, items,
                    talking_points: list[str]) -> GradeBandTemplate:
    require(actor, Capability.EDIT_CITY_SETTINGS)
    template.visit_cycle_days, template.visit_minutes = visit_cycle_days, visit_minutes
    template.visit_priority = visit_priority
    template.talking_points = [p.strip() for p in talking_points if p.strip()][:10]
    template.full_clean()
    with transaction.atomic():
        template.save()
        template.items.set(items)
    return template


CONDITION_PARAMS = {
    "weak_dimension": "dimension", "strong_dimension": "dimension", "tier": "tier",
    "market_type": "market_type", "falling_trend": "drop", "churn_warning": None,
}


def rule_save(*, actor, rule: StrategyRule, items, **fields) -> StrategyRule:
    """Create or change a rule; its condition parameter is checked against what exists."""

    require(actor, Capability.EDIT_CITY_SETTINGS)

    for name, value in fields.items():
        setattr(rule, name, value)
    key = CONDITION_PARAMS.get(rule.condition)
    params = rule.condition_params or {}
    if key == "dimension" and not Dimension.objects.filter(code=params.get("dimension")).exists():
        raise DomainError(_("Choose one of the six dimensions."), code="bad_condition",
                          fields={"condition_params": [_("Unknown dimension.")]})
    if key == "tier" and params.get("tier") not in SegmentChoice.values:
        raise DomainError(_("Choose a customer tier."), code="bad_condition",
                          fields={"condition_params": [_("Unknown tier.")]})
    if key == "market_type" and params.get("market_type") not in MarketType.values:
        raise DomainError(_("Choose a market type."), code="bad_condition",
                          fields={"condition_params": [_("Unknown market type.")]})
    if key == "drop":
        try:
            drop = float(params.get("drop", 5))
        except (TypeError, ValueError):
            drop = -1
        if not 0 < drop <= 100:
            raise DomainError(_("The drop is a number of points between 0 and 100."),
                              code="bad_condition",
                              fields={"condition_params": [_("Between 0 and 100.")]})
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        rule.items.set(items)
    return rule
