from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RETAILER = "retailer", _("Retailer")
    SPECIALIST = "specialist", _("Service specialist")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class ManagerLevel(models.TextChoices):
    """The escalation chain above a specialist (three-staff collaboration seed)."""

    DISTRICT_LEAD = "district_lead", _("District lead")
    CITY_DEPARTMENT = "city_department", _("City department")
    LEADERSHIP = "leadership", _("Leadership")


class MarketType(models.TextChoices):
    URBAN = "urban", _("Urban network (城网)")
    RURAL = "rural", _("Rural network (农网)")


class BusinessFormat(models.TextChoices):
    TOBACCO_LIQUOR = "tobacco_liquor", _("Tobacco and liquor store")
    CONVENIENCE = "convenience", _("Convenience store")
    SUPERMARKET = "supermarket", _("Supermarket")
    GROCERY = "grocery", _("Grocery")
    ENTERTAINMENT = "entertainment", _("Entertainment venue")
    OTHER = "other", _("Other")


class FranchiseType(models.TextChoices):
    INDEPENDENT = "independent", _("Independent")
    CHAIN = "chain", _("Chain franchise")
    PARTNER = "partner", _("Partner terminal")


class RetailerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school")
    COLLEGE = "college", _("College")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or above")


class Title(models.TextChoices):
    NONE = "none", _("None")
    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SENIOR = "senior", _("Senior")


GRADE_BANDS = ((24, 30), (13, 23), (1, 12))


def grade_band(grade: int) -> str:
    """The strategy band of a grade (档位), e.g. ``"24-30"``."""
    for low, high in GRADE_BANDS:
        if low <= grade <= high:
            return f"{low}-{high}"
    raise ValueError(f"grade {grade} is outside 1-30")
