"""Three-way evaluation (三向共评), the specialist's capability model, points and awards."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PointsKind

STARS = [MinValueValidator(1), MaxValueValidator(5)]
RATE = [MinValueValidator(0), MaxValueValidator(1)]


class EvaluationSettings(models.Model):
    """One row of the management's choices: the blend and the anonymity threshold."""

    rating_weight = models.FloatField(
        _("weight of customer ratings in service evaluation"), default=0.5, validators=RATE,
        help_text=_("The rest is the catalogue score (inclusive 50% / value-added 30% / "
                    "contemporary 20%)."))
    min_ratings_shown = models.PositiveSmallIntegerField(
        _("ratings needed before an aggregate is shown"), default=3,
        validators=[MinValueValidator(3)])
    rerate_days = models.PositiveSmallIntegerField(_("days a rating may be changed"), default=7)
    award_top_n = models.PositiveSmallIntegerField(_("service stars per month"), default=3,
                                                   validators=[MinValueValidator(1)])
    collection_target = models.PositiveSmallIntegerField(
        _("information collections a month for full points"), default=20,
        validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(_("Evaluation settings"))

    @classmethod
    def current(cls) -> "EvaluationSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class ServiceRating(models.Model):
    """The retailer's anonymous rating of a finished service. Specialists never see rows."""

    demand = models.OneToOneField("demands.Demand", verbose_name=_("demand"),
                                  on_delete=models.CASCADE, related_name="rating")
    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="+")
    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="ratings")
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=STARS)
    professionalism = models.PositiveSmallIntegerField(_("professionalism"), validators=STARS)
    timeliness = models.PositiveSmallIntegerField(_("timeliness"), validators=STARS)
    result = models.PositiveSmallIntegerField(_("result"), validators=STARS)
    overall = models.FloatField(_("overall"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    period = models.DateField(_("month"), db_index=True)
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        indexes = [models.Index(fields=["specialist", "period"])]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.overall}"


class CoCreationRating(models.Model):
    """The specialist's rating of the retailer as a co-creation partner."""

    task = models.OneToOneField("dispatch.ServiceTask", verbose_name=_("task"),
                                on_delete=models.CASCADE, related_name="co_creation")
    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="co_creation_ratings")
    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="+")
    cooperation = models.PositiveSmallIntegerField(_("cooperation"), validators=STARS)
    data_provided = models.PositiveSmallIntegerField(_("data provided"), validators=STARS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-creation rating")
        verbose_name_plural = _("co-creation ratings")

    def __str__(self) -> str:
        return f"{self.task_id}"


class ManagerReview(models.Model):
    """The manager's audit of a finished demand: the third leg of the evaluation."""

    demand = models.OneToOneField("demands.Demand", verbose_name=_("demand"),
                                  on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                 on_delete=models.PROTECT, related_name="+")
    audit_passed = models.BooleanField(_("audit passed"))
    quality = models.PositiveSmallIntegerField(_("quality"), validators=STARS)
    complaint_upheld = models.BooleanField(_("complaint upheld"), default=False)
    note = models.CharField(_("quality note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("manager review")
        verbose_name_plural = _("manager reviews")

    def __str__(self) -> str:
        return f"{self.demand_id}"


class WorkQualityRecord(models.Model):
    """Monthly rates the platform cannot see itself (imported from the company's systems)."""

    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="quality_records")
    period = models.DateField(_("month"))
    order_fulfilment = models.FloatField(_("order fulfilment rate"), validators=RATE)
    e_settlement = models.FloatField(_("e-settlement success rate"), validators=RATE)
    active_payment = models.FloatField(_("active payment success rate"), validators=RATE)
    terminal_running = models.FloatField(_("retail terminal running rate"), validators=RATE)

    class Meta:
        verbose_name = _("work quality record")
        verbose_name_plural = _("work quality records")
        constraints = [models.UniqueConstraint(fields=["specialist", "period"],
                                               name="one_quality_record_per_month")]

    def __str__(self) -> str:
        return f"{self.specialist_id} {self.period:%Y-%m}"


class CapabilitySnapshot(models.Model):
    """A specialist's three dimensions for one month (the radar), with every part."""

    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="capability")
    period = models.DateField(_("month"), db_index=True)
    basic_information = models.FloatField(_("basic information"))
    work_quality = models.FloatField(_("work quality"))
    service_evaluation = models.FloatField(_("service evaluation"), null=True, blank=True)
    average = models.FloatField(_("average"))
    details = models.JSONField(_("details"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("capability snapshot")
        verbose_name_plural = _("capability snapshots")
        constraints = [models.UniqueConstraint(fields=["specialist", "period"],
                                               name="one_capability_per_month")]

    def __str__(self) -> str:
        return f"{self.specialist_id} {self.period:%Y-%m}"


class PointsRule(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=PointsKind.choices, unique=True)
    points = models.SmallIntegerField(_("points"),
                                      help_text=_("For ratings: points for 5 stars; 4 stars "
                                                  "earn 60% of it, 3 stars 20%, 2 stars or "
                                                  "fewer lose half of it."))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.points}"


class PointsEntry(models.Model):
    """One line of the ledger. Keyed by (kind, source) so nothing is counted twice."""

    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(_("kind"), max_length=20, choices=PointsKind.choices)
    points = models.SmallIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=200)
    source_type = models.CharField(_("source"), max_length=20)
    source_id = models.PositiveBigIntegerField(_("source id"))
    period = models.DateField(_("month"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [models.UniqueConstraint(fields=["kind", "source_type", "source_id"],
                                               name="one_entry_per_source")]
        indexes = [models.Index(fields=["specialist", "period"])]

    def __str__(self) -> str:
        return f"{self.specialist_id} {self.points:+d}"


class MonthlyAward(models.Model):
    """营销服务之星: the top specialists of a month by points."""

    period = models.DateField(_("month"))
    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="awards")
    rank = models.PositiveSmallIntegerField(_("rank"))
    points = models.IntegerField(_("points"))
    title = models.CharField(_("title"), max_length=40, default="营销服务之星")

    class Meta:
        verbose_name = _("monthly award")
        verbose_name_plural = _("monthly awards")
        ordering = ["-period", "rank"]
        constraints = [models.UniqueConstraint(fields=["period", "specialist"],
                                               name="one_award_per_month")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} #{self.rank}"
