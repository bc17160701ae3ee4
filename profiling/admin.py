from django.contrib import admin

from .models import OrderRecord


@admin.register(OrderRecord)
class OrderRecordAdmin(admin.ModelAdmin):
    list_display = ("retailer", "ordered_on", "cigarette_amount", "non_tobacco_amount")
    list_filter = ("ordered_on", "retailer__district")
    search_fields = ("retailer__licence_no", "retailer__shop_name")
    date_hierarchy = "ordered_on"
    raw_id_fields = ("retailer",)
    list_select_related = ("retailer",)
