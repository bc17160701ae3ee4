"""The profile list's filters: the retailer filters plus the profile's own."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhifu.accounts.filtersets import RetailerFilterSet

from .choices import Segment
from .models import Dimension


class ProfileFilterSet(RetailerFilterSet):
    """The retailer filters plus the profile's: segment, a weak dimension, churn warning.

    Works on ``selectors.profile_list`` (retailers joined to a month's snapshot as ``snap``).
    """

    segment = django_filters.ChoiceFilter(choices=Segment.choices, field_name="snap__segment",
                                          label=_("Customer segment"))
    weak_dimension = django_filters.ChoiceFilter(method="filter_weak", choices=[],
                                                 label=_("Weak dimension"))
    churn = django_filters.BooleanFilter(field_name="snap__churn_warning",
                                         label=_("Churn warning"),
                                         widget=forms.Select(choices=[
                                             ("", "---------"), ("true", _("Yes")),
                                             ("false", _("No"))]))

    class Meta(RetailerFilterSet.Meta):
        fields = RetailerFilterSet.Meta.fields + ["segment", "weak_dimension", "churn"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["weak_dimension"].extra["choices"] = list(
            Dimension.objects.order_by("position").values_list("code", "name"))

    def filter_weak(self, queryset, name, value):
        # ``value`` is one of the dimension codes offered above, never free text.
        return queryset.filter(**{f"snap__verdicts__{value}": "weakness"})
