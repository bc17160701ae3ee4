"""No export turns a retailer's words into a live formula (CSV/Excel formula injection)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests import factories
from zhifu.core.spreadsheets import escape_cell, spreadsheet_bytes

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+86-1", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_prefixes_are_made_inert(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["店铺", "a=b", "", None, -5, 3.5, 0])
def test_other_values_are_unchanged(value):
    assert escape_cell(value) == value


def _cells(content: bytes, fmt: str) -> list:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))
                for cell in row]
    book = load_workbook(io.BytesIO(content))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    return [cell.value for cell in cells]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_writer_keeps_numbers_and_escapes_text(fmt):
    content = spreadsheet_bytes(headers=["名称", "数量"], rows=[[HOSTILE[0], -5]], fmt=fmt)
    cells = _cells(content, fmt)
    assert "'" + HOSTILE[0] in cells
    assert (-5 in cells) if fmt == "xlsx" else ("-5" in cells)


@pytest.fixture
def hostile_city(db):
    district = factories.district("H1", "=恶意片区")
    manager = factories.manager(district)
    shops = [factories.retailer(district, shop_name=name) for name in HOSTILE[:4]]
    from demands import services

    services.demand_submit_need(retailer=shops[0], actor=shops[0].user, text="=1+1 需要帮助")
    return district, manager, shops


EXPORT_URLS = [
    ("/dashboard/retailers/?export=csv", "csv"),
    ("/dashboard/retailers/?export=xlsx", "xlsx"),
    ("/dashboard/specialists/?export=csv", "csv"),
    ("/dashboard/specialists/?export=xlsx", "xlsx"),
    ("/dashboard/profiles/?export=xlsx", "xlsx"),
    ("/dashboard/kpis/?export=districts", "xlsx"),
    ("/dashboard/kpis/?export=flow", "xlsx"),
]


@pytest.mark.parametrize("url,fmt", EXPORT_URLS)
def test_no_page_export_holds_a_live_formula(hostile_city, url, fmt):
    _district, manager, _shops = hostile_city
    hostile = factories.specialist(_district)
    hostile.user.first_name = "@SUM(1)"
    hostile.user.save(update_fields=["first_name"])
    client = Client()
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200, url
    cells = [c for c in _cells(response.content, fmt) if isinstance(c, str)]
    assert cells, url
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), (url, cell)
        assert not (cell.startswith("-") and not cell[1:].replace(".", "").isdigit()), (
            url, cell)


def test_the_admin_exports_are_escaped_too(hostile_city):
    from zhifu.accounts.models import Retailer

    admin = Client()
    admin.force_login(factories.admin())
    ids = [str(pk) for pk in Retailer.objects.values_list("pk", flat=True)]
    for action, fmt in (("export_csv", "csv"), ("export_xlsx", "xlsx")):
        response = admin.post("/admin/accounts/retailer/", {
            "action": action, "_selected_action": ids})
        assert response.status_code == 200
        cells = [c for c in _cells(response.content, fmt) if isinstance(c, str)]
        assert "'" + HOSTILE[0] in cells
        assert not any(c.startswith("=") for c in cells)
