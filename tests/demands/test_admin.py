"""The admin pages of demands and notifications open for an administrator."""

import pytest
from django.test import Client

from demands.models import CatalogueItem
from tests import factories
from tests.demands.conftest import make_demand
from zhifu.notifications.services import notify


@pytest.fixture
def admin_client(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/login/", {"username": org.admin.username, "password": factories.PASSWORD})
    return client


def test_admin_pages_open(org, admin_client):
    demand = make_demand(org.retailer_north)
    notify(recipients=[org.manager_north], kind="t", title="x")
    item = CatalogueItem.objects.get(code="cigar_business")
    for url in ("/admin/demands/catalogueitem/", f"/admin/demands/catalogueitem/{item.pk}/change/",
                "/admin/demands/demand/", f"/admin/demands/demand/{demand.pk}/change/",
                "/admin/demands/holiday/", "/admin/demands/workingperiod/",
                "/admin/demands/demandescalation/", "/admin/notifications/notification/"):
        assert admin_client.get(url).status_code == 200, url


def test_admin_save_recomputes_priority(org, admin_client):
    item = CatalogueItem.objects.get(code="cigar_business")
    page = admin_client.get(f"/admin/demands/catalogueitem/{item.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"impact_scope": 1, "compliance_risk": 1, "capacity_pressure": 1,
                 "grade_bands": '["24-30"]', "market_types": "[]", "business_formats": "[]",
                 "segments": "[]", "checklist": '["雪茄烟经营资质已核验"]',
                 "skills": [s.pk for s in item.skills.all()], "approval_level": "city_department",
                 "active": "on", "is_personalised": ""})
    data = {k: v for k, v in data.items() if v is not None}
    response = admin_client.post(f"/admin/demands/catalogueitem/{item.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.priority == 0
