"""The tables profiles are computed from (django-import-export resources).

* orders: one row per retailer and order day, keyed by (licence number, date);
* raw values: one row per retailer and month, one column per collectable indicator,
  keyed by (licence number, month) — each row stands for several ``RawValue`` rows,
  written in bulk after the file is read (700,000 values do not go through the ORM).

Every row's retailer must be one the actor may change (``zhifu.access.WriteScope``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.access import WriteScope
from zhifu.accounts.models import Retailer
from zhifu.accounts.tabular import Column, Date, Month, Number, TabularResource, refuse
from zhifu.core.months import month_from_cell

from .bulk import insert_rows
from .choices import ValueSource
from .models import OrderRecord, RawValue
from .services import collectable_indicators, raw_value_parse

MAX_AMOUNT = Decimal("9999999999.99")
RAW_VALUE_COLUMNS = ["retailer_id", "indicator_id", "period", "value_number", "value_text",
                     "source", "collected_by_id", "updated_at"]


class Amount(Number):
    """Money in yuan, two decimals, from 0 to 9,999,999,999.99."""

    def __init__(self, *, required: bool) -> None:
        super().__init__(required=required, default=Decimal("0.00"))

    def parse(self, text: str):
        number = super().parse(text)
        if number < 0 or number > MAX_AMOUNT:
            raise ValueError(_("Enter an amount from 0 to 9,999,999,999.99."))
        return Decimal(str(round(number, 2))).quantize(Decimal("0.01"))


class Count(Number):
    def __init__(self) -> None:
        super().__init__(int, required=False, default=0)

    def parse(self, text: str):
        number = super().parse(text)
        if number < 0:
            raise ValueError(_("Enter a whole number of at least 0."))
        return number


class ShopRowsResource(TabularResource):
    """Rows keyed by a shop's licence number: the shop must exist and be the actor's."""

    licence_no = Column("许可证号", "Licence number", required=True)

    def load(self, dataset) -> None:
        wanted = set(dataset["licence_no"])
        self.licences = dict(Retailer.objects.filter(licence_no__in=wanted)
                             .values_list("licence_no", "id"))
        self.changeable = WriteScope(Retailer, self.actor).changeable(self.licences.values())

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        retailer_id = self.licences.get(row["licence_no"])
        if retailer_id is not None and retailer_id not in self.changeable:
            raise refuse("licence_no", _("This shop is outside your districts."))

    def check(self, instance, row, errors) -> None:
        retailer_id = self.licences.get(row["licence_no"])
        if retailer_id is None:
            errors.setdefault("licence_no", []).append(
                _("No retailer has licence number “%(value)s”.") % {"value": row["licence_no"]})
        else:
            instance.retailer_id = retailer_id


class OrderResource(ShopRowsResource):
    ordered_on = Column("订购日期", "Order date", Date(required=True), attribute="ordered_on")
    cigarette_amount = Column("卷烟订购金额", "Cigarette amount", Amount(required=True),
                              attribute="cigarette_amount")
    cigarette_skus = Column("卷烟规格数", "Cigarette SKUs", Count(), attribute="cigarette_skus")
    non_tobacco_amount = Column("非烟订购金额", "Non-tobacco amount", Amount(required=False),
                                attribute="non_tobacco_amount")
    non_tobacco_skus = Column("非烟SKU数", "Non-tobacco SKUs", Count(),
                              attribute="non_tobacco_skus")

    key_columns = ("licence_no", "ordered_on")
    duplicate_column = "ordered_on"
    written_fields = ("cigarette_amount", "cigarette_skus", "non_tobacco_amount",
                      "non_tobacco_skus")
    clean_exclude = ("retailer",)

    class Meta(TabularResource.Meta):
        model = OrderRecord
        batch_size = 2000
        # The cells are the whole record and their widgets check every bound; the model's
        # full_clean would only repeat them, at a third of a month's import time.
        clean_model_instances = False

    def load(self, dataset) -> None:
        super().load(dataset)
        days = {self._day(text) for text in dataset["ordered_on"]} - {None}
        self.existing = {}
        if days:
            self.existing = {(o.retailer_id, o.ordered_on): o for o in OrderRecord.objects.filter(
                ordered_on__gte=min(days), ordered_on__lte=max(days),
                retailer_id__in=set(self.licences.values()))}

    @staticmethod
    def _day(text: str):
        try:
            return Date().clean(text)
        except ValueError:
            return None

    def current(self, row):
        return self.existing.get((self.licences.get(row["licence_no"]),
                                  self._day(row["ordered_on"])))


class MonthValues:
    """One row of the raw-value file: a retailer's indicator values of one month
    (``values``: indicator id → (number, answer))."""

    def __init__(self, retailer_id=None, period=None, values=None) -> None:
        self.retailer_id, self.period = retailer_id, period
        self.values: dict[int, tuple[float | None, str]] = dict(values or {})


class RawValueResource(ShopRowsResource):
    period = Column("月份", "Month", Month(), attribute="period")

    key_columns = ("licence_no", "period")
    duplicate_column = "period"

    class Meta(TabularResource.Meta):
        model = RawValue

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # One column per indicator a file may carry, titled by its code or its names.
        self.indicators = collectable_indicators()
        for indicator in self.indicators.values():
            column = Column(indicator.name, indicator.name_en)
            column.column_name = indicator.code
            self.fields[indicator.code] = column
        self.to_create: list[tuple] = []
        self.to_update: list[RawValue] = []

    def load(self, dataset) -> None:
        super().load(dataset)
        periods = {month_from_cell(text) for text in dataset["period"]} - {None}
        self.existing = {}
        if periods:
            self.existing = {(v.retailer_id, v.indicator_id, v.period): v
                             for v in RawValue.objects.filter(
                                 period__in=periods,
                                 retailer_id__in=set(self.licences.values()))}

    def init_instance(self, row=None):
        return MonthValues()

    def current(self, row):
        """The month's values already stored, when every value the row brings is one."""
        retailer_id = self.licences.get(row["licence_no"])
        period = month_from_cell(row["period"])
        keys = [(retailer_id, self.indicators[code].id, period)
                for code in self.indicators if row[code]]
        if retailer_id is None or not keys or any(k not in self.existing for k in keys):
            return None
        return MonthValues(retailer_id, period, values={
            k[1]: (self.existing[k].value_number, self.existing[k].value_text) for k in keys})

    def check(self, instance, row, errors) -> None:
        super().check(instance, row, errors)
        values = {}
        for code, indicator in self.indicators.items():
            if not row[code]:
                continue
            try:
                values[indicator.id] = raw_value_parse(indicator=indicator, value=row[code])
            except ValueError as exc:
                errors.setdefault(code, []).append(str(exc))
        if not errors and not values:
            errors.setdefault("", []).append(_("The row has no indicator value."))
        instance.values = values

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def snapshot(self, instance):
        return dict(instance.values)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.dry_run:
            return
        for indicator_id, (number, text) in instance.values.items():
            current = self.existing.get((instance.retailer_id, indicator_id, instance.period))
            if current is None:
                self.to_create.append((instance.retailer_id, indicator_id, instance.period,
                                       number, text))
            elif (current.value_number, current.value_text) != (number, text):
                current.value_number, current.value_text = number, text
                current.source, current.collected_by = ValueSource.IMPORT, None
                current.updated_at = timezone.now()
                self.to_update.append(current)

    def after_import(self, dataset, result, **kwargs):
        if self.dry_run:
            return
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        insert_rows(model=RawValue, columns=RAW_VALUE_COLUMNS, rows=[
            (rid, iid, ops.adapt_datefield_value(period), number, text,
             ValueSource.IMPORT.value, None, now)
            for rid, iid, period, number, text in self.to_create])
        RawValue.objects.bulk_update(
            self.to_update, ["value_number", "value_text", "source", "collected_by",
                             "updated_at"], batch_size=2000)

