from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhifu.accounts.admin import TableImportExportMixin

from .imports import work_quality_import
from .models import (
    CapabilitySnapshot,
    CoCreationRating,
    EvaluationSettings,
    ManagerReview,
    MonthlyAward,
    PointsEntry,
    PointsRule,
    ServiceRating,
    WorkQualityRecord,
)


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("rating_weight", "min_ratings_shown", "rerate_days", "award_top_n")


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    list_display = ("demand", "specialist", "overall", "period")
    list_filter = ("period",)
    raw_id_fields = ("demand", "retailer", "specialist")


@admin.register(CoCreationRating)
class CoCreationRatingAdmin(admin.ModelAdmin):
    list_display = ("task", "retailer", "specialist", "cooperation", "data_provided")
    raw_id_fields = ("task", "retailer", "specialist")


@admin.register(ManagerReview)
class ManagerReviewAdmin(admin.ModelAdmin):
    list_display = ("demand", "reviewer", "audit_passed", "quality", "complaint_upheld")
    list_filter = ("audit_passed", "complaint_upheld")
    raw_id_fields = ("demand", "reviewer")


@admin.register(WorkQualityRecord)
class WorkQualityRecordAdmin(TableImportExportMixin, admin.ModelAdmin):
    actions = []

    @staticmethod
    def import_function(**kwargs):
        return work_quality_import(**kwargs)

    list_display = ("specialist", "period", "order_fulfilment", "e_settlement",
                    "active_payment", "terminal_running")
    list_filter = ("period",)
    raw_id_fields = ("specialist",)


@admin.register(CapabilitySnapshot)
class CapabilitySnapshotAdmin(admin.ModelAdmin):
    list_display = ("specialist", "period", "basic_information", "work_quality",
                    "service_evaluation", "average")
    list_filter = ("period",)
    raw_id_fields = ("specialist",)


@admin.register(PointsRule)
class PointsRuleAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "points", "active")


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    list_display = ("specialist", "kind", "points", "reason", "period")
    list_filter = ("kind", "period")
    raw_id_fields = ("specialist",)


@admin.register(MonthlyAward)
class MonthlyAwardAdmin(admin.ModelAdmin):
    list_display = ("period", "rank", "specialist", "points", "title")
    list_filter = ("period",)
    raw_id_fields = ("specialist",)
