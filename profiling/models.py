"""The SW six-dimension profile: indicators and their scoring rules as data, the raw
values they score, and the snapshots (scores, verdicts, segment) kept over time."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PeopleGoodsPlace, RuleKind, Segment, ValueSource


class OrderRecord(models.Model):
    """One order a retailer placed with the company (cigarettes and non-tobacco goods)."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="orders")
    ordered_on = models.DateField(_("order date"), db_index=True)
    cigarette_amount = models.DecimalField(_("cigarette amount (CNY)"), max_digits=12,
                                           decimal_places=2, validators=[MinValueValidator(0)])
    cigarette_skus = models.PositiveIntegerField(_("cigarette SKUs"), default=0)
    non_tobacco_amount = models.DecimalField(_("non-tobacco amount (CNY)"), max_digits=12,
                                             decimal_places=2, default=0,
                                             validators=[MinValueValidator(0)])
    non_tobacco_skus = models.PositiveIntegerField(_("non-tobacco SKUs"), default=0)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_on"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "ordered_on"],
                                    name="one_order_per_retailer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.ordered_on}"


class Dimension(models.Model):
    """One of the six SW dimensions, with its weight in the total and its verdict thresholds."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    group = models.CharField(_("group"), max_length=8, choices=PeopleGoodsPlace.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)],
                               help_text=_("Relative weight in the total score."))
    strength_threshold = models.FloatField(
        _("strength threshold"), default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score at or above this is a strength."))
    weakness_threshold = models.FloatField(
        _("weakness threshold"), default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score below this is a weakness."))
    peer_margin = models.FloatField(
        _("peer margin"), default=10, validators=[MinValueValidator(0)],
        help_text=_("Points above or below the peer-group mean that make a strength or a "
                    "weakness."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile dimension")
        verbose_name_plural = _("profile dimensions")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A third-level indicator and the rule that turns its raw value into points."""

    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"),
                                  on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    max_points = models.FloatField(_("maximum points"), validators=[MinValueValidator(0)])
    source = models.CharField(_("source"), max_length=12, choices=ValueSource.choices,
                              help_text=_("Derived indicators are computed from master data or "
                                          "orders; a collected or imported value overrides."))
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    rule_kind = models.CharField(_("rule kind"), max_length=12, choices=RuleKind.choices)
    rule_params = models.JSONField(_("rule parameters"), default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["dimension__position", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_category(self) -> bool:
        return self.rule_kind == RuleKind.CATEGORY


class RawValue(models.Model):
    """A retailer's raw value of one indicator for one month (imported or collected)."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="raw_values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.CASCADE, related_name="raw_values")
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    value_number = models.FloatField(_("number"), null=True, blank=True)
    value_text = models.CharField(_("category"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=ValueSource.choices)
    collected_by = models.ForeignKey("accounts.User", verbose_name=_("collected by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("raw value")
        verbose_name_plural = _("raw values")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "indicator", "period"],
                                    name="one_raw_value_per_month"),
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.indicator_id} {self.period}"


class ProfileSnapshot(models.Model):
    """A retailer's profile and segment for one month; recomputing the month replaces it."""

    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="profile_snapshots")
    period = models.DateField(_("month"), db_index=True)
    computed_at = models.DateTimeField(_("computed at"))
    scores = models.JSONField(_("dimension scores"), default=dict)
    verdicts = models.JSONField(_("verdicts"), default=dict)
    peer_means = models.JSONField(_("peer-group means"), default=dict)
    total = models.FloatField(_("total score"))
    segment = models.CharField(_("customer segment"), max_length=12, choices=Segment.choices,
                               db_index=True)
    yearly_amount = models.FloatField(_("yearly order amount (CNY)"), default=0)
    recency_days = models.PositiveIntegerField(_("days since last order"), null=True, blank=True)
    frequency = models.PositiveIntegerField(_("orders in 12 months"), default=0)
    rfm_r = models.PositiveSmallIntegerField(_("RFM recency"), default=1)
    rfm_f = models.PositiveSmallIntegerField(_("RFM frequency"), default=1)
    rfm_m = models.PositiveSmallIntegerField(_("RFM monetary"), default=1)
    churn_warning = models.BooleanField(_("churn warning"), default=False, db_index=True)
    weak_count = models.PositiveSmallIntegerField(_("weak dimensions"), default=0)

    class Meta:
        verbose_name = _("profile snapshot")
        verbose_name_plural = _("profile snapshots")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "period"],
                                    name="one_profile_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.period:%Y-%m}"
