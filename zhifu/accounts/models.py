"""The organisation (city → district → grid) and the people on the platform.

Every other app points here: retailers are the customers profiled, served and
rating; specialists are the ones dispatched and scored; managers are scoped to
the districts they manage.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    BusinessFormat,
    Education,
    FranchiseType,
    ManagerLevel,
    MarketType,
    RetailerStatus,
    Role,
    Title,
)
from .validators import validate_licence_no, validate_phone


class City(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """片区: the unit a manager manages and a specialist belongs to."""

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT,
                             related_name="districts")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    center_lat = models.FloatField(_("centre latitude"))
    center_lng = models.FloatField(_("centre longitude"))

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """网格: a block of streets inside a district."""

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="grids")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.district.name} / {self.name}"


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    managed_districts = models.ManyToManyField(
        District, verbose_name=_("managed districts"), blank=True, related_name="managers",
        help_text=_("Managers see only these districts."),
    )
    manager_level = models.CharField(
        _("manager level"), max_length=20, choices=ManagerLevel.choices, blank=True,
        help_text=_("Where this manager stands in the escalation chain."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_unmasked_personal_data", _("Can see full phone and ID numbers")),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Superusers are administrators whatever role field they were created with.
        if self.is_superuser and not self.role:
            self.role = Role.ADMIN
        super().save(*args, **kwargs)


class Skill(models.Model):
    """A capability a task may need and a specialist may have (e.g. data-collection upkeep)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Retailer(models.Model):
    """A licensed tobacco retailer (零售客户): the customer and co-creation partner."""

    user = models.OneToOneField(
        User, verbose_name=_("login"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="retailer",
    )
    licence_no = models.CharField(_("licence number"), max_length=32, unique=True,
                                  validators=[validate_licence_no])
    shop_name = models.CharField(_("shop name"), max_length=128)
    owner_name = models.CharField(_("owner"), max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    owner_id_number = models.CharField(
        _("owner's ID number"), max_length=18, blank=True, editable=False,
        help_text=_("Stored only with the owner's recorded consent (ConsentRecord)."))
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="retailers")
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="retailers")
    grade = models.PositiveSmallIntegerField(
        _("grade (档位)"), validators=[MinValueValidator(1), MaxValueValidator(30)], db_index=True
    )
    market_type = models.CharField(_("market type"), max_length=8, choices=MarketType.choices)
    business_format = models.CharField(_("business format"), max_length=20,
                                       choices=BusinessFormat.choices)
    franchise_type = models.CharField(_("franchise type"), max_length=16,
                                      choices=FranchiseType.choices,
                                      default=FranchiseType.INDEPENDENT)
    opened_on = models.DateField(_("opening date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RetailerStatus.choices,
                              default=RetailerStatus.ACTIVE, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retailer")
        verbose_name_plural = _("retailers")
        ordering = ["licence_no"]
        indexes = [models.Index(fields=["district", "grade"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=30),
                                   name="retailer_grade_1_30"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_name} ({self.licence_no})"


class Specialist(models.Model):
    """A field service specialist (服务专员 / 客户经理)."""

    user = models.OneToOneField(User, verbose_name=_("login"), on_delete=models.CASCADE,
                                related_name="specialist")
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    home_district = models.ForeignKey(District, verbose_name=_("home district"),
                                      on_delete=models.PROTECT, related_name="home_specialists")
    districts = models.ManyToManyField(District, verbose_name=_("districts served"),
                                       related_name="specialists", blank=True)
    base_lat = models.FloatField(_("base latitude"),
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    base_lng = models.FloatField(_("base longitude"),
                                 validators=[MinValueValidator(-180), MaxValueValidator(180)])
    service_radius_km = models.FloatField(_("service radius (km)"), default=15,
                                          validators=[MinValueValidator(0.1)])
    shift_start = models.TimeField(_("shift start"), default="08:30")
    shift_end = models.TimeField(_("shift end"), default="17:30")
    # The most a dispatch plan gives one specialist in a day (the plan's hard limits;
    # the balance term evens out the rest).
    daily_task_limit = models.PositiveSmallIntegerField(
        _("tasks a day at most"), default=25,
        validators=[MinValueValidator(1), MaxValueValidator(80)])
    daily_minutes_limit = models.PositiveSmallIntegerField(
        _("working minutes a day at most"), default=540,
        help_text=_("From the start of the shift to the return; the shift's end still holds."),
        validators=[MinValueValidator(30), MaxValueValidator(720)])
    education = models.CharField(_("highest education"), max_length=16,
                                 choices=Education.choices, default=Education.COLLEGE)
    years_in_post = models.PositiveSmallIntegerField(_("years in post"), default=0)
    certificates = models.JSONField(_("grade certificates"), default=list, blank=True)
    title = models.CharField(_("professional title"), max_length=16, choices=Title.choices,
                             default=Title.NONE)
    active = models.BooleanField(_("active"), default=True)
    skills = models.ManyToManyField(Skill, through="SpecialistSkill", verbose_name=_("skills"),
                                    related_name="specialists", blank=True)

    class Meta:
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")
        ordering = ["employee_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(shift_end__gt=models.F("shift_start")),
                                   name="specialist_shift_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.employee_no})"


class SpecialistSkill(models.Model):
    specialist = models.ForeignKey(Specialist, verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), on_delete=models.PROTECT,
                              related_name="specialist_levels")
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("specialist skill")
        verbose_name_plural = _("specialist skills")
        constraints = [
            models.UniqueConstraint(fields=["specialist", "skill"], name="one_level_per_skill"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"


class RevokedAccessToken(models.Model):
    """An access token ended by logout before its natural expiry (≤ 15 minutes)."""

    jti = models.CharField(_("token id"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("revoked access token")
        verbose_name_plural = _("revoked access tokens")

    def __str__(self) -> str:
        return self.jti


class ConsentRecord(models.Model):
    """A person's consent to one processing purpose (PIPL), and its withdrawal."""

    class Purpose(models.TextChoices):
        ID_NUMBER = "id_number", _("Storing the licence holder's ID number")

    retailer = models.ForeignKey(Retailer, verbose_name=_("retailer"), on_delete=models.CASCADE,
                                 related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    how = models.CharField(_("how it was given"), max_length=200,
                           help_text=_("For example: signed form, import of 2026-11-01."))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.retailer_id} {self.purpose}"
