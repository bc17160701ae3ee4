"""NUL characters are refused with a clear 400 everywhere (PostgreSQL cannot hold them)."""

import pytest
from django.test import Client

from tests.conftest import login_api


@pytest.mark.parametrize("url", ["/dashboard/retailers/?q=%00", "/dashboard/kpis/?district=%00",
                                 "/api/v1/retailers/?q=a%00b", "/login/?next=%00"])
def test_nul_in_a_query_is_400(org, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.manager_north)
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid_characters"
    else:
        assert "not allowed" in response.content.decode()


def test_nul_in_a_json_body_is_400_and_changes_nothing(org, api):
    login_api(api, org.specialist_north.user)
    response = api.post(f"/api/v1/retailers/{org.retailer_north.pk}/collections/",
                        data='{"values": {"storefront_image": "good\\u0000"}}',
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_nul_in_a_form_is_400(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "不允许" in response.content.decode()
