"""Reads of the strategy app, and the one home of the grade bands' service policy: the
cadence, length and priority of visits and the services of each band come only from the
grade-band templates managers edit (table 2 of the source design)."""

from __future__ import annotations

from django.utils.translation import ngettext

from demands.models import CatalogueItem
from zhifu.accounts.choices import band_of

from .models import GradeBandTemplate, RetailerStrategy, StrategyRule


def band_templates() -> dict[str, GradeBandTemplate]:
    """The templates by band (``"24-30"`` …), one query."""
    return {template.band: template for template in GradeBandTemplate.objects.all()}


def cadence_text(cycle_days: int | None) -> str:
    """A cadence in words, counted in working days as everywhere."""
    if not cycle_days:
        return ""
    return ngettext("every working day", "every %(n)s working days",
                    cycle_days) % {"n": cycle_days}


def baseline_strategy(*, grade: int, templates: dict | None = None) -> dict:
    """What every retailer gets before a personal strategy is generated: its band's
    template (the baseline service policy)."""
    band = band_of(grade).value
    template = (templates if templates is not None else band_templates()).get(band)
    cycle = template.visit_cycle_days if template else None
    return {
        "source": "grade_band_baseline",
        "band": band,
        "visit_cadence": cadence_text(cycle),
        "visit_cycle_working_days": cycle,
        "standard_services": list(template.standard_services) if template else [],
        "value_added_services": list(template.value_added_services) if template else [],
        "talking_points": list(template.talking_points) if template else [],
    }


def current_strategy(*, retailer) -> RetailerStrategy | None:
    return RetailerStrategy.objects.filter(retailer=retailer, is_current=True).first()


def strategy_for_display(*, retailer) -> dict:
    """What a specialist sees on a task: the retailer's current strategy, with names of the
    recommended services, or the grade-band baseline when none was generated yet."""
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
        "visit_cadence": cadence_text(strategy.visit_cycle_days),
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
