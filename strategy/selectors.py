"""Reads of the strategy app."""

from __future__ import annotations

from .baseline import baseline_strategy
from .models import RetailerStrategy, StrategyRule


def current_strategy(*, retailer) -> RetailerStrategy | None:
    return RetailerStrategy.objects.filter(retailer=retailer, is_current=True).first()


def strategy_for_display(*, retailer) -> dict:
    """What a specialist sees on a task: the retailer's current strategy, with names of the
    recommended services, or the grade-band baseline when none was generated yet."""
    from demands.models import CatalogueItem

    strategy = current_strategy(retailer=retailer)
    base = baseline_strategy(grade=retailer.grade)
    if strategy is None:
        return base
    names = dict(CatalogueItem.objects.filter(
        code__in=[r["item"] for r in strategy.recommendations]).values_list("code", "name_zh"))
    return {
        **base,
        "source": "strategy",
        "version": strategy.version,
        "generated_at": strategy.generated_at.isoformat(),
        "visit_cycle_working_days": strategy.visit_cycle_days,
        "recommendations": [{"item": r["item"], "name": names.get(r["item"], r["item"]),
                             "reasons": r["reasons"]} for r in strategy.recommendations],
        "talking_points": strategy.talking_points,
    }


def strategy_history(*, retailer) -> list[RetailerStrategy]:
    return list(RetailerStrategy.objects.filter(retailer=retailer).order_by("-version"))


def rule_effects() -> list[StrategyRule]:
    """Rules with what they achieved (for the manager's rule page)."""
    return list(StrategyRule.objects.prefetch_related("items").order_by("-priority", "code"))
