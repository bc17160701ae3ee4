"""The manager's profile list as an Excel file (a django-import-export resource)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from zhifu.accounts.choices import band_of
from zhifu.accounts.tabular import Column, TabularResource, export_bytes

from .choices import Segment
from .selectors import dimension_list


class ProfileResource(TabularResource):
    """One row per retailer of ``selectors.profile_list`` (already scoped and filtered),
    one column per profile dimension."""

    licence_no = Column("许可证号", "Licence number", attribute="licence_no")
    shop_name = Column("店铺名称", "Shop name", attribute="shop_name")
    district = Column("片区", "District", attribute="district__name")
    grade = Column("档位", "Grade", attribute="grade")
    grade_band = Column("档位段", "Grade band")
    segment = Column("客户分层", "Customer segment")
    total = Column("画像总分", "Total score", attribute="snap_total")

    weaknesses = Column("劣势维度", "Weak dimensions")
    rfm = Column("RFM", "RFM")
    churn = Column("流失预警", "Churn warning")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dimensions = list(dimension_list())
        self.segments = dict(Segment.choices)
        tail = {name: self.fields.pop(name) for name in ("weaknesses", "rfm", "churn")}
        for d in self.dimensions:
            column = Column(d.name, d.name_en)
            column.column_name, column.dehydrate_method = d.code, self._score(d.code)
            self.fields[d.code] = column
        self.fields.update(tail)

    @staticmethod
    def _score(code):
        return lambda r: (r.snap_scores or {}).get(code)

    def dehydrate_grade_band(self, r):
        return band_of(r.grade)

    def dehydrate_segment(self, r):
        return str(self.segments.get(r.snap_segment, ""))

    def dehydrate_weaknesses(self, r):
        verdicts = r.snap_verdicts or {}
        return "、".join(d.name for d in self.dimensions if verdicts.get(d.code) == "weakness")

    def dehydrate_rfm(self, r):
        return f"{r.snap_rfm_r}{r.snap_rfm_f}{r.snap_rfm_m}" if r.snap_segment else ""

    def dehydrate_churn(self, r):
        return _("Yes") if r.snap_churn else ""


def profile_export(*, retailers, language: str) -> bytes:
    """One row per retailer of ``selectors.profile_list`` (already scoped and filtered)."""
    with translation.override(language):
        return export_bytes(ProfileResource(), queryset=retailers, fmt="xlsx")
