"""The service catalogue, the demands retailers raise against it, and their audit trail."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profiling.choices import Segment
from zhifu.accounts.choices import BusinessFormat, MarketType, Role

from .choices import (
    OPEN_STATUSES,
    ApprovalLevel,
    DemandKind,
    DemandSource,
    DemandStatus,
    EscalationLevel,
    SlaState,
    Tier,
)

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class CatalogueItem(models.Model):
    """One service in the tiered catalogue (tables 6-9), with what it takes to deliver it."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, db_index=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    description = models.TextField(_("description"), blank=True)
    item_score = models.PositiveSmallIntegerField(
        _("item score"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("Points of this item within its tier (tables 7-9), used by evaluation."))
    is_personalised = models.BooleanField(
        _("personalised catch-all"), default=False,
        help_text=_("The 'other personalised service' item that free-text needs start from."))
    # preconditions: an empty list means "everyone"
    grade_bands = models.JSONField(_("eligible grade bands"), default=list, blank=True,
                                   help_text=_('For example ["24-30", "13-23"].'))
    market_types = models.JSONField(_("eligible market types"), default=list, blank=True)
    business_formats = models.JSONField(_("eligible business formats"), default=list,
                                        blank=True)
    segments = models.JSONField(_("eligible segments"), default=list, blank=True)
    # compliance requirements
    checklist = models.JSONField(
        _("compliance checklist"), default=list, blank=True,
        help_text=_("Points the specialist must confirm before completing the work."))
    approval_level = models.CharField(
        _("approval level"), max_length=20, choices=ApprovalLevel.choices, blank=True,
        default=ApprovalLevel.NONE,
        help_text=_("Who must sign off before the work is dispatched."))
    # SLA and capacity
    response_hours = models.PositiveSmallIntegerField(_("response time (working hours)"),
                                                      default=8)
    resolution_hours = models.PositiveSmallIntegerField(_("resolution time (working hours)"),
                                                        default=40)
    service_minutes = models.PositiveSmallIntegerField(_("capacity consumption (minutes)"),
                                                       default=30)
    # expert scores and the priority computed from them
    impact_scope = models.PositiveSmallIntegerField(_("impact scope (1-5)"), default=3,
                                                    validators=SCORE)
    compliance_risk = models.PositiveSmallIntegerField(_("compliance risk (1-5)"), default=3,
                                                       validators=SCORE)
    capacity_pressure = models.PositiveSmallIntegerField(_("capacity pressure (1-5)"),
                                                         default=3, validators=SCORE)
    priority = models.PositiveSmallIntegerField(_("priority (0-100)"), default=50,
                                                editable=False)
    skills = models.ManyToManyField("accounts.Skill", verbose_name=_("skills needed"),
                                    blank=True, related_name="catalogue_items")
    active = models.BooleanField(_("offered"), default=True,
                                 help_text=_("Unticked items are hidden from new orders."))
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    created_from = models.ForeignKey(
        "Demand", verbose_name=_("created from demand"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[skills], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["tier", "sort_order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "zh-hans").lower()
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh

    @property
    def preconditions_display(self) -> list[str]:
        """Who may order it, in words (its bands, market types, formats and segments)."""
        words = list(self.grade_bands)
        for values, choices in ((self.market_types, MarketType), (self.business_formats,
                                BusinessFormat), (self.segments, Segment)):
            labels = dict(choices.choices)
            words += [str(labels.get(value, value)) for value in values]
        return words


class WorkingPeriod(models.Model):
    """One span of working time on a weekday (the SLA calendar)."""

    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(6)], help_text=_("0 = Monday, 6 = Sunday"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                              name="working_period_order")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class Holiday(models.Model):
    """A public holiday, or a make-up working day (调休) when ``is_workday``."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=64)
    is_workday = models.BooleanField(_("make-up working day"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RequestPromise(models.Model):
    """What the company promises for a request raised in the retailer's own words (a
    consultation, complaint, suggestion or personalised need; table 2): the one home of
    these hours. A catalogue service carries its own promise on its ``CatalogueItem``."""

    kind = models.CharField(_("kind"), max_length=16, unique=True,
                            choices=[(k, label) for k, label in DemandKind.choices
                                     if k != DemandKind.SERVICE])
    response_hours = models.PositiveSmallIntegerField(
        _("response time (hours)"), validators=[MinValueValidator(1)])
    resolution_hours = models.PositiveSmallIntegerField(
        _("resolution time (hours)"), validators=[MinValueValidator(1)])
    wall_clock = models.BooleanField(
        _("plain hours"), default=False,
        help_text=_("Counted in plain hours, nights and holidays included (\"answered within "
                    "24 hours\"); otherwise in working hours."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request promise")
        verbose_name_plural = _("request promises")
        ordering = ["kind"]
        constraints = [models.CheckConstraint(
            condition=Q(resolution_hours__gte=models.F("response_hours")),
            name="request_promise_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.response_hours} / {self.resolution_hours}"


class Demand(models.Model):
    """A retailer's demand: an ordered catalogue item or a personalised need."""

    # Shops are closed by status, not deleted; deleting one (admin clean-up) takes its history.
    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="demands")
    district = models.ForeignKey("accounts.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="demands",
                                 help_text=_("The retailer's district when it was raised."))
    item = models.ForeignKey(CatalogueItem, verbose_name=_("catalogue item"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="demands")
    kind = models.CharField(_("kind"), max_length=16, choices=DemandKind.choices,
                            default=DemandKind.SERVICE)
    source = models.CharField(_("source"), max_length=16, choices=DemandSource.choices,
                              default=DemandSource.RETAILER)
    status = models.CharField(_("status"), max_length=20, choices=DemandStatus.choices,
                              default=DemandStatus.SUBMITTED)
    resume_status = models.CharField(_("status to resume"), max_length=20, blank=True,
                                     choices=DemandStatus.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    photo = models.FileField(_("photo"), upload_to="demands/%Y/%m/", blank=True)
    preferred_start = models.DateTimeField(_("preferred from"), null=True, blank=True)
    preferred_end = models.DateTimeField(_("preferred until"), null=True, blank=True)
    client_token = models.CharField(_("submission token"), max_length=64, blank=True)
    # who handles it (shown by name only)
    assignee = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="demands")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("designated handler"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="handled_demands")
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    # compliance
    checklist = models.JSONField(_("compliance checklist"), default=list, blank=True)
    checklist_confirmed = models.JSONField(_("confirmed checklist points"), default=list,
                                           blank=True)
    approval_level = models.CharField(_("approval level"), max_length=20, blank=True,
                                      choices=ApprovalLevel.choices)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # SLA clock (hours copied from the item when submitted, so later edits don't move it)
    service_minutes = models.PositiveSmallIntegerField(_("capacity consumption (minutes)"),
                                                       default=30)
    priority = models.PositiveSmallIntegerField(_("priority (0-100)"), default=50)
    response_hours = models.PositiveSmallIntegerField(_("response time (hours)"), default=8)
    resolution_hours = models.PositiveSmallIntegerField(_("resolution time (hours)"),
                                                        default=40)
    wall_clock = models.BooleanField(_("SLA in plain hours"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    response_due_at = models.DateTimeField(_("response due"))
    resolution_due_at = models.DateTimeField(_("resolution due"), db_index=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the retailer at"), null=True,
                                        blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("working seconds paused"), default=0)
    sla_state = models.CharField(_("SLA"), max_length=12, choices=SlaState.choices,
                                 default=SlaState.ON_TRACK)
    sla_check_at = models.DateTimeField(
        _("next SLA check"), null=True, blank=True,
        help_text=_("When the clock reaches the next escalation threshold; empty when stopped."))
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, choices=[(0, _("Not escalated")),
                                                   *EscalationLevel.choices])
    # request kinds (table 2)
    answer = models.TextField(_("answer or reply"), blank=True)
    follow_up_due_on = models.DateField(_("follow-up due"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    reply_due_on = models.DateField(_("committed reply date"), null=True, blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    # triage
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("triaged by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="merged")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["retailer", "-submitted_at"], name="demand_retailer_recent"),
            models.Index(fields=["district", "status"], name="demand_district_status"),
            models.Index(fields=["status", "resolution_due_at"], name="demand_status_due"),
            models.Index(fields=["assignee", "status"], name="demand_assignee_status"),
            models.Index(fields=["sla_check_at"], name="demand_sla_check"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "client_token"],
                                    condition=~Q(client_token=""),
                                    name="demand_one_submit_per_token"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_completed(self) -> bool:
        """Done and not yet rated or closed: the retailer's turn to confirm and rate."""
        return self.status == DemandStatus.COMPLETED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def sla_seen(self) -> str:
        """The SLA state as of now (``demands.sla.sla_state_seen``), not the sweep's record.
        Lists compute it for all rows at once with ``demands.sla.attach_sla_seen``."""
        if "_sla_seen" not in self.__dict__:
            # Imported here: the SLA module reads these models (a cycle at import time).
            from .sla import sla_state_seen

            self._sla_seen = sla_state_seen(self)
        return self._sla_seen

    def remember_sla_seen(self, state: str) -> None:
        self._sla_seen = state

    def get_sla_seen_display(self) -> str:
        return str(SlaState(self.sla_seen).label)


class DemandEvent(models.Model):
    """One step in a demand's life: the retailer's timeline and the managers' audit trail."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE,
                               related_name="events")
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from"), max_length=20, blank=True,
                                   choices=DemandStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=DemandStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(_("actor role"), max_length=16)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("demand event")
        verbose_name_plural = _("demand events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["demand", "created_at"], name="demand_event_timeline")]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def actor_role_label(self) -> str:
        """The role the step was taken in, in the reader's language."""
        if self.actor_role in Role.values:
            return str(Role(self.actor_role).label)
        return str(_("System"))


class DemandEscalation(models.Model):
    """One rung of the escalation chain reached by a demand; unique, so a rerun escalates once."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE,
                               related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    created_at = models.DateTimeField(_("time"))
    notified = models.JSONField(_("notified users"), default=list, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["demand", "level"]
        constraints = [models.UniqueConstraint(fields=["demand", "level"],
                                               name="one_escalation_per_level")]

    def __str__(self) -> str:
        return f"{self.demand_id} L{self.level}"
