"""Phone and ID numbers typed into free text are masked for every reader without the
unmask permission — pages, API, notifications — and shown whole (and audited) to those
with it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests import factories
from tests.conftest import login_api
from zhifu.core.masking import mask_text

NEED = "冰柜坏了，请打13812345678或0754-88881234联系，身份证440508199001011234"


@pytest.mark.parametrize("text,masked", [
    ("请联系13812345678", "请联系138****5678"),
    ("电话 138 1234 5678", "电话 138****5678"),
    ("+86 138-1234-5678 找我", "138****5678 找我"),
    ("座机0754-88881234", "座机0754-****1234"),
    ("身份证440508199001011234", "身份证4405**********1234"),
    ("身份证44050819900101123X", "身份证4405**********123X"),
])
def test_numbers_inside_text_are_masked(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", ["许可证号440500000001", "订单号202611240001", "金额12345.67元",
                                  "2026-11-24 10:30", "编号1381234567890", "第3档，共24户"])
def test_other_numbers_are_left_alone(text):
    assert mask_text(text) == text


@pytest.fixture
def need(db):
    from demands import services

    district = factories.district("P1", "隐私片区")
    shop = factories.retailer(district)
    manager = factories.manager(district)
    specialist = factories.specialist(district)
    demand = services.demand_submit_need(retailer=shop, actor=shop.user, text=NEED)
    services.demand_accept(demand=demand, actor=manager)
    services.demand_schedule(demand=demand, actor=manager, specialist=specialist)
    return demand, manager, specialist


def test_a_manager_without_the_permission_sees_the_need_masked(need):
    demand, manager, _specialist = need
    client = Client()
    client.force_login(manager)
    for url in (f"/dashboard/demands/{demand.pk}/", "/dashboard/demands/triage/"):
        page = client.get(url).content.decode()
        assert "13812345678" not in page and "88881234" not in page, url
        assert "440508199001011234" not in page, url


def test_a_manager_with_the_permission_sees_it_whole_and_is_audited(need):
    from zhifu.core.models import PersonalDataAccess

    demand, manager, _specialist = need
    manager.user_permissions.add(Permission.objects.get(
        codename="view_unmasked_personal_data"))
    client = Client()
    client.force_login(manager)
    page = client.get(f"/dashboard/demands/{demand.pk}/").content.decode()
    assert "13812345678" in page
    assert PersonalDataAccess.objects.filter(user=manager).exists()


def test_the_specialist_api_and_notifications_mask_it(need, api):
    from zhifu.notifications.models import Notification

    demand, _manager, specialist = need
    login_api(api, specialist.user)
    body = api.get(f"/api/v1/demands/{demand.pk}/").content.decode()
    assert "13812345678" not in body and "138****5678" in body
    stored = " ".join(Notification.objects.values_list("title", "body").first() or ())
    assert Notification.objects.exists()
    for row in Notification.objects.all():
        assert "13812345678" not in row.title + row.body
    notes = api.get("/api/v1/notifications/").content.decode()
    assert "13812345678" not in notes and stored is not None


def test_the_specialists_demand_page_masks_it(need):
    demand, _manager, specialist = need
    client = Client()
    client.force_login(specialist.user)
    page = client.get(f"/s/demands/{demand.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
