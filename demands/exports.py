"""The manager's filtered demand list as a CSV or Excel file (Chinese headers)."""

from __future__ import annotations

from django.utils import timezone

from zhifu.accounts.tabular import Column, write_table

COLUMNS = [
    Column("id", "编号", "No."),
    Column("title", "需求", "Demand"),
    Column("kind", "类型", "Kind"),
    Column("status", "状态", "Status"),
    Column("sla_state", "时限", "SLA"),
    Column("priority", "优先级", "Priority"),
    Column("district", "片区", "District"),
    Column("shop_name", "店铺名称", "Shop name"),
    Column("licence_no", "许可证号", "Licence number"),
    Column("assignee", "服务专员", "Specialist"),
    Column("submitted_at", "提交时间", "Submitted at"),
    Column("resolution_due_at", "办结时限", "Resolution due"),
    Column("completed_at", "完成时间", "Completed at"),
]
# Text that would start a formula is made inert by the one writer (zhifu/core/spreadsheets).


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def demand_export(*, demands, fmt: str, language: str) -> bytes:
    """One row per demand of ``demands`` (already scoped by the door and filtered)."""
    rows = [{
        "id": d.pk, "title": d.title, "kind": str(d.get_kind_display()),
        "status": str(d.get_status_display()), "sla_state": str(d.get_sla_state_display()),
        "priority": d.priority, "district": d.district.name,
        "shop_name": d.retailer.shop_name, "licence_no": d.retailer.licence_no,
        "assignee": d.assignee.user.display_name if d.assignee_id else "",
        "submitted_at": _when(d.submitted_at), "resolution_due_at": _when(d.resolution_due_at),
        "completed_at": _when(d.completed_at),
    } for d in demands.iterator(chunk_size=2000)]
    return write_table(rows=rows, columns=COLUMNS, fmt=fmt, language=language)
