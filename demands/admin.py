from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from zhifu.core.errors import DomainError

from . import services
from .models import (
    CatalogueItem,
    Demand,
    DemandEscalation,
    DemandEvent,
    Holiday,
    RequestPromise,
    WorkingPeriod,
)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "tier", "item_score", "priority", "response_hours",
                    "resolution_hours", "service_minutes", "approval_level", "active"]
    list_filter = ["tier", "active", "approval_level"]
    search_fields = ["code", "name_zh", "name_en"]
    filter_horizontal = ["skills"]
    readonly_fields = ["priority", "created_from"]

    def save_model(self, request, obj, form, change):
        # The priority follows the expert scores: the service computes it.
        services.catalogue_item_prepare(obj)
        super().save_model(request, obj, form, change)


class DemandEventInline(admin.TabularInline):
    model = DemandEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "actor_role", "reason",
                       "data", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    """Read-mostly: states change only through the lifecycle (the dashboard or the API)."""

    list_display = ["id", "title", "retailer", "district", "kind", "status", "sla_state",
                    "submitted_at", "resolution_due_at"]
    list_filter = ["status", "kind", "sla_state", "district", "source"]
    search_fields = ["title", "retailer__shop_name", "retailer__licence_no"]
    raw_id_fields = ["retailer", "item", "assignee", "handler", "merged_into", "approved_by",
                     "triaged_by"]
    date_hierarchy = "submitted_at"
    inlines = [DemandEventInline]
    readonly_fields = ["status", "resume_status", "submitted_at", "response_due_at",
                       "resolution_due_at", "responded_at", "completed_at", "closed_at",
                       "paused_at", "paused_seconds", "sla_state", "escalation_level"]
    actions = ["close_completed"]

    @admin.action(description=gettext_lazy("Close the selected completed demands"))
    def close_completed(self, request, queryset):
        done = 0
        for demand in queryset:
            try:
                services.demand_close(demand=demand, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"#{demand.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s demands closed.") % {"n": done})


admin.site.register(DemandEscalation, list_display=["demand", "level", "created_at"],
                    raw_id_fields=["demand"])
admin.site.register(RequestPromise, SimpleHistoryAdmin,
                    list_display=["kind", "response_hours", "resolution_hours", "wall_clock"])
admin.site.register(WorkingPeriod, SimpleHistoryAdmin, list_display=["weekday", "start", "end"])
admin.site.register(Holiday, SimpleHistoryAdmin, list_display=["date", "name", "is_workday"])
