"""Managers' edits of the band templates and the strategy rules, checked before they are saved."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from profiling.choices import Segment
from profiling.models import Dimension
from zhifu.access.capabilities import Capability, require
from zhifu.accounts.choices import MarketType
from zhifu.core.errors import DomainError

from ..models import GradeBandTemplate, StrategyRule


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
    "weak_dimension": "dimension", "strong_dimension": "dimension", "segment": "segment",
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
    if key == "segment" and params.get("segment") not in Segment.values:
        raise DomainError(_("Choose a customer segment."), code="bad_condition",
                          fields={"condition_params": [_("Unknown segment.")]})
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
