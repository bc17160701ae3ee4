from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from profiling.selectors import profile_detail
from strategy.selectors import strategy_for_display
from zhifu.accounts.api.serializers import PrivateTextField, RetailerBriefSerializer
from zhifu.core.api.fields import ClockTimeField, NumberField

from ..choices import DispatchMode, ExceptionKind
from ..lifecycle import SPECIALIST, allowed_task_actions, task_role
from ..models import DispatchRun, ServiceTask


class TaskSerializer(serializers.ModelSerializer):
    retailer = RetailerBriefSerializer(read_only=True)
    title = PrivateTextField()
    district = serializers.CharField(source="district.code", read_only=True)
    demand_id = serializers.IntegerField(read_only=True, allow_null=True)
    window_start = ClockTimeField(read_only=True)
    window_end = ClockTimeField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = ServiceTask
        fields = [
            "id", "source", "demand_id", "title", "service_date", "status", "mode", "sequence",
            "planned_start", "planned_end", "window_start", "window_end", "service_minutes",
            "priority", "required_skills", "mandatory", "checklist", "retailer", "district",
            "checked_in_at", "check_in_far", "completed_at", "unserved_reason",
            "allowed_actions", "version", "updated_at",
        ]

    def get_allowed_actions(self, task) -> list[str]:
        """What the reader may do to this task now (its lifecycle table); a button for each."""
        request = self.context.get("request")
        if request is None:
            return []
        role = task_role(request.user)
        mine = role == SPECIALIST and task.specialist_id == request.user.specialist.pk
        return allowed_task_actions(task=task, role=role, mine=mine)


class TaskDetailSerializer(TaskSerializer):
    service_notes = PrivateTextField()
    profile = serializers.SerializerMethodField()
    strategy = serializers.SerializerMethodField()
    explanation = serializers.JSONField(read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "profile", "strategy", "explanation",
                  "service_notes", "checklist_confirmed", "photos"]

    @extend_schema_field(serializers.JSONField())
    def get_profile(self, task) -> dict:
        """The retailer's latest profile: six dimension scores (radar) and verdicts."""
        return profile_detail(retailer=task.retailer)

    @extend_schema_field(serializers.JSONField())
    def get_strategy(self, task) -> dict:
        return strategy_for_display(retailer=task.retailer)

    def get_photos(self, task) -> list[str]:
        return [photo.image.url for photo in task.photos.all()]


class FactTimeSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(
        required=False, help_text=_("When it happened on the phone (ISO 8601 with its offset), "
                                    "for a step sent later from an offline queue; the "
                                    "timeline, SLA and points use it. At most 48 hours old."))


class OnTheWaySerializer(FactTimeSerializer):
    eta_minutes = serializers.IntegerField(min_value=1, max_value=240,
                                           help_text=_("Minutes until arrival at the shop."))


class StartSerializer(FactTimeSerializer):
    latitude = NumberField(min_value=-90, max_value=90)
    longitude = NumberField(min_value=-180, max_value=180)


class CompleteSerializer(FactTimeSerializer):
    notes = serializers.CharField(max_length=4000, help_text=_("What was done (service log)."))
    checklist_confirmed = serializers.ListField(child=serializers.CharField(max_length=200),
                                                required=False, default=list)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list,
                                   max_length=9)


class ExceptionSerializer(FactTimeSerializer):
    kind = serializers.ChoiceField(choices=ExceptionKind.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, help_text=_(
        "The cursor of the last answer; without it, every task from today on."))


class ChangesSerializer(serializers.Serializer):
    cursor = serializers.DateTimeField(help_text=_("Send it as since= next time."))
    tasks = TaskSerializer(many=True)
    removed = serializers.ListField(child=serializers.IntegerField(), help_text=_(
        "Tasks that left your days (moved to someone else, back to the pool)."))


class DayQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)


class RunSerializer(serializers.ModelSerializer):
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = DispatchRun
        fields = ["id", "service_date", "districts", "mode", "trigger", "status", "progress",
                  "seed", "params", "result", "error", "attempts", "created_at", "started_at",
                  "finished_at"]


class RunCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    districts = serializers.ListField(child=serializers.CharField(max_length=32),
                                      required=False, default=list,
                                      help_text=_("District codes; empty for all you manage."))
    mode = serializers.ChoiceField(choices=DispatchMode.choices, default=DispatchMode.COMMAND)
    seconds = NumberField(min_value=1, max_value=600, default=20)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=1)
    allow_cross_district = serializers.BooleanField(default=True)
