"""Filters shared by the manager's pages and the API.

Filters that name people or places offer only what the door lets the asking user see
(``district_list``/``specialist_list`` of ``request.user``), so a filterset must be built
with ``request=``; without one they match nothing.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import BusinessFormat, GradeBand, MarketType, RetailerStatus
from .models import District, Retailer, Specialist


def visible_districts(request):
    if request is None:
        return District.objects.none()
    return selectors.district_list(user=request.user)


def visible_specialists(request):
    if request is None:
        return Specialist.objects.none()
    return selectors.specialist_list(user=request.user).order_by("user__first_name", "pk")


class DistrictField(forms.ModelChoiceField):
    """A district typed as people know it: its code (``CH``, any case) or its name
    (``澄海区``). Only districts the user may see match; anything else is an error."""

    # Typed, with the user's districts offered as suggestions (templates/_district_choices.html).
    widget = forms.TextInput(attrs={"list": "district-choices", "autocomplete": "off"})
    default_error_messages = {
        "invalid_choice": _("No district of yours is called “%(value)s”."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        found = self.queryset.filter(Q(code__iexact=text) | Q(name=text)).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"],
                                  code="invalid_choice", params={"value": text[:40]})
        return found

    def prepare_value(self, value):
        return value.code if isinstance(value, District) else value


class DistrictFilter(django_filters.ModelChoiceFilter):
    field_class = DistrictField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_districts)
        kwargs.setdefault("label", _("District"))
        kwargs.setdefault("help_text", _("Code or name, e.g. CH or 澄海区"))
        super().__init__(*args, **kwargs)


class RetailerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = DistrictFilter(field_name="district")
    grade_band = django_filters.ChoiceFilter(choices=GradeBand.choices, method="filter_band",
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
        low, high = GradeBand(value).bounds
        return queryset.filter(grade__gte=low, grade__lte=high)
