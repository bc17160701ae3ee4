"""The one demand filterset: the manager's list page and ``GET /api/v1/demands/`` read
the same parameters with the same meaning (search, state, place, person, dates, order).

The base queryset always comes from ``selectors.demand_list(user=…)`` (the door); these
filters only narrow it. A value the filterset does not know is an error, never ignored.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhifu.accounts.filtersets import DistrictFilter, visible_specialists
from zhifu.core.errors import DomainError
from zhifu.core.params import parse_flag
from zhifu.core.widgets import DatePicker

from .choices import OPEN_STATUSES, DemandKind, DemandStatus, SlaState
from .models import Demand
from .policies import actor_role, statuses_seen_as
from .selectors import sla_seen_q

# public name → model field; the only orders offered (newest/latest first with "-")
SORTS = (("submitted_at", "submitted"), ("resolution_due_at", "due"),
         ("priority", "priority"), ("status", "status"))


class FlagField(forms.CharField):
    """``1``/``true`` or ``0``/``false``: the API's one rule (``parse_flag``), as a form field."""

    def to_python(self, value):
        try:
            return parse_flag(super().to_python(value), field="")
        except DomainError as exc:
            raise ValidationError(exc.message, code="invalid") from exc


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.Filter):
    field_class = FlagField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", "---------"), ("1", _("Yes"))]))
        super().__init__(*args, **kwargs)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Whitelisted sort keys, with the id as the last key so pages never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-id")


class DemandFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("The end date is before the start date."))
        return data


class DemandFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"),
                                  help_text=_("Title, description, shop name or licence number"))
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices, method="filter_status",
                                         label=_("Status"))
    open = FlagFilter(method="filter_open", label=_("Still open"),
                      help_text=_("1: only demands still running"))
    kind = django_filters.ChoiceFilter(choices=DemandKind.choices, label=_("Kind"))
    sla_state = django_filters.ChoiceFilter(choices=SlaState.choices, label=_("SLA"),
                                            method="filter_sla")
    district = DistrictFilter(field_name="district")
    assignee = django_filters.ModelChoiceFilter(queryset=visible_specialists,
                                                field_name="assignee", label=_("Specialist"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted from"),
        widget=DatePicker())
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted until"),
        widget=DatePicker())
    sort = StableOrderingFilter(fields=SORTS, label=_("Sort by"), field_labels={
        "submitted_at": _("Submitted, oldest first"), "-submitted": _("Submitted, newest first"),
        "resolution_due_at": _("Due, soonest first"), "-due": _("Due, latest first"),
        "priority": _("Priority, lowest first"), "-priority": _("Priority, highest first"),
        "status": _("Status"), "-status": _("Status, reversed")})

    class Meta:
        model = Demand
        form = DemandFilterForm
        fields = ["q", "status", "open", "kind", "sla_state", "district", "assignee",
                  "submitted_from", "submitted_to", "sort"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value)
            | Q(retailer__shop_name__icontains=value) | Q(retailer__licence_no__icontains=value))

    def filter_status(self, queryset, name, value):
        # To a specialist "rated" reads "completed" (rating anonymity), in filters too.
        user = self.request.user if self.request is not None else None
        return queryset.filter(status__in=statuses_seen_as(actor_role(user), value))

    def filter_sla(self, queryset, _name, value):
        # The state as of now (deadlines on the working calendar), not the last sweep's.
        return queryset.filter(sla_seen_q(value)) if value else queryset

    def filter_open(self, queryset, name, value):
        # ``0`` means "not only the open ones", as it always has.
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset
