"""Service strategy: templates by grade band, rules from profile to recommendation,
a versioned strategy per retailer, the planned visits it produces, and the feedback
that re-weights rules."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ConditionKind, Outcome


class GradeBandTemplate(models.Model):
    """The baseline service policy of a grade band (table 2), editable by managers."""

    band = models.CharField(_("grade band"), max_length=8, unique=True)
    visit_cycle_days = models.PositiveSmallIntegerField(
        _("visit every (working days)"), validators=[MinValueValidator(1),
                                                     MaxValueValidator(60)])
    visit_minutes = models.PositiveSmallIntegerField(_("visit minutes"), default=20,
                                                     validators=[MinValueValidator(5),
                                                                 MaxValueValidator(240)])
    visit_priority = models.FloatField(_("visit priority"), default=30.0,
                                       validators=[MinValueValidator(0),
                                                   MaxValueValidator(100)])
    standard_services = models.JSONField(_("standard services"), default=list, blank=True)
    value_added_services = models.JSONField(_("value-added services"), default=list,
                                            blank=True)
    items = models.ManyToManyField("demands.CatalogueItem", verbose_name=_("services offered"),
                                   blank=True, related_name="band_templates")
    talking_points = models.JSONField(_("talking points"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[items], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("grade-band template")
        verbose_name_plural = _("grade-band templates")
        ordering = ["-band"]

    def __str__(self) -> str:
        return self.band


class StrategyRule(models.Model):
    """When a profile shows X, recommend these services and say this, because Y."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=80)
    condition = models.CharField(_("condition"), max_length=20, choices=ConditionKind.choices)
    condition_params = models.JSONField(_("condition parameters"), default=dict, blank=True)
    items = models.ManyToManyField("demands.CatalogueItem", verbose_name=_("recommended services"),
                                   blank=True, related_name="strategy_rules")
    reason = models.CharField(_("reason shown"), max_length=200)
    talking_point = models.CharField(_("talking point for the specialist"), max_length=300,
                                     blank=True)
    visit_cycle_days = models.PositiveSmallIntegerField(
        _("visit at least every (working days)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Shortens the band's cadence while the rule applies."))
    priority = models.SmallIntegerField(_("priority"), default=50,
                                        validators=[MinValueValidator(0),
                                                    MaxValueValidator(100)],
                                        help_text=_("Higher wins when rules recommend "
                                                    "the same service or too many."))
    learned_adjustment = models.FloatField(_("learned adjustment"), default=0.0,
                                           editable=False)
    effect = models.JSONField(_("measured effect"), default=dict, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # What the feedback loop learns is not a manager's edit: kept out of the history.
    history = HistoricalRecords(m2m_fields=[items],
                                excluded_fields=["updated_at", "learned_adjustment", "effect"])

    class Meta:
        verbose_name = _("strategy rule")
        verbose_name_plural = _("strategy rules")
        ordering = ["-priority", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_priority(self) -> float:
        return self.priority + self.learned_adjustment


class RetailerStrategy(models.Model):
    """One version of a retailer's strategy. A new version only when something changed."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="strategies")
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=True)
    generated_at = models.DateTimeField(_("generated at"), db_index=True)
    band = models.CharField(_("grade band"), max_length=8)
    visit_cycle_days = models.PositiveSmallIntegerField(_("visit every (working days)"))
    visit_priority = models.FloatField(_("visit priority"), default=30.0)
    recommendations = models.JSONField(_("recommendations"), default=list)
    talking_points = models.JSONField(_("talking points"), default=list)
    inputs = models.JSONField(_("based on"), default=dict)
    changes = models.JSONField(_("changes since the last version"), default=dict)

    class Meta:
        verbose_name = _("retailer strategy")
        verbose_name_plural = _("retailer strategies")
        ordering = ["retailer_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "version"], name="one_strategy_version"),
            models.UniqueConstraint(fields=["retailer"], condition=models.Q(is_current=True),
                                    name="one_current_strategy"),
        ]

    def __str__(self) -> str:
        return f"{self.retailer_id} v{self.version}"


class RecommendationFeedback(models.Model):
    """What became of a recommendation for a retailer: ordered, completed, declined…"""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="recommendation_feedback")
    rule = models.ForeignKey(StrategyRule, verbose_name=_("rule"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="feedback")
    item = models.ForeignKey("demands.CatalogueItem", verbose_name=_("service"),
                             on_delete=models.CASCADE, related_name="+")
    strategy = models.ForeignKey(RetailerStrategy, verbose_name=_("strategy version"),
                                 on_delete=models.CASCADE, related_name="feedback")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    demand = models.ForeignKey("demands.Demand", verbose_name=_("demand"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    profile_delta = models.FloatField(_("profile change afterwards"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("recommendation feedback")
        verbose_name_plural = _("recommendation feedback")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "item", "outcome"],
                                    name="one_outcome_per_recommendation"),
        ]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.item_id} {self.outcome}"


class PlannedVisit(models.Model):
    """A visit the strategy plans for a day, with the specialist whose territory it is in."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="planned_visits")
    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="planned_visits")
    day = models.DateField(_("day"), db_index=True)
    priority = models.FloatField(_("priority"), default=30.0)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    strategy = models.ForeignKey(RetailerStrategy, verbose_name=_("strategy version"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        constraints = [models.UniqueConstraint(fields=["retailer", "day"],
                                               name="one_planned_visit_per_day")]
        indexes = [models.Index(fields=["day", "specialist"])]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.day}"
