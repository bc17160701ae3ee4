"""The specialist's day through the API, and the manager's dispatch runs."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifu.accounts.models import District
from zhifu.accounts.policies import IsManagerOrAdmin, IsSpecialist
from zhifu.core.api.conditional import if_match_version, with_etag
from zhifu.core.errors import DomainError, NotFound

from .. import selectors
from ..models import ServiceTask
from ..services import field, placement, runs
from .serializers import (
    ChangesQuerySerializer,
    ChangesSerializer,
    CompleteSerializer,
    DayQuerySerializer,
    ExceptionSerializer,
    OnTheWaySerializer,
    RunCreateSerializer,
    RunSerializer,
    StartSerializer,
    TaskDetailSerializer,
    TaskSerializer,
)

DATE_PARAM = OpenApiParameter("date", str, description="YYYY-MM-DD; default today")


def _day(request):
    query = DayQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("date") or timezone.localdate()


class MyDayView(generics.ListAPIView):
    """Today's tasks (or ``?date=``) in route order with planned times."""

    serializer_class = TaskSerializer
    permission_classes = [IsSpecialist]
    pagination_class = None

    @extend_schema(parameters=[DATE_PARAM], tags=["specialist"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.specialist_day(user=self.request.user, day=_day(self.request))


class MyChangesView(APIView):
    """What changed in the specialist's days (today onwards) since the last call: the phone
    keeps ``cursor`` and sends it back as ``since``; a task may come again (compare its
    ``version``), ``removed`` lists tasks that are no longer its."""

    permission_classes = [IsSpecialist]

    @extend_schema(parameters=[ChangesQuerySerializer], responses=ChangesSerializer,
                   tags=["specialist"])
    def get(self, request):
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        feed = selectors.specialist_changes(user=request.user,
                                            since=query.validated_data.get("since"))
        return Response(ChangesSerializer(feed, context={"request": request}).data)


class MyTaskView(generics.RetrieveAPIView):
    """One task with the retailer's profile (radar), its strategy and the checklist."""

    serializer_class = TaskDetailSerializer
    permission_classes = [IsSpecialist]

    @extend_schema(tags=["specialist"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        task = selectors.specialist_task_get(user=self.request.user, task_id=self.kwargs["pk"])
        if task is None:
            raise NotFound(_("This task does not exist."))
        return task

    def retrieve(self, request, *args, **kwargs):
        task = self.get_object()
        return with_etag(Response(self.get_serializer(task).data), task.version)


class _TaskAction(APIView):
    permission_classes = [IsSpecialist]

    def respond(self, task):
        task = selectors.specialist_task_get(user=self.request.user, task_id=task.pk) or task
        return with_etag(Response(TaskDetailSerializer(task,
                                                       context={"request": self.request}).data),
                         task.version)

    def version(self) -> int | None:
        """The version the phone read (If-Match): a write on anything newer is refused."""
        return if_match_version(self.request)

    @staticmethod
    def step(serializer_class, data) -> tuple[dict, object]:
        """The step's checked fields, and when it happened (the phone's ``occurred_at``)."""
        body = serializer_class(data=data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        return fields, field.fact_time(fields.pop("occurred_at", None))


class AcceptView(_TaskAction):
    @extend_schema(request=None, responses=TaskDetailSerializer, tags=["specialist"])
    def post(self, request, pk):
        return self.respond(field.task_accept(user=request.user, task_id=pk,
                                              expected_version=self.version()))


class OnTheWayView(_TaskAction):
    """Set off for the shop: the retailer sees when to expect the specialist."""

    @extend_schema(request=OnTheWaySerializer, responses=TaskDetailSerializer,
                   tags=["specialist"])
    def post(self, request, pk):
        data, now = self.step(OnTheWaySerializer, request.data)
        return self.respond(field.task_on_the_way(user=request.user, task_id=pk, now=now,
                                                  expected_version=self.version(), **data))


class StartView(_TaskAction):
    """Check in at the shop with the phone's position."""

    @extend_schema(request=StartSerializer, responses=TaskDetailSerializer, tags=["specialist"])
    def post(self, request, pk):
        data, now = self.step(StartSerializer, request.data)
        return self.respond(field.task_start(user=request.user, task_id=pk, now=now,
                                             expected_version=self.version(), **data))


class CompleteView(_TaskAction):
    """Finish with a service log, the confirmed checklist and up to 9 photos (multipart)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": CompleteSerializer,
                            "application/json": CompleteSerializer},
                   responses=TaskDetailSerializer, tags=["specialist"])
    def post(self, request, pk):
        data = request.data
        if hasattr(data, "getlist"):
            data = {"notes": data.get("notes", ""),
                    "checklist_confirmed": data.getlist("checklist_confirmed"),
                    "photos": request.FILES.getlist("photos"),
                    **({"occurred_at": data["occurred_at"]} if data.get("occurred_at") else {})}
        data, now = self.step(CompleteSerializer, data)
        return self.respond(field.task_complete(user=request.user, task_id=pk, now=now,
                                                expected_version=self.version(), **data))


class ExceptionView(_TaskAction):
    """Cannot reach, shop closed, needs another skill: the task is re-planned or escalated."""

    @extend_schema(request=ExceptionSerializer, responses=TaskDetailSerializer,
                   tags=["specialist"])
    def post(self, request, pk):
        data, now = self.step(ExceptionSerializer, request.data)
        task = field.task_report_exception(user=request.user, task_id=pk, now=now,
                                           expected_version=self.version(), **data)
        return with_etag(Response(TaskSerializer(task, context={"request": request}).data),
                         task.version)


class PoolView(generics.ListAPIView):
    """Grab mode: open tasks this specialist may claim."""

    serializer_class = TaskSerializer
    permission_classes = [IsSpecialist]
    pagination_class = None
    queryset = ServiceTask.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(parameters=[DATE_PARAM], tags=["specialist"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.open_pool(user=self.request.user, day=_day(self.request))


class ClaimView(_TaskAction):
    """Claim an open task; the first valid claim wins, later ones get 409."""

    @extend_schema(request=None, responses=TaskDetailSerializer, tags=["specialist"])
    def post(self, request, pk):
        return self.respond(placement.task_claim(user=request.user, task_id=pk))


class RunListCreateView(generics.ListAPIView):
    """Dispatch runs in the manager's districts; POST starts one."""

    serializer_class = RunSerializer
    permission_classes = [IsManagerOrAdmin]

    @extend_schema(tags=["dispatch"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=RunCreateSerializer, responses={202: RunSerializer},
                   tags=["dispatch"])
    def post(self, request):
        body = RunCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        codes = data["districts"]
        ids = list(District.objects.filter(code__in=codes).values_list("id", flat=True))
        if len(ids) != len(set(codes)):
            raise DomainError(_("Unknown district."), code="unknown_district",
                              fields={"districts": [_("Unknown district.")]})
        run = runs.run_start(actor=request.user, day=data["date"], district_ids=ids or None,
                             mode=data["mode"], seconds=data["seconds"], seed=data["seed"],
                             allow_cross_district=data["allow_cross_district"])
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailView(generics.RetrieveAPIView):
    serializer_class = RunSerializer
    permission_classes = [IsManagerOrAdmin]

    @extend_schema(tags=["dispatch"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)
