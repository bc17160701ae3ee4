from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhifu.accounts.api.serializers import PrivateTextField, RetailerBriefSerializer

from .. import clock
from ..lifecycle import (
    ACTION_VERBS,
    action_requirements,
    allowed_actions,
    event_label,
)
from ..models import CatalogueItem, Demand, DemandEvent
from ..policies import SPECIALIST, actor_role, event_seen_by, status_seen_by
from ..sla import sla_state_seen


class CatalogueItemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    skills = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = CatalogueItem
        fields = ["id", "code", "tier", "name", "name_zh", "name_en", "item_score",
                  "grade_bands", "market_types", "business_formats", "segments", "checklist",
                  "approval_level", "response_hours", "resolution_hours", "service_minutes",
                  "impact_scope", "compliance_risk", "capacity_pressure", "priority", "skills",
                  "active"]


class EventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    reason = PrivateTextField()

    class Meta:
        model = DemandEvent
        fields = ["action", "label", "from_status", "to_status", "actor", "actor_role",
                  "reason", "data", "created_at"]

    def get_label(self, obj) -> str:
        return event_label(obj)

    def get_actor(self, obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class DemandSerializer(serializers.ModelSerializer):
    item = CatalogueItemSerializer(read_only=True, allow_null=True)
    retailer = RetailerBriefSerializer(read_only=True)
    district = serializers.CharField(source="district.name", read_only=True)
    assignee = serializers.SerializerMethodField()
    handler = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    approval = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    action_fields = serializers.SerializerMethodField(
        help_text=_("For each allowed action, the request fields it needs."))
    title = PrivateTextField()
    description = PrivateTextField()
    answer = PrivateTextField()
    sla_state = serializers.SerializerMethodField(
        help_text=_("The SLA state as of the response, computed from the deadlines on the "
                    "working calendar."))

    class Meta:
        model = Demand
        fields = ["id", "title", "description", "kind", "source", "status", "item", "retailer",
                  "district", "assignee", "handler", "preferred_start", "preferred_end",
                  "planned_start", "service_minutes", "priority", "submitted_at",
                  "response_due_at", "resolution_due_at", "responded_at", "completed_at",
                  "sla_state", "escalation_level", "checklist", "approval", "answer",
                  "reply_due_on", "adopted", "allowed_actions", "action_fields"]

    def get_sla_state(self, obj) -> str:
        # One calendar per response, shared by every row (the context is the root's).
        if "sla_calendar" not in self.context:
            self.context["sla_calendar"] = clock.work_calendar()
        return sla_state_seen(obj, calendar=self.context["sla_calendar"])

    def get_assignee(self, obj) -> str:
        return obj.assignee.user.display_name if obj.assignee_id else ""

    def get_handler(self, obj) -> str:
        return obj.handler.display_name if obj.handler_id else ""

    def get_checklist(self, obj) -> list[dict]:
        return [{"point": p, "confirmed": p in obj.checklist_confirmed} for p in obj.checklist]

    def get_approval(self, obj) -> dict:
        return {"level": obj.approval_level, "approved": obj.approved_at is not None,
                "approved_at": obj.approved_at}

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(demand=obj, role=actor_role(request.user)) if request else []

    def get_action_fields(self, obj) -> dict[str, list[str]]:
        return {action: list(action_requirements(action, obj))
                for action in self.get_allowed_actions(obj)}

    def _for_specialist(self) -> bool:
        request = self.context.get("request")
        return request is not None and actor_role(request.user) == "specialist"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._for_specialist():
            hide_ratings(data)
        return data


def hide_ratings(data: dict) -> None:
    """What a specialist reads of a demand: its states as ``status_seen_by`` says, and no
    rating event."""
    if "status" in data:
        data["status"] = status_seen_by(SPECIALIST, data["status"])
    if "events" in data:
        data["events"] = [e for e in data["events"]
                          if event_seen_by(SPECIALIST, e.get("action", ""))]
        for event in data["events"]:
            for key in ("from_status", "to_status"):
                if event.get(key):
                    event[key] = status_seen_by(SPECIALIST, event[key])


class DemandDetailSerializer(DemandSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "events"]


API_ACTIONS = ["accept", "start", "complete", "wait_customer", "resume", "escalate", "answer",
               "follow_up", "check",
               # a manager's steps (the demand page's forms, the same services)
               "reject", "schedule", "approve", "assign_handler", "triage", "merge", "reopen",
               "close", "cancel"]


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, ACTION_VERBS[a]) for a in API_ACTIONS])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                   default="")
    point = serializers.CharField(required=False, max_length=200,
                                  help_text=_("The compliance point confirmed (action check)."))
    answer = serializers.CharField(required=False, max_length=2000)
    adopted = serializers.BooleanField(required=False, allow_null=True, default=None)
    specialist = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "schedule: who serves it (its task is placed in that specialist's day)."))
    planned_start = serializers.DateTimeField(required=False, help_text=_(
        "schedule: from when on the day (ISO 8601)."))
    handler = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("assign_handler: the person designated."))
    item = serializers.IntegerField(required=False, min_value=1,
                                    help_text=_("triage: the catalogue service it becomes."))
    into = serializers.IntegerField(required=False, min_value=1,
                                    help_text=_("merge: the demand it is merged into."))
    expected_status = serializers.CharField(required=False, max_length=20,
                                            help_text=_("The status you saw; 409 if it moved."))


class ChecklistSerializer(serializers.Serializer):
    point = serializers.CharField(max_length=200)
