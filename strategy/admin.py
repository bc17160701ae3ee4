from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    GradeBandTemplate,
    PlannedVisit,
    RecommendationFeedback,
    RetailerStrategy,
    StrategyRule,
)


@admin.register(GradeBandTemplate)
class GradeBandTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("band", "visit_cycle_days", "visit_minutes", "visit_priority")
    filter_horizontal = ("items",)


@admin.register(StrategyRule)
class StrategyRuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "condition", "priority", "learned_adjustment", "active")
    list_filter = ("condition", "active")
    search_fields = ("code", "name", "reason")
    filter_horizontal = ("items",)
    readonly_fields = ("learned_adjustment", "effect")


@admin.register(RetailerStrategy)
class RetailerStrategyAdmin(admin.ModelAdmin):
    list_display = ("retailer", "version", "is_current", "band", "visit_cycle_days",
                    "generated_at")
    list_filter = ("is_current", "band")
    search_fields = ("retailer__licence_no", "retailer__shop_name")
    raw_id_fields = ("retailer",)
    list_select_related = ("retailer",)


@admin.register(RecommendationFeedback)
class RecommendationFeedbackAdmin(admin.ModelAdmin):
    list_display = ("retailer", "item", "rule", "outcome", "profile_delta", "created_at")
    list_filter = ("outcome", "rule")
    raw_id_fields = ("retailer", "strategy", "demand")
    list_select_related = ("retailer", "item", "rule")


@admin.register(PlannedVisit)
class PlannedVisitAdmin(admin.ModelAdmin):
    list_display = ("retailer", "specialist", "day", "priority", "reason")
    list_filter = ("day",)
    raw_id_fields = ("retailer", "specialist", "strategy")
    list_select_related = ("retailer", "specialist")
