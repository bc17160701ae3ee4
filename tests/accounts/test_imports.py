"""Imports: good, bad and duplicate files; all good rows or nothing; idempotent."""

import io
import os
import time
from unittest import mock

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhifu.accounts.imports import retailer_export, retailer_import, specialist_import
from zhifu.accounts.models import Retailer, Specialist
from zhifu.accounts.tasks import purge_staged_imports
from zhifu.core.errors import DomainError

HEADER = "许可证号,店铺名称,负责人,联系电话,地址,纬度,经度,片区,网格,档位,市场类型,业态,开业日期\n"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode("utf-8")


GOOD = [
    "440599000001,陈记便利店,陈伟,13800001111,金平区中山路1号,23.37,116.70,N1,N1-1,12,城网,便利店,2015-03-01",
    "440599000002,林记食杂店,林芳,01380000222,,23.38,116.71,北片区,,25,农网,grocery,2016/04/02",
]


def test_good_file_creates_then_second_import_changes_nothing(org):
    content = csv_bytes(*GOOD)
    preview = retailer_import(actor=None, content=content, filename="r.csv", commit=False)
    assert (preview.total, preview.created, preview.errors) == (2, 2, [])
    assert not Retailer.objects.filter(licence_no="440599000001").exists()
    retailer_import(actor=None, content=content, filename="r.csv", commit=True)
    first = Retailer.objects.get(licence_no="440599000001")
    assert first.phone == "13800001111" and first.grade == 12 and first.market_type == "urban"
    # The leading zero survives: phones are read as text.
    assert Retailer.objects.get(licence_no="440599000002").phone == "01380000222"
    stamp = first.updated_at
    again = retailer_import(actor=None, content=content, filename="r.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    first.refresh_from_db()
    assert first.updated_at == stamp


def test_changed_row_is_updated_by_licence(org):
    retailer_import(actor=None, content=csv_bytes(*GOOD), filename="r.csv", commit=True)
    changed = GOOD[0].replace(",12,", ",14,")
    report = retailer_import(actor=None, content=csv_bytes(changed), filename="r.csv", commit=True)
    assert (report.created, report.updated) == (0, 1)
    assert Retailer.objects.get(licence_no="440599000001").grade == 14


def test_bad_rows_are_listed_with_line_and_reason_and_skipped(org):
    bad = [
        "440599000003,坏档位店,王五,13800003333,,23.3,116.6,N1,,31,城网,便利店,",
        "440599000004,坏片区店,赵六,13800004444,,23.3,116.6,火星,,5,城网,便利店,",
        "440599000005,坏电话店,钱七,12345,,23.3,116.6,N1,,5,城网,便利店,",
        "440599000006,坏日期店,孙八,13800006666,,abc,116.6,N1,,5,海网,便利店,2020-13-45",
        "440599000001,重复店,陈伟,13800001111,,23.37,116.70,N1,,12,城网,便利店,",
    ]
    report = retailer_import(actor=None,
                             content=csv_bytes(*GOOD, *bad), filename="r.csv", commit=False)
    by_line = {}
    for error in report.errors:
        by_line.setdefault(error.line, set()).add(error.column)
    assert by_line == {
        4: {"grade"},
        5: {"district"},
        6: {"phone"},
        7: {"latitude", "market_type", "opened_on"},
        8: {"licence_no"},
    }
    assert "第 2 行重复" in next(e.message for e in report.errors if e.line == 8)
    report = retailer_import(actor=None,
                             content=csv_bytes(*GOOD, *bad), filename="r.csv", commit=True)
    assert set(Retailer.objects.filter(licence_no__startswith="440599").values_list(
        "licence_no", flat=True)) == {"440599000001", "440599000002"}
    assert report.good_rows == 2


def test_commit_is_all_or_nothing_when_the_database_fails(org):
    retailer_import(actor=None, content=csv_bytes(GOOD[0]), filename="r.csv", commit=True)
    with mock.patch.object(Retailer.objects, "bulk_update", side_effect=RuntimeError("disk")):
        changed = GOOD[1]
        with pytest.raises(RuntimeError):
            retailer_import(actor=None, content=csv_bytes(GOOD[0].replace(",12,", ",13,"), changed),
                            filename="r.csv", commit=True)
    assert not Retailer.objects.filter(licence_no="440599000002").exists()
    assert Retailer.objects.get(licence_no="440599000001").grade == 12


@pytest.mark.parametrize("content,filename,code", [
    (b"", "r.csv", "file_empty"),
    (b"%PDF-1.4", "r.pdf", "file_type"),
    ("许可证号,店铺名称\n1,2\n".encode(), "r.csv", "missing_columns"),
    (b"\x00\x01garbage", "r.xlsx", "file_unreadable"),
])
def test_unreadable_files_are_refused_whole(org, content, filename, code):
    with pytest.raises(DomainError) as exc:
        retailer_import(actor=None, content=content, filename=filename, commit=True)
    assert exc.value.code == code


def test_gb18030_csv_and_english_headers(org):
    header = ("licence_no,shop_name,owner_name,phone,latitude,longitude,district,grade,"
              "market_type,business_format\n")
    content = (header + "440599000009,黄记超市,黄明,13900009999,23.3,116.6,S1,3,rural,超市\n")
    report = retailer_import(actor=None,
                             content=content.encode("gb18030"), filename="r.csv", commit=True)
    assert report.created == 1 and not report.errors
    assert Retailer.objects.get(licence_no="440599000009").shop_name == "黄记超市"


def test_export_imports_back_unchanged(org):
    content = retailer_export(retailers=Retailer.objects.all(), user=org.admin, fmt="xlsx")
    report = retailer_import(actor=None, content=content, filename="export.xlsx", commit=True)
    assert report.errors == [] and report.unchanged == Retailer.objects.count()


def test_masked_export_reimports_without_losing_phones(org):
    content = retailer_export(retailers=Retailer.objects.all(), user=org.manager_north, fmt="csv")
    assert b"****" in content
    report = retailer_import(actor=None, content=content, filename="export.csv", commit=True)
    assert report.errors == [] and report.updated == 0
    assert Retailer.objects.get(pk=org.retailer_north.pk).phone == org.retailer_north.phone


def test_import_command_dry_run_then_commit(org, tmp_path, capsys):
    path = tmp_path / "retailers.csv"
    path.write_bytes(csv_bytes(*GOOD, "bad,,,,,,,,,,,,"))
    call_command("import_retailers", str(path), "--dry-run")
    out = capsys.readouterr()
    assert "3 rows read, 2 good" in out.out and "line 4" in out.err
    assert not Retailer.objects.filter(licence_no="440599000001").exists()
    call_command("import_retailers", str(path))
    assert Retailer.objects.filter(licence_no__startswith="440599").count() == 2
    with pytest.raises(CommandError):
        call_command("import_retailers", str(tmp_path / "missing.csv"))


SPEC_HEADER = "工号,账号,姓名,联系电话,所属片区,服务片区,驻点纬度,驻点经度,技能,上班时间,下班时间\n"


def test_specialist_import_with_skills_and_idempotency(org):
    content = (SPEC_HEADER + "SP900,sp900,周专员,13700009000,N1,N1;S1,23.4,116.7,"
               "consultation:3;training:2,08:00,17:00\n").encode()
    report = specialist_import(actor=None, content=content, filename="s.csv", commit=True)
    assert (report.created, report.errors) == (1, [])
    s = Specialist.objects.get(employee_no="SP900")
    assert {(x.skill.code, x.level) for x in s.skill_levels.all()} == {("consultation", 3),
                                                                       ("training", 2)}
    assert set(s.districts.values_list("code", flat=True)) == {"N1", "S1"}
    assert not s.user.has_usable_password()
    again = specialist_import(actor=None, content=content, filename="s.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_specialist_import_bad_rows(org):
    content = (SPEC_HEADER
               + "SP901,sp901,吴专员,,N1,,23.4,116.7,flying:3,18:00,08:00\n"
               + f"SP902,{org.manager_north.username},郑专员,,N1,,23.4,116.7,consultation:9,,\n"
               ).encode()
    report = specialist_import(actor=None, content=content, filename="s.csv", commit=True)
    columns = {(e.line, e.column) for e in report.errors}
    assert (2, "skills") in columns and (2, "shift_end") in columns
    assert (3, "username") in columns and (3, "skills") in columns
    assert not Specialist.objects.filter(employee_no__in=["SP901", "SP902"]).exists()


def test_admin_import_preview_then_commit(org):
    client = Client()
    client.force_login(org.admin)
    upload = io.BytesIO(csv_bytes(*GOOD))
    upload.name = "r.csv"
    preview = client.post("/admin/accounts/retailer/import/", {"file": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert not Retailer.objects.filter(licence_no="440599000001").exists()
    done = client.post("/admin/accounts/retailer/import/", {"token": token})
    assert done.status_code == 302
    assert Retailer.objects.filter(licence_no="440599000001").exists()
    # The staged file is gone: committing twice is refused, not repeated.
    again = client.post("/admin/accounts/retailer/import/", {"token": token})
    assert "已失效" in again.content.decode()
    forged = client.post("/admin/accounts/retailer/import/", {"token": "../../etc/passwd"})
    assert forged.status_code == 200 and "已失效" in forged.content.decode()


def test_admin_export_action(org):
    client = Client()
    client.force_login(org.admin)
    response = client.post("/admin/accounts/retailer/", {
        "action": "export_xlsx", "_selected_action": [org.retailer_north.pk]})
    assert response.status_code == 200
    frame = pd.read_excel(io.BytesIO(response.content), dtype=str)
    assert list(frame["许可证号"]) == [org.retailer_north.licence_no]


def test_manager_cannot_use_admin_import(org):
    client = Client()
    client.force_login(org.manager_north)
    response = client.get("/admin/accounts/retailer/import/")
    assert response.status_code == 302


def test_an_uncommitted_preview_expires_and_its_file_is_purged(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(org.admin)
    upload = io.BytesIO(csv_bytes(*GOOD))
    upload.name = "r.csv"
    token = client.post("/admin/accounts/retailer/import/", {"file": upload}).context["token"]
    staged = tmp_path / "imports" / token
    fresh = tmp_path / "imports" / ("f" * 32 + ".csv")
    fresh.write_bytes(b"x")
    day_old = time.time() - (settings.STAGED_IMPORT_HOURS * 3600 + 60)
    os.utime(staged, (day_old, day_old))
    late = client.post("/admin/accounts/retailer/import/", {"token": token})
    assert "已失效" in late.content.decode()
    assert not Retailer.objects.filter(licence_no="440599000001").exists()
    assert purge_staged_imports() == 1
    assert not staged.exists() and fresh.exists()
