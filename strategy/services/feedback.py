"""The retailer's answer to a recommendation, and the loop that learns from what became of each
offer: outcomes recorded, each rule's effect measured and its priority moved."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.choices import SERVED_STATUSES, UNSERVED_STATUSES
from demands.models import CatalogueItem, Demand
from profiling.models import ProfileSnapshot
from zhifu.core.errors import NotFound

from ..choices import Outcome
from ..models import RecommendationFeedback, RetailerStrategy, StrategyRule

# Feedback needs this many offers before it moves a rule's priority.
MIN_EVIDENCE = 10
MAX_ADJUSTMENT = 30.0


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
