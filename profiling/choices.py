from django.db import models
from django.utils.translation import gettext_lazy as _


class PeopleGoodsPlace(models.TextChoices):
    """人-货-场: the group a dimension belongs to."""

    PEOPLE = "people", _("People (人)")
    GOODS = "goods", _("Goods (货)")
    PLACE = "place", _("Place (场)")


class RuleKind(models.TextChoices):
    BANDS = "bands", _("Bands")
    LINEAR = "linear", _("Linear between bounds")
    CATEGORY = "category", _("Category map")


class ValueSource(models.TextChoices):
    """Where an indicator's raw value comes from."""

    MASTER = "master", _("Retailer master data")
    ORDERS = "orders", _("Order history")
    IMPORT = "import", _("Import")
    COLLECTION = "collection", _("Information collection")


class Verdict(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    NEUTRAL = "neutral", _("Neither")
    WEAKNESS = "weakness", _("Weakness")


class Segment(models.TextChoices):
    """A retailer's customer segment (客户分层) by its yearly order amount; not to be confused
    with the catalogue's service tiers (``demands.choices.Tier``)."""

    VALUE = "value", _("Value customer")
    POTENTIAL = "potential", _("Potential customer")
    BASIC = "basic", _("Basic customer")
