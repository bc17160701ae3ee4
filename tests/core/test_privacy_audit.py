"""Every view of a number shown whole leaves an audit row; masked views leave none."""

from django.contrib.auth.models import Permission
from django.test import Client

from tests.conftest import login_api
from zhifu.core.masking import mask_phone
from zhifu.core.models import PersonalDataAccess


def _grant(user):
    user.user_permissions.add(Permission.objects.get(codename="view_unmasked_personal_data"))


def test_api_page_and_export_views_are_recorded(org, api):
    _grant(org.manager_north)
    login_api(api, org.manager_north)
    api.get(f"/api/v1/retailers/{org.retailer_north.pk}/")
    row = PersonalDataAccess.objects.get()
    assert row.user == org.manager_north
    assert row.masked_value == mask_phone(org.retailer_north.phone)
    assert row.where == f"/api/v1/retailers/{org.retailer_north.pk}/"
    assert org.retailer_north.phone not in str(row.__dict__)  # the audit keeps no number

    client = Client()
    client.force_login(org.manager_north)
    client.get("/dashboard/retailers/")
    page = PersonalDataAccess.objects.filter(where="/dashboard/retailers/")
    assert page.count() == 2  # the two shops of the manager's district, one insert
    client.get("/dashboard/retailers/?export=csv")
    assert PersonalDataAccess.objects.filter(where="export: retailers").count() == 2


def test_masked_views_leave_no_audit_row(org, api):
    login_api(api, org.manager_north)
    api.get(f"/api/v1/retailers/{org.retailer_north.pk}/")
    client = Client()
    client.force_login(org.manager_north)
    client.get("/dashboard/retailers/")
    client.get("/dashboard/specialists/?export=xlsx")
    assert not PersonalDataAccess.objects.exists()


def test_the_audit_trail_cannot_be_edited_in_the_admin(org):
    _grant(org.manager_north)
    client = Client()
    client.force_login(org.admin)
    client.get(f"/api/v1/retailers/{org.retailer_north.pk}/")
    row = PersonalDataAccess.objects.get()
    assert client.get("/admin/core/personaldataaccess/").status_code == 200
    assert client.post(f"/admin/core/personaldataaccess/{row.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.filter(pk=row.pk).exists()
