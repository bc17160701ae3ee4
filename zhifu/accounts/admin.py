from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from zhifu.core.errors import DomainError
from zhifu.core.masking import mask_id_number

from . import imports
from .forms import AdminLoginForm, ImportForm
from .models import (
    City,
    ConsentRecord,
    District,
    Grid,
    Retailer,
    RevokedAccessToken,
    Skill,
    Specialist,
    SpecialistSkill,
    User,
)
from .policies import is_admin
from .staging import committed_message, staged_commit, staged_preview
from .views.manager import export_response

admin.site.login_form = AdminLoginForm


def _platform_admins_only(request) -> bool:
    # The admin site sees every row of every district: platform administrators only, so no
    # manager reaches an unscoped list, import or export through it.
    user = request.user
    return bool(user.is_active and user.is_staff and is_admin(user))


admin.site.has_permission = _platform_admins_only
# simplejwt's token tables are plumbing (revocation is ours: RevokedAccessToken, purged
# nightly); listed in the admin they only showed an operator two untranslated tables.
for _model in (OutstandingToken, BlacklistedToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
admin.site.site_header = gettext_lazy("Zhifu administration")
admin.site.site_title = gettext_lazy("Zhifu administration")


class TableImportExportMixin:
    """Adds "Import" (preview, then commit) and "Export" (CSV, Excel) to a model admin,
    through the same import and export functions (and so the same resources and the same
    scope check) as the dashboard and the commands. Not import-export's own admin mixin:
    that one would take the file around our staged expiry, report and actor."""

    change_list_template = "admin/accounts/change_list_import.html"
    import_function = None
    export_function = None
    export_stem = ""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="{}_{}_import".format(*info)),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("Import %(name)s") % {"name": self.model._meta.verbose_name_plural}}
        form = ImportForm()
        try:
            if request.method == "POST" and "token" in request.POST:
                report = staged_commit(importer=type(self).import_function,
                                       token=request.POST["token"], actor=request.user)
                messages.success(request, committed_message(report))
                info = self.model._meta.app_label, self.model._meta.model_name
                return redirect(reverse("admin:{}_{}_changelist".format(*info)))
            if request.method == "POST":
                form = ImportForm(request.POST, request.FILES)
                if form.is_valid():
                    report, token = staged_preview(importer=type(self).import_function,
                                                   upload=form.cleaned_data["file"],
                                                   actor=request.user)
                    context.update(report=report, token=token)
        except DomainError as exc:
            context["problem"] = exc.message
        context["form"] = form
        return TemplateResponse(request, "admin/accounts/import.html", context)

    @admin.action(description=gettext_lazy("Export selected to Excel"))
    def export_xlsx(self, request, queryset):
        content = type(self).export_function(queryset, user=request.user, fmt="xlsx")
        return export_response(content, stem=self.export_stem, fmt="xlsx")

    @admin.action(description=gettext_lazy("Export selected to CSV"))
    def export_csv(self, request, queryset):
        content = type(self).export_function(queryset, user=request.user, fmt="csv")
        return export_response(content, stem=self.export_stem, fmt="csv")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "manager_level", "is_active", "last_login")
    list_filter = ("role", "manager_level", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("managed_districts", "groups", "user_permissions")
    fieldsets = BaseUserAdmin.fieldsets + (
        (gettext_lazy("Role and scope"), {"fields": ("role", "phone", "manager_level",
                                                     "managed_districts")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (gettext_lazy("Role and scope"), {"fields": ("role", "phone")}),
    )


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "center_lat", "center_lng")
    list_filter = ("city",)
    search_fields = ("code", "name")


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    list_filter = ("district",)
    search_fields = ("code", "name")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "description")
    search_fields = ("code", "name")


@admin.register(Retailer)
class RetailerAdmin(TableImportExportMixin, admin.ModelAdmin):
    list_display = ("licence_no", "shop_name", "owner_name", "district", "grade", "market_type",
                    "business_format", "status")
    list_filter = ("district", "market_type", "business_format", "franchise_type", "status")
    search_fields = ("licence_no", "shop_name", "owner_name", "address")
    raw_id_fields = ("user",)
    list_select_related = ("district",)
    actions = ["export_xlsx", "export_csv"]
    export_stem = "retailers"
    readonly_fields = ("owner_id_number_masked",)

    @admin.display(description=gettext_lazy("owner's ID number"))
    def owner_id_number_masked(self, obj):
        # Shown masked even here; it is set only through the consent-checked service.

        return mask_id_number(obj.owner_id_number) or "—"

    @staticmethod
    def import_function(**kwargs):
        return imports.retailer_import(**kwargs)

    @staticmethod
    def export_function(queryset, **kwargs):
        return imports.retailer_export(retailers=queryset, **kwargs)


class SpecialistSkillInline(admin.TabularInline):
    model = SpecialistSkill
    extra = 1


@admin.register(Specialist)
class SpecialistAdmin(TableImportExportMixin, admin.ModelAdmin):
    list_display = ("employee_no", "user", "home_district", "service_radius_km", "shift_start",
                    "shift_end", "daily_task_limit", "daily_minutes_limit", "active")
    list_editable = ("daily_task_limit", "daily_minutes_limit")
    list_filter = ("home_district", "education", "title", "active")
    search_fields = ("employee_no", "user__username", "user__first_name")
    filter_horizontal = ("districts",)
    raw_id_fields = ("user",)
    inlines = [SpecialistSkillInline]
    list_select_related = ("user", "home_district")
    actions = ["export_xlsx", "export_csv"]
    export_stem = "specialists"

    @staticmethod
    def import_function(**kwargs):
        return imports.specialist_import(**kwargs)

    @staticmethod
    def export_function(queryset, **kwargs):
        return imports.specialist_export(specialists=queryset, **kwargs)


@admin.register(RevokedAccessToken)
class RevokedAccessTokenAdmin(admin.ModelAdmin):
    list_display = ("jti", "expires_at")
    search_fields = ("jti",)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("retailer", "purpose", "given_at", "withdrawn_at", "recorded_by")
    list_filter = ("purpose",)
    raw_id_fields = ("retailer", "recorded_by")
    search_fields = ("retailer__licence_no", "how")
