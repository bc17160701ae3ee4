"""The administrator at the desk: from /admin/, import a sheet of shops with a preview
(new, changed, refused lines), then write the good rows, and find them in the list."""

from __future__ import annotations

import pytest

from zhifu.accounts.models import District, Retailer

pytestmark = pytest.mark.browser


def test_an_admin_imports_shops_with_a_preview_then_commits(browser, demo, walk, tmp_path):
    walk.driver.set_window_size(1440, 900)
    district = District.objects.get(code="JP")
    known = Retailer.objects.filter(district=district).order_by("licence_no").first()
    sheet = tmp_path / "新店.csv"
    sheet.write_text(
        "许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
        f"440599009001,海滨新店,林一,23.36,116.68,{district.code},8,城网,便利店\n"
        f"{known.licence_no},{known.shop_name}（新址）,{known.owner_name},23.36,116.68,"
        f"{district.code},{known.grade},城网,便利店\n"
        "440599009002,无片区店,林二,23.36,116.68,XX,8,城网,便利店\n", encoding="utf-8")
    walk.login(demo.admin)
    assert "/admin/" in walk.driver.current_url
    walk.open("/admin/accounts/retailer/")
    walk.submit(walk.find('a[href$="/admin/accounts/retailer/import/"]'))
    walk.find("input[type=file]").send_keys(str(sheet))
    walk.submit(walk.find('input[type=submit][value]'))
    # The preview: one new, one changed, the bad line (4) named with its problem; and nothing
    # is written yet.
    summary = walk.find("#content h2 + p").text
    assert "新增 1" in summary and "变更 1" in summary, summary
    problems = [row.text for row in walk.all("#content table tbody tr")]
    assert len(problems) == 1 and problems[0].startswith("4"), problems
    assert not Retailer.objects.filter(licence_no="440599009001").exists()
    walk.submit(walk.find('form input[name=token] ~ input[type=submit]'))
    assert walk.driver.current_url.endswith("/admin/accounts/retailer/")
    created = Retailer.objects.get(licence_no="440599009001")
    assert created.district == district and created.shop_name == "海滨新店"
    known.refresh_from_db()
    assert known.shop_name.endswith("（新址）")
    assert not Retailer.objects.filter(licence_no="440599009002").exists()
    walk.open("/admin/accounts/retailer/?q=440599009001")
    assert "海滨新店" in walk.text()
