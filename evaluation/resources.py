"""The monthly work-quality table (a django-import-export resource): the rates the
company's other systems measure, keyed by (employee number, month), only for the
specialists the actor may change (``zhifu.access.WriteScope``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhifu.access import WriteScope
from zhifu.accounts.models import Specialist
from zhifu.accounts.tabular import Column, Month, TabularResource, Text, refuse
from zhifu.core.months import month_from_cell

from .models import WorkQualityRecord


class Rate(Text):
    """A rate written 0.93, 93 or 93%."""

    def __init__(self) -> None:
        super().__init__(required=True)

    def parse(self, text: str):
        raw = text.rstrip("%").strip()
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if value > 1:  # written as a percentage
            value /= 100
        if not 0 <= value <= 1:
            raise ValueError(_("A rate is between 0 and 1 (or 0% and 100%)."))
        return round(value, 4)


class WorkQualityResource(TabularResource):
    employee_no = Column("工号", "Employee number", required=True)
    month = Column("月份", "Month", Month(), attribute="period")
    order_fulfilment = Column("订单满足率", "Order fulfilment rate", Rate(),
                              attribute="order_fulfilment")
    e_settlement = Column("电子结算成功率", "E-settlement success rate", Rate(),
                          attribute="e_settlement")
    active_payment = Column("主动支付成功率", "Active payment success rate", Rate(),
                            attribute="active_payment")
    terminal_running = Column("零售终端运行率", "Retail terminal running rate", Rate(),
                              attribute="terminal_running")

    key_columns = ("employee_no", "month")
    written_fields = ("order_fulfilment", "e_settlement", "active_payment", "terminal_running")
    clean_exclude = ("specialist",)

    class Meta(TabularResource.Meta):
        model = WorkQualityRecord
        clean_model_instances = False  # the rate widgets check every bound the model has

    def load(self, dataset) -> None:
        self.specialists = Specialist.objects.in_bulk(dataset["employee_no"],
                                                      field_name="employee_no")
        self.changeable = WriteScope(Specialist, self.actor).changeable(
            s.pk for s in self.specialists.values())
        months = {month_from_cell(text) for text in dataset["month"]} - {None}
        self.existing = {(r.specialist_id, r.period): r for r in WorkQualityRecord.objects.filter(
            specialist_id__in={s.pk for s in self.specialists.values()}, period__in=months)}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        specialist = self.specialists.get(row["employee_no"])
        if specialist is not None and specialist.pk not in self.changeable:
            raise refuse("employee_no", _("This specialist is outside your districts."))

    def current(self, row):
        specialist = self.specialists.get(row["employee_no"])
        return specialist and self.existing.get((specialist.pk, month_from_cell(row["month"])))

    def check(self, instance, row, errors) -> None:
        specialist = self.specialists.get(row["employee_no"])
        if specialist is None:
            errors.setdefault("employee_no", []).append(
                _("Unknown employee number “%(value)s”.") % {"value": row["employee_no"]})
        else:
            instance.specialist = specialist
