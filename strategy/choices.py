from django.db import models
from django.utils.translation import gettext_lazy as _


class ConditionKind(models.TextChoices):
    """What in a retailer's profile makes a rule fire."""

    WEAK_DIMENSION = "weak_dimension", _("A dimension is a weakness")
    STRONG_DIMENSION = "strong_dimension", _("A dimension is a strength")
    FALLING_TREND = "falling_trend", _("The total score is falling")
    CHURN_WARNING = "churn_warning", _("Churn warning")
    SEGMENT = "segment", _("Customer segment")
    MARKET_TYPE = "market_type", _("Market type")


class Outcome(models.TextChoices):
    """What became of one recommendation (the feedback that re-weights its rule)."""

    OFFERED = "offered", _("Offered")
    ORDERED = "ordered", _("Ordered")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    FAILED = "failed", _("Failed")
