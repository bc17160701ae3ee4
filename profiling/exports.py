"""The manager's profile list as an Excel file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhifu.accounts.choices import band_of
from zhifu.accounts.tabular import Column, write_table

from .choices import Segment
from .selectors import dimension_list


def profile_export(*, retailers, language: str) -> bytes:
    """One row per retailer of ``selectors.profile_list`` (already scoped and filtered)."""
    dimensions = list(dimension_list())
    columns = [
        Column("licence_no", "许可证号", "Licence number"),
        Column("shop_name", "店铺名称", "Shop name"),
        Column("district", "片区", "District"),
        Column("grade", "档位", "Grade"),
        Column("grade_band", "档位段", "Grade band"),
        Column("segment", "客户分层", "Customer segment"),
        Column("total", "画像总分", "Total score"),
        *[Column(d.code, d.name, d.name_en) for d in dimensions],
        Column("weaknesses", "劣势维度", "Weak dimensions"),
        Column("rfm", "RFM", "RFM"),
        Column("churn", "流失预警", "Churn warning"),
    ]
    segments = dict(Segment.choices)
    rows = []
    for r in retailers.iterator(chunk_size=2000):
        scores, verdicts = r.snap_scores or {}, r.snap_verdicts or {}
        rows.append({
            "licence_no": r.licence_no, "shop_name": r.shop_name, "district": r.district.name,
            "grade": r.grade, "grade_band": band_of(r.grade),
            "segment": str(segments.get(r.snap_segment, "")), "total": r.snap_total,
            **{d.code: scores.get(d.code) for d in dimensions},
            "weaknesses": "、".join(d.name for d in dimensions
                                   if verdicts.get(d.code) == "weakness"),
            "rfm": f"{r.snap_rfm_r}{r.snap_rfm_f}{r.snap_rfm_m}" if r.snap_segment else "",
            "churn": _("Yes") if r.snap_churn else "",
        })
    return write_table(rows=rows, columns=columns, fmt="xlsx", language=language)
