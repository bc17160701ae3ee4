"""Writes of the strategy app, by concern: generation, the feedback loop, visit planning,
managers' edits. Callers use the names below (``from strategy import services``)."""

from .edits import CONDITION_PARAMS, rule_save, template_update
from .feedback import feedback_collect, recommendation_decline, rules_reweight
from .generation import GENERATE_TASK, strategies_generate, strategies_generate_request
from .visits import visits_plan

__all__ = [
    "CONDITION_PARAMS", "GENERATE_TASK", "feedback_collect", "recommendation_decline",
    "rule_save", "rules_reweight", "strategies_generate", "strategies_generate_request",
    "template_update", "visits_plan",
]
