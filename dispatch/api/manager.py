"""The manager's day through the API: routes and unserved work per district, and the
mid-day changes (cancel, move by hand, urgent work, a specialist absent) as one set of
services shared with the dispatch board."""

from __future__ import annotations

import statistics

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifu.access import CHANGE, access
from zhifu.accounts import selectors as people
from zhifu.accounts.models import Retailer, Specialist
from zhifu.accounts.policies import IsManagerOrAdmin
from zhifu.core.api.conditional import if_match_version, with_etag
from zhifu.core.api.fields import ClockTimeField
from zhifu.core.errors import DomainError
from zhifu.core.months import parse_day

from .. import selectors
from ..services import changes, placement
from .serializers import TaskSerializer


class StopSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    sequence = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField()
    retailer = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    planned_start = serializers.DateTimeField(allow_null=True)
    planned_end = serializers.DateTimeField(allow_null=True)
    window_start = ClockTimeField()
    window_end = ClockTimeField()


class RouteSerializer(serializers.Serializer):
    specialist = serializers.IntegerField()
    name = serializers.CharField()
    district = serializers.CharField()
    minutes = serializers.IntegerField(help_text=_("Service minutes planned"))
    stops = StopSerializer(many=True)


class SpreadSerializer(serializers.Serializer):
    minimum = serializers.IntegerField()
    median = serializers.FloatField()
    maximum = serializers.IntegerField()


class DayPlanSerializer(serializers.Serializer):
    date = serializers.DateField()
    districts = serializers.ListField(child=serializers.CharField())
    routes = RouteSerializer(many=True)
    unserved = TaskSerializer(many=True)
    spread = SpreadSerializer(allow_null=True)


def _stop(task) -> dict:
    return {"task": task.pk, "sequence": task.sequence, "title": task.title,
            "status": task.status, "retailer": task.retailer.shop_name,
            "latitude": task.retailer.latitude, "longitude": task.retailer.longitude,
            "planned_start": task.planned_start, "planned_end": task.planned_end,
            "window_start": task.window_start, "window_end": task.window_end}


class DayPlanView(APIView):
    """The day of the districts the manager sees (or ``?district=CODE``): each specialist's
    stops in order with coordinates and times, the unserved work with its reasons, and the
    spread of work minutes."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD"),
                               OpenApiParameter("district", str)],
                   responses=DayPlanSerializer, tags=["dispatch"])
    def get(self, request):
        raw = request.query_params.get("date")
        day = parse_day(raw) if raw else timezone.localdate()
        districts = list(people.district_list(user=request.user))
        code = request.query_params.get("district")
        if code:
            districts = [d for d in districts if d.code == code or d.name == code]
            if not districts:
                raise DomainError(_("Unknown district."), code="bad_filter",
                                  fields={"district": [_("Unknown district.")]})
        tasks = selectors.board_tasks(user=request.user, day=day,
                                      district_ids=[d.id for d in districts])
        summary = selectors.board_summary(tasks=list(tasks))
        routes = [{"specialist": lane["specialist"].pk,
                   "name": lane["specialist"].user.display_name,
                   "district": lane["specialist"].home_district.code,
                   "minutes": lane["minutes"],
                   "stops": [_stop(t) for t in sorted(lane["tasks"],
                                                      key=lambda t: (t.sequence or 0, t.pk))]}
                  for lane in summary["lanes"]]
        minutes = [r["minutes"] for r in routes]
        spread = ({"minimum": min(minutes), "median": statistics.median(minutes),
                   "maximum": max(minutes)} if minutes else None)
        return Response(DayPlanSerializer(context={"request": request}, instance={
            "date": day, "districts": [d.code for d in districts], "routes": routes,
            "unserved": summary["unserved"], "spread": spread}).data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class ReassignSerializer(serializers.Serializer):
    specialist = serializers.IntegerField(allow_null=True, help_text=_(
        "The specialist to take the task; null returns it to the unplanned list."))
    reason = serializers.CharField(max_length=200)
    allow_cross_district = serializers.BooleanField(default=False)


class UrgentSerializer(serializers.Serializer):
    retailer = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    service_minutes = serializers.IntegerField(min_value=1, max_value=600, default=30)


class AbsenceSerializer(serializers.Serializer):
    specialist = serializers.IntegerField()
    date = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=200)
    available_from = serializers.TimeField(required=False, allow_null=True, help_text=_(
        "In late: working from this time (HH:MM). Leave both times out for the whole day."))
    available_until = serializers.TimeField(required=False, allow_null=True, help_text=_(
        "Gone home: working until this time (HH:MM)."))
    freed = serializers.IntegerField(read_only=True,
                                     help_text=_("Tasks freed for the re-plan"))


class TaskCancelView(APIView):
    """Withdraw a task not yet started, with a reason; today's plan is redone."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(request=ReasonSerializer, responses=TaskSerializer, tags=["dispatch"])
    def post(self, request, pk: int):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = changes.task_cancel(actor=request.user, task_id=pk,
                                   expected_version=if_match_version(request),
                                   **body.validated_data)
        return with_etag(Response(TaskSerializer(task, context={"request": request}).data),
                         task.version)


class TaskReassignView(APIView):
    """Move a task by hand, with the reason recorded; checked against skills, radius and
    the specialist's day like a run."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(request=ReassignSerializer, responses=TaskSerializer, tags=["dispatch"])
    def post(self, request, pk: int):
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = placement.task_reassign(actor=request.user, task_id=pk,
                                   specialist_id=data["specialist"], reason=data["reason"],
                                   allow_cross_district=data["allow_cross_district"],
                                   expected_version=if_match_version(request))
        return with_etag(Response(TaskSerializer(task, context={"request": request}).data),
                         task.version)


class UrgentTaskView(APIView):
    """Urgent work for today at a shop of the manager's districts: mandatory, top priority,
    and the day is re-planned around it."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(request=UrgentSerializer, responses={201: TaskSerializer},
                   tags=["dispatch"])
    def post(self, request):
        body = UrgentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        retailer = access(Retailer, request.user, data["retailer"], CHANGE,
                          message=_("This retailer does not exist."))
        task = changes.task_add_urgent(actor=request.user, retailer=retailer,
                                       title=data["title"],
                                       service_minutes=data["service_minutes"])
        return Response(TaskSerializer(task, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class AbsenceView(APIView):
    """A specialist absent for the day, in late or gone home early: their work not yet
    started is freed and the day re-planned within the hours they have."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(request=AbsenceSerializer, responses={201: AbsenceSerializer},
                   tags=["dispatch"])
    def post(self, request):
        body = AbsenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        specialist = access(Specialist, request.user, data["specialist"], CHANGE,
                            message=_("This specialist does not exist."))
        day = data.get("date") or timezone.localdate()
        freed = changes.specialist_drop_out(
            actor=request.user, specialist=specialist, day=day, reason=data["reason"],
            available_from=data.get("available_from"),
            available_until=data.get("available_until"))
        return Response(AbsenceSerializer({
            "specialist": specialist.pk, "date": day, "reason": data["reason"],
            "available_from": data.get("available_from"),
            "available_until": data.get("available_until"), "freed": freed}).data,
            status=status.HTTP_201_CREATED)
