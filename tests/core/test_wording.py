"""Django's stock messages on our forms, in this product's words (zhifu/core/wording.py)."""

import re

from django.test import Client

from tests import factories


def test_a_too_long_need_is_refused_in_plain_chinese_once(db):
    shop = factories.retailer(factories.district("D1", "一片区", 23.3, 116.7))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(shop.user)
    page = client.get("/m/needs/new/").content.decode()
    token = re.search(r'name="client_token" value="([0-9a-f]+)"', page).group(1)
    response = client.post("/m/needs/new/", {"kind": "personalised", "text": "长" * 1200,
                                              "client_token": token})
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("最多可写 1000 个字，现在有 1200 个。") == 1
    assert "确保该变量" not in body


def test_an_empty_login_says_what_is_missing(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/login/", {"username": "",
                                                                       "password": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="field-error"') == 2
