"""Imports of orders and indicator values: good, bad and duplicate files; all or nothing;
idempotent; numbers kept as text until parsed."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pandas as pd
import pytest
from django.core.management import call_command

from profiling.imports import order_import, raw_value_import
from profiling.models import OrderRecord, RawValue
from zhifu.core.errors import DomainError

pytestmark = pytest.mark.django_db

ORDER_HEADER = "许可证号,订购日期,卷烟订购金额,卷烟规格数,非烟订购金额,非烟SKU数\n"


def csv(header, *lines):
    return (header + "\n".join(lines) + "\n").encode("utf-8")


def test_orders_good_file_then_same_file_changes_nothing(org):
    lic = org.retailer_north.licence_no
    content = csv(ORDER_HEADER, f"{lic},2026-06-01,1200.50,30,300,12",
                  f"{lic},2026/06/08,1100,28,,")
    preview = order_import(actor=None, content=content, filename="o.csv", commit=False)
    assert (preview.total, preview.created, preview.errors) == (2, 2, [])
    assert not OrderRecord.objects.exists()
    order_import(actor=None, content=content, filename="o.csv", commit=True)
    first = OrderRecord.objects.get(ordered_on=dt.date(2026, 6, 1))
    assert first.cigarette_amount == Decimal("1200.50") and first.non_tobacco_skus == 12
    again = order_import(actor=None, content=content, filename="o.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert OrderRecord.objects.count() == 2
    changed = csv(ORDER_HEADER, f"{lic},2026-06-01,1300,30,300,12")
    assert order_import(actor=None, content=changed, filename="o.csv", commit=True).updated == 1
    assert OrderRecord.objects.get(ordered_on=dt.date(2026, 6, 1)).cigarette_amount == 1300


def test_orders_bad_rows_are_listed_and_skipped(org):
    lic = org.retailer_north.licence_no
    content = csv(ORDER_HEADER,
                  f"{lic},2026-06-01,1000,30,0,0",
                  "440599999999,2026-06-01,1000,30,0,0",   # unknown licence
                  f"{lic},2026-13-01,1000,30,0,0",         # bad date
                  f"{lic},2026-06-02,-5,30,0,0",           # negative amount
                  f"{lic},2026-06-03,abc,1.5,0,0",         # not a number, not whole
                  f"{lic},2026-06-01,1000,30,0,0")         # duplicate of line 2
    report = order_import(actor=None, content=content, filename="o.csv", commit=True)
    by_line = {}
    for e in report.errors:
        by_line.setdefault(e.line, set()).add(e.column)
    assert by_line == {3: {"licence_no"}, 4: {"ordered_on"}, 5: {"cigarette_amount"},
                       6: {"cigarette_amount", "cigarette_skus"}, 7: {"ordered_on"}}
    assert report.good_rows == 1 and OrderRecord.objects.count() == 1


def test_orders_commit_is_all_or_nothing(org):
    lic = org.retailer_north.licence_no
    order_import(actor=None,
                 content=csv(ORDER_HEADER, f"{lic},2026-06-01,1000,30,0,0"), filename="o.csv",
                 commit=True)
    content = csv(ORDER_HEADER, f"{lic},2026-06-01,2000,30,0,0", f"{lic},2026-06-08,900,30,0,0")
    with mock.patch.object(OrderRecord.objects, "bulk_update", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            order_import(actor=None, content=content, filename="o.csv", commit=True)
    assert list(OrderRecord.objects.values_list("cigarette_amount", flat=True)) == [1000]


def test_orders_from_excel_keep_licences_as_text(org):
    lic = org.retailer_north.licence_no
    frame = pd.DataFrame([{"licence_no": lic, "ordered_on": "2026-06-01",
                           "cigarette_amount": "800"}])
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    report = order_import(actor=None, content=buffer.getvalue(), filename="o.xlsx", commit=True)
    assert report.created == 1 and not report.errors


VALUE_HEADER = "许可证号,月份,数采方式,数采销售比,门头形象,经营面积,商圈类型\n"


def test_raw_values_wide_file_by_code_or_label_and_idempotent(org):
    n, s = org.retailer_north.licence_no, org.retailer_south.licence_no
    content = csv(VALUE_HEADER, f"{n},2026-06,POS机,85,good,35,商业区",
                  f"{s},2026/06,none,,,12,")
    report = raw_value_import(actor=None, content=content, filename="v.csv", commit=True)
    assert (report.created, report.errors) == (2, [])
    values = dict(RawValue.objects.filter(retailer=org.retailer_north).values_list(
        "indicator__code", "value_text"))
    assert values["data_collection_method"] == "pos" and values["trade_area_type"] == "commercial"
    assert RawValue.objects.get(retailer=org.retailer_south,
                                indicator__code="business_area").value_number == 12
    assert RawValue.objects.filter(period=dt.date(2026, 6, 1)).count() == 7
    again = raw_value_import(actor=None, content=content, filename="v.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_raw_values_bad_rows(org):
    n = org.retailer_north.licence_no
    content = csv(VALUE_HEADER,
                  f"{n},2026-06,abacus,85,,,",           # unknown answer
                  f"{n},June,pos,,,,",                   # bad month
                  f"{n},2026-07,pos,-3,,,",              # negative number
                  f"{n},2026-08,,,,,",                   # nothing to import (blank row kept)
                  f"{n},2026-09,pos,,,,",
                  f"{n},2026-09,scanner,,,,")            # duplicate month
    report = raw_value_import(actor=None, content=content, filename="v.csv", commit=True)
    by_line = {}
    for e in report.errors:
        by_line.setdefault(e.line, set()).add(e.column)
    assert by_line == {2: {"data_collection_method"}, 3: {"period"},
                       4: {"data_collected_share"}, 5: {""}, 7: {"period"}}
    assert list(RawValue.objects.values_list("period", "value_text")) == [
        (dt.date(2026, 9, 1), "pos")]


def test_master_data_indicators_are_not_importable(org):
    n = org.retailer_north.licence_no
    content = csv("许可证号,月份,档位,数采方式\n", f"{n},2026-06,30,pos")
    report = raw_value_import(actor=None, content=content, filename="v.csv", commit=True)
    assert report.errors == [] and RawValue.objects.count() == 1


def test_unreadable_file_is_refused_whole(org):
    with pytest.raises(DomainError) as caught:
        raw_value_import(actor=None, content=b"licence_no\n1\n", filename="v.csv", commit=True)
    assert caught.value.code == "missing_columns"


def test_commands_dry_run_then_commit(org, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv(ORDER_HEADER, f"{org.retailer_north.licence_no},2026-06-01,1000,3,0,0"))
    call_command("import_orders", str(path), "--dry-run")
    assert "1 rows read, 1 good" in capsys.readouterr().out
    assert not OrderRecord.objects.exists()
    call_command("import_orders", str(path))
    assert OrderRecord.objects.count() == 1
    values = tmp_path / "values.csv"
    values.write_bytes(csv(VALUE_HEADER, f"{org.retailer_north.licence_no},2026-06,pos,,,,"))
    call_command("import_profile_values", str(values))
    assert RawValue.objects.count() == 1


def test_raw_values_commit_is_all_or_nothing(org):
    n = org.retailer_north.licence_no
    raw_value_import(actor=None,
                     content=csv(VALUE_HEADER, f"{n},2026-06,pos,,,,"), filename="v.csv",
                     commit=True)
    content = csv(VALUE_HEADER, f"{n},2026-06,scanner,,,,", f"{n},2026-07,pos,50,,,")
    with mock.patch.object(RawValue.objects, "bulk_update", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            raw_value_import(actor=None, content=content, filename="v.csv", commit=True)
    assert list(RawValue.objects.values_list("period", "value_text")) == [
        (dt.date(2026, 6, 1), "pos")]


def test_admin_import_of_orders_preview_then_commit(org):
    from django.test import Client

    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(org.admin)
    upload = io.BytesIO(csv(ORDER_HEADER, f"{org.retailer_north.licence_no},2026-06-01,900,3,0,0"))
    upload.name = "orders.csv"
    preview = c.post("/admin/profiling/orderrecord/import/", {"file": upload})
    assert preview.status_code == 200 and preview.context["report"].created == 1
    assert not OrderRecord.objects.exists()
    done = c.post("/admin/profiling/orderrecord/import/", {"token": preview.context["token"]})
    assert done.status_code == 302 and OrderRecord.objects.count() == 1
    assert c.get("/admin/profiling/rawvalue/import/").status_code == 200
    c.force_login(org.manager_north)
    assert c.get("/admin/profiling/orderrecord/import/").status_code in (302, 403)


def test_admin_shows_dimensions_read_only(org):
    from django.test import Client

    from profiling.models import Dimension

    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(org.admin)
    dim = Dimension.objects.first()
    assert c.get(f"/admin/profiling/dimension/{dim.pk}/change/").status_code == 200
    c.post(f"/admin/profiling/dimension/{dim.pk}/change/", {"weight": 5})
    dim.refresh_from_db()
    assert dim.weight == 1
