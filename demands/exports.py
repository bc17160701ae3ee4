"""The manager's filtered demand list as a CSV or Excel file (a django-import-export
resource; Chinese or English headers by the request's language)."""

from __future__ import annotations

from django.utils import timezone, translation

from zhifu.accounts.tabular import Column, TabularResource, export_bytes


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class DemandResource(TabularResource):
    """One row per demand of a queryset already scoped by the door and filtered. Text that
    would start a formula is made inert by the one writer (zhifu/core/spreadsheets)."""

    id = Column("编号", "No.", attribute="pk")
    title = Column("需求", "Demand", attribute="title")
    kind = Column("类型", "Kind", attribute="get_kind_display")
    status = Column("状态", "Status", attribute="get_status_display")
    sla_state = Column("时限", "SLA", attribute="get_sla_state_display")
    priority = Column("优先级", "Priority", attribute="priority")
    district = Column("片区", "District", attribute="district__name")
    shop_name = Column("店铺名称", "Shop name", attribute="retailer__shop_name")
    licence_no = Column("许可证号", "Licence number", attribute="retailer__licence_no")
    assignee = Column("服务专员", "Specialist")
    submitted_at = Column("提交时间", "Submitted at")
    resolution_due_at = Column("办结时限", "Resolution due")
    completed_at = Column("完成时间", "Completed at")

    def dehydrate_assignee(self, d):
        return d.assignee.user.display_name if d.assignee_id else ""

    def dehydrate_submitted_at(self, d):
        return _when(d.submitted_at)

    def dehydrate_resolution_due_at(self, d):
        return _when(d.resolution_due_at)

    def dehydrate_completed_at(self, d):
        return _when(d.completed_at)


def demand_export(*, demands, fmt: str, language: str) -> bytes:
    """One row per demand of ``demands`` (already scoped by the door and filtered)."""
    with translation.override(language):
        return export_bytes(DemandResource(), queryset=demands, fmt=fmt)
