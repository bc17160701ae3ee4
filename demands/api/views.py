"""The demands API: a specialist's demands behind their tasks, with the compliance
checklist to confirm and the lifecycle steps they may take; a manager's districts' demands
with the steps of the demand page (accept, reject, schedule, approve, designate, triage,
merge, reopen, close, cancel), through the same services."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.services import placement
from zhifu.accounts.policies import IsStaffRole
from zhifu.core.api.filters import StrictFilterBackend

from .. import selectors, services
from ..filtersets import DemandFilterSet
from .serializers import (
    ActionSerializer,
    CatalogueItemSerializer,
    ChecklistSerializer,
    DemandDetailSerializer,
    DemandSerializer,
)


class DemandListView(generics.ListAPIView):
    """Demands the caller works on: a specialist's assigned demands, a manager's districts.

    Filters are the dashboard's (``demands.filtersets.DemandFilterSet``): ``q`` searches title,
    description, shop name and licence number; ``status``, ``open``, ``kind``, ``sla_state``;
    ``district`` by code or name (``CH`` or ``澄海区``); ``assignee`` (a specialist id);
    ``submitted_from``/``submitted_to`` (YYYY-MM-DD); ``sort`` one of ``submitted``, ``due``,
    ``priority``, ``status`` (``-`` in front for descending). A value it does not know is a
    400 ``bad_filter``. Default order: the soonest resolution deadline first."""

    serializer_class = DemandSerializer
    permission_classes = [IsStaffRole]
    filter_backends = [StrictFilterBackend]
    filterset_class = DemandFilterSet

    @extend_schema(tags=["demands"], parameters=[
        # Typed as people type them: the filterset's own types would say "integer".
        OpenApiParameter("district", str, description=_("District code or name (CH, 澄海区)")),
        OpenApiParameter("open", bool, description=_("Only demands still running"))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (selectors.demand_list(user=self.request.user).prefetch_related("item__skills")
                .order_by("resolution_due_at", "id"))


def _get(request, pk: int):
    demand = selectors.demand_get(user=request.user, demand_id=pk)
    if demand is None:
        raise Http404
    return demand


class DemandDetailView(APIView):
    permission_classes = [IsStaffRole]

    @extend_schema(tags=["demands"], responses={200: DemandDetailSerializer})
    def get(self, request, pk: int):
        return Response(DemandDetailSerializer(_get(request, pk),
                                               context={"request": request}).data)


class DemandActionView(APIView):
    """Take one lifecycle step (start, complete, wait for the customer, answer…).

    Refusals: 403 wrong role, 404 not yours, 409 wrong state or changed meanwhile,
    400 a missing precondition (e.g. ``checklist_incomplete``)."""

    permission_classes = [IsStaffRole]

    @extend_schema(tags=["demands"], request=ActionSerializer,
                   responses={200: DemandDetailSerializer})
    def post(self, request, pk: int):
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        demand = _get(request, pk)
        params = selectors.action_objects(user=request.user, data=data)
        if data["action"] == "schedule":
            # Scheduled work is a task in the specialist's day, placed like any move.
            placement.demand_place_by_hand(
                actor=request.user, demand=demand, specialist=params.get("specialist"),
                planned_start=params.get("planned_start"), reason=data.get("reason", ""))
        else:
            services.demand_transition(demand=demand, actor=request.user,
                                       action=data["action"], reason=data.get("reason", ""),
                                       expected_status=data.get("expected_status"), **params)
        return Response(DemandDetailSerializer(_get(request, pk),
                                               context={"request": request}).data)


class DemandChecklistView(APIView):
    """Confirm one compliance point of the demand."""

    permission_classes = [IsStaffRole]

    @extend_schema(tags=["demands"], request=ChecklistSerializer,
                   responses={200: DemandDetailSerializer})
    def post(self, request, pk: int):
        serializer = ChecklistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.demand_confirm_checklist(demand=_get(request, pk), actor=request.user,
                                          point=serializer.validated_data["point"])
        return Response(DemandDetailSerializer(_get(request, pk),
                                               context={"request": request}).data)


class CatalogueView(generics.ListAPIView):
    """The active service catalogue."""

    serializer_class = CatalogueItemSerializer
    pagination_class = None

    @extend_schema(tags=["demands"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.catalogue_list()
