from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "progress", "created_at", "finished_at")
    list_filter = ("kind", "status")
    search_fields = ("kind", "error")
    readonly_fields = ("created_at", "started_at", "finished_at")
