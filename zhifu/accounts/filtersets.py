"""Filters shared by the manager's pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import GRADE_BANDS, BusinessFormat, MarketType, RetailerStatus
from .models import Retailer

BAND_CHOICES = [(f"{low}-{high}", f"{low}-{high}") for low, high in GRADE_BANDS]


class RetailerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.CharFilter(field_name="district__code", label=_("District"))
    grade_band = django_filters.ChoiceFilter(choices=BAND_CHOICES, method="filter_band",
                                             label=_("Grade band"))
    market_type = django_filters.ChoiceFilter(choices=MarketType.choices, label=_("Market type"))
    business_format = django_filters.ChoiceFilter(choices=BusinessFormat.choices,
                                                  label=_("Business format"))
    status = django_filters.ChoiceFilter(choices=RetailerStatus.choices, label=_("Status"))

    class Meta:
        model = Retailer
        fields = ["q", "district", "grade_band", "market_type", "business_format", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(shop_name__icontains=value) | Q(licence_no__icontains=value)
            | Q(owner_name__icontains=value)
        )

    def filter_band(self, queryset, name, value):
        low, high = (int(part) for part in value.split("-"))
        return queryset.filter(grade__gte=low, grade__lte=high)
