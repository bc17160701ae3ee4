"""The API's filter backend: the shared filtersets, with a bad value answered in the one
error shape as ``bad_filter`` (as ``zhifu.core.params`` does for hand-read parameters)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

from zhifu.core.errors import DomainError


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            fields = {name: [str(message) for message in messages]
                      for name, messages in filterset.errors.items()}
            raise DomainError(_("Some filters are invalid."), code="bad_filter", fields=fields)
        return filterset.qs
