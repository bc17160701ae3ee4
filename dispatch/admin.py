"""The operator's read-only view of dispatch: runs, tasks and absences.

Plans change only through the services (a run, a claim, a manager's move, a reported
absence), which check who may do it and keep the demand, the notices and the history in
step; the admin looks, it does not edit.
"""

from django.contrib import admin

from zhifu.core.admin import ReadOnlyAdminMixin

from .models import DispatchRun, ServiceTask, SpecialistAbsence


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(DispatchRun)
class DispatchRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "service_date", "trigger", "status", "requested_by", "created_at")
    list_filter = ("status", "trigger", "service_date")
    date_hierarchy = "service_date"


@admin.register(ServiceTask)
class ServiceTaskAdmin(ReadOnlyAdmin):
    list_display = ("id", "service_date", "district", "retailer", "title", "status",
                    "specialist", "planned_start", "mandatory")
    list_filter = ("status", "source", "mode", "district", "service_date")
    search_fields = ("title", "retailer__licence_no", "retailer__shop_name")
    raw_id_fields = ("retailer", "demand", "specialist")
    date_hierarchy = "service_date"


@admin.register(SpecialistAbsence)
class SpecialistAbsenceAdmin(ReadOnlyAdmin):
    list_display = ("specialist", "day")
    list_filter = ("day",)
