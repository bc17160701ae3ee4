"""Real files posted through the manager's import page: preview, then commit, for retailers
and specialists (CSV and Excel), and a district lead's file touching another district's
shop refused in Chinese with nothing written."""

import io

import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifu.accounts.imports import (
    retailer_export,
    retailer_import,
    specialist_export,
    specialist_import,
)
from zhifu.accounts.models import Retailer, Specialist

URL = "/dashboard/profiles/import/"

pytestmark = pytest.mark.django_db


def _client(user, language="zh-hans") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def _preview(c, kind, content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return c.post(URL, {"kind": kind, "file": upload})


def _xlsx(rows: list[dict]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, index=False)
    return buffer.getvalue()


def test_retailers_preview_then_commit_through_the_page(org):
    c = _client(org.manager_north)
    content = ("许可证号,店铺名称,负责人,联系电话,纬度,经度,片区,档位,市场类型,业态,开业日期\n"
               "440599001001,新开便利店,王五,01380001001,23.4,116.7,N1,7,城网,便利店,2020-05-01\n"
               f"{org.retailer_north.licence_no},改名的店,{org.retailer_north.owner_name},,"
               "23.4,116.7,N1,8,城网,便利店,\n"
               "440599001002,坏店,赵六,,23.4,116.7,N1,99,城网,便利店,\n").encode()
    preview = _preview(c, "retailers", content, "shops.csv")
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.total, report.created, report.updated) == (3, 1, 1)
    assert [(e.line, e.column) for e in report.errors] == [(4, "grade")]
    page = preview.content.decode()
    assert "预览" in page and 'id="import-errors"' in page
    assert not Retailer.objects.filter(licence_no="440599001001").exists()

    done = c.post(URL, {"token": preview.context["token"], "kind": "retailers"}, follow=True)
    assert done.redirect_chain[-1][0] == URL
    assert "导入完成：新增 1，更新 1，未变 0，跳过问题行 1。" in done.content.decode()
    new = Retailer.objects.get(licence_no="440599001001")
    assert (new.phone, new.district, new.grade) == ("01380001001", org.north, 7)
    org.retailer_north.refresh_from_db()
    assert (org.retailer_north.shop_name, org.retailer_north.grade) == ("改名的店", 8)
    assert not Retailer.objects.filter(licence_no="440599001002").exists()


def test_specialists_preview_then_commit_through_the_page_from_excel(org):
    c = _client(org.manager_north)
    content = _xlsx([{"工号": "SP7001", "账号": "sp7001", "姓名": "新专员",
                      "联系电话": "13700007001", "所属片区": "N1", "服务片区": "N1",
                      "驻点纬度": 23.4, "驻点经度": 116.7,
                      "技能": "consultation:4", "上班时间": "09:00", "下班时间": "18:00"}])
    preview = _preview(c, "specialists", content, "people.xlsx")
    assert preview.status_code == 200
    assert (preview.context["report"].created, preview.context["report"].errors) == (1, [])
    assert not Specialist.objects.filter(employee_no="SP7001").exists()

    done = c.post(URL, {"token": preview.context["token"], "kind": "specialists"})
    assert done.status_code == 302
    s = Specialist.objects.get(employee_no="SP7001")
    assert (s.user.username, s.user.first_name, s.user.phone) == ("sp7001", "新专员", "13700007001")
    assert s.home_district == org.north and str(s.shift_start) == "09:00:00"
    assert {(x.skill.code, x.level) for x in s.skill_levels.all()} == {("consultation", 4)}
    # The same file again changes nothing.
    again = _preview(c, "specialists", content, "people.xlsx").context["report"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_district_leads_file_touching_another_districts_shop_is_refused(org):
    c = _client(org.manager_north)
    theirs = org.retailer_south
    content = ("许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
               f"{theirs.licence_no},被改的店,坏人,23.3,116.6,S1,5,城网,便利店\n"
               "440599002001,南边新店,坏人,23.3,116.6,S1,5,城网,便利店\n").encode()
    before = list(Retailer.objects.order_by("pk").values())
    preview = _preview(c, "retailers", content, "shops.csv")
    report = preview.context["report"]
    assert report.good_rows == 0
    assert {(e.line, e.column, e.message) for e in report.errors} == {
        (2, "licence_no", "该店铺不在您管辖的片区内。"),
        (3, "district", "只能导入您管辖片区内的店铺。"),
    }
    page = preview.content.decode()
    assert "该店铺不在您管辖的片区内。" in page
    # Committing the kept file writes nothing either: the check is in the import, not the page.
    c.post(URL, {"token": preview.context["token"], "kind": "retailers"})
    assert list(Retailer.objects.order_by("pk").values()) == before


def test_a_district_leads_specialist_file_for_another_district_writes_nothing(org):
    c = _client(org.manager_north)
    theirs = org.specialist_south
    content = ("工号,账号,姓名,所属片区,驻点纬度,驻点经度\n"
               f"{theirs.employee_no},{theirs.user.username},坏人,S1,23.3,116.6\n").encode()
    preview = _preview(c, "specialists", content, "people.csv")
    errors = preview.context["report"].errors
    assert [(e.column, e.message) for e in errors] == [
        ("employee_no", "该服务专员不在您管辖的片区内。")]
    c.post(URL, {"token": preview.context["token"], "kind": "specialists"})
    theirs.user.refresh_from_db()
    assert theirs.user.first_name != "坏人"


def test_exports_go_through_the_resources_and_import_back(org):
    content = retailer_export(retailers=Retailer.objects.filter(district=org.north),
                              user=org.manager_north, fmt="xlsx")
    frame = pd.read_excel(io.BytesIO(content), dtype=str)
    assert "身份证号" not in frame.columns and frame["联系电话"].str.contains(r"\*").all()
    content = specialist_export(specialists=Specialist.objects.all(), user=org.admin, fmt="csv")
    assert content.startswith("\ufeff".encode()) and "工号".encode() in content
    c = _client(org.admin)
    report = _preview(c, "specialists", content, "people.csv").context["report"]
    assert report.errors == [] and report.unchanged == Specialist.objects.count()


def test_a_preview_sends_no_write_to_the_database(org):
    """The library's dry run would write and roll back; ours writes nothing at all."""
    shops = ("许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
             "440599003001,新店,王五,23.4,116.7,N1,5,城网,便利店\n"
             f"{org.retailer_north.licence_no},改名,王五,23.4,116.7,N1,5,城网,便利店\n").encode()
    people = ("工号,账号,姓名,所属片区,驻点纬度,驻点经度\n"
              "SP7002,sp7002,新专员,N1,23.4,116.7\n").encode()
    with CaptureQueriesContext(connection) as queries:
        shop_report = retailer_import(content=shops, filename="r.csv", commit=False,
                                      actor=org.manager_north)
        people_report = specialist_import(content=people, filename="s.csv", commit=False,
                                          actor=org.manager_north)
    assert (shop_report.created, shop_report.updated, people_report.created) == (1, 1, 1)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
