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


class GradeBand(models.TextChoices):
    """The three strategy bands of the 30 grades (档位段, table 2). The one home of their
    bounds: everything else asks ``band_of(grade)`` or reads ``GradeBand.choices``."""

    TOP = "24-30", "24-30"
    MIDDLE = "13-23", "13-23"
    LOW = "1-12", "1-12"

    @property
    def bounds(self) -> tuple[int, int]:
        low, high = self.value.split("-")
        return int(low), int(high)


def band_of(grade: int) -> GradeBand:
    """The strategy band of a grade (档位), e.g. ``GradeBand.TOP`` (``"24-30"``) for 26."""
    for band in GradeBand:
        low, high = band.bounds
        if low <= grade <= high:
            return band
    raise ValueError(f"grade {grade} is outside 1-30")
