from django.contrib import admin

from .models import JobRun, PersonalDataAccess


class ReadOnlyAdminMixin:
    """An admin that looks and never edits: for rows that change only through their
    services (plans, profile rules) or never (audit trails)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "progress", "created_at", "finished_at")
    list_filter = ("kind", "status")
    search_fields = ("kind", "error")
    readonly_fields = ("created_at", "started_at", "finished_at")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an audit trail is not edited."""

    list_display = ("at", "user", "masked_value", "where")
    list_filter = ("at",)
    search_fields = ("user__username", "masked_value", "where")
