"""Reads of the strategy app, and the one home of the grade bands' service policy: the
cadence, length and priority of visits and the services of each band come only from the
grade-band templates managers edit (table 2 of the source design)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from demands.models import CatalogueItem
from profiling.choices import Segment
from profiling.models import Dimension
from zhifu.accounts.choices import MarketType, band_of

from .choices import Outcome
from .models import GradeBandTemplate, RecommendationFeedback, RetailerStrategy, StrategyRule


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


# A declined recommendation is remembered this long: the retailer no longer sees it, and
# declined twice in that time the generation stops offering it.
DECLINE_MEMORY_DAYS = 180


def declined_item_codes(*, retailer, now: dt.datetime | None = None) -> set[str]:
    since = (now or timezone.now()) - dt.timedelta(days=DECLINE_MEMORY_DAYS)
    return set(RecommendationFeedback.objects.filter(
        retailer=retailer, outcome=Outcome.DECLINED, created_at__gte=since)
        .values_list("item__code", flat=True))


def strategy_for_display(*, retailer, for_retailer: bool = False) -> dict:
    """The retailer's current strategy, with the recommended services by name in the
    reader's language, or the grade-band baseline when none was generated yet. For the
    retailer itself, what it said it is not interested in is left out."""
    strategy = current_strategy(retailer=retailer)
    base = baseline_strategy(grade=retailer.grade)
    if strategy is None:
        return base
    recommendations = strategy.recommendations
    if for_retailer:
        declined = declined_item_codes(retailer=retailer)
        recommendations = [r for r in recommendations if r["item"] not in declined]
    names = {item.code: item.display_name for item in CatalogueItem.objects.filter(
        code__in=[r["item"] for r in recommendations])}
    return {
        **base,
        "source": "strategy",
        "version": strategy.version,
        "generated_at": strategy.generated_at.isoformat(),
        "visit_cadence": cadence_text(strategy.visit_cycle_days),
        "visit_cycle_working_days": strategy.visit_cycle_days,
        "recommendations": [{"item": r["item"], "name": names.get(r["item"], r["item"]),
                             "reasons": r["reasons"]} for r in recommendations],
        "talking_points": strategy.talking_points,
    }


def strategy_history(*, retailer) -> list[RetailerStrategy]:
    return list(RetailerStrategy.objects.filter(retailer=retailer).order_by("-version"))


DROP_CHOICES = (3, 5, 8, 10, 15, 20)


def _parameter_labels() -> dict[str, str]:
    labels = {code: name for code, name in Dimension.objects.values_list("code", "name")}
    labels.update({k: str(v) for k, v in Segment.choices})
    labels.update({k: str(v) for k, v in MarketType.choices})
    return labels


def condition_parameter_choices(current: str = "") -> list:
    """The values a rule's condition takes, grouped and in words (the rule form's list)."""
    drops = sorted({*DROP_CHOICES, *([int(float(current))] if _is_number(current) else [])})
    return [
        ("", "—"),
        (_("Dimension"), list(Dimension.objects.order_by("position")
                              .values_list("code", "name"))),
        (_("Customer segment"), [(k, str(v)) for k, v in Segment.choices]),
        (_("Market type"), [(k, str(v)) for k, v in MarketType.choices]),
        (_("Drop of the total score"), [(str(n), _("%(n)s points") % {"n": n})
                                        for n in drops]),
    ]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def condition_label(rule: StrategyRule, labels: dict[str, str] | None = None) -> str:
    """A rule's condition in words, e.g. "某维度为弱项：数据运营"."""
    labels = labels if labels is not None else _parameter_labels()
    values = [str(v) for v in (rule.condition_params or {}).values()]
    if rule.condition == "falling_trend":
        shown = [_("%(n)s points") % {"n": v} for v in values]
    else:
        shown = [labels.get(v, v) for v in values]
    return "：".join([str(rule.get_condition_display()), *shown]) if shown else str(
        rule.get_condition_display())


def rule_effects() -> list[StrategyRule]:
    """Rules with what they achieved and their condition in words (the rule page)."""
    rules = list(StrategyRule.objects.prefetch_related("items").order_by("-priority", "code"))
    labels = _parameter_labels()
    for rule in rules:
        rule.condition_label = condition_label(rule, labels)
    return rules
