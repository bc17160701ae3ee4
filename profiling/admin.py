from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhifu.accounts.admin import TableImportExportMixin
from zhifu.core.admin import ReadOnlyAdminMixin

from .imports import order_import, raw_value_import
from .models import Dimension, Indicator, OrderRecord, ProfileSnapshot, RawValue


@admin.register(OrderRecord)
class OrderRecordAdmin(TableImportExportMixin, admin.ModelAdmin):
    """Orders, with "Import CSV / Excel" (preview, then commit) like the retailers."""

    import_function = staticmethod(order_import)
    list_display = ("retailer", "ordered_on", "cigarette_amount", "non_tobacco_amount")
    list_filter = ("ordered_on", "retailer__district")
    search_fields = ("retailer__licence_no", "retailer__shop_name")
    date_hierarchy = "ordered_on"
    raw_id_fields = ("retailer",)
    list_select_related = ("retailer",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("code", "name", "max_points", "source", "rule_kind", "rule_params")
    readonly_fields = ("code", "rule_kind", "rule_params")
    extra = 0
    can_delete = False


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: rules, weights and thresholds are edited on /dashboard/profiles/rules/,
    where the services check them (ascending bands, weakness ≤ strength, …)."""

    list_display = ("code", "name", "group", "weight", "strength_threshold",
                    "weakness_threshold", "peer_margin")
    inlines = [IndicatorInline]


@admin.register(RawValue)
class RawValueAdmin(TableImportExportMixin, admin.ModelAdmin):
    """Indicator values, with "Import CSV / Excel" (terminal and trade-area data, …)."""

    import_function = staticmethod(raw_value_import)
    list_display = ("retailer", "indicator", "period", "value_number", "value_text", "source")
    list_filter = ("period", "source", "indicator__dimension")
    search_fields = ("retailer__licence_no", "indicator__code")
    raw_id_fields = ("retailer", "collected_by")
    list_select_related = ("retailer", "indicator")


@admin.register(ProfileSnapshot)
class ProfileSnapshotAdmin(admin.ModelAdmin):
    list_display = ("retailer", "period", "total", "segment", "churn_warning", "weak_count")
    list_filter = ("period", "segment", "churn_warning")
    search_fields = ("retailer__licence_no", "retailer__shop_name")
    raw_id_fields = ("retailer",)
    list_select_related = ("retailer",)
